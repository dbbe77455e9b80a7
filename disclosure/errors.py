"""Locations, user errors and rule findings, all printed as `file:line: field.path: message`.

A value read from a spreadsheet is located by its cell instead of its line:
`file:sheet!cell: field.path: message`, and shows the cell's value where a YAML message shows its line.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
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


# YAML's line breaks, as libyaml counts lines (str.splitlines() knows more, a text file fewer).
LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_SHOWN_BYTES = 5_000_000


def _text_of(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            pass
    return raw.decode("utf-8", errors="replace")


def source_line(location: Location) -> str | None:
    """Return the text of the line a location points at, if the file can be read (only a regular file is)."""
    if not location.line:
        return None
    try:
        handle = os.open(location.file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode) or info.st_size > _SHOWN_BYTES:
            return None
        with os.fdopen(handle, "rb", closefd=False) as stream:
            raw = stream.read(_SHOWN_BYTES)
    except OSError:
        return None
    finally:
        os.close(handle)
    lines = LINE_BREAK.split(_text_of(raw))
    if lines[-1] == "":  # the break that ends the last line starts no line of its own
        lines.pop()
    return lines[location.line - 1] if location.line <= len(lines) else None


# Control characters never reach a terminal from a message: a file's text could otherwise move
# the cursor or recolour the screen. C0 controls show as their Unicode pictures (␇), others as \x.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Text safe to print on a terminal: line breaks and tabs kept, every other control character made visible."""

    def shown(found: re.Match[str]) -> str:
        char = found.group()
        code = ord(char)
        if code < 0x20:
            return chr(0x2400 + code)
        if code == 0x7F:
            return "\u2421"
        return f"<U+{code:04X}>"

    return _CONTROL.sub(shown, text)


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
        return printable(f"{text}\n{shown}" if shown else text)


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
        return printable(f"{text}\n{shown}" if shown else text)

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
    # Lexically first: a path that is a link (even one looping to itself) is shown as the user named it.
    lexical = os.path.relpath(os.path.abspath(path), os.path.abspath(base))
    if not lexical.startswith(".."):
        return lexical
    try:
        return str(_real(path).relative_to(_real_folder(os.path.abspath(base))))
    except (ValueError, OSError, RuntimeError):  # RuntimeError: Python 3.11's resolve() on a link loop
        return str(path)


def _real(path: Path) -> Path:
    """path.resolve(), through the remembered real path of its folder when the file itself is no link.

    A report's files lie in a few folders, and resolving a whole path costs a stat per component:
    for a content folder given by an absolute path outside the working folder, that was a tenth of
    the cost of reading a report.
    """
    absolute = os.path.abspath(path)
    folder, name = os.path.split(absolute)
    if not name or ".." in path.parts or os.path.islink(absolute):  # ".." after a link is not lexical
        return path.resolve()
    return _real_folder(folder) / name


@lru_cache(maxsize=1024)
def _real_folder(folder: str) -> Path:
    """The real path of a folder (an absolute path); a link changed while a process runs (`serve`)
    shows a message's file by its old real path, nothing else."""
    return Path(folder).resolve()
