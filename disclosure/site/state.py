"""What a report was built from: input fingerprints, and the build state kept between runs.

A report is rebuilt only when its fingerprint changes: the bytes of its content files (and of
last year's folder, whose figures it quotes), of the templates and theme it uses, and of the
toolkit itself. Each report keeps a stamp of its input files' names, sizes, modification times
and kinds: while the stamp is the same, the digest of their bytes kept with it stands, so a
no-op rebuild of ten thousand reports only lists and stats their files and holds one short
record per report (no table of every file). When the stamp differs, the report's files are read
and hashed again, and a file touched but not changed leaves the fingerprint as it was. The
shared folders (the toolkit, templates, themes) keep a digest per file, cached by (size, mtime).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..read import folder_name_problem
from ..read.folder import MANIFEST_FILE, prior_candidate
from ..read.format import CATALOGUE_FILE, EVALUATION_FOLDER
from ..resources import PACKAGE

STATE_FILE = ".disclosure-state.json"
STATE_VERSION = 2


def _digest_bytes(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@dataclass
class State:
    """The build state of one output folder: file digests and what each report was built from."""

    path: Path
    files: dict[str, list] = field(default_factory=dict)  # shared file → [size, mtime_ns, digest]
    reports: dict[str, dict] = field(default_factory=dict)  # report folder → record (see _record)
    pages: dict[str, str] = field(default_factory=dict)  # site page → digest of what it was drawn from
    _seen: set[str] = field(default_factory=set)

    notice: str = ""  # why the state on disk was not used, said once by the build
    dirty: bool = False  # whether anything differs from the state on disk (else saving writes nothing)

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

    def digest(self, path: str) -> str:
        """The digest of a shared file's bytes, recomputed only when its size or modification time changed."""
        self._seen.add(path)
        try:
            info = os.stat(path)
        except OSError:
            return "missing"
        cached = self.files.get(path)
        if cached and cached[0] == info.st_size and cached[1] == info.st_mtime_ns and stat.S_ISREG(info.st_mode):
            return cached[2]
        value = _file_digest(path, info)
        if stat.S_ISREG(info.st_mode) and not value.startswith("unreadable:"):
            self.files[path] = [info.st_size, info.st_mtime_ns, value]
            self.dirty = True
        return value

    def digest_tree(self, folder: Path) -> str:
        """One digest for every file under a folder (names and contents)."""
        top = os.fspath(folder)
        parts = []
        for here, subfolders, names in os.walk(top):
            subfolders[:] = [name for name in subfolders if name != "__pycache__"]
            for name in names:
                path = os.path.join(here, name)
                if os.path.isfile(path):
                    parts.append(f"{os.path.relpath(path, top).replace(os.sep, '/')}={self.digest(path)}")
        return _digest_bytes("\n".join(sorted(parts)).encode("utf-8", "surrogateescape"))

    def save(self, prune: bool = True) -> None:
        """Write the state atomically, unless nothing changed; with `prune` (a build that looked at every
        report), forgetting the shared files it did not look at. Every report's record stays until its
        folder is gone, so after a build of some folders the next whole build reads none of the other
        reports' files again."""
        from .files import write_atomic

        files = {k: v for k, v in self.files.items() if k in self._seen} if self._seen and prune else self.files
        if not self.dirty and len(files) == len(self.files) and self.path.is_file():
            return  # nothing changed since it was read: a no-op build writes nothing
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
    reports = {key: _record(record) for key, record in _of(dict, data.get("reports", {})).items()}
    pages = {key: _of(str, value) for key, value in _of(dict, data.get("pages", {})).items()}
    return files, reports, pages


_ENTRY_TEXTS = ("slug", "department", "title", "kind", "date")
_LOOK = [str, str, int, str, str]  # profile, theme, year, department, kind


def _all_texts(value: object) -> bool:
    return type(value) is list and all(type(item) is str for item in value)


def _record(record: Any) -> dict:
    """One report's record as a build reads it (else an exception): what it was built from (fingerprint;
    the stamp of its input files and the digest of their bytes), its report.yaml ([size, mtime, digest]) and
    what the plan reads of it (look: [profile, theme, year, department, kind]), its index entry and the
    files the build made, with the modification time of the folder they are in (made). Checked in one
    expression: a state file holds ten thousand of them."""
    if type(record) is not dict:
        raise TypeError("a record expected")
    manifest, look, entry = record["manifest"], record["look"], record["entry"]
    if not (
        type(record["fingerprint"]) is str
        and type(record["stamp"]) is str
        and type(record["inputs"]) is str
        and type(manifest) is list
        and [type(v) for v in manifest] == [int, int, str]
        and type(look) is list
        and [type(v) for v in look] == _LOOK
        and type(entry) is dict
        and all(type(entry[name]) is str for name in _ENTRY_TEXTS)
        and type(entry["year"]) is int
        and _all_texts(entry["formats"])
        and type(entry.get("corrections", [])) is list
        and all(_all_texts(pair) for pair in entry.get("corrections", []))
        and _all_texts(record["files"])
        and type(record["made"]) is int
    ):
        raise TypeError("not a record of a build")
    if folder_name_problem(entry["slug"]):
        raise ValueError("not a department folder name")
    return record


def toolkit_digest(state: State) -> str:
    """The toolkit version and the digest of its code and bundled data (default templates and themes included)."""
    return f"{__version__}:{state.digest_tree(PACKAGE)}"


Listing = list[tuple[str, os.stat_result]]


def _stat(entry: os.DirEntry) -> os.stat_result:
    """The stat of an entry, through a link; a broken or looping link, or one unreadable, as the link itself."""
    try:
        return entry.stat()
    except OSError:
        return entry.stat(follow_symlinks=False)


