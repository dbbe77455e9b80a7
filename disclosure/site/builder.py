"""Build many reports into out/: incremental, in parallel, sharded, with the site pages around them.

Each report is built independently: a report with a shape error or a rule error is not written
and its previous output stays untouched, while the others build. A report whose inputs did not
change since the last build (see state.py) is skipped. Workers are separate processes; the
main process decides what to build, collects the outcomes, and writes the index pages, the
sitemap and the build state.
"""

from __future__ import annotations

import ctypes
import difflib
import hashlib
import multiprocessing
import os
import shutil
import signal
import sys
import threading
import time
import traceback
import zlib
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from .. import model as m
from .. import writers
from ..errors import Finding, Location, ReportError, display_path
from ..pipeline import Toolkit, build_report, collector_paused, settle_collector
from ..read import MANIFEST_FILE, folder_name_problem, slug_of
from ..read.folder import slug_of_path
from ..read.format import MANIFEST
from ..read.source import load_yaml
from ..resources import DEFAULT_THEME, Theme
from ..writers import DEFAULT_FORMATS, FORMATS, WRITERS
from .files import LOCK_FILE, Busy, clear_all_staging, locked, publish, write_atomic, write_problem
from .pages import Department, Entry, Site, department_page, departments, index_page, read_site, sitemap
from .state import Lister, State, fingerprint, inputs_digest, read_inputs, same_file, stamp, toolkit_digest


@dataclass(frozen=True)
class Outcome:
    """What happened to one report: built, unchanged or failed, and what the user must read."""

    folder: str
    status: str  # built (rendered; `written` lists the files whose bytes changed) | unchanged (skipped) | failed
    written: tuple[str, ...] = ()
    messages: tuple[str, ...] = ()  # rendered errors (failed) or warnings (built)
    warnings: int = 0
    errors: int = 0
    entry: Entry | None = None
    files: tuple[str, ...] = ()  # every file the build made (changed or not), by name in the report's folder

    @property
    def failed(self) -> bool:
        return self.status == "failed"


def output_folder(out: Path, slug: str, year: int) -> Path:
    """out/<department>/<year>: the department's folder name was checked when the report was read."""
    if folder_name_problem(slug):  # pragma: no cover - reading refuses such a folder first
        raise ValueError(f"unsafe department folder {slug!r}")
    return out / slug / str(year)


def entry_of(slug: str, manifest: m.Manifest, title: str, formats: Sequence[str]) -> Entry:
    """The index entry of a report from its manifest and title."""
    from .corrections import corrections_of

    date = manifest.publication_date.isoformat() if manifest.publication_date else ""
    shown = tuple(f for f in FORMATS if f in formats)
    return Entry(slug, manifest.year, manifest.department, title, manifest.kind, date, shown, corrections_of(manifest))


