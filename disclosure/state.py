"""What a report was built from: input fingerprints, and the build state kept between runs.

A report is rebuilt only when its fingerprint changes: the bytes of its content files (and of
last year's folder, whose figures it quotes), of the templates and theme it uses, and of the
toolkit itself. File digests are cached by (size, mtime) so a no-op rebuild of a thousand
reports only stats files; a changed file is read and hashed again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .content import is_report_folder
from .format import EVALUATION_FOLDER

PACKAGE = Path(__file__).resolve().parent
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
        return cls(path, dict(data.get("files", {})), dict(data.get("reports", {})))

    def digest(self, path: Path) -> str:
        """The digest of a file's bytes, recomputed only when its size or modification time changed."""
        key = str(path)
        self._seen.add(key)
        try:
            info = path.stat()
        except OSError:
            return "missing"
        cached = self.files.get(key)
        if cached and cached[0] == info.st_size and cached[1] == info.st_mtime_ns:
            return cached[2]
        value = _digest_bytes(path.read_bytes())
        self.files[key] = [info.st_size, info.st_mtime_ns, value]
        return value

    def digest_tree(self, folder: Path) -> str:
        """One digest for every file under a folder (names and contents)."""
        parts = [f"{p.relative_to(folder).as_posix()}={self.digest(p)}"
                 for p in sorted(folder.rglob("*")) if p.is_file() and "__pycache__" not in p.parts]
        return _digest_bytes("\n".join(parts).encode("utf-8"))

    def save(self) -> None:
        """Write the state atomically, forgetting files that were not looked at in this run."""
        from .output import write_atomic

        files = {k: v for k, v in self.files.items() if k in self._seen} if self._seen else self.files
        data = {"version": STATE_VERSION, "files": files, "reports": self.reports}
        write_atomic(self.path, json.dumps(data, ensure_ascii=False, sort_keys=True, indent=0).encode("utf-8"))


def toolkit_digest(state: State) -> str:
    """The toolkit version and the digest of its code and bundled data."""
    return f"{__version__}:{state.digest_tree(PACKAGE)}"


def _folder_files(folder: Path) -> list[Path]:
    """Every file of a report folder and its evaluations/, known or not (an unknown file is an error)."""
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    evaluations = folder / EVALUATION_FOLDER
    if evaluations.is_dir():
        files += sorted(p for p in evaluations.iterdir() if not p.name.startswith("."))
    return files


def report_inputs(folder: Path) -> list[Path]:
    """The content files a report is built from: its own and, when present, last year's."""
    files = _folder_files(folder)
    if folder.name.isdigit():
        prior = folder.parent / str(int(folder.name) - 1)
        if is_report_folder(prior):
            files += _folder_files(prior)
    return files


def fingerprint(state: State, folder: Path, shared: Iterable[str]) -> str:
    """The fingerprint of one report: its input files and the shared digests (code, templates, theme)."""
    parts = [f"{p.as_posix()}={state.digest(p)}" for p in report_inputs(folder)]
    parts.extend(shared)
    return _digest_bytes("\n".join(parts).encode("utf-8"))
