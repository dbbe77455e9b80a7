"""Measure text and lay tables out on a page: column widths from the text they hold, row and table heights.

A small model of how Word, WPS and LibreOffice set our documents, good enough to size columns and
to decide whether a form fits a page: an East Asian character is one em wide, digits and Latin
letters about half an em (Times New Roman's digits are exactly half), a line breaks between any
two East Asian characters and at spaces but never before closing punctuation, and every line of
a table cell has the fixed height of its style. Lengths are in points unless a name says twips.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from ..document import Cell, Cover, Table

# Characters that may not begin a line (they stay with the character before them), and characters
# that may not end one (they stay with the character after them).
_CLOSING = set("，。、；：？！）」』”’》〉】…—·,.;:?!)]%")
_OPENING = set("（「『“‘《〈【([")
# Measured against LibreOffice's layout, the model is within about 10% of a form's height either way.
MARGIN = 0.94
# Latin characters whose width is not half an em (Times New Roman's; “%” is far wider than a digit).
_NARROW = {
    "%": 0.83,
    "≥": 0.55,
    "≤": 0.55,
    " ": 0.25,
    ".": 0.25,
    ",": 0.25,
    ":": 0.28,
    ";": 0.28,
    "!": 0.33,
    "|": 0.2,
    "'": 0.18,
    "-": 0.33,
}


def em(ch: str) -> float:
    """The width of a character in ems of its font size."""
    if ord(ch) >= 0x2E80 or ch in "“”‘’":
        return 1.0  # CJK characters and full-width punctuation
    if ch.isdigit():
        return 0.5
    if ch in _NARROW:
        return _NARROW[ch]
    return 0.68 if ch.isupper() else 0.5


def _ideograph(ch: str) -> bool:
    return 0x3400 <= ord(ch) <= 0x9FFF or 0xF900 <= ord(ch) <= 0xFAFF


# Word and LibreOffice put a little space between an ideograph and a Latin letter or digit beside it
# (“2024 年”): measured in LibreOffice's layout, a fifth of an em.
AUTOSPACE = 0.2
# Full-width closing punctuation may hang past the end of a line (Word's and WPS's default, followed
# by LibreOffice): a line that fits but for its last “，” keeps it.
_HANGING = {ch for ch in _CLOSING if em(ch) == 1.0}


@lru_cache(maxsize=1 << 16)
def ems(text: str) -> float:
    """The width of a text in ems (the same texts recur: every report has the same headings and many 0.00),
    with the readers' space between ideographs and Latin text."""
    return sum(em(ch) for ch in text) + AUTOSPACE * sum(_spaced(a, b) for a, b in pairwise(text))


def _spaced(a: str, b: str) -> bool:
    """Whether the readers put their small space between two neighbouring characters."""
    return (_ideograph(a) and b.isascii() and b.isalnum()) or (a.isascii() and a.isalnum() and _ideograph(b))


def text_width(text: str, size: float, letter: float = 0) -> float:
    """The width of a line of text at a font size, with `letter` points added after each character."""
    return ems(text) * size + letter * len(text)


@lru_cache(maxsize=1 << 16)
def _tokens(text: str) -> tuple[str, ...]:
    """Pieces a line may break between: each East Asian character (with the closing punctuation after
    it), each run of Latin letters and digits."""
    tokens: list[str] = []
    for ch in text:
        previous = tokens[-1][-1:] if tokens else ""
        joins = (
            ch in _CLOSING
            or previous in _OPENING
            or (ch.isascii() and not ch.isspace() and previous.isascii() and not previous.isspace() and previous != "")
        )
        if tokens and joins:
            tokens[-1] += ch
        else:
            tokens.append(ch)
    return tuple(tokens)