@dataclass
class Builder:
    """Builds single reports into out/; holds what is shared between them (the toolkit's templates)."""

    out: Path
    formats: Sequence[str] = DEFAULT_FORMATS
    toolkit: Toolkit = field(default_factory=Toolkit)
    with_source: bool = True
    redraw: bool = False  # draw every chart again (--force), not from the last build's

    def build(self, folder: Path) -> Outcome:
        # The stages after the plan (and the document model a correction is compared with) are
        # imported when a report is built: a build that finds every report unchanged needs none.
        from ..writers.chart import ChartStore, stored
        from .corrections import DOCUMENT_FILE, document_file, pending_correction

        shown = display_path(folder)
        charts = ChartStore(charts_folder(self.out, report_key(os.getcwd(), folder)), reuse=not self.redraw)
        try:
            with stored(charts):
                built = build_report(folder, self.toolkit, self.formats)
        except ReportError as exc:
            return Outcome(
                shown, "failed", messages=tuple(e.render(self.with_source) for e in exc.errors), errors=len(exc.errors)
            )
        if built.errors or built.document is None:
            return Outcome(
                shown,
                "failed",
                messages=tuple(self._render(built.errors)),
                warnings=len(built.warnings),
                errors=len(built.errors),
            )
        report = built.report
        target = output_folder(self.out, report.slug, report.manifest.year)
        waiting = pending_correction(target, report.manifest)
        if waiting is not None:  # building would overwrite the published version before its notice is written
            return Outcome(shown, "failed", messages=(waiting.render(self.with_source),), errors=1)
        files = {**built.files, DOCUMENT_FILE: document_file(built.document)}  # the model a correction is compared with
        try:
            changed = set(publish(target, files))
        except OSError as exc:  # disk full, out/ read-only: the old output stays, whole
            return Outcome(shown, "failed", messages=(write_problem(exc, target),), errors=1)
        charts.keep()
        written = tuple(display_path(target / name) for name in files if name in changed)
        present = [f for f in FORMATS if WRITERS[f].present(target)]  # earlier builds' formats too
        return Outcome(
            shown,
            "built",
            written,
            tuple(self._render(built.warnings)),
            warnings=len(built.warnings),
            entry=entry_of(report.slug, report.manifest, built.document.title, present),
            files=tuple(files),
        )

    def safe_build(self, folder: Path) -> Outcome:
        """Build one report of many: a bug met on this report fails it, with its traceback, not the run."""
        try:
            return self.build(folder)
        except Exception:  # noqa: BLE001 - reported as this report's failure, traceback kept for the bug report
            trace = traceback.format_exc().rstrip()
            return Outcome(
                display_path(folder),
                "failed",
                errors=1,
                messages=(f"{display_path(folder)}: 程序内部错误（不是数据的问题，请把以下信息报告给维护者）\n{trace}",),
            )

    def _render(self, findings: Iterable[Finding]) -> list[str]:
        return [f.render(self.with_source) for f in findings]


@dataclass(frozen=True)
class Preview:
    """What rebuilding a report would change in its report.md, as unified-diff lines."""

    lines: tuple[str, ...] = ()
    error: str | None = None


def preview(folder: Path, out: Path, toolkit: Toolkit | None = None) -> Preview:
    """Render a report's Markdown in memory and compare it with the one in out/ (nothing written)."""
    try:
        built = build_report(folder, toolkit or Toolkit(), ("md",))
    except ReportError as exc:
        return Preview(error=exc.render())
    if built.errors:
        return Preview(error="\n".join(f.render() for f in built.errors))
    new = built.files["report.md"].decode("utf-8")
    report = built.report
    target = output_folder(out, report.slug, report.manifest.year) / "report.md"
    old = target.read_text(encoding="utf-8") if target.is_file() else ""
    shown = display_path(target)
    lines = difflib.unified_diff(
        old.splitlines(),
        new.splitlines(),
        f"{shown}（已生成）" if old else "（尚未生成）",
        f"{shown}（重新生成后）",
        n=0,
        lineterm="",
    )
    return Preview(tuple(lines))


# ---------------------------------------------------------------------------- many reports

_WORKER: Builder | None = None
_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _start_worker(out: Path, formats: tuple[str, ...], with_source: bool, redraw: bool, cwd: str, main: int) -> None:
    global _WORKER
    os.chdir(cwd)  # messages show paths relative to where the user started the build
    # Ctrl-C reaches every process of the terminal: the main process stops the build, the
    # workers finish the report they are writing instead of printing a traceback each.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the command line's own handler is the main process's
    _end_with(main)
    _WORKER = Builder(out, formats, with_source=with_source, redraw=redraw)
    settle_collector()


