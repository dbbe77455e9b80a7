"""Turn the composed Markdown into a Document: numbered headings, paragraphs and structured islands.

markdown-it-py parses the Markdown (raw HTML off, so nothing from content reaches a page as
markup); fenced blocks with the info string `island <kind>` are replaced by the objects that
`resolve` returns (tables, glossary, cover, table of contents). Heading numbers are generated
here, never typed: 第一部分 / 一、/（一）/ 1. / （1）.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .compose import cn_number


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
    """The table of contents: the headings down to `depth`, filled in by `build`."""

    headings: tuple[Heading, ...] = ()
    depth: int = 2


Block = Heading | Paragraph | Island


@dataclass(frozen=True)
class Document:
    """A whole report as a flat list of blocks, plus what writers need for metadata."""

    title: str
    blocks: tuple[Block, ...]
    meta: dict[str, str] = field(default_factory=dict)

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


_PARSER = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_PARSER.disable(["link", "image", "autolink", "html_inline", "html_block"])


def heading_number(level: int, count: int) -> str:
    """The number printed before a heading of a level: 第一部分 , 一、, （一）, 1., （1）."""
    if level == 1:
        return f"第{cn_number(count)}部分 "
    if level == 2:
        return f"{cn_number(count)}、"
    if level == 3:
        return f"（{cn_number(count)}）"
    if level == 4:
        return f"{count}."
    return f"（{count}）"


def _runs(token: Token) -> tuple[Run, ...]:
    runs: list[Run] = []
    bold = italic = False
    for child in token.children or ():
        if child.type == "strong_open":
            bold = True
        elif child.type == "strong_close":
            bold = False
        elif child.type == "em_open":
            italic = True
        elif child.type == "em_close":
            italic = False
        elif child.type in ("text", "code_inline"):
            runs.append(Run(child.content, bold, italic))
        elif child.type == "hardbreak":
            runs.append(Run("\n", bold, italic))
        # A soft line break inside a Chinese paragraph joins the lines without a space.
    merged: list[Run] = []
    for run in runs:
        if merged and (merged[-1].bold, merged[-1].italic) == (run.bold, run.italic):
            merged[-1] = Run(merged[-1].text + run.text, run.bold, run.italic)
        else:
            merged.append(run)
    return tuple(merged)


def build(markdown: str, resolve: Callable[[str, Sequence[str]], object], title: str,
          meta: dict[str, str] | None = None) -> Document:
    """Parse Markdown into a Document; `resolve(kind, lines)` returns the object of an island."""
    tokens = _PARSER.parse(markdown)
    blocks: list[Block] = []
    counters = [0] * 7
    list_depth = 0
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "heading_open":
            level = int(token.tag[1])
            text = "".join(run.text for run in _runs(tokens[i + 1])).strip()
            # Only a template writes “{-}” (unnumbered); user text has its braces escaped.
            numbered = not tokens[i + 1].content.rstrip().endswith("{-}")
            if not numbered:
                text = text.removesuffix("{-}").rstrip()
            number = ""
            if numbered:
                counters[level] += 1
                for deeper in range(level + 1, 7):
                    counters[deeper] = 0
                number = heading_number(level, counters[level])
            anchor = "sec-" + "-".join(str(c) for c in counters[1 : level + 1]) if numbered else f"h-{i}"
            blocks.append(Heading(level, number, text, anchor))
            i += 3
            continue
        if token.type in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif token.type == "inline" and tokens[i - 1].type == "paragraph_open":
            runs = _runs(token)
            if runs:
                blocks.append(Paragraph(runs, "item" if list_depth else "body"))
        elif token.type == "fence" and token.info.startswith("island"):
            kind = token.info.split(maxsplit=1)[1].strip()
            lines = [line for line in token.content.split("\n") if line]
            blocks.append(Island(kind, resolve(kind, lines)))
        elif token.type in ("fence", "code_block"):
            blocks.append(Paragraph((Run(token.content.rstrip("\n")),), "body"))
        i += 1
    headings = tuple(b for b in blocks if isinstance(b, Heading) and b.number)
    filled = [
        replace(b, value=replace(b.value, headings=tuple(h for h in headings if h.level <= b.value.depth)))
        if isinstance(b, Island) and isinstance(b.value, Contents) else b
        for b in blocks
    ]
    return Document(title, tuple(filled), dict(meta or {}))
