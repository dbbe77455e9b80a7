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