def _end_with(main: int) -> None:
    """End this worker when the main process ends, even killed (-9): a worker never outlives its build."""
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        try:  # the kernel's own signal when the parent ends (a forkserver's child: when the forkserver does)
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass

    def watch() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != parent or not _alive(main):
                os._exit(1)  # a report half-written is in its staging folder, cleared by the next build

    threading.Thread(target=watch, name="watch-main", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, another user's: cannot be ours, but do not guess
    return True


def _build_in_worker(folder: Path) -> Outcome:
    assert _WORKER is not None
    return _WORKER.safe_build(folder)


def shard_of(folder: Path, root: Path, count: int) -> int:
    """The shard (1…count) a report belongs to: a stable hash of its path under the content root."""
    try:
        key = folder.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        key = folder.as_posix()
    return zlib.crc32(key.encode("utf-8")) % count + 1


@dataclass
class SiteResult:
    """The outcome of a site build: one Outcome per report, and the pages written around them."""

    outcomes: list[Outcome]
    pages: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()  # site-level problems (site.yaml, theme, out/ not writable, another build)
    notices: tuple[str, ...] = ()  # what the user should know, said once (the build state was unusable)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def failed(self) -> bool:
        return bool(self.problems) or any(o.failed for o in self.outcomes)


def _manifest_of(folder: Path) -> m.Manifest | None:
    """report.yaml of a report (what the fingerprint and the index need), or None if unreadable."""
    try:
        manifest: m.Manifest = MANIFEST.read(load_yaml(folder / MANIFEST_FILE))
    except ReportError:
        return None
    return manifest


def _look(manifest: m.Manifest, profiles: dict[str, str]) -> list:
    """What the plan keeps of a report.yaml: profile, theme, year, and who the report is of (for duplicates)."""
    return [profiles.get(manifest.profile, manifest.profile), manifest.theme, manifest.year, manifest.department, manifest.kind]


def _keys(folders: Iterable[Path]) -> dict[Path, str]:
    """Each report's key in the state (the working folder asked once)."""
    here = os.getcwd()
    return {f: report_key(here, f) for f in folders}


def report_key(here: str, folder: Path) -> str:
    """A report's key in the state: its absolute path from the working folder `here`, with forward slashes."""
    return os.path.normpath(os.path.join(here, folder)).replace(os.sep, "/")


CHARTS_FOLDER = ".disclosure-charts"


def charts_folder(out: Path, key: str) -> Path:
    """Where the drawings of a report's last build are kept (out/.disclosure-charts/<digest of its key>)."""
    return out / CHARTS_FOLDER / hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:20]


def _from_record(record: dict) -> Entry:
    corrections = tuple(tuple(pair) for pair in record.get("corrections", ()))
    return Entry(**{**record, "formats": tuple(record["formats"]), "corrections": corrections})


@dataclass
class _Seen:
    """What the plan found of one report: its fingerprint, what its record keeps of its input files and
    its report.yaml, and what it read of report.yaml (profile, theme, year, department, kind)."""

    fingerprint: str
    stamp: str
    inputs: str
    manifest: list
    look: list


@dataclass
class _Plan:
    """What a site build must do: reports to build, reports skipped, and what was found of each."""

    todo: list[Path] = field(default_factory=list)
    skipped: list[Outcome] = field(default_factory=list)
    seen: dict[str, _Seen] = field(default_factory=dict)  # report → what its record will keep
    code: str = ""  # the toolkit's own digest (version, code, bundled templates and themes)


