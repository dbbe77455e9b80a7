"""Every field the reference calls 可省略, left out one at a time: the report says less, or a located message asks for it.

The fields are enumerated from the format declarations (the same ones docs/字段参考.md is made
from), so a new optional field is audited without touching this test. For each field, the
first place a fixture gives it is found, the key is removed, and the report is read, checked
and composed again. The outcome must be one of:

* a message at a location: every error (a shape error or a rule finding) names a file of the
  folder and a line or a field path;
* the document says less, never something new: every paragraph, heading and table cell is the
  full document's, or shortened (its characters in order, its numbers among the full one's) —
  leaving a figure out never prints it as 0.00 or “无”;
* for the few fields whose documented default is another field the user wrote (an evaluation's
  主管部门 is the department), the document says that instead.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from disclosure.document.blocks import Heading, Island, Paragraph
from disclosure.document.table import Table
from disclosure.errors import ReportError, Severity
from disclosure.pipeline import Toolkit, checked, render
from disclosure.read.fields import Either, Field, ListOf, MapOf, Record, Type
from disclosure.read.folder import read_report
from disclosure.read.format import EVALUATION, EVALUATION_FOLDER, FILES, Indicators
from disclosure.read.reference import field_reference

from conftest import CONTENT, ROOT

FIXTURES = (
    ROOT / "tests" / "fixtures" / "minimal" / "2024",
    CONTENT / "linjiang-yibaoju" / "2024",
    CONTENT / "linjiang-jiancezhongxin" / "2024",
    CONTENT / "linjiang-nongyeju" / "2024",
    CONTENT / "linjiang-shichangjianguanju" / "2024",
)
TOOLKIT = Toolkit()
ANY_ITEM, ANY_KEY = "[]", "*"
# Fields whose documented default is another thing the user wrote: left out, the document says that instead.
DEFAULTS_FROM_THE_USER = {
    "evaluations/*.yaml/完成情况": "默认取本表的“实际完成情况”",
    "evaluations/*.yaml/主管部门": "默认为 report.yaml 的部门名称",
    "evaluations/*.yaml/实施单位": "默认为 report.yaml 的部门名称",
    "evaluations/*.yaml/版式": "默认为 report.yaml 的“绩效表版式”",
}


# ---------------------------------------------------------------------------- the optional fields of the format


@dataclass(frozen=True)
class Optional:
    file: str  # a file name, or evaluations/*.yaml
    path: tuple[str, ...]  # keys down to the record, with [] for any list item and * for any map key
    field: Field

    @property
    def name(self) -> str:
        return "/".join((self.file, *self.path, self.field.key))


def _walk(kind: Type, path: tuple[str, ...], seen: frozenset[int]) -> Iterator[tuple[tuple[str, ...], Field]]:
    if id(kind) in seen:
        return
    seen = seen | {id(kind)}
    if isinstance(kind, Record):
        for field in kind.fields:
            yield path, field
            yield from _walk(field.type, (*path, field.key), seen)
    elif isinstance(kind, Either):
        yield from _walk(kind.record, path, seen)
    elif isinstance(kind, ListOf):
        yield from _walk(kind.item, (*path, ANY_ITEM), seen)
    elif isinstance(kind, MapOf):
        yield from _walk(kind.value, (*path, ANY_KEY), seen)
    elif isinstance(kind, Indicators):
        indicator = kind.indicator_record()
        yield from _walk(indicator, (*path, ANY_KEY, ANY_KEY, ANY_ITEM), seen)  # grouped
        yield from _walk(indicator, (*path, ANY_ITEM), seen)  # the Chongqing flat list


def optional_fields() -> list[Optional]:
    found: dict[str, Optional] = {}
    tops = [(spec.name, spec.record) for spec in FILES] + [(f"{EVALUATION_FOLDER}/*.yaml", EVALUATION)]
    for file, record in tops:
        for path, field in _walk(record, (), frozenset()):
            if not field.required:
                entry = Optional(file, path, field)
                found.setdefault(entry.name, entry)
    return list(found.values())


OPTIONAL = optional_fields()


def test_the_reference_marks_exactly_these_fields_optional():
    # The reference prints “可省略” or “默认 …” for exactly the fields that are not required.
    reference = field_reference()
    marked = reference.count("| 可省略 |") + len(re.findall(r"\| 默认 [^|]+ \|", reference))
    assert marked >= len({(o.field.key, o.field.doc) for o in OPTIONAL}) > 100


# ---------------------------------------------------------------------------- finding and leaving out a field


def _files(folder: Path, file: str) -> list[Path]:
    if file.startswith(EVALUATION_FOLDER):
        return sorted((folder / EVALUATION_FOLDER).glob("*.yaml"))
    return [folder / file] if (folder / file).is_file() else []


def _locate(data: object, path: tuple[str, ...], field: Field) -> list | None:
    """The concrete keys down to the first record along `path` that gives `field` (by its key or an alias)."""
    names = (field.key, *field.aliases)
    if not path:
        if isinstance(data, dict):
            key = next((k for k in data if k in names), None)
            return [key] if key is not None else None
        return None
    head, rest = path[0], path[1:]
    if head == ANY_ITEM:
        items = enumerate(data) if isinstance(data, list) else ()
    elif head == ANY_KEY:
        items = data.items() if isinstance(data, dict) else ()  # type: ignore[assignment]
    else:
        items = [(k, v) for k, v in data.items() if k == head] if isinstance(data, dict) else []  # type: ignore[assignment]
    for key, value in items:
        found = _locate(value, rest, field)
        if found is not None:
            return [key, *found]
    return None


def _nulls(data: object) -> object:
    """Empty values become null again when dumped (the raw loader reads a missing value as "")."""
    if isinstance(data, dict):
        return {k: _nulls(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_nulls(v) for v in data]
    return None if data == "" else data


def _dump(data: object) -> str:
    return yaml.safe_dump(_nulls(data), allow_unicode=True, sort_keys=False, default_flow_style=False, width=4096)


@dataclass(frozen=True)
class Case:
    fixture: Path
    file: Path  # relative to the fixture
    keys: tuple
    optional: Optional

    @property
    def id(self) -> str:
        return f"{self.fixture.parent.name}/{self.file.as_posix()}:{'.'.join(str(k) for k in self.keys)}"


def cases() -> list[Case]:
    found: list[Case] = []
    for optional in OPTIONAL:
        for fixture in FIXTURES:
            hit = None
            for path in _files(fixture, optional.file):
                data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
                keys = _locate(data, optional.path, optional.field)
                if keys is not None:
                    hit = Case(fixture, path.relative_to(fixture), tuple(keys), optional)
                    break
            if hit is not None:
                found.append(hit)
                break  # one fixture per field: the first that gives it
    return found


CASES = cases()


def test_most_optional_fields_are_given_by_some_fixture():
    covered = {c.optional.name for c in CASES}
    missing = sorted(o.name for o in OPTIONAL if o.name not in covered)
    # The others are left out in every fixture already, and every fixture builds without findings
    # (test_seed_errors.test_clean_examples_have_no_findings): they say nothing when absent.
    assert len(covered) >= 0.6 * len(OPTIONAL), missing


# ---------------------------------------------------------------------------- what the document says


def _said(folder: Path) -> tuple[list[str], dict[str, list[tuple[str, ...]]]]:
    """The document's paragraphs and headings, and each table's rows of cell texts."""
    report = read_report(folder)
    document = render(report, TOOLKIT).document
    texts: list[str] = []
    tables: dict[str, list[tuple[str, ...]]] = {}
    for block in document.blocks:
        if isinstance(block, Heading):
            texts.append(block.text)
        elif isinstance(block, Paragraph):
            texts.append(block.text)
        elif isinstance(block, Island) and isinstance(block.value, Table):
            table = block.value
            tables[table.key] = [tuple(cell.text for cell in row) for row in table.body]
    return texts, tables


NUMBER = re.compile(r"\d+(?:\.\d+)?%?")


def _shortened(new: str, old: str) -> bool:
    """A paragraph is the old one with parts left out: its characters in order, its numbers among the old one's."""
    it = iter(old)
    if not all(ch in it for ch in new):
        return False
    numbers = NUMBER.findall(old)
    return all(n in numbers for n in NUMBER.findall(new))


