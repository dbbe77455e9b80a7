"""The Document: a report as a flat list of blocks (headings, paragraphs, islands) that every writer draws.

Writers dispatch on the block type, as markdown-it-py's renderers dispatch on the token type.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from .table import Table


@dataclass(frozen=True)
class Run:
    """A piece of inline text with its emphasis."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Heading:
    """A numbered heading; `anchor` is its stable id in HTML and its bookmark in DOCX."""

    level: int
    number: str
    text: str
    anchor: str

    @property
    def title(self) -> str:
        """The heading as printed: “一、收入支出决算总表”, “第一部分 部门概况”."""
        return f"{self.number}{self.text}"


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of body text; `kind` is body, item (list item) or note."""

    runs: tuple[Run, ...]
    kind: str = "body"

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True)
class Island:
    """A structured block placed by a template: `kind` and the object a writer draws."""

    kind: str
    value: object = None


@dataclass(frozen=True)
class Cover:
    """The cover page: title lines and the date line."""

    title: str
    department: str
    subtitle: str
    date: str


@dataclass(frozen=True)
class Contents:
    """The table of contents: its title and the headings down to `depth`, filled in by `build`."""

    title: str = ""
    headings: tuple[Heading, ...] = ()
    depth: int = 2


@dataclass(frozen=True)
class Series:
    """One series of a chart: its name and, per category, the exact figure and the figure as printed."""

    name: str
    values: tuple[Decimal, ...]
    texts: tuple[str, ...]


@dataclass(frozen=True)
class Chart:
    """A chart placed by a template (`island chart <source>`): a bar chart of series over categories, or a pie.

    Every figure comes from the derived figures, exact (`values`) and as the report prints it
    (`texts`, `shares`); writers draw the shapes from the exact values and print only the texts.
    `table` holds the same figures as a table (beside the chart in HTML, instead of it in Markdown),
    `description` says them in a sentence (the text alternative of the image).
    """

    key: str  # stable id: chart1, chart2 …
    number: str  # 图1
    title: str
    kind: str  # bar | pie
    categories: tuple[str, ...]  # bar: the groups along the axis (years); pie: the slices
    series: tuple[Series, ...]  # a pie has exactly one
    unit: str  # the money unit of the values (万元)
    caption: str  # “图1 收、支决算总计变动情况”
    description: str
    table: Table
    shares: tuple[str, ...] = ()  # pie: each slice's share as printed (“96.05%”)
    legend: tuple[str, ...] = ()  # pie: each slice's legend entry (“一般公共预算财政拨款收入 702.36万元（96.05%）”)


@dataclass(frozen=True)
class Mention:
    """A derived figure the narrative prints: its kind (share, growth, completion, change), exact value,
    printed text, the sentence it stands in and the heading of its section."""

    kind: str
    value: Decimal
    text: str
    sentence: str
    section: str


Block = Heading | Paragraph | Island


@dataclass(frozen=True)
class Document:
    """A whole report as a flat list of blocks, plus what writers need for metadata."""

    title: str
    blocks: tuple[Block, ...]
    meta: dict[str, str] = field(default_factory=dict)
    figures: tuple[Mention, ...] = ()  # the derived figures of the narrative, in the order of the text

    @property
    def created(self) -> dt.datetime:
        """The document's date for file metadata: the publication date, else 1 January after its year."""
        date = self.meta.get("date", "")
        if date:
            return dt.datetime.fromisoformat(date)
        year = self.meta.get("year", "")
        return dt.datetime(int(year) + 1, 1, 1) if year.isdigit() else dt.datetime(1980, 1, 1)

    @property
    def headings(self) -> tuple[Heading, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Heading))

    def islands(self, kind: str) -> Iterator[object]:
        for block in self.blocks:
            if isinstance(block, Island) and block.kind == kind:
                yield block.value