def _plan(
    folders: Sequence[Path],
    keys: dict[Path, str],
    shown: dict[Path, str],
    out: Path,
    formats: Sequence[str],
    force: bool,
    state: State,
    toolkit: Toolkit,
    listed: dict[str, list[os.DirEntry]] | None = None,
) -> _Plan:
    """Fingerprint every report and skip those built from the same inputs whose files are all there.

    A report whose input files have the stamp its record keeps is not read at all: only its
    folders are listed and its files stat'ed. Otherwise report.yaml is read (for the profile,
    theme and year) and every input file hashed again.
    """
    profiles = toolkit.project.profiles
    code = toolkit_digest(state)
    trees: dict[Path, str] = {}

    def tree(path: Path) -> str:
        if path not in trees:
            trees[path] = state.digest_tree(path) if path.is_dir() else "missing"
        return trees[path]

    inputs: dict[tuple[str, str], tuple[str, ...]] = {}  # (profile, theme) → the digests of their folders

    def shared_inputs(profile: str, theme: str) -> tuple[str, ...]:
        if (profile, theme) not in inputs:
            inputs[profile, theme] = (code, ",".join(formats), *(tree(f) for f in toolkit.project.input_folders(profile, theme)))
        return inputs[profile, theme]

    lister = Lister(listed)
    plan = _Plan(code=code)
    for folder in folders:
        key = keys[folder]
        record = state.reports.get(key)
        seen = _unchanged(folder, record, lister) if record else None
        if seen is None:
            seen = _read_inputs(folder, profiles, lister)
            if seen is None:  # report.yaml unreadable: the build will say why
                plan.todo.append(folder)
                continue
            if record and seen.inputs == record["inputs"] and seen.look == record["look"]:
                # Touched, not changed: the record takes the new stamp, so the next build reads nothing.
                record["stamp"], record["manifest"] = seen.stamp, seen.manifest
                state.dirty = True
        seen.fingerprint = fingerprint(seen.inputs, shared_inputs(*seen.look[:2]))
        plan.seen[key] = seen
        # The files the last build made must all be there (a format of several files, such as one
        # CSV per table, or none, such as a workbook of a report without tables, is known only so).
        if not force and record and record["fingerprint"] == seen.fingerprint and _made(out, record, state):
            plan.skipped.append(Outcome(shown[folder], "unchanged"))
        else:
            plan.todo.append(folder)
    return plan


def _made(out: Path, record: dict, state: State) -> bool:
    """Whether every file the last build of a report made is still there. Removing a file changes its
    folder's modification time: while that is the one recorded, the files are not looked for."""
    entry = record["entry"]
    folder = os.path.join(out, entry["slug"], str(entry["year"]))
    modified = _modified(folder)
    if not modified:  # no folder
        return False
    if modified == record["made"]:
        return True
    if not all(os.path.isfile(os.path.join(folder, name)) for name in record["files"]):
        return False
    record["made"] = modified
    state.dirty = True
    return True


def _modified(folder: str) -> int:
    """A folder's modification time (ns), or 0 when it is not there."""
    try:
        return os.stat(folder).st_mtime_ns
    except OSError:
        return 0


def _unchanged(folder: Path, record: dict, lister: Lister) -> _Seen | None:
    """What the record says of a report whose input files still have its stamp, else None."""
    found = stamp(lister.inputs(folder, record["look"][2]))
    if found != record["stamp"]:
        return None
    return _Seen("", found, record["inputs"], record["manifest"], record["look"])


def _read_inputs(folder: Path, profiles: dict[str, str], lister: Lister) -> _Seen | None:
    """Read report.yaml and hash every input file of a report; None when report.yaml is unreadable."""
    manifest = _manifest_of(folder)
    if manifest is None:
        return None
    look = _look(manifest, profiles)
    listing = lister.inputs(folder, manifest.year)
    digests = read_inputs(listing)
    own = os.path.join(os.fspath(folder), MANIFEST_FILE)
    info = next((info for path, info in listing if path == own), None)
    known = [info.st_size, info.st_mtime_ns, digests[own]] if info is not None else [0, 0, "missing"]
    return _Seen("", stamp(listing), inputs_digest(digests), known, look)


