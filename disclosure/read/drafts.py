"""The marks a draft's files carry: “# 待填写：…” (still to fill in) and “# 沿用上年：…” (carried over, to reread).

`build.py new` writes these comment lines above what it emptied or copied from last year; the
checks report each one, at its line and with the field under it, until the user deletes it: a
待填写 line is an error (the report is not published with it), a 沿用上年 line a warning.

A 待填写 line holds back the other checks of what it covers (the key below it and everything
indented under that key; the whole rest of the file when a blank line follows the mark): an
empty table's sums and reasons are checked once it is filled in and the mark deleted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from ..errors import Finding, Location, display_path, error, warning

TODO = "待填写"
CARRIED = "沿用上年"
_MARK = re.compile(rf"^\s*#\s*({TODO}|{CARRIED})[：:]\s*(.*?)\s*$")
_KEY = re.compile(r"^\s*(?:-\s+)?([^#\s:{}\[\]][^:#]*?)\s*:(?:\s|$)")


def mark_line(kind: str, text: str, indent: int = 0) -> str:
    """The comment line that marks what follows it (kind is TODO or CARRIED)."""
    return f"{'  ' * indent}# {kind}：{text}"


def _field_below(lines: list[str], index: int) -> str:
    """The key of the first content line below a mark (the field the mark is about)."""
    for line in lines[index + 1 :]:
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = _KEY.match(line)
        return match.group(1) if match else ""
    return ""


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _covered(lines: list[str], index: int) -> tuple[int, int]:
    """The lines (1-based, inclusive) a 待填写 mark at `index` covers."""
    below = index + 1
    if below < len(lines) and not lines[below].strip():
        return index + 1, len(lines)
    while below < len(lines) and (not lines[below].strip() or lines[below].lstrip().startswith("#")):
        below += 1
    if below >= len(lines):
        return index + 1, index + 1
    depth, end = _indent(lines[below]), below + 1
    while end < len(lines) and (not lines[end].strip() or lines[end].lstrip().startswith("#") or _indent(lines[end]) > depth):
        end += 1
    return index + 1, end


Span = tuple[str, int, int]  # file, first and last line a 待填写 mark covers


def file_marks(text: str, shown: str) -> tuple[list[Finding], list[Span]]:
    """The marks of one file's text, as findings at their lines, and the lines the 待填写 marks cover."""
    if TODO not in text and CARRIED not in text:  # the common case: a finished file
        return [], []
    lines = text.split("\n")
    found: list[Finding] = []
    spans: list[Span] = []
    for index, line in enumerate(lines):
        match = _MARK.match(line)
        if match is None:
            continue
        kind, said = match.groups()
        where = Location(shown, index + 1, line.index("#") + 1, _field_below(lines, index))
        if kind == TODO:
            found.append(error(where, f"尚未填写：{said}（填好后删除这一行注释）", "DRAFT"))
            spans.append((shown, *_covered(lines, index)))
        else:
            found.append(warning(where, f"沿用了上年的内容，请核对：{said}（核对、改写后删除这一行注释）", "CARRIED"))
    return found, spans


def held_back(findings: Iterable[Finding], spans: Iterable[Span]) -> list[Finding]:
    """The findings outside every part a 待填写 mark covers."""
    by_file: dict[str, list[tuple[int, int]]] = {}
    for file, first, last in spans:
        by_file.setdefault(file, []).append((first, last))
    if not by_file:
        return list(findings)
    return [f for f in findings if not any(first <= f.location.line <= last for first, last in by_file.get(f.location.file, ()))]


def draft_marks(folder: Path, names: list[str]) -> tuple[tuple[Finding, ...], tuple[Span, ...]]:
    """Every mark in a report folder's YAML files (the named ones and evaluations/*.yaml)."""
    paths = [folder / name for name in names]
    evaluations = folder / "evaluations"
    if evaluations.is_dir():
        paths += sorted(p for p in evaluations.iterdir() if p.suffix == ".yaml" and not p.name.startswith("."))
    found: list[Finding] = []
    spans: list[Span] = []
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue  # reading the file proper reports the problem
        marks, covered = file_marks(text, display_path(path))
        found += marks
        spans += covered
    return tuple(found), tuple(spans)