def _folder_files(folder: str, listed: Iterable[os.DirEntry] | None = None) -> tuple[Listing, bool, bool]:
    """Every entry of a report folder and its evaluations/, known or not (an unknown file is an error),
    and whether the folder has a report.yaml and a 科目表.yaml of its own.

    Only a regular file is ever opened for its digest; any other entry (a backup folder in
    evaluations/, a FIFO, a link to nowhere) counts by its kind, so the report is rebuilt and
    says what is wrong, and no other report is held up.
    """
    found: Listing = []
    names: set[str] = set()
    prefix = folder if folder.endswith(os.sep) else folder + os.sep  # os.path.join, for ten entries a folder
    try:
        # The entries discovery listed (`listed`), or the folder's own; paths as listing `folder` gives them.
        with contextlib.nullcontext(listed) if listed is not None else os.scandir(folder) as entries:
            for entry in entries:
                name = entry.name
                if name.startswith((".", "~$")):  # hidden files and Excel's lock file of an open workbook
                    continue
                path = prefix + name
                if name == EVALUATION_FOLDER and entry.is_dir():
                    try:
                        with os.scandir(path) as inner:
                            found.extend((e.path, _stat(e)) for e in inner if not e.name.startswith("."))
                    except OSError:
                        found.append((path, _stat(entry)))
                elif not entry.is_dir(follow_symlinks=False) or entry.is_symlink():
                    info = _stat(entry)
                    found.append((path, info))
                    if stat.S_ISREG(info.st_mode):
                        names.add(name)
    except OSError:
        pass  # an unreadable report folder: reading it says so
    found.sort()  # by path (no two entries share one)
    return found, MANIFEST_FILE in names, CATALOGUE_FILE in names


class Lister:
    """The input files of reports, for one build: each folder listed once (last year's folder is a
    report of the build too), each shared 科目表.yaml looked for once per folder. Only the listings
    of one department's folder are kept (reports come in order: its years one after another)."""

    def __init__(self, listed: dict[str, list[os.DirEntry]] | None = None) -> None:
        self.folders: dict[str, tuple[Listing, bool, bool]] = {}
        self.catalogues: dict[str, tuple[str, os.stat_result] | None] = {}
        self.department = ""
        self.listed = listed if listed is not None else {}  # folders discovery listed already (taken once)

    def _files(self, folder: str) -> tuple[Listing, bool, bool]:
        if folder not in self.folders:
            self.folders[folder] = _folder_files(folder, self.listed.pop(folder, None))
        return self.folders[folder]

    def inputs(self, folder: Path, year: int) -> Listing:
        """The content files a report of `year` is built from, with their stat: its own and, when
        present, last year's (found as reading finds it, by the manifest's year: prior_folder)."""
        own = os.fspath(folder)
        department = os.path.dirname(own)
        if department != self.department:
            self.folders.clear()  # another department's folder: the last one's years are done
            self.department = department
        listing, _, catalogue = self._files(own)
        files = list(listing)
        if not catalogue:
            # A 科目表.yaml shared by several reports: in the department's folder or the content folder
            # (the same places reading looks, read/folder.py's catalogue_file).
            for place in (department, os.path.dirname(department)):
                if place not in self.catalogues:
                    path = os.path.join(place, CATALOGUE_FILE)
                    self.catalogues[place] = (path, os.stat(path)) if os.path.isfile(path) else None
                shared = self.catalogues[place]
                if shared is not None:
                    files.append(shared)
                    break
        prior = prior_candidate(own, year)
        if prior is None:
            return files
        if prior in self.folders:  # listed already (as a report of this build): no need to ask again
            prior_files, report, _ = self.folders[prior]
            if report:
                files += prior_files
        elif os.path.isfile(os.path.join(prior, MANIFEST_FILE)):  # a report folder, as prior_folder says
            files += self._files(prior)[0]
        return files


def stamp(listing: Listing) -> str:
    """What a listing's files look like without reading them: names, sizes, modification times, kinds."""
    return _digest_bytes(
        "\n".join(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_mode}" for path, info in listing).encode(
            "utf-8", "surrogateescape"
        )
    )


def read_inputs(listing: Listing) -> dict[str, str]:
    """The digest of each listed file's bytes, read now (a folder, a FIFO or an unreadable file by what it is)."""
    return {path: _file_digest(path, info) for path, info in listing}


def _file_digest(path: str, info: os.stat_result) -> str:
    if not stat.S_ISREG(info.st_mode):
        # A folder, a FIFO (opening it would wait forever), a socket: never opened; reading the
        # report says what it is, and a change of kind changes the fingerprint.
        return f"not-a-file:{stat.S_IFMT(info.st_mode)}"
    try:
        with open(path, "rb") as handle:
            return _digest_bytes(handle.read())
    except OSError as exc:  # unreadable: the build of the report says so; retried next time
        return f"unreadable:{exc.errno}:{info.st_mtime_ns}"


def inputs_digest(digests: dict[str, str]) -> str:
    """One digest of a report's own input files (names and bytes)."""
    return _digest_bytes("\n".join(f"{path}={value}" for path, value in digests.items()).encode("utf-8", "surrogateescape"))


def fingerprint(inputs: str, shared: Iterable[str]) -> str:
    """The fingerprint of one report: the digest of its input files and the shared digests (code, templates, theme)."""
    return _digest_bytes("\n".join((inputs, *shared)).encode("utf-8"))


def same_file(path: Path, known: list) -> bool:
    """Whether a file still holds the bytes known as [size, mtime_ns, digest] (read only when its stat differs)."""
    try:
        info = os.stat(path)
    except OSError:
        return False
    if [info.st_size, info.st_mtime_ns] == known[:2]:
        return True
    return _file_digest(os.fspath(path), info) == known[2]