@lru_cache(maxsize=1 << 16)
def lines(text: str, width: float, size: float, letter: float = 0, first_indent: float = 0) -> int:
    """How many lines a text takes in a column of `width` points (at least one)."""
    count = 0
    for paragraph in text.split("\n") or [""]:
        count += 1
        used = first_indent
        previous = ""
        for token in _tokens(paragraph):
            need = text_width(token, size, letter)
            gap = AUTOSPACE * size if used and previous and _spaced(previous, token[0]) else 0.0
            previous = token[-1]
            hangs = em(token[-1]) * size + letter if token[-1] in _HANGING else 0.0
            if used + gap + need - hangs > width + 0.01 and used > 0:
                count += 1
                used = gap = 0.0
            if need > width:  # a token wider than the column breaks anyway
                extra = math.ceil(need / width) - 1
                count += extra
                used = need - extra * width
            else:
                used += gap + need
    return count


def title_text(title: str, department: str, width: float, size: float) -> str:
    """A title too long for one line, broken after the department's name when both lines then fit
    (“2024年度青川市临江区农业农村局” / “部门项目绩效自评结果”), so a line never ends inside a word
    (GB/T 9704: a title wraps keeping words whole); otherwise as it is."""
    if lines(title, width, size) == 1 or not department or department not in title:
        return title
    cut = title.index(department) + len(department)
    head, tail = title[:cut], title[cut:]
    if not tail or lines(head, width, size) > 1 or lines(tail, width, size) > 1:
        return title
    return f"{head}\n{tail}"


def cover_lines(cover: Cover) -> list[str]:
    """The cover's title lines, as the DOCX and the PDF set them: the department, then the rest of
    the title (“2024年度部门决算”), with the subtitle first when the title does not hold it."""
    title = cover.title or cover.subtitle
    if cover.department and cover.department in title and title != cover.department:
        lines = [cover.department, title.replace(cover.department, "", 1)]
    else:
        lines = [title or cover.department]
    if cover.subtitle and not any(cover.subtitle in line for line in lines):
        lines.insert(0, cover.subtitle)
    return lines


@dataclass(frozen=True)
class Type:
    """How a table is set: header and cell font sizes and line heights, the cell padding, in points."""

    header: float
    cell: float
    header_line: float
    cell_line: float
    padding: float  # left + right inner margin of a cell
    vertical: float  # top + bottom inner margin of a cell, and the rule between rows

    def scaled(self, factor: float) -> Type:
        return Type(
            self.header * factor,
            self.cell * factor,
            self.header_line * factor,
            self.cell_line * factor,
            self.padding,
            self.vertical,
        )


def _header_type(cell: Cell, in_head: bool, form: bool) -> bool:
    """Whether a cell is set in the header type: a header cell of the header rows, or of a form."""
    return cell.header and (in_head or form)


SLACK = 1.0  # points a measured line is given beyond its width (readers round glyph widths up)


@lru_cache(maxsize=1 << 16)
def _text_needs(text: str, kind: str, heading: bool, strong: bool, size: float, indent: float) -> tuple[float, float, float]:
    """(narrowest, narrowest when room is short, preferred) width of a cell's text, `heading` when it
    heads a column; kept per text, as the same texts recur in every table (0.00, 合计, the headings).

    Numbers and codes never break. A heading of four characters or fewer keeps one line (科目编码)
    while the page allows, else two; a longer heading takes two balanced lines (本年收入/合计). A
    name or text keeps at least six characters on a line and prefers its whole length on one.
    """
    scale = 1.05 if strong else 1.0
    natural = text_width(text, size * scale) + indent + SLACK
    if kind in ("number", "code"):
        return natural, natural, natural
    longest = max((text_width(t, size * scale) for t in _tokens(text) if t.isascii()), default=0.0)
    if heading:  # a column heading (a row header is text)
        tokens = _tokens(text)
        half = max(longest, text_width("".join(tokens[: max(2, math.ceil(len(tokens) / 2))]), size * scale))
        two = half + indent + SLACK
        return (natural if len(tokens) <= 4 else two), two, (natural if len(tokens) <= 4 else two)
    narrow = max(longest, min(natural, 6 * size * scale)) + indent + SLACK
    return narrow, narrow, natural