def _index_entries(
    state: State,
    out: Path,
    root: Path,
    everything: Sequence[Path],
    shard: tuple[int, int] | None,
    formats: Sequence[str],
    toolkit: Toolkit,
    keys: dict[Path, str],
    whole: set[str],
) -> list[Entry]:
    """Every report built so far whose content still exists (a single-folder build keeps the
    others listed); with shards, the other shards' reports are listed from their manifests.
    `whole` holds the reports just found with their output whole (built or unchanged): only the
    others are looked for on disk."""
    found = set(keys.values())
    gone = [k for k in state.reports if k not in found and not os.path.isfile(f"{k}/{MANIFEST_FILE}")]
    for key in gone:
        del state.reports[key]
        shutil.rmtree(charts_folder(out, key), ignore_errors=True)
        state.pages.pop(PAGES_DRAWN, None)
        state.dirty = True
    entries = [
        _from_record(r["entry"])
        for k, r in state.reports.items()
        if k in whole or os.path.isdir(os.path.join(out, r["entry"]["slug"], str(r["entry"]["year"])))
    ]
    if shard is not None:
        for folder in everything:
            if shard_of(folder, root, shard[1]) != shard[0] and keys[folder] not in state.reports:
                manifest = _manifest_of(folder)
                if manifest is not None:
                    try:
                        title = toolkit.composer.title(manifest)
                    except ReportError:
                        continue  # its own shard's build reports the problem
                    entries.append(entry_of(slug_of(folder), manifest, title, formats))
    return entries


def build_site(
    root: Path,
    folders: Sequence[Path],
    out: Path,
    *,
    formats: Sequence[str] = DEFAULT_FORMATS,
    jobs: int | None = None,
    force: bool = False,
    shard: tuple[int, int] | None = None,
    with_source: bool = True,
    progress: Callable[[int, int, Outcome], None] | None = None,
    listed: dict[str, list[os.DirEntry]] | None = None,
) -> SiteResult:
    """Build the reports that changed (all with force) in a process pool, then the site pages.

    With a shard (i, n), only the reports of shard i are built; shard 1 also writes the site
    pages, listing every report of the content root, so the shards' outputs can be merged.
    One build at a time holds out/: a second one is told so and builds nothing. `listed` holds the
    entries of report folders that discovery just listed (read/folder.py's Discovery.listings).
    """
    fresh = not out.exists()
    try:
        with locked(out) as clean:
            if not clean:  # the last build was stopped or failed: it may have left staging folders
                clear_all_staging(out)
            with collector_paused() as planned:
                return _build_site(root, folders, out, formats, jobs, force, shard, with_source, progress, listed or {}, planned)
    except Busy as exc:
        holder = f"（进程 {exc.holder}）" if exc.holder.isdigit() else ""
        return SiteResult(
            [],
            problems=(
                f"{display_path(out)}: 另一次生成正在写入这个文件夹{holder}：请等它结束后再运行，或用 --out 指定另一个输出文件夹",
            ),
        )
    except OSError as exc:  # out/ itself cannot be made or locked: nothing was built
        if exc.filename is not None and Path(exc.filename) not in (out, out / LOCK_FILE):
            raise
        return SiteResult([], problems=(write_problem(exc, out),))
    finally:
        if fresh and out.is_dir() and {p.name for p in out.iterdir()} <= {LOCK_FILE}:
            (out / LOCK_FILE).unlink(missing_ok=True)  # nothing built: leave no out/ folder behind
            out.rmdir()


