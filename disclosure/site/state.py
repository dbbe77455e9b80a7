"""What a report was built from: input fingerprints, and the build state kept between runs.

A report is rebuilt only when its fingerprint changes: the bytes of its content files (and of
last year's folder, whose figures it quotes), of the templates and theme it uses, and of the
toolkit itself. File digests are cached by (size, mtime) so a no-op rebuild of a thousand
reports only stats files; a changed file is read and hashed again.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..read import catalogue_file, prior_folder
from ..read.format import EVALUATION_FOLDER
from ..resources import PACKAGE

STATE_FILE = ".disclosure-state.json"
STATE_VERSION = 1


def _digest_bytes(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@dataclass
class State:
    """The build state of one output folder: file digests and what each report was built from."""

    path: Path
    files: dict[str, list] = field(default_factory=dict)  # path → [size, mtime_ns, digest]
    reports: dict[str, dict] = field(default_factory=dict)  # report folder → record
    pages: dict[str, str] = field(default_factory=dict)  # site page → digest of what it was drawn from
    _seen: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, out: Path) -> State:
        path = out / STATE_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(path)
        if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
            return cls(path)
        return cls(path, dict(data.get("files", {})), dict(data.get("reports", {})), dict(data.get("pages", {})))

    def digest(self, path: Path | str, info: os.stat_result | None = None) -> str:
        """The digest of a file's bytes, recomputed only when its size or modification time changed."""
        key = os.fspath(path)
        self._seen.add(key)
        if info is None:
            try:
                info = os.stat(key)
            except OSError:
                return "missing"
        cached = self.files.get(key)
        if cached and cached[0] == info.st_size and cached[1] == info.st_mtime_ns:
            return cached[2]
        with open(key, "rb") as handle:
            value = _digest_bytes(handle.read())
        self.files[key] = [info.st_size, info.st_mtime_ns, value]
        return value

    def digest_tree(self, folder: Path) -> str:
        """One digest for every file under a folder (names and contents)."""
        parts = [
            f"{p.relative_to(folder).as_posix()}={self.digest(p)}"
            for p in sorted(folder.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts
        ]
        return _digest_bytes("\n".join(parts).encode("utf-8"))

    def save(self) -> None:
        """Write the state atomically, forgetting files that were not looked at in this run."""
        from .files import write_atomic

        files = {k: v for k, v in self.files.items() if k in self._seen} if self._seen else self.files
        data = {"version": STATE_VERSION, "files": files, "reports": self.reports, "pages": self.pages}
        write_atomic(self.path, json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8"))


def toolkit_digest(state: State) -> str:
    """The toolkit version and the digest of its code and bundled data (default templates and themes included)."""
    return f"{__version__}:{state.digest_tree(PACKAGE)}"


def _folder_files(folder: str) -> list[tuple[str, os.stat_result]]:
    """Every file of a report folder and its evaluations/, known or not (an unknown file is an error)."""
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith((".", "~$")):  # hidden files and Excel's lock file of an open workbook
                continue
            if entry.is_file():
                found.append((entry.path, entry.stat()))
            elif entry.name == EVALUATION_FOLDER and entry.is_dir():
                with os.scandir(entry.path) as inner:
                    found.extend((e.path, e.stat()) for e in inner if not e.name.startswith("."))
    return sorted(found)


def report_inputs(folder: Path, year: int) -> list[tuple[str, os.stat_result]]:
    """The content files a report of `year` is built from, with their stat: its own and, when present,
    last year's (found as reading finds it, by the manifest's year)."""
    files = _folder_files(os.fspath(folder))
    shared = catalogue_file(folder)
    if shared is not None and shared.parent != folder:  # a 科目表.yaml shared by several reports
        files.append((os.fspath(shared), shared.stat()))
    prior = prior_folder(folder, year)
    if prior is not None:
        files += _folder_files(os.fspath(prior))
    return files


def fingerprint(state: State, folder: Path, year: int, shared: Iterable[str]) -> str:
    """The fingerprint of one report: its input files and the shared digests (code, templates, theme)."""
    parts = [f"{path}={state.digest(path, info)}" for path, info in report_inputs(folder, year)]
    parts.extend(shared)
    return _digest_bytes("\n".join(parts).encode("utf-8"))
