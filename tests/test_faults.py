"""Faults a build server meets (issue 16): a full or read-only disk, Ctrl-C, kill -9 at any point, two
builds at once, copied folders, a broken state file, a strict umask. Nothing published is ever lost
or half-updated, and every one is a plain Chinese message.
"""

from __future__ import annotations

import builtins
import errno
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from disclosure.cli import main
from disclosure.read.folder import find_reports
from disclosure.site.builder import build_site
from disclosure.site.files import LOCK_FILE, locked, publish
from disclosure.site.state import STATE_FILE

from conftest import CONTENT, ROOT

NONGYE = Path("content/linjiang-nongyeju/2024")
FORMATS = ("md", "html")


@pytest.fixture()
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(CONTENT, tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    return Path("content")


def site(**options):
    return build_site(
        Path("content"), find_reports(Path("content")), Path("out"), formats=options.pop("formats", FORMATS), **options
    )


def snapshot(out: Path) -> dict[str, bytes]:
    """Every published file under out/ (not the build's own hidden files) and its bytes."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(out).parts)
    }


def touch_contact(folder: Path, text: str) -> None:
    manifest = folder / "report.yaml"
    lines = [line for line in manifest.read_text(encoding="utf-8").splitlines() if not line.startswith("联系方式")]
    manifest.write_text("\n".join([*lines, f"联系方式: {text}"]) + "\n", encoding="utf-8")


# ---------------------------------------------------------------------------- disk full, read-only (§7)


def failing_writes(monkeypatch: pytest.MonkeyPatch, code: int, after: int = 0) -> list[str]:
    """Make every file opened for writing, after the first `after`, fail with `code` (as a full disk does)."""
    opened: list[str] = []
    real_open, real_fdopen = builtins.open, os.fdopen

    def check(name: object, mode: str) -> None:
        if any(flag in mode for flag in "wxa"):
            opened.append(str(name))
            if len(opened) > after:
                raise OSError(code, os.strerror(code), str(name))

    def fake_open(file, mode="r", *args, **kwargs):
        check(file, mode)
        return real_open(file, mode, *args, **kwargs)

    def fake_fdopen(fd, mode="r", *args, **kwargs):
        check(fd, mode)
        return real_fdopen(fd, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", fake_open)
    monkeypatch.setattr(os, "fdopen", fake_fdopen)
    return opened


def test_a_full_disk_is_said_plainly_and_the_old_output_kept(content: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    assert main(["build", "--format", "md,html", str(NONGYE)]) == 0
    before = snapshot(Path("out"))
    touch_contact(NONGYE, "电话 0800-1234567")
    failing_writes(monkeypatch, errno.ENOSPC)
    capsys.readouterr()
    assert main(["build", "--format", "md,html", str(NONGYE)]) == 1
    printed = capsys.readouterr().out
    assert "磁盘已满，无法写入：out/linjiang-nongyeju/2024（原有的输出保持不变）" in printed
    assert "Traceback" not in printed and "程序内部错误" not in printed
    assert snapshot(Path("out")) == before
    assert not [p for p in Path("out").rglob("*staging*")]


def _mount(path: Path, options: str) -> bool:
    path.mkdir(exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], capture_output=True)
    return done.returncode == 0


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("mount"), reason="needs root to mount a small file system")
def test_a_really_full_disk_and_a_read_only_one(content: Path, tmp_path: Path, capsys) -> None:
    disk = tmp_path / "disk"
    if not _mount(disk, "size=400k"):
        pytest.skip("cannot mount tmpfs here")
    try:
        out = disk / "out"
        assert main(["build", "--format", "md", "--out", str(out), str(NONGYE)]) == 0
        before = snapshot(out)
        filler = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT)
        try:  # fill the disk to the last byte
            while os.write(filler, b"\0" * 4096):
                pass
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
        finally:
            os.close(filler)
        touch_contact(NONGYE, "电话 0800-7654321")
        capsys.readouterr()
        assert main(["build", "--format", "md", "--out", str(out), str(NONGYE)]) == 1
        printed = capsys.readouterr().out
        assert f"磁盘已满，无法写入：{out}/linjiang-nongyeju/2024（原有的输出保持不变）" in printed
        assert "Traceback" not in printed and snapshot(out) == before
        (disk / "filler").unlink()
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        assert main(["build", "--format", "md", "--out", str(out), str(NONGYE)]) == 1
        printed = capsys.readouterr().out
        assert f"没有写入权限：{out}（原有的输出保持不变）" in printed and "Traceback" not in printed
        assert snapshot(out) == before
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)


def test_an_unwritable_out_folder_is_said_once(content: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    real_open = os.open

    def refuse(path, flags, mode=0o777, *args, **kwargs):
        if str(path).endswith(LOCK_FILE):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_open(path, flags, mode, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    assert main(["build", "--format", "md"]) == 1
    printed = capsys.readouterr().out
    assert "没有写入权限：out（原有的输出保持不变）" in printed and "Traceback" not in printed


# ---------------------------------------------------------------------------- one report, one version (§9)


def test_a_reports_files_are_swapped_in_together(content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert not site(jobs=1).failed
    old = snapshot(Path("out"))
    touch_contact(NONGYE, "电话 0800-1111111")
    opened = failing_writes(monkeypatch, errno.EIO, after=1)  # the first file is written, the second fails
    result = site(jobs=1)
    assert [o.messages for o in result.outcomes if o.failed] == [
        ("无法写入（Input/output error）：out/linjiang-nongyeju/2024（原有的输出保持不变）",)
    ]
    assert len(opened) >= 2
    assert snapshot(Path("out")) == old  # not one file changed: the staged one never reached the report


def test_files_of_earlier_formats_are_kept_and_unchanged_files_keep_their_time(content: Path) -> None:
    assert not site(jobs=1, formats=("md", "html", "json")).failed
    md = Path("out/linjiang-nongyeju/2024/report.md")
    stamp = md.stat().st_mtime_ns
    Path("out/linjiang-nongyeju/2024/附件").mkdir()  # something a person put beside the report
    Path("out/linjiang-nongyeju/2024/附件/说明.txt").write_text("附件", encoding="utf-8")
    touch_contact(NONGYE, "电话 0800-2222222")  # html and md change
    result = site(jobs=1, formats=("html",), force=True)
    assert not result.failed
    assert Path("out/linjiang-nongyeju/2024/report.json").is_file()  # made by the earlier build, kept
    assert md.stat().st_mtime_ns == stamp  # not made this time: kept as it was
    assert Path("out/linjiang-nongyeju/2024/附件/说明.txt").read_text(encoding="utf-8") == "附件"
    assert publish(Path("out/linjiang-nongyeju/2024"), {"report.md": md.read_bytes()}) == []  # nothing to swap


# ---------------------------------------------------------------------------- one build at a time, one folder a report (§10)


def test_a_build_after_one_that_did_not_end_cleanly_clears_what_it_left(content: Path) -> None:
    assert main(["build", "--format", "md"]) == 0
    assert Path("out", LOCK_FILE).read_text() == "done\n"  # a clean end: the next build need not search out/
    # What a build killed mid-way leaves: its process number in the lock file, a staging folder and
    # an old version moved aside in the instant between two renames (its report folder missing).
    Path("out", LOCK_FILE).write_text("4242\n")
    Path("out/linjiang-yibaoju/.2024.x1.staging").mkdir()
    Path("out/linjiang-nongyeju/2024").rename("out/linjiang-nongyeju/.2024.x2.old.staging")
    assert main(["build", "--format", "md"]) == 0
    assert not [p for p in Path("out").rglob("*") if ".staging" in p.name]
    assert Path("out/linjiang-nongyeju/2024/report.md").is_file()


def test_a_second_build_on_the_same_out_is_told_and_builds_nothing(content: Path, capsys) -> None:
    Path("out").mkdir()
    with locked(Path("out")):
        assert main(["build", "--format", "md"]) == 1
    printed = capsys.readouterr().out
    assert (
        f"out: 另一次生成正在写入这个文件夹（进程 {os.getpid()}）：请等它结束后再运行，或用 --out 指定另一个输出文件夹" in printed
    )
    assert snapshot(Path("out")) == {}
    assert main(["build", "--format", "md"]) == 0  # the lock went with its holder


def test_a_copied_department_folder_is_refused_not_listed_twice(content: Path) -> None:
    shutil.copytree("content/linjiang-nongyeju", "content/linjiang-nongyeju-backup")
    result = site(jobs=1)
    failed = {o.folder: o.messages[0] for o in result.outcomes if o.failed}
    assert failed == {
        "content/linjiang-nongyeju/2024": "content/linjiang-nongyeju/2024: 与 content/linjiang-nongyeju-backup/2024 是同一个部门的同一年度"
        "（青川市临江区农业农村局，2024年度）：网站上会列出两次；两个文件夹都不生成，请删除其中一个（例如备份的副本）",
        "content/linjiang-nongyeju-backup/2024": "content/linjiang-nongyeju-backup/2024: 与 content/linjiang-nongyeju/2024 是同一个部门的同一年度"
        "（青川市临江区农业农村局，2024年度）：网站上会列出两次；两个文件夹都不生成，请删除其中一个（例如备份的副本）",
    }
    index = Path("out/index.html").read_text(encoding="utf-8")
    assert index.count("青川市临江区农业农村局</a>") == 0 and not Path("out/linjiang-nongyeju-backup").exists()


def test_a_copy_built_alone_does_not_join_the_published_one(content: Path) -> None:
    assert not site(jobs=1).failed
    shutil.copytree("content/linjiang-nongyeju", "content/nongyeju-copy")
    result = build_site(Path("content"), [Path("content/nongyeju-copy/2024")], Path("out"), formats=FORMATS, jobs=1)
    assert [o.messages[0] for o in result.outcomes] == [
        "content/nongyeju-copy/2024: 与 content/linjiang-nongyeju/2024 是同一个部门的同一年度（青川市临江区农业农村局，2024年度）："
        "网站上会列出两次；两个文件夹都不生成，请删除其中一个（例如备份的副本）"
    ]
    assert Path("out/index.html").read_text(encoding="utf-8").count("青川市临江区农业农村局</a>") == 1


def test_two_folders_with_one_output_folder_are_refused(content: Path) -> None:
    other = Path("content/other/linjiang-nongyeju")  # a report folder named like the department, year 2024
    shutil.copytree(NONGYE, other)
    touch_contact(other, "另一份")
    manifest = other / "report.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace("青川市临江区农业农村局", "青川市临江区农业农村局（副本）"), encoding="utf-8"
    )
    result = site(jobs=1)
    failed = sorted(o.folder for o in result.outcomes if o.failed)
    assert failed == ["content/linjiang-nongyeju/2024", "content/other/linjiang-nongyeju"]
    message = next(o.messages[0] for o in result.outcomes if o.folder == str(other))
    assert message == (
        f"{other}: 与 content/linjiang-nongyeju/2024 都要生成到 linjiang-nongyeju/2024/：两个文件夹都不生成，请删除或改名其中一个（例如备份的副本）"
    )


# ---------------------------------------------------------------------------- state, modes (§14)


@pytest.mark.parametrize(
    "state",
    [
        '{"version": 2, "reports": []}',
        '{"version": 2, "reports": {"x": {"fingerprint": "a"}}}',
        '{"version": 2, "files": {"a": 1}}',
        '{"version": 2, "reports": {"x": {"fingerprint": "a", "stamp": "b", "inputs": "c", "manifest": [1, 2, "d"], '
        '"look": ["p", "t", "2024", "d", "k"], "entry": {}, "files": [], "made": 1}}}',
        '{"version": 2, "reports": {"x": {"fingerprint": "a", "stamp": "b", "inputs": "c", "manifest": [1, 2, "d"], '
        '"look": ["p", "t", 2024, "d", "k"], "entry": {"slug": "../..", "year": 1, "department": "", '
        '"title": "", "kind": "", "date": "", "formats": []}, "files": [], "made": 1}}}',
        '{"version": 1, "files": {}, "reports": {}, "pages": {}}',
        "[1, 2]",
        "{not json",
        "\xff\xfe",
    ],
)
def test_an_unusable_state_file_means_a_full_rebuild_said_once(content: Path, capsys, state: str) -> None:
    assert main(["build", "--format", "md"]) == 0
    before = snapshot(Path("out"))
    Path("out", STATE_FILE).write_bytes(state.encode("utf-8", "surrogateescape") if state != "\xff\xfe" else b"\xff\xfe")
    capsys.readouterr()
    assert main(["build", "--format", "md"]) == 0
    printed = capsys.readouterr().out
    assert printed.count(f"out/{STATE_FILE} 无法使用") == 1 and "本次全部重新生成" in printed
    assert f"新生成 {len(find_reports(content))} 份" in printed and "Traceback" not in printed
    assert snapshot(Path("out")) == before
    capsys.readouterr()
    assert main(["build", "--format", "md"]) == 0  # the state is good again: nothing rebuilt, nothing said
    printed = capsys.readouterr().out
    assert "无法使用" not in printed and f"未变化 {len(find_reports(content))} 份" in printed


def test_published_files_are_readable_whatever_the_umask(content: Path) -> None:
    previous = os.umask(0o077)
    try:
        assert not site(jobs=2).failed
        touch_contact(NONGYE, "电话 0800-3333333")
        assert not site(jobs=1).failed  # a swapped folder too
    finally:
        os.umask(previous)
    modes = {p.relative_to("out").as_posix(): stat.S_IMODE(p.stat().st_mode) for p in Path("out").rglob("*")}
    modes["."] = stat.S_IMODE(Path("out").stat().st_mode)
    wrong = {name: oct(mode) for name, mode in modes.items() if mode != (0o755 if Path("out", name).is_dir() else 0o644)}
    assert wrong == {}
    assert "linjiang-nongyeju/2024/report.md" in modes


# ---------------------------------------------------------------------------- Ctrl-C, kill -9 (§8, §9)


def _children(pid: int) -> set[int]:
    """The processes whose parent is `pid` (from /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def _gone(pids: set[int], seconds: float) -> set[int]:
    """The processes still alive after waiting up to `seconds`."""
    end = time.monotonic() + seconds
    alive = set(pids)
    while alive and time.monotonic() < end:
        alive = {
            p
            for p in alive
            if Path(f"/proc/{p}").exists() and "Z" not in Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1][:3]
        }
        time.sleep(0.05)
    return alive


def _copies(content: Path, count: int) -> None:
    """More reports to build: copies of the example departments under other names."""
    for i in range(count):
        for department in ("linjiang-jiancezhongxin", "linjiang-nongyeju"):
            copy = content / f"{department}-{i}"
            shutil.copytree(content / department, copy)
            for manifest in copy.rglob("report.yaml"):
                text = manifest.read_text(encoding="utf-8")
                manifest.write_text(text.replace("部门名称: 青川市临江区", f"部门名称: 青川市临江区{i}号"), encoding="utf-8")


def _start(*arguments: str, slow: bool = False) -> subprocess.Popen:
    program = [str(ROOT / "tests" / "slow_writes.py")] if slow else ["-m", "disclosure"]
    return subprocess.Popen(
        [sys.executable, *program, "build", *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        start_new_session=True,  # a process group of its own, as a terminal's Ctrl-C reaches it
    )


def _wait_for_workers(process: subprocess.Popen, count: int) -> set[int]:
    end = time.monotonic() + 30
    while time.monotonic() < end:
        workers = _children(process.pid)
        if len(workers) >= count:
            return workers
        time.sleep(0.05)
    raise AssertionError("the workers did not start")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_ctrl_c_ends_the_build_without_a_traceback(content: Path) -> None:
    _copies(content, 3)
    # Writes slowed down, so that the build is still running when Ctrl-C comes (14 reports are built
    # in about half a second otherwise).
    process = _start("--format", "md,html,docx", "--jobs", "2", slow=True)
    workers = _wait_for_workers(process, 2)
    time.sleep(0.5)
    os.killpg(process.pid, signal.SIGINT)  # what the terminal does: every process of the group
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "Traceback" not in out + err and "KeyboardInterrupt" not in out + err
    assert "已中断：已生成的报告完整保留，未生成的报告保持原来的版本；再次运行即可继续" in err
    assert _gone(workers, 5) == set()
    assert not [p for p in Path("out").rglob("*") if p.name.endswith(".staging")]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_end_when_the_main_process_is_killed(content: Path) -> None:
    _copies(content, 3)
    process = _start("--format", "md,html,docx", "--jobs", "2")
    workers = _wait_for_workers(process, 2)
    os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=30)
    assert _gone(workers, 5) == set()  # before: they ran on, orphaned


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_build_killed_at_any_point_leaves_each_report_wholly_old_or_new(content: Path, tmp_path: Path, jobs: int) -> None:
    _copies(content, 1)
    formats = "md,html,docx"
    assert main(["build", "--format", formats, "--jobs", "1"]) == 0
    old = snapshot(Path("out"))
    for manifest in Path("content").rglob("report.yaml"):
        touch_contact(manifest.parent, "新的联系电话 0800-9999999")
    # The new version, built apart: output is byte-reproducible, so each file's new bytes are known.
    assert main(["build", "--format", formats, "--jobs", "1", "--out", str(tmp_path / "new")]) == 0
    new = snapshot(tmp_path / "new")
    reports = sorted({name.rsplit("/", 1)[0] for name in new if name.count("/") == 2})
    # Each file written waits 40 ms (tests/slow_writes.py), so that kills fall between the writes of
    # one report's files as well as anywhere else; the whole build, timed once, bounds the kill times.
    started = time.monotonic()
    timing = _start("--format", formats, "--jobs", str(jobs), "--out", str(tmp_path / "timing"), slow=True)
    assert timing.wait(timeout=120) == 0
    duration = time.monotonic() - started
    pristine = tmp_path / "old-out"
    shutil.copytree("out", pristine)
    rng = random.Random(16 + jobs)
    updated = []  # how many reports were new at each kill: the kills fall before, during and after the writes
    for _ in range(6):
        shutil.rmtree("out")
        shutil.copytree(pristine, "out")
        process = _start("--format", formats, "--jobs", str(jobs), slow=True)
        time.sleep(rng.uniform(0.5, duration))
        workers = _children(process.pid)
        os.kill(process.pid, signal.SIGKILL)
        process.communicate(timeout=30)
        assert _gone(workers, 5) == set()
        now = snapshot(Path("out"))
        for report in reports:
            mine = {k: v for k, v in now.items() if k.startswith(report + "/")}
            was = {k: v for k, v in old.items() if k.startswith(report + "/")}
            will = {k: v for k, v in new.items() if k.startswith(report + "/")}
            assert mine in (was, will), f"{report}: a mix of versions after a kill"
        updated.append(sum(1 for report in reports if all(now.get(k) == v for k, v in new.items() if k.startswith(report + "/"))))
        # The next build recovers: everything new, no staging folder left behind.
        assert main(["build", "--format", formats, "--jobs", str(jobs)]) == 0
        assert snapshot(Path("out")) == new
        assert not [p for p in Path("out").rglob("*") if ".staging" in p.name]
    print(f"reports new at each kill, of {len(reports)}:", updated)