def column_widths(table: Table, total: float, t: Type, indent: float = 0) -> list[float]:
    """Column widths (points, adding up to `total`) that hold each column's text as well as the page allows.

    Every column gets at least the narrowest width its cells allow; the room left is poured into
    the columns whose text would otherwise wrap, evenly, so that the columns of short text are
    satisfied first and a column of long text takes what remains (a long 偏差原因 wraps rather than
    every indicator name); when everything fits on one line, the spare room is shared in proportion
    to the natural widths. `indent` is the step of a 款/项 name's indent.
    """
    n = table.columns
    firm = [0.0] * n  # narrowest widths with short headings on one line
    low = [0.0] * n  # narrowest widths at all
    high = [0.0] * n
    spans: list[tuple[int, int, float]] = []
    head, form, pad = len(table.head), table.form, t.padding
    for line in table.grid:
        for cell, row, col in line:
            if cell.text:
                in_head = row < head
                size = t.header if _header_type(cell, in_head, form) else t.cell
                heading = cell.header and (in_head or cell.scope == "col")
                wanted, narrow, natural = _text_needs(cell.text, cell.kind, heading, cell.strong, size, cell.indent * indent)
                wanted, narrow, natural = wanted + pad, narrow + pad, natural + pad
            else:
                wanted = narrow = natural = 0.0 + pad
            if cell.colspan == 1:
                if wanted > firm[col]:
                    firm[col] = wanted
                if narrow > low[col]:
                    low[col] = narrow
                if natural > high[col]:
                    high[col] = natural
            else:
                spans.append((col, min(col + cell.colspan, n), narrow))
    if sum(firm) <= total:
        low = firm
    for start, stop, narrow in spans:  # a spanning cell widens its columns only when they are too narrow together
        short = narrow - sum(low[start:stop])
        if short > 0:
            for c in range(start, stop):
                low[c] += short / (stop - start)
                high[c] = max(high[c], low[c])
    for c in range(n):  # a column with nothing of its own (all spanned): a little room
        if high[c] == 0:
            low[c] = high[c] = t.padding + t.cell
    if sum(high) <= total:
        return [h * total / sum(high) for h in high]
    if sum(low) >= total:
        return [w * total / sum(low) for w in low]
    widths = list(low)
    room = total - sum(low)
    while room > 1e-6:
        wanting = [c for c in range(n) if high[c] - widths[c] > 1e-6]
        step = min(room / len(wanting), min(high[c] - widths[c] for c in wanting))
        for c in wanting:
            widths[c] += step
        room -= step * len(wanting)
    return widths


def row_heights(table: Table, widths: Sequence[float], t: Type, indent: float = 0) -> list[float]:
    """The height of every row (points) with the text wrapped in the given column widths."""
    rows = len(table.rows)
    heights = [0.0] * rows
    tall: list[tuple[int, int, float]] = []
    head, form, pad, vertical = len(table.head), table.form, t.padding, t.vertical
    for line in table.grid:
        for cell, row, col in line:
            if _header_type(cell, row < head, form):
                size, line_height = t.header, t.header_line
            else:
                size, line_height = t.cell, t.cell_line
            span = cell.colspan
            width = (widths[col] if span == 1 else sum(widths[col : col + span])) - pad - cell.indent * indent
            need = lines(cell.text, max(width, size), size * (1.05 if cell.strong else 1)) * line_height + vertical
            if cell.rowspan == 1:
                if need > heights[row]:
                    heights[row] = need
            else:
                tall.append((row, min(row + cell.rowspan, rows), need))
    for r in range(rows):
        heights[r] = max(heights[r], t.cell_line + t.vertical)
    for start, stop, need in tall:  # a cell spanning rows makes its last row taller when they are too short
        short = need - sum(heights[start:stop])
        if short > 0:
            heights[stop - 1] += short
    return heights


