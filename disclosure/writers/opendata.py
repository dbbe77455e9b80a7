"""Document → open data: one CSV per public table (report-01.csv …) and every amount in long form (report.json).

A CSV is the table flattened: one header row naming each column by its whole header path
(本年支出-基本支出), then one row per body row, amounts with two decimals from the cell's exact
value, codes and names as printed. The JSON lists every amount of every table once, as the
reader of the table would name it: the row's 科目编码 and 科目名称 (or the 01/04 line and its
行次), the column's header path, the amount as a string with two decimals, and the unit,
department and year; the 01/04 halves and the three blocks of 06 thus come out as (row, column)
pairs, not grid positions. The derived figures of the narrative (占比, 增长率, 完成预算比例,
增减额) follow, each with its exact value, the text printed and the sentence it stands in. The
field names are the catalogue's (data/catalog.yaml 开放数据字段, 派生数字类型).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from decimal import Decimal

from ..amounts import format_amount
from ..catalog import FIGURE_KINDS, OPEN_DATA_FIELDS
from ..document import Document, Mention, Table
from ..document.table import Placed
from ..resources import Theme
from .xlsx import amount_of, public_tables

PATH_SEPARATOR = "-"  # between the levels of a column's header path: 本年支出-基本支出
BOM = "\ufeff"  # Excel reads a CSV as UTF-8 only when it starts with the byte-order mark


def _covering(table: Table) -> list[list[Placed | None]]:
    """For each grid position, the cell placed over it (None where a row is shorter than the grid)."""
    rows = len(table.rows)
    cover: list[list[Placed | None]] = [[None] * table.columns for _ in range(rows)]
    for line in table.grid:
        for p in line:
            for r in range(p.row, min(p.row + p.cell.rowspan, rows)):
                for c in range(p.col, min(p.col + p.cell.colspan, table.columns)):
                    cover[r][c] = p
    return cover


def _numbering_rows(table: Table) -> set[int]:
    """The head rows that number the columns (栏次: 1, 2, 3 …): they name no column."""
    return {r for r, line in enumerate(table.grid[: len(table.head)]) if any(p.cell.text.strip().isdigit() for p in line)}


def column_paths(table: Table) -> list[tuple[str, ...]]:
    """Each column's header path, top to bottom, as the head spans it.

    A heading that only groups the columns naming the rows (项目 over 科目编码 and 科目名称) is
    left out: it covers no numbered column, and the columns below it are told apart without it.
    Where it is needed to tell columns apart (06's 人员经费 over its 科目编码) it stays.
    """
    cover = _covering(table)
    numbering = _numbering_rows(table)
    head = [r for r in range(len(table.head)) if r not in numbering]
    numbered = {c for r in numbering for c in range(table.columns) if (p := cover[r][c]) and p.cell.text.strip().isdigit()}
    paths: list[list[Placed]] = []
    for c in range(table.columns):
        path: list[Placed] = []
        for r in head:
            p = cover[r][c]
            if p is not None and p.cell.text.strip() and (not path or path[-1] is not p):
                path.append(p)
        paths.append(path)
    leaves = [path[-1].cell.text.strip() if path else "" for path in paths]

    def needed(group: Placed) -> bool:
        below = range(group.col, min(group.col + group.cell.colspan, table.columns))
        if any(c in numbered for c in below):
            return True
        return any(leaves.count(leaves[c]) > 1 for c in below)

    return [tuple(p.cell.text.strip() for p in path if p is path[-1] or needed(p)) for path in paths]


def column_names(table: Table) -> list[str]:
    """The CSV header: each column's path joined, made distinct where two columns read the same (06's blocks)."""
    names: list[str] = []
    for path in column_paths(table):
        base = PATH_SEPARATOR.join(path)
        name, n = base, 1
        while name in names:
            n += 1
            name = f"{base}({n})"
        names.append(name)
    return names


def data_lines(table: Table) -> list[list[Placed]]:
    """The body rows that hold data: the one row of an empty table (本表无数据) is not one."""
    lines = table.grid[len(table.head) :]
    return [
        line
        for line in lines
        if not (
            len(line) == 1 and line[0].cell.kind == "text" and line[0].cell.colspan >= table.columns and not line[0].cell.value
        )
    ]


def _amount_text(value: Decimal) -> str:
    return format_amount(value, 2)


def flat_rows(table: Table) -> list[list[str]]:
    """The body as plain rows: amounts with two decimals, a row name spanning columns in the last of them.

    A name such as 合计 spans 科目编码 and 科目名称 in the printed table; flat, it sits in the
    科目名称 column, beside the amounts it names.
    """
    rows: list[list[str]] = []
    for line in data_lines(table):
        row = [""] * table.columns
        for p in line:
            amount = amount_of(p.cell)
            if amount is not None:
                row[p.col] = _amount_text(amount)
                continue
            col = p.col + max(1, min(p.cell.colspan, table.columns - p.col)) - 1 if p.cell.header else p.col
            row[col] = p.cell.text.strip()
        rows.append(row)
    return rows


def _csv(header: Sequence[str], rows: Sequence[Sequence[str]]) -> bytes:
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\r\n")
    out.writerow(header)
    out.writerows(rows)
    return (BOM + buffer.getvalue()).encode("utf-8")


def _file_of(table: Table, suffix: str) -> str:
    return f"report-{table.key.removeprefix('t')}{suffix}"


def write_csv(document: Document, theme: Theme | None = None) -> dict[str, bytes]:
    """One CSV per public table (report-01.csv …), UTF-8 with a byte-order mark so Excel opens it."""
    return {_file_of(t, ".csv"): _csv(column_names(t), flat_rows(t)) for t in public_tables(document)}


# ---------------------------------------------------------------------------- JSON


def _row_of(line: Sequence[Placed], amount_at: int) -> tuple[str, str, str]:
    """The 行次, 科目编码 and 科目名称 of the amount at a grid column: read leftwards from it.

    The nearest row name to the left names the amount (in 01 and 04 that is the name of its own
    half, in 06 of its own block); the code right before that name is its code, and a line
    number between the two is its 行次.
    """
    before = sorted((p for p in line if p.col < amount_at), key=lambda p: p.col, reverse=True)
    line_number = ""
    for i, p in enumerate(before):
        cell = p.cell
        if cell.kind == "number" and cell.value is None and not line_number:
            line_number = cell.text.strip()
        elif cell.header:
            left = before[i + 1] if i + 1 < len(before) else None
            code = left.cell.text.strip() if left is not None and left.cell.kind == "code" else ""
            return line_number, code, cell.text.strip()
    return line_number, "", ""


def amount_records(table: Table, meta: Mapping[str, str]) -> list[dict[str, object]]:
    """Every amount of a table, one record each, in reading order (row by row, left to right)."""
    f = OPEN_DATA_FIELDS
    paths = column_paths(table)
    year = meta.get("year", "")
    records: list[dict[str, object]] = []
    for line in data_lines(table):
        for p in line:
            amount = amount_of(p.cell)
            if amount is None:
                continue
            line_number, code, name = _row_of(line, p.col)
            records.append(
                {
                    f["table"]: table.number,
                    f["line"]: line_number,
                    f["code"]: code,
                    f["name"]: name,
                    f["column"]: PATH_SEPARATOR.join(paths[p.col]),
                    f["amount"]: _amount_text(amount),
                    f["unit"]: meta.get("unit", ""),
                    f["department"]: meta.get("department", ""),
                    f["year"]: int(year) if year.isdigit() else year,
                }
            )
    return records


def figure_record(mention: Mention) -> dict[str, object]:
    """A derived figure of the narrative: its kind, exact value, the text printed, its sentence and section."""
    f = OPEN_DATA_FIELDS
    return {
        f["kind"]: FIGURE_KINDS[mention.kind],
        f["value"]: str(mention.value),
        f["text"]: mention.text,
        f["sentence"]: mention.sentence,
        f["section"]: mention.section,
    }


def open_data(document: Document) -> dict[str, list[object]]:
    """The content of report.json: the tables, every amount in long form, the narrative's derived figures."""
    f = OPEN_DATA_FIELDS
    tables = public_tables(document)
    data: dict[str, list[object]] = {
        f["tables"]: [
            {f["table"]: t.number, f["title"]: t.title, f["note"]: t.note, f["empty_note"]: t.empty_note} for t in tables
        ],
        f["amounts"]: [record for t in tables for record in amount_records(t, document.meta)],
        f["figures"]: [figure_record(m) for m in document.figures],
    }
    return data


def _dump(data: Mapping[str, object]) -> str:
    """JSON with one record a line: short enough to read and to diff, whatever the number of amounts."""
    parts: list[str] = []
    for key, value in data.items():
        items = value if isinstance(value, list) else [value]
        lines = ",\n".join(f"  {json.dumps(item, ensure_ascii=False)}" for item in items)
        parts.append(f" {json.dumps(key, ensure_ascii=False)}: " + (f"[\n{lines}\n ]" if items else "[]"))
    return "{\n" + ",\n".join(parts) + "\n}\n"


def write_json(document: Document, theme: Theme | None = None) -> bytes:
    """report.json: UTF-8, Chinese as is, keys in a fixed order; same document, same bytes."""
    return _dump(open_data(document)).encode("utf-8")
