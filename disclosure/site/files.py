"""Write the output: atomically, a report's files swapped in together, readable by a web server, one build at a time.

A single file is written to a temporary file beside it and renamed over it. A report's files
are written to a staging folder beside the report's folder, which is then exchanged with it in
one rename, so a reader (or a build killed at any point) sees either the whole old report or the
whole new one, never a new report.html beside an old report.docx. Whatever the umask, published
folders are 0755 and files 0644, so a web server running as another user can read them. A lock
file in out/ keeps a second build off the same folder.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

FILE_MODE = 0o644
FOLDER_MODE = 0o755
STAGING = ".staging"  # the suffix of a staging folder: .2024.<random>.staging beside 2024/
OLD = ".old"
LOCK_FILE = ".disclosure.lock"


class Busy(Exception):
    """Another build holds the lock on this output folder."""

    def __init__(self, holder: str):
        super().__init__(holder)
        self.holder = holder


def make_folders(path: Path) -> None:
    """Create a folder and its missing parents, each 0755 whatever the umask."""
    missing = []
    while not path.is_dir():
        missing.append(path)
        path = path.parent
    for folder in reversed(missing):
        try:
            folder.mkdir()
        except FileExistsError:
            if not folder.is_dir():
                raise
            continue
        os.chmod(folder, FOLDER_MODE)


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _write_new(path: Path, data: bytes) -> None:
    with open(path, "xb") as stream:
        stream.write(data)
    os.chmod(path, FILE_MODE)


def write_atomic(path: Path, data: bytes) -> bool:
    """Write bytes to a temporary file beside `path` and rename it over; skip identical content.

    Returns True when the file was (re)written, False when it already held these bytes, so an
    unchanged report keeps its modification time and a web server's caches stay valid.
    """
    if _same(path, data):
        return False
    make_folders(path.parent)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, FILE_MODE)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True


def _keep(source: str, target: Path) -> None:
    """Put an unchanged file into the staging folder: a hard link keeps its bytes and its time."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
        os.chmod(target, FILE_MODE)


def publish(folder: Path, files: Mapping[str, bytes]) -> list[str]:
    """Put a report's files into its folder all at once; return the names whose bytes changed.

    The files the folder already holds and this build does not make (a format an earlier build
    made) are kept. Nothing is touched when every file already holds its bytes.
    """
    changed = [name for name, data in files.items() if not _same(folder / name, data)]
    if not changed:
        return []
    make_folders(folder.parent)
    clear_staging(folder)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=STAGING, dir=folder.parent))
    try:
        os.chmod(staging, FOLDER_MODE)
        if folder.is_dir():
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.is_file(follow_symlinks=False) and (entry.name not in files or entry.name not in changed):
                        _keep(entry.path, staging / entry.name)
        for name in changed:
            _write_new(staging / name, files[name])
        _swap(staging, folder)
        _carry_over(staging, folder)
    finally:
        if staging.exists():  # after an exchange it holds the old version; after a failure, the new one
            shutil.rmtree(staging, ignore_errors=True)
    return changed


def _carry_over(old: Path, new: Path) -> None:
    """Move what the old version held besides files (a folder someone put there, a link) into the new one."""
    try:
        entries = [e for e in os.scandir(old) if not e.is_file(follow_symlinks=False) or e.is_symlink()]
    except OSError:
        return
    for entry in entries:
        if not os.path.lexists(new / entry.name):
            os.rename(entry.path, new / entry.name)


def clear_staging(folder: Path) -> None:
    """Clear what a killed build left beside a report's folder (only one build runs: the lock).

    A staging folder is removed; an old version moved aside in the instant between two renames
    is put back when the report's folder is missing.
    """
    try:
        entries = sorted(e.name for e in os.scandir(folder.parent) if e.is_dir(follow_symlinks=False))
    except OSError:
        return
    for name in entries:
        if not (name.startswith(f".{folder.name}.") and name.endswith(STAGING)):
            continue
        path = folder.parent / name
        if name.endswith(OLD + STAGING) and not folder.exists():
            os.rename(path, folder)
        else:
            shutil.rmtree(path, ignore_errors=True)


def clear_all_staging(out: Path) -> None:
    """Clear every report folder's leftovers under out/<department>/ (at the start of a build, under the lock)."""
    try:
        departments = [e.path for e in os.scandir(out) if e.is_dir(follow_symlinks=False) and not e.name.startswith(".")]
    except OSError:
        return
    for department in departments:
        try:
            names = {e.name for e in os.scandir(department) if e.name.startswith(".") and e.name.endswith(STAGING)}
        except OSError:
            continue
        for report in sorted({name[1:].split(".", 1)[0] for name in names}):
            clear_staging(Path(department) / report)


_RENAME_EXCHANGE = 2  # linux/fs.h


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux renameat2 RENAME_EXCHANGE); False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False  # a file system without exchange (some network file systems): two renames
    raise OSError(code, os.strerror(code), str(b))


def _swap(staging: Path, folder: Path) -> None:
    """Put the staging folder in the place of the report's folder; the old version ends up at `staging`."""
    if not folder.exists():
        os.rename(staging, folder)
        return
    if _exchange(staging, folder):
        return
    # Two renames: for an instant the folder is missing (a reader gets “not found”, never a mix);
    # a build killed in that instant leaves the old version as .<name>.….old.staging, put back next time.
    old = staging.with_name(staging.name.removesuffix(STAGING) + OLD + STAGING)
    os.rename(folder, old)
    try:
        os.rename(staging, folder)
    except BaseException:
        os.rename(old, folder)
        raise
    os.rename(old, staging)


CLEAN_END = "done"  # what the lock file holds after a build that ended without an error or a stop


@contextmanager
def locked(out: Path) -> Iterator[bool]:
    """Hold the output folder's lock for the length of a build; raise Busy when another build holds it.

    The lock is the operating system's (flock, or msvcrt on Windows) on a file in out/, so it is
    released whenever the holder ends, even killed: a stale lock file never blocks a build. The
    holder writes its process number in the file and, when it ends without an error or a stop,
    CLEAN_END; what is yielded says whether the last build ended so (then it left no staging
    folders behind, and out/ need not be searched for them).
    """
    make_folders(out)
    path = out / LOCK_FILE
    handle = os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE)
    try:
        try:
            _lock(handle)
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK, errno.EDEADLK):
                raise
            holder = os.pread(handle, 64, 0).decode("ascii", "replace").strip() if hasattr(os, "pread") else ""
            raise Busy(holder) from None
        clean = os.read(handle, 64).strip() == CLEAN_END.encode("ascii")
        _rewrite(handle, str(os.getpid()))
        if hasattr(os, "fchmod"):
            os.fchmod(handle, FILE_MODE)
        yield clean
        _rewrite(handle, CLEAN_END)
    finally:
        os.close(handle)  # closing releases the lock


def _rewrite(handle: int, text: str) -> None:
    os.ftruncate(handle, 0)
    os.lseek(handle, 0, os.SEEK_SET)
    os.write(handle, f"{text}\n".encode("ascii"))


def _lock(handle: int) -> None:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)


def write_problem(exc: OSError, folder: Path) -> str:
    """Say in plain words why output could not be written (the old output stays as it was)."""
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        why = "磁盘已满，无法写入"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        why = "没有写入权限"
    else:
        why = f"无法写入（{exc.strerror}）"
    return f"{why}：{folder}（原有的输出保持不变）"