# ---------------------------------------------------------------------------- pages


@dataclass(frozen=True)
class Lines:
    """A paragraph: `count` lines of `pitch` points with space before and after; a heading keeps with
    what follows. `anchor` names a heading, whose page the contents print."""

    count: int
    pitch: float
    before: float = 0
    after: float = 0
    keep: bool = False
    anchor: str = ""


@dataclass(frozen=True)
class Rows:
    """A table's rows (heights in points): the first `head` repeat on every page it continues on; the
    rows from `keep_from` on keep with what follows them (all of a form's, the last two of a table's)."""

    heights: tuple[float, ...]
    head: int = 0
    keep_from: int = 0


@dataclass(frozen=True)
class Break:
    """A page break or the start of a section; `height` is the new page's text height, `numbered` whether
    the section counts pages (the cover and an unnumbered contents do not)."""

    height: float
    numbered: bool = True
    restart: bool = False


Flow = Lines | Rows | Break


# LibreOffice keeps a line on a page whose text area it overruns by up to about a point (measured: a
# heading's two lines after a chart end 0.97 pt below the area and stay).
OVERRUN = 1.0


def paginate(flow: Sequence[Flow]) -> dict[str, int]:
    """The page number on which each anchored heading falls, laying the flow out page by page.

    Lines and rows move to the next page when the page is full, never leaving one line of a
    paragraph alone at the foot or the head of a page; a heading (or a table's title) moves with
    the first lines of what follows it (two, as a paragraph never begins a page's foot with one); a row never splits; rows that keep with the next move with
    it; a table's head rows are repeated on the pages it continues on.
    """
    pages: dict[str, int] = {}
    number, used, height, counting = 0, 0.0, 0.0, False

    def new_page() -> None:
        nonlocal number, used
        number += 1 if counting else 0
        used = 0.0

    def first_need(i: int) -> float:
        """What must come onto the page with the heading at `i`: the first line or row after it
        (after a chain of headings, theirs too)."""
        need = 0.0
        for item in flow[i + 1 :]:
            if isinstance(item, Lines):
                if item.keep:
                    need += item.before + item.pitch
                    continue
                # A paragraph starts a page with at least two lines (orphan control), so the
                # heading needs room for two of them, or for the whole of a shorter one.
                return need + item.before + item.pitch * min(item.count, 2)
            if isinstance(item, Rows):
                return need + (sum(item.heights) if item.keep_from == 0 else sum(item.heights[: item.head + 1]))
            return need
        return need

    for i, item in enumerate(flow):
        if isinstance(item, Break):
            counting = item.numbered
            if item.restart:
                number = 0
            height = item.height
            new_page()
            continue
        if isinstance(item, Lines):
            if item.keep and used and used + item.before + item.pitch * item.count + first_need(i) > height + OVERRUN:
                new_page()
            if item.anchor:
                pages[item.anchor] = number
            used += item.before if used else 0
            left = item.count
            while left:
                here = int((height + OVERRUN - used) // item.pitch)  # lines that fit on this page
                if here >= left:
                    used += left * item.pitch
                    break
                # Widow and orphan control: never one line of a paragraph alone on either page.
                if left - here < 2:
                    here = left - 2
                if here < 2 and used:
                    new_page()
                    continue
                here = max(here, 1)
                left -= here
                new_page()
            used += item.after
            continue
        head = sum(item.heights[: item.head])
        rows = item.heights
        r = 0
        while r < len(rows):
            block = rows[r : len(rows)] if r >= item.keep_from else rows[r : r + 1]
            need = sum(block) if r >= item.keep_from else rows[r]
            if used + need > height + OVERRUN and used > head:
                new_page()
                used = head if r > item.head else 0.0
            for h in block:
                used += h
            r += len(block)
    return pages
