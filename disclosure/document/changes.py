"""What a correction changed: two Documents of one report compared cell by cell and sentence by sentence.

A changed figure usually shows in several places: a 合计 in two tables and in the sentence that
quotes it. The places where the same text changed into the same new text are one change,
listed once at its first place, with the other cells and the sentences it changed under it; a
sentence that changed for another reason (a corrected 原因) is a change of its own. Table
cells are matched by table, row (its 科目编码, else its label) and column, not by position, and
sentences by their text, so a row added above or a paragraph moved is not read as many changes.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .blocks import Document, Heading, Island, Paragraph
from .glossary import Glossary
from .table import Table


def superseded_name(name: str, date: str) -> str:
    """The dated name a superseded file is kept under: report.html of 2025-09-02 → report-2025-09-02.html."""
    stem, dot, suffix = name.partition(".")
    return f"{stem}-{date}{dot}{suffix}"


def notice_name(date: str, suffix: str) -> str:
    """The file of the correction notice of a date: correction-2025-10-15.html."""
    return f"correction-{date}.{suffix}"


_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?%?")


@dataclass(frozen=True)
class Place:
    """Where a change is: the part and section headings, and for a cell its table, row and column."""

    part: str  # 第二部分 2024年度部门决算表
    section: str  # the nearest heading above (the part itself at the top of a part)
    table: str = ""  # 公开03表, or the title of a table without a number
    title: str = ""  # 支出决算表
    row: str = ""  # 2101301 城乡医疗救助, or the row's label
    column: tuple[str, ...] = ()  # the header texts above the cell, outermost first


@dataclass(frozen=True)
class Change:
    """One change: its place, the text before and after ("" for a row or sentence added or removed)."""

    kind: str  # cell | row | sentence
    place: Place
    before: str
    after: str
    related: tuple[Change, ...] = ()  # the other places the same change made


@dataclass(frozen=True)
class _Fact:
    key: tuple
    place: Place
    text: str
    number: bool


def _sentences(text: str, end: str) -> list[str]:
    parts = [p + end for p in text.split(end)]
    parts[-1] = parts[-1].removesuffix(end)
    return [p.strip() for p in parts if p.strip()]


def _columns(table: Table) -> dict[int, tuple[str, ...]]:
    """The header texts above each column (栏次 numbers left out)."""
    heads: dict[int, list[str]] = {}
    for line in table.grid[: len(table.head)]:
        texts = [p.cell.text.strip() for p in line if p.cell.text.strip()]
        if sum(t.isdigit() for t in texts) * 2 > len(texts):
            continue  # the 栏次 row: column numbers, and its own label
        for placed in line:
            text = placed.cell.text.strip()
            if not text or text.isdigit():
                continue
            for col in range(placed.col, placed.col + placed.cell.colspan):
                if text not in heads.setdefault(col, []):
                    heads[col].append(text)
    return {col: tuple(texts) for col, texts in heads.items()}


def _cells(table: Table, part: str, section: str) -> Iterator[_Fact]:
    columns = _columns(table)
    name = table.number or table.title
    seen: dict[tuple, int] = {}
    for line in table.grid[len(table.head) :]:
        label: list[str] = []
        code = ""
        after_number = False
        for placed in line:
            cell = placed.cell
            text = cell.text.strip()
            if cell.kind != "number":
                if after_number:  # a second label group in the row (01表: 收入 on the left, 支出 on the right)
                    label, code = [], ""
                if cell.kind == "code" and text:
                    code = text
                if text and not (text.isdigit() and len(text) <= 2):  # 行次 numbers name no row
                    label.append(text)
            after_number = cell.kind == "number"
            row = " ".join(label)
            column = columns.get(placed.col, ())
            ident = (table.key, code or row, column or (str(placed.col),))
            seen[ident] = seen.get(ident, 0) + 1
            yield _Fact(("cell", *ident, seen[ident]), Place(part, section, name, table.title, row, column), text, after_number)


def facts(document: Document, end: str) -> tuple[list[_Fact], list[_Fact]]:
    """The cells and the sentences of a Document, in reading order."""
    cells: list[_Fact] = []
    sentences: list[_Fact] = []
    part = section = ""
    for block in document.blocks:
        if isinstance(block, Heading):
            section = block.title
            if block.level == 1:
                part = block.title
        elif isinstance(block, Paragraph):
            for sentence in _sentences(block.text, end):
                sentences.append(_Fact(("sentence", sentence), Place(part, section), sentence, False))
        elif isinstance(block, Island) and isinstance(block.value, Table):
            cells.extend(_cells(block.value, part, section))
        elif isinstance(block, Island) and isinstance(block.value, Glossary):
            for entry in block.value.entries:
                text = f"{entry.term}{block.value.separator}{entry.text}"
                sentences.append(_Fact(("sentence", text), Place(part, section), text, False))
    return cells, sentences


def _numbers(text: str) -> list[str]:
    return _NUMBER.findall(text)


def _pairs(before: str, after: str) -> set[tuple[str, str]]:
    """The numbers that changed between two versions of a sentence, as (old, new) pairs."""
    old, new = _numbers(before), _numbers(after)
    found: set[tuple[str, str]] = set()
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag == "replace":
            found.update(zip(old[i1:i2], new[j1:j2], strict=False))
    return found


def compare(old: Document, new: Document, end: str) -> list[Change]:
    """The changes from `old` to `new`, in the new Document's reading order; [] when they read the same."""
    old_cells, old_sentences = facts(old, end)
    new_cells, new_sentences = facts(new, end)
    before = {f.key: f for f in old_cells}
    after = {f.key: f for f in new_cells}

    # Cells: changed in place; rows added or removed as whole rows.
    changed: list[Change] = []
    rows: dict[tuple, list[_Fact]] = {}
    for fact in new_cells:
        was = before.get(fact.key)
        if was is None:
            rows.setdefault(("added", fact.key[1], fact.key[2]), []).append(fact)
        elif was.text != fact.text:
            changed.append(Change("cell", fact.place, was.text, fact.text))
    for fact in old_cells:
        if fact.key not in after:
            rows.setdefault(("removed", fact.key[1], fact.key[2]), []).append(fact)
    row_changes = [
        Change(
            "row",
            max(cells, key=lambda f: len(f.place.row)).place,
            *(("", _row_text(cells)) if kind == "added" else (_row_text(cells), "")),
        )
        for (kind, _, _), cells in rows.items()
    ]

    # Sentences: aligned by text, so a sentence that only moved is no change.
    old_texts = [f.text for f in old_sentences]
    new_texts = [f.text for f in new_sentences]
    moved_in = set(old_texts)
    moved_out = set(new_texts)
    sentence_changes: list[Change] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old_texts, b=new_texts, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        olds = [f for f in old_sentences[i1:i2] if f.text not in moved_out]
        news = [f for f in new_sentences[j1:j2] if f.text not in moved_in]
        for k in range(max(len(olds), len(news))):
            o = olds[k] if k < len(olds) else None
            n = news[k] if k < len(news) else None
            place = (n or o).place  # type: ignore[union-attr]
            sentence_changes.append(Change("sentence", place, o.text if o else "", n.text if n else ""))

    # One change per (before, after) pair of cells, with the other cells and the sentences under it.
    groups: dict[tuple[str, str], list[Change]] = {}
    for change in changed:
        groups.setdefault((change.before, change.after), []).append(change)
    heads: list[Change] = []
    attached: dict[tuple[str, str], list[Change]] = {pair: [] for pair in groups}
    for sentence in sentence_changes:
        pair = _owner(sentence, groups)
        if pair is None:
            heads.append(sentence)
        else:
            attached[pair].append(sentence)
    for pair, cells in groups.items():
        heads.append(Change("cell", cells[0].place, pair[0], pair[1], tuple(cells[1:]) + tuple(attached[pair])))
    heads.extend(row_changes)
    order = _reading_order(new_cells, new_sentences, old_cells, old_sentences)
    return sorted(heads, key=lambda c: order.get((c.kind == "sentence", c.place, c.after or c.before), len(order)))


def _owner(sentence: Change, groups: dict[tuple[str, str], list[Change]]) -> tuple[str, str] | None:
    """The cell change a changed sentence shows (its changed number, or a changed name it holds)."""
    pairs = _pairs(sentence.before, sentence.after)
    for pair in groups:
        old, new = pair
        numeric = bool(_NUMBER.fullmatch(old.replace(",", ""))) and bool(_NUMBER.fullmatch(new.replace(",", "")))
        if numeric and pair in pairs:
            return pair
        if not numeric and old and new and (old in sentence.before or new in sentence.after):
            return pair
    return None


def _row_text(cells: list[_Fact]) -> str:
    return " ".join(f.text for f in cells if f.text)


def _reading_order(*lists: list[_Fact]) -> dict[tuple, int]:
    """The position of each (is sentence, place, text) in the new Document, then in the old one."""
    order: dict[tuple, int] = {}
    for facts_ in lists:
        for fact in facts_:
            order.setdefault((fact.key[0] == "sentence", fact.place, fact.text), len(order))
    return order
