"""The published JSON Schema (schema/) is current and accepts the bundled examples."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from disclosure.read.reference import json_schemas

from conftest import CONTENT, ROOT

EXAMPLES = sorted(CONTENT.glob("**/*.yaml"))


def schema_for(path: Path) -> dict:
    name = "evaluation.schema.json" if path.parent.name == "evaluations" else path.name.replace(".yaml", ".schema.json")
    return json.loads((ROOT / "schema" / name).read_text(encoding="utf-8"))


def named_schema(path: Path) -> Path:
    """The schema a content file names on its first line, for VS Code's YAML extension."""
    first, second = path.read_text(encoding="utf-8").splitlines()[:2]
    assert first.startswith("# yaml-language-server: $schema="), path
    address = first.split("=", 1)[1]
    assert second == f"# $schema: {address}", path  # the JetBrains IDEs' form of the same line
    return (path.parent / address).resolve()


class _Loader(yaml.BaseLoader):
    """Every scalar as typed text, and an empty plain value as null (as the reader takes it: not given)."""


_Loader.add_constructor(
    "tag:yaml.org,2002:str",
    lambda loader, node: None if node.value == "" and node.style is None else loader.construct_scalar(node),
)


def raw(text: str):
    """Load YAML as an editor's language server sees our files: every scalar as typed text, `键:` as null."""
    return yaml.load(text, Loader=_Loader)


def test_committed_schema_is_current():
    result = subprocess.run([sys.executable, "build.py", "schema", "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_every_file_kind_has_a_schema():
    assert sorted(json_schemas()) == sorted(p.name for p in (ROOT / "schema").glob("*.schema.json"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: str(p.relative_to(CONTENT)))
def test_examples_validate(path: Path):
    # The file is checked against the schema its own first line names, which must be the one for its kind.
    named = named_schema(path)
    expected = "evaluation.schema.json" if path.parent.name == "evaluations" else path.name.replace(".yaml", ".schema.json")
    assert named == (ROOT / "schema" / expected).resolve()
    schema = json.loads(named.read_text(encoding="utf-8"))
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(raw(path.read_text(encoding="utf-8"))))
    assert errors == []


def test_the_editor_settings_map_every_content_file_to_its_schema():
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))["yaml.schemas"]
    for path in EXAMPLES:
        relative = path.relative_to(ROOT).as_posix()
        matched = [schema for schema, pattern in settings.items() if Path(relative).match(pattern.replace("**/", "*/*/"))]
        assert [(ROOT / m).resolve() for m in matched] == [named_schema(path)], relative


def test_schema_rejects_an_unknown_key_and_a_bad_choice():
    validator = jsonschema.Draft202012Validator(schema_for(Path("report.yaml")))
    good = raw("部门名称: 某局\n年度: 2024\n")
    assert list(validator.iter_errors(good)) == []
    assert not validator.is_valid(raw("部门名称: 某局\n年度: 2024\n部门名: 某局\n"))
    assert not validator.is_valid(raw("部门名称: 某局\n年度: 2024\n金额单位: 千元\n"))
    assert not validator.is_valid(raw("年度: 2024\n"))
    # An optional field left empty is not given (the reader's rule); a required one may not be empty.
    assert validator.is_valid(raw("部门名称: 某局\n年度: 2024\n公开日期:\n金额单位:\n"))
    assert not validator.is_valid(raw("部门名称:\n年度: 2024\n"))


def test_schema_checks_amount_text():
    procurement = schema_for(Path("notes.yaml"))["properties"]["政府采购"]
    validator = jsonschema.Draft202012Validator(procurement)
    assert validator.is_valid(raw("{合计: 96.50, 货物: 96.50}"))
    assert not validator.is_valid(raw("{合计: 96万}"))
    assert not validator.is_valid(raw("{合计: 100%}"))
    assert not validator.is_valid(raw("{货物: 1}"))  # 合计 is required


# ---------------------------------------------------------------------------- one source for reader and schema


def _records(record, seen: set[int] | None = None):
    """Every Record reachable from a file's top record (lists, maps and the indicator tree included)."""
    from disclosure.read.fields import Either, ListOf, MapOf, Record
    from disclosure.read.format import Indicators

    seen = set() if seen is None else seen
    if id(record) in seen:
        return
    seen.add(id(record))
    if isinstance(record, Record):
        yield record
        for field in record.fields:
            yield from _records(field.type, seen)
    elif isinstance(record, Either):
        yield from _records(record.record, seen)
    elif isinstance(record, ListOf):
        yield from _records(record.item, seen)
    elif isinstance(record, MapOf):
        yield from _records(record.value, seen)
    elif isinstance(record, Indicators):
        yield from _records(record.indicator_record(), seen)


def _all_records():
    from disclosure.read.format import EVALUATION, FILES

    for top in (*(spec.record for spec in FILES), EVALUATION):
        yield from _records(top)


def test_every_alias_the_reader_accepts_is_in_the_schema():
    aliased = [(r, f) for r in _all_records() for f in r.fields if f.aliases]
    assert len(aliased) >= 8  # 预期目标/年初设定目标, 实际完成情况/完成情况, 三公经费, 国有资产, 04表 columns …
    for record, field in aliased:
        schema = record.schema()
        for alias in field.aliases:
            assert alias in schema["properties"], (record.name, alias)
            assert schema["properties"][alias]["type"] == schema["properties"][field.key]["type"]


def test_evaluation_goals_written_with_the_aliases_validate():
    validator = jsonschema.Draft202012Validator(schema_for(Path("evaluations/x.yaml"))["properties"]["年度总体目标"])
    assert validator.is_valid(raw("{年初设定目标: 甲, 完成情况: 乙}"))
    assert validator.is_valid(raw("{预期目标: 甲, 实际完成情况: 乙}"))
    # Required under either name: leaving out both is still an error.
    assert not validator.is_valid(raw("{年初设定目标: 甲}"))


def test_notes_with_the_aliased_keys_validate():
    text = (ROOT / "content" / "linjiang-yibaoju" / "2024" / "notes.yaml").read_text(encoding="utf-8")
    for key, alias in (("三公经费:", "“三公”经费:"), ("国有资产:", "国有资产占用:"), ("因公出国（境）:", "因公出国:")):
        assert text.count(key) == 1
        text = text.replace(key, alias)
    assert list(jsonschema.Draft202012Validator(schema_for(Path("notes.yaml"))).iter_errors(raw(text))) == []


def test_field_reference_documents_each_class_tables_own_columns():
    reference = (ROOT / "docs" / "字段参考.md").read_text(encoding="utf-8")

    def section(title: str) -> str:
        start = reference.index(f" {title}\n")
        return reference[start : reference.index("\n#", start)]

    assert {"年初预算", "调整预算", "原因"} <= {
        line.split(" | ")[0].lstrip("| ") for line in section("公开05表科目行").splitlines()
    }
    columns08 = section("公开08表科目行")
    for column in ("年初结转和结余", "本年收入", "本年支出", "基本支出", "项目支出", "年末结转和结余"):
        assert f"| {column} |" in columns08, column
    assert "| 对附属单位补助支出 |" in section("公开03表合计行")
    assert "年初预算" not in section("公开02表科目行")