def _build_site(
    root: Path,
    folders: Sequence[Path],
    out: Path,
    formats: Sequence[str],
    jobs: int | None,
    force: bool,
    shard: tuple[int, int] | None,
    with_source: bool,
    progress: Callable[[int, int, Outcome], None] | None,
    listed: dict[str, list[os.DirEntry]],
    planned: Callable[[], None],
) -> SiteResult:
    formats = tuple(f for f in FORMATS if f in formats)
    everything = list(folders)
    mine = [f for f in everything if shard is None or shard_of(f, root, shard[1]) == shard[0]]
    state = State.load(out)
    toolkit = Toolkit()
    key_of = _keys(everything)
    # How each report folder is named in messages, worked out once: for a folder outside the working
    # folder that means resolving its path, a stat of each part of it.
    shown = {f: display_path(f) for f in mine}
    plan = _plan(mine, key_of, shown, out, formats, force, state, toolkit, listed)
    clashes = _clashes(plan, everything, mine, state, key_of)
    planned()
    notices = (state.notice,) if state.notice else ()
    keys = {shown[f]: key_of[f] for f in mine}
    outcomes = [o for o in plan.skipped if keys[o.folder] not in clashes]
    todo = [f for f in plan.todo if key_of[f] not in clashes]
    outcomes += [Outcome(shown[f], "failed", messages=(clashes[key_of[f]],), errors=1) for f in mine if key_of[f] in clashes]
    total, done = len(mine), len(outcomes)

    def finish(outcome: Outcome) -> None:
        nonlocal done
        done += 1
        outcomes.append(outcome)
        key = keys.get(outcome.folder, "")
        seen = plan.seen.get(key)
        if outcome.entry is not None and seen is not None:
            entry = outcome.entry
            state.reports[key] = {  # the shape _record (state.py) checks
                "fingerprint": seen.fingerprint,
                "stamp": seen.stamp,
                "inputs": seen.inputs,
                "manifest": seen.manifest,
                "look": seen.look,
                "entry": {**entry.__dict__, "formats": list(entry.formats), "corrections": [list(c) for c in entry.corrections]},
                "files": list(outcome.files),
                "made": _modified(os.path.join(out, entry.slug, str(entry.year))),
            }
            state.pages.pop(PAGES_DRAWN, None)  # the pages no longer show every record (until they are drawn)
            state.dirty = True
        if progress is not None:
            progress(done, total, outcome)

    if progress is not None and outcomes:
        progress(done, total, outcomes[-1])
    try:
        _run(todo, out, formats, toolkit, with_source, force, jobs, finish)
    except BaseException:
        # Interrupted (Ctrl-C) or stopped: what was built is whole; remember it, so the next build skips it.
        _save(state, out)
        raise
    order = {shown[f]: i for i, f in enumerate(mine)}
    outcomes.sort(key=lambda o: order.get(o.folder, len(order)))
    pages: tuple[str, ...] = ()
    problems: list[str] = []
    if shard is None or shard[0] == 1:
        whole = {keys[o.folder] for o in outcomes if not o.failed and o.folder in keys}
        # Every report of the site found unchanged (none built, failed or gone): the pages are drawn from
        # the same entries as last time, and need not even be listed when their look is the same too.
        settled = (
            shard is None
            and not todo
            and all(o.status == "unchanged" for o in outcomes)
            and {key_of[f] for f in mine} >= state.reports.keys()
        )
        try:
            pages = _write_pages(
                root,
                out,
                lambda: _index_entries(state, out, root, everything, shard, formats, toolkit, key_of, whole),
                state,
                toolkit,
                plan.code,
                settled,
            )
        except ReportError as exc:
            problems.append(exc.render(with_source))
        except OSError as exc:
            problems.append(write_problem(exc, out))
    covered = {key_of[f] for f in mine} >= state.reports.keys()  # this build looked at every report known
    problem = _save(state, out, prune=covered)
    if problem:
        problems.append(problem)
    return SiteResult(outcomes, pages, tuple(problems), notices)


def _save(state: State, out: Path, prune: bool = False) -> str:
    """Save the build state; say why not when it cannot be written (the next build then rebuilds)."""
    if not any(p.name != LOCK_FILE for p in out.iterdir()):
        return ""  # nothing built yet: no state to keep
    try:
        state.save(prune)
    except OSError as exc:
        return write_problem(exc, out)
    return ""


