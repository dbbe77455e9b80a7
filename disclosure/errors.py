"""Locations, user errors and rule findings, all printed as `file:line: field.path: message`.

A value read from a spreadsheet is located by its cell instead of its line:
`file:sheet!cell: field.path: message`, and shows the cell's value where a YAML message shows its line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path


@dataclass(frozen=True, order=True)
class Location:
    """Where a value came from: file, 1-based line and column, and the field path in Chinese."""

    file: str
    line: int = 0
    column: int = 0
    path: str = ""
    sheet: str = ""  # a spreadsheet's sheet name, with `cell` (such as D14) and the cell's text as read
    cell: str = ""
    shown: str = ""

    def at(self, path: str) -> Location:
        """Return the same place with another field path."""
        return Location(self.file, self.line, self.column, path, self.sheet, self.cell, self.shown)

    def prefix(self) -> str:
        """Render `file:line: path` (or `file:sheet!cell: path`) for the start of a message."""
        if self.sheet:
            head = f"{self.file}:{self.sheet}!{self.cell}" if self.cell else f"{self.file}:{self.sheet}"
        else:
            head = f"{self.file}:{self.line}" if self.line else self.file
        return f"{head}: {self.path}" if self.path else head


def source_line(location: Location) -> str | None:
    """Return the text of the line a location points at, if the file can be read."""
    if not location.line:
        return None
    try:
        with open(location.file, encoding="utf-8-sig") as handle:
            for number, text in enumerate(handle, start=1):
                if number == location.line:
                    return text.rstrip("\n")
    except (OSError, UnicodeDecodeError):
        return None
    return None


def excerpt(location: Location) -> str:
    """Render the offending source line with a caret under its column (a cell: its value), or nothing."""
    if location.sheet:
        return f"  {location.sheet}!{location.cell} | {location.shown}" if location.cell else ""
    text = source_line(location)
    if text is None:
        return ""
    number = f"{location.line:>5} | "
    caret = ""
    if location.column:
        # Full-width characters take two cells in a terminal; keep the caret under the value.
        width = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text[: location.column - 1])
        caret = "\n" + " " * (len(number) + width) + "^"
    return f"{number}{text}{caret}"


class Severity(Enum):
    ERROR = "错误"
    WARNING = "警告"


class ReportError(Exception):
    """A problem in a user's files that stops the build of one report."""

    def __init__(self, location: Location, message: str):
        super().__init__(f"{location.prefix()}: {message}")
        self.location = location
        self.message = message

    def __reduce__(self) -> tuple[type[ReportError], tuple]:
        # Rebuilt from its two parts (the default would call ReportError(text) and fail in the
        # parent process), so a worker can send it back through the process pool.
        return (type(self), (self.location, self.message))

    @property
    def errors(self) -> tuple[ReportError, ...]:
        """Every single problem this error stands for (one, or several reported together)."""
        return (self,)

    def render(self, with_source: bool = True) -> str:
        """Return `file:line: path: 错误：message`, followed by the source line when it can be shown."""
        text = f"{self.location.prefix()}: {Severity.ERROR.value}：{self.message}"
        shown = excerpt(self.location) if with_source else ""
        return f"{text}\n{shown}" if shown else text


class ReportErrors(ReportError):
    """Several independent problems of the files (rows, fields, files), reported in one run."""

    def __init__(self, errors: Sequence[ReportError]):
        flat = tuple(single for error in errors for single in error.errors)
        if not flat:
            raise ValueError("ReportErrors needs at least one error")
        super().__init__(flat[0].location, flat[0].message)
        self._errors = flat

    def __reduce__(self) -> tuple[type[ReportError], tuple]:
        return (type(self), (self._errors,))

    @property
    def errors(self) -> tuple[ReportError, ...]:
        return self._errors

    def render(self, with_source: bool = True) -> str:
        return "\n".join(error.render(with_source) for error in self._errors)


def raise_all(problems: Sequence[ReportError]) -> None:
    """Raise the problems collected, one error or all of them together; nothing when there are none."""
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise ReportErrors(problems)


@dataclass(frozen=True)
class Finding:
    """One rule violation found by the checks; errors stop the build, warnings do not."""

    severity: Severity
    location: Location
    message: str
    rule: str = ""

    def render(self, with_source: bool = True) -> str:
        """Return `file:line: path: 错误：message` and the source line."""
        text = f"{self.location.prefix()}: {self.severity.value}：{self.message}"
        shown = excerpt(self.location) if with_source else ""
        return f"{text}\n{shown}" if shown else text

    def sort_key(self) -> tuple:
        return (self.location.file, self.location.line, self.location.column, self.message)


def error(location: Location, message: str, rule: str = "") -> Finding:
    """Make an error finding."""
    return Finding(Severity.ERROR, location, message, rule)


def warning(location: Location, message: str, rule: str = "") -> Finding:
    """Make a warning finding."""
    return Finding(Severity.WARNING, location, message, rule)


def display_path(path: Path, root: Path | None = None) -> str:
    """Show a file path relative to the working folder when possible (shorter messages)."""
    if root is None and not path.is_absolute() and ".." not in path.parts:
        return str(path)  # already relative to the working folder (the common, cheap case)
    base = root or Path.cwd()
    try:
        return str(path.resolve().relative_to(base.resolve()))
    except ValueError:
        return str(path)
