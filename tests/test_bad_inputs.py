"""Every bad input in tests/bad_inputs.yaml gives exactly its expected `file:line: path: message`."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from disclosure.errors import ReportError
from disclosure.pipeline import checked as check_report
from disclosure.read.folder import read_report

TESTS = Path(__file__).resolve().parent
MINIMAL = TESTS / "fixtures" / "minimal" / "2024"
CASES: list[dict] = yaml.safe_load((TESTS / "bad_inputs.yaml").read_text(encoding="utf-8"))
FOLDER = Path("minimal/2024")  # as the tool prints it, relative to the working folder

# libyaml's vocabulary: none of it may reach a finance officer.
LIBYAML_WORDS = re.compile(
    r"Traceback|Error|found|expected|while|scanning|parsing|mapping|sequence|scalar|token|stream"
    r"|indicator|character|alias|anchor|document|allowed|block|flow|simple key|line \d|column \d",
    re.IGNORECASE,
)
# English the messages may contain on purpose: file names and a few technical names.
ALLOWED_ENGLISH = re.compile(r"[\w./-]*\.(yaml|yml|txt|docx|xlsx|xls|ods)|evaluations/|YAML|Tab|UTF-8|UTF-16|GBK|GB2312|GB18030")
QUOTED_INPUT = re.compile(r"“[^”]*”")  # what the user typed, echoed back


def _apply(case: dict, folder: Path) -> None:
    path = folder / case["file"]
    if case.get("delete"):
        path.unlink()
    elif "text" in case:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(case["text"].encode(case.get("encoding", "utf-8")))
    else:
        old, new = case["replace"]
        text = path.read_text(encoding="utf-8")
        # An edit that matches nowhere, or twice, would test something else than it says.
        assert text.count(old) == 1, f"{case['name']}: {old!r} occurs {text.count(old)} times in {case['file']}"
        path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the minimal report at <tmp>/minimal/2024, read from <tmp>."""
    shutil.copytree(MINIMAL, tmp_path / FOLDER)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_fixture_file_is_well_formed() -> None:
    assert len(CASES) >= 35
    names = [case["name"] for case in CASES]
    assert len(names) == len(set(names)), "case names must be unique"
    for case in CASES:
        assert set(case) <= {"name", "file", "replace", "text", "delete", "encoding", "expect", "source", "also"}, case["name"]
        assert sum(key in case for key in ("replace", "text", "delete")) == 1, case["name"]
        assert "expect" in case, case["name"]


def test_the_minimal_report_is_valid(workdir: Path) -> None:
    checked = check_report(read_report(FOLDER))
    assert [f.render(with_source=False) for f in checked.findings] == []


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_bad_input(case: dict, workdir: Path) -> None:
    _apply(case, workdir / FOLDER)
    if case["expect"] is None:
        # Accepted deliberately: it reads, and reads as the same numbers (every check passes).
        checked = check_report(read_report(FOLDER))
        assert [f.render(with_source=False) for f in checked.findings] == []
        return
    with pytest.raises(ReportError) as caught:
        read_report(FOLDER)
    first, *others = caught.value.errors
    # Independent problems are all reported in the same run; `also` lists the ones after the first.
    assert [e.render(with_source=False) for e in others] == case.get("also", [])
    lines = first.render().split("\n")
    assert lines[0] == case["expect"]
    if "source" in case:
        assert len(lines) >= 2, "no source line shown"
        number, _, shown = lines[1].partition(" | ")
        assert int(number) == first.location.line
        assert shown == case["source"]
    else:
        assert len(lines) == 1, f"unexpected source line: {lines[1:]}"


@pytest.mark.parametrize("case", [c for c in CASES if c["expect"]], ids=[c["name"] for c in CASES if c["expect"]])
def test_messages_are_chinese_not_libyaml_or_python(case: dict) -> None:
    # Checked on the expectations themselves: the exact-text test above ties them to the tool.
    assert "Traceback" not in case["expect"]
    assert _english(case["expect"]) == [], case["expect"]


def _english(line: str) -> list[str]:
    """Return the English words of a message line, beyond file names and the user's own input."""
    rest = ALLOWED_ENGLISH.sub("", QUOTED_INPUT.sub("", line))
    return LIBYAML_WORDS.findall(rest) + re.findall(r"[A-Za-z]{2,}", rest)


def test_the_english_filter_would_catch_libyaml() -> None:
    # Guard: the filter rejects what the old fallback printed, and passes a good message.
    assert _english("t.yaml:2: YAML 格式错误（found character that cannot start any token）")
    assert _english("t.yaml:2: Traceback (most recent call last):")
    assert _english("minimal/2024/notes.yml: 扩展名应为 .yaml：请改名为 notes.yaml；“abc”不是数值") == []