def _run(
    todo: Sequence[Path],
    out: Path,
    formats: tuple[str, ...],
    toolkit: Toolkit,
    with_source: bool,
    redraw: bool,
    jobs: int | None,
    finish: Callable[[Outcome], None],
) -> None:
    """Build each report, in this process or in a pool of workers, and hand each outcome to `finish`."""
    workers = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
    if workers == 1:
        builder = Builder(out, formats, toolkit, with_source, redraw)
        for folder in todo:
            finish(builder.safe_build(folder))
        return
    # Typst's threads do not survive fork(): once this process has made a PDF, workers start afresh.
    pdf = sys.modules.get(f"{writers.__name__}.pdf")
    context = multiprocessing.get_context("forkserver") if pdf is not None and pdf.started() else None
    pool = ProcessPoolExecutor(
        workers,
        mp_context=context,
        initializer=_start_worker,
        initargs=(out, formats, with_source, redraw, os.getcwd(), os.getpid()),
    )
    try:
        # A few reports in flight per worker, not all of them: the main process holds no future
        # (and no result) beyond those, whatever the number of reports.
        waiting = iter(todo)
        running = {pool.submit(_build_in_worker, folder) for folder in islice(waiting, workers * 4)}
        while running:
            done, running = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                finish(future.result())
            running |= {pool.submit(_build_in_worker, folder) for folder in islice(waiting, len(done))}
    except BaseException:
        # No report is started any more; the workers finish the one they are writing and end.
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _clashes(
    plan: _Plan, everything: Sequence[Path], mine: Sequence[Path], state: State, key_of: dict[Path, str]
) -> dict[str, str]:
    """The reports of this build that claim the output, or the department and year, of another report folder.

    A copied department folder (a backup beside the original) would be listed twice on the
    index, and two folders with the same output folder would overwrite each other: neither is
    built, and each message names the other folder. A report built earlier from another folder
    (still there) counts too: the one being built now is not built.
    """
    claims: dict[str, tuple[str, int, str, str]] = {}  # report → (slug, year, department, kind)
    building_now = set(mine)
    for folder in everything:
        key = key_of[folder]
        if key in plan.seen:
            look = plan.seen[key].look
            claims[key] = (slug_of_path(key), look[2], look[3], look[4])
        elif folder not in building_now:
            manifest = _manifest_of(folder)
            if manifest is not None:
                claims[key] = (slug_of_path(key), manifest.year, manifest.department, manifest.kind)
    building = set(claims)
    for key, record in state.reports.items():
        if key in claims:
            continue
        if same_file(Path(key) / MANIFEST_FILE, record["manifest"]):  # still there, unchanged
            entry = record["entry"]
            claims[key] = (entry["slug"], entry["year"], record["look"][3], record["look"][4])
    by_output: dict[tuple[str, int], list[str]] = {}
    by_department: dict[tuple[str, int, str], list[str]] = {}
    for key, (slug, year, department, kind) in sorted(claims.items()):
        by_output.setdefault((slug, year), []).append(key)
        by_department.setdefault((department, year, kind), []).append(key)
    clashes: dict[str, str] = {}
    for (slug, year), keys in by_output.items():
        for key in keys:
            others = [k for k in keys if k != key]
            if others and key in building:
                clashes[key] = (
                    f"{_shown(key)}: 与 {'、'.join(map(_shown, others))} 都要生成到 {slug}/{year}/：两个文件夹都不生成，"
                    "请删除或改名其中一个（例如备份的副本）"
                )
    for (department, year, _kind), keys in by_department.items():
        for key in keys:
            others = [k for k in keys if k != key and claims[k][:2] != claims[key][:2]]
            if others and key in building and key not in clashes:
                clashes[key] = (
                    f"{_shown(key)}: 与 {'、'.join(map(_shown, others))} 是同一个部门的同一年度（{department}，{year}年度）："
                    "网站上会列出两次；两个文件夹都不生成，请删除其中一个（例如备份的副本）"
                )
    return clashes


def _shown(key: str) -> str:
    return display_path(Path(key))