def _located(error_location, folder: Path) -> bool:
    shown = error_location.file.replace("\\", "/")
    return shown.startswith(folder.as_posix()) and bool(error_location.line or error_location.path)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_an_optional_field_left_out(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    root = tmp_path / "content"
    shutil.copytree(case.fixture.parent, root / case.fixture.parent.name)
    folder = Path("content") / case.fixture.parent.name / case.fixture.name
    monkeypatch.chdir(tmp_path)
    path = folder / case.file
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    path.write_text(_dump(data), encoding="utf-8")  # the full version, as the test writes files
    full = checked(read_report(folder), TOOLKIT)
    assert not full.errors, [f.render(with_source=False) for f in full.errors]
    before_texts, before_tables = _said(folder)

    holder = data
    for key in case.keys[:-1]:
        holder = holder[key]
    del holder[case.keys[-1]]
    path.write_text(_dump(data), encoding="utf-8")

    try:
        report = read_report(folder)
    except ReportError as exc:
        assert all(_located(e.location, folder) for e in exc.errors), exc.render(with_source=False)
        return
    left = checked(report, TOOLKIT)
    if left.errors:
        assert all(_located(f.location, folder) for f in left.errors), [f.render(with_source=False) for f in left.errors]
        return
    if case.optional.name in DEFAULTS_FROM_THE_USER:
        _said(folder)  # it still builds; what it says instead is the user's own other field
        return
    texts, tables = _said(folder)
    new = [t for t in texts if t not in before_texts and not any(_shortened(t, old) for old in before_texts)]
    assert new == [], f"leaving out {case.optional.name} made the text say something new"
    for key, rows in tables.items():
        old_rows = before_tables.get(key, [])
        for row in rows:
            if row in old_rows:
                continue
            blanked = [
                old
                for old in old_rows
                if len(old) == len(row) and all(n == o or _shortened(n, o) for n, o in zip(row, old, strict=True))
            ]
            assert blanked, f"leaving out {case.optional.name} changed a cell of {key}: {row}"
    # warnings may ask for it; any warning new to this run is located too
    for finding in left.findings:
        if finding.severity is Severity.WARNING and finding not in full.findings:
            assert _located(finding.location, folder), finding.render(with_source=False)
