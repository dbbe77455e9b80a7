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
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..read import folder_name_problem, prior_folder
from ..read.format import CATALOGUE_FILE, EVALUATION_FOLDER
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

    notice: str = ""  # why the state on disk was not used, said once by the build

    @classmethod
    def load(cls, out: Path) -> State:
        """The state of the last build, or an empty one (a full rebuild) when it is absent or unreadable."""
        path = out / STATE_FILE
        try:
            data = json.loads(path.read_bytes().decode("utf-8"))
        except FileNotFoundError:
            return cls(path)
        except (OSError, ValueError) as exc:
            return cls(
                path, notice=_ignored(path, (exc.strerror or "无法读取") if isinstance(exc, OSError) else "不是有效的 JSON")
            )
        if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
            return cls(path, notice=_ignored(path, "版本不同或内容不对") if data != {} else "")
        try:
            files, reports, pages = _valid(data)
        except (TypeError, ValueError, KeyError, AttributeError):
            return cls(path, notice=_ignored(path, "内容不完整"))
        return cls(path, files, reports, pages)

    def digest(self, path: Path | str, info: os.stat_result | None = None) -> str:
        """The digest of a file's bytes, recomputed only when its size or modification time changed."""
        key = os.fspath(path)
        self._seen.add(key)
        if info is None:
            try:
                info = os.stat(key)
            except OSError:
                return "missing"
        if not stat.S_ISREG(info.st_mode):
            # A folder, a FIFO (opening it would wait forever), a socket: never opened; reading the
            # report says what it is, and a change of kind changes the fingerprint.
            return f"not-a-file:{stat.S_IFMT(info.st_mode)}"
        cached = self.files.get(key)
        if cached and cached[0] == info.st_size and cached[1] == info.st_mtime_ns:
            return cached[2]
        try:
            with open(key, "rb") as handle:
                value = _digest_bytes(handle.read())
        except OSError as exc:  # unreadable: the build of the report says so; retried next time
            return f"unreadable:{exc.errno}:{info.st_mtime_ns}"
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

    def save(self, prune: bool = True) -> None:
        """Write the state atomically; with `prune` (a build that looked at every report), forgetting
        the files it did not look at. A build of some folders keeps every other report's digests, so
        the next whole build reads none of their files again."""
        from .files import write_atomic

        files = {k: v for k, v in self.files.items() if k in self._seen} if self._seen and prune else self.files
        data = {"version": STATE_VERSION, "files": files, "reports": self.reports, "pages": self.pages}
        write_atomic(self.path, json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8"))


def _ignored(path: Path, why: str) -> str:
    return f"{path} 无法使用（{why}），本次全部重新生成；内容未变的文件不会改写"


def _of(kind: type, value: object) -> Any:
    """The value when it is of the kind a build reads, else a TypeError (the whole state is then ignored)."""
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise TypeError(f"{kind.__name__} expected")
    return value


def _texts(value: object) -> list[str]:
    return [_of(str, item) for item in _of(list, value)]


def _valid(data: dict) -> tuple[dict[str, list], dict[str, dict], dict[str, str]]:
    """The parts of a state file, each checked to have the shape a build reads (else an exception)."""
    files = {}
    for key, value in _of(dict, data.get("files", {})).items():
        size, mtime, digest = _of(list, value)
        files[key] = [_of(int, size), _of(int, mtime), _of(str, digest)]
    reports: dict[str, dict] = {}
    for key, record in _of(dict, data.get("reports", {})).items():
        _of(dict, record)
        entry = _of(dict, record["entry"])
        slug = _of(str, entry["slug"])
        if folder_name_problem(slug):
            raise ValueError("not a department folder name")
        checked: dict[str, Any] = {
            "fingerprint": _of(str, record["fingerprint"]),
            "entry": {
                "slug": slug,
                "year": _of(int, entry["year"]),
                **{name: _of(str, entry[name]) for name in ("department", "title", "kind", "date")},
                "formats": _texts(entry["formats"]),
            },
        }
        if "manifest" in record:
            checked["manifest"] = _of(str, record["manifest"])
        if "look" in record:
            checked["look"] = _of(list, record["look"])
        if "files" in record:
            checked["files"] = _texts(record["files"])
        reports[key] = checked
    pages = {key: _of(str, value) for key, value in _of(dict, data.get("pages", {})).items()}
    return files, reports, pages


def toolkit_digest(state: State) -> str:
    """The toolkit version and the digest of its code and bundled data (default templates and themes included)."""
    return f"{__version__}:{state.digest_tree(PACKAGE)}"


def _stat(entry: os.DirEntry) -> os.stat_result:
    """The stat of an entry, through a link; a broken or looping link, or one unreadable, as the link itself."""
    try:
        return entry.stat()
    except OSError:
        return entry.stat(follow_symlinks=False)


def _folder_files(folder: str) -> list[tuple[str, os.stat_result]]:
    """Every entry of a report folder and its evaluations/, known or not (an unknown file is an error).

    Only a regular file is ever opened for its digest; any other entry (a backup folder in
    evaluations/, a FIFO, a link to nowhere) counts by its kind, so the report is rebuilt and
    says what is wrong, and no other report is held up.
    """
    found: list[tuple[str, os.stat_result]] = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.startswith((".", "~$")):  # hidden files and Excel's lock file of an open workbook
                    continue
                if entry.name == EVALUATION_FOLDER and entry.is_dir():
                    try:
                        with os.scandir(entry.path) as inner:
                            found.extend((e.path, _stat(e)) for e in inner if not e.name.startswith("."))
                    except OSError:
                        found.append((entry.path, _stat(entry)))
                elif not entry.is_dir(follow_symlinks=False) or entry.is_symlink():
                    found.append((entry.path, _stat(entry)))
    except OSError:
        pass  # an unreadable report folder: reading it says so
    return sorted(found, key=lambda item: item[0])


def report_inputs(folder: Path, year: int) -> list[tuple[str, os.stat_result]]:
    """The content files a report of `year` is built from, with their stat: its own and, when present,
    last year's (found as reading finds it, by the manifest's year)."""
    own = os.fspath(folder)
    files = _folder_files(own)
    if not any(os.path.basename(path) == CATALOGUE_FILE for path, _ in files):
        # A 科目表.yaml shared by several reports: in the department's folder or the content folder
        # (the same places reading looks, read/folder.py's catalogue_file).
        for place in (os.path.dirname(own), os.path.dirname(os.path.dirname(own))):
            shared = os.path.join(place, CATALOGUE_FILE)
            if os.path.isfile(shared):
                files.append((shared, os.stat(shared)))
                break
    prior = prior_folder(folder, year)
    if prior is not None:
        files += _folder_files(os.fspath(prior))
    return files


def fingerprint(state: State, folder: Path, year: int, shared: Iterable[str]) -> str:
    """The fingerprint of one report: its input files and the shared digests (code, templates, theme)."""
    parts = [f"{path}={state.digest(path, info)}" for path, info in report_inputs(folder, year)]
    parts.extend(shared)
    return _digest_bytes("\n".join(parts).encode("utf-8"))