# The key, among the pages' digests in the state, of the look every page was last drawn with: there
# while the pages show every record of the state (a record set or removed takes it away).
PAGES_DRAWN = ""


def _write_pages(
    root: Path,
    out: Path,
    entries_of: Callable[[], list[Entry]],
    state: State,
    toolkit: Toolkit,
    code: str,
    settled: bool = False,
) -> tuple[str, ...]:
    """Write the index, the department pages and the sitemap; a page whose inputs did not change
    since the last build is not even rendered. When the build found every report `settled` (as
    its record says) and the pages were last drawn from those records with the same look, and all
    of them are there, nothing is listed, drawn or written."""
    known = state.pages
    looked = _site_look(root, state, toolkit, code) if settled else None
    if looked is not None and known.get(PAGES_DRAWN) == _digest(looked[2]):
        if all(os.path.isfile(os.path.join(out, name)) for name in known if name != PAGES_DRAWN):
            return ()
    entries = entries_of()
    if not entries:
        return ()
    site, theme, look = looked or _site_look(root, state, toolkit, code)
    groups = departments(sorted(entries, key=lambda e: (e.slug, e.year, e.kind)))
    written: list[str] = []

    def put(name: str, digest: str, draw: Callable[[], bytes]) -> None:
        """Draw and write one page when it is out of date; it is written before the next is drawn, so
        that the department pages of a large site are never all held at once (7,500 pages of about
        10 KB each at 10,000 reports), and it counts as drawn once it is written."""
        if known.get(name) == digest and os.path.isfile(os.path.join(out, name)):
            return
        if write_atomic(out / name, draw()):
            written.append(display_path(out / name))
        known[name] = digest
        state.dirty = True

    drawn = {f"{group.slug}/index.html": _digest(look + _drawn_from(group)) for group in groups}
    whole = _digest(look + str(len(entries)) + "".join(drawn.values()))
    # The index and the sitemap are drawn from every report: redrawn when any entry changed.
    put("index.html", whole, lambda: index_page(site, groups, len(entries), theme))
    put("sitemap.xml", whole, lambda: sitemap(site, groups))
    for group in groups:
        put(f"{group.slug}/index.html", drawn[f"{group.slug}/index.html"], lambda: department_page(site, group, theme))  # noqa: B023
    stale = [n for n in known if n not in drawn and n not in ("index.html", "sitemap.xml", PAGES_DRAWN)]
    for name in stale:  # a department no longer listed
        del known[name]
    drawn_with = _digest(look)
    if stale or known.get(PAGES_DRAWN) != drawn_with:
        known[PAGES_DRAWN] = drawn_with
        state.dirty = True
    return tuple(written)


def _site_look(root: Path, state: State, toolkit: Toolkit, code: str) -> tuple[Site, Theme, str]:
    """The site's settings, the theme of its pages, and what every page is drawn with: the toolkit's
    code, the theme's files and site.yaml."""
    site = read_site(root)
    theme = toolkit.project.theme(DEFAULT_THEME)
    if theme is None:
        raise ReportError(Location(f"themes/{DEFAULT_THEME}"), f"没有默认主题“{DEFAULT_THEME}”")
    return site, theme, code + "".join(state.digest_tree(folder) for folder in theme.folders) + repr(site)


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


def _drawn_from(group: Department) -> str:
    """What a department's page shows: the department and every field of each of its entries."""
    return repr((group.slug, group.name, tuple(tuple(entry.__dict__.values()) for entry in group.entries)))


def progress_bar(stream=sys.stderr) -> Callable[[int, int, Outcome], None] | None:
    """A one-line progress bar on a terminal; nothing when the output is not a terminal."""
    if not stream.isatty():
        return None

    def show(done: int, total: int, outcome: Outcome) -> None:
        width = 30
        filled = width * done // total if total else width
        stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} ")
        if done == total:
            stream.write("\n")
        stream.flush()

    return show
