"""Describe the content format for editors and people: JSON Schema files and a field reference.

Both are generated from the declarations in format.py, so they cannot drift from the reader.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from .fields import Either, Field, ListOf, MapOf, Percent, Record, Type
from .format import EVALUATION, EVALUATION_FOLDER, FILES, Indicators

SCHEMA_BASE = "https://example.invalid/disclosure/schema/"


def _documents() -> list[tuple[str, Type, str]]:
    documents: list[tuple[str, Type, str]] = [(spec.name, spec.record, spec.doc) for spec in FILES]
    documents.append((f"{EVALUATION_FOLDER}/*.yaml", EVALUATION, "绩效自评表（每个文件一张表）"))
    return documents


def schema_name(source: str) -> str:
    """report.yaml → report.schema.json; evaluations/*.yaml → evaluation.schema.json."""
    return source.replace(f"{EVALUATION_FOLDER}/*", "evaluation").replace(".yaml", ".schema.json")


def schema_for(file: Path) -> str:
    """The schema file name a content file follows: evaluations/*.yaml → evaluation.schema.json, else by its name."""
    return schema_name(f"{EVALUATION_FOLDER}/*.yaml" if file.parent.name == EVALUATION_FOLDER else file.name)


def schema_comment(file: Path, schema_folder: Path = Path("schema")) -> str:
    """The first lines of a content file: the schema it follows, for VS Code's YAML extension and JetBrains IDEs.

    The address is relative to the file, so it works wherever the project folder is.
    """
    target = Path(os.path.abspath(schema_folder)) / schema_for(file)
    address = os.path.relpath(target, os.path.abspath(file.parent)).replace(os.sep, "/")
    return f"# yaml-language-server: $schema={address}\n# $schema: {address}\n"


def json_schemas() -> dict[str, dict]:
    """Return the JSON Schema of every file of a report folder, keyed by the schema file name."""
    schemas: dict[str, dict] = {}
    for source, record, doc in _documents():
        name = schema_name(source)
        schemas[name] = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": SCHEMA_BASE + name,
            **record.schema(),
            "title": f"{source}：{doc}",
        }
    return schemas


def schema_files() -> dict[str, bytes]:
    """The bytes of every published file: schema/*.schema.json and docs/字段参考.md."""
    files = {
        f"schema/{name}": (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        for name, doc in json_schemas().items()
    }
    files["docs/字段参考.md"] = field_reference().encode("utf-8")
    return files


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _kind(field_type: Type) -> str:
    if isinstance(field_type, Record):
        return f"见“{field_type.ref}”"
    if isinstance(field_type, ListOf):
        inner = field_type.item
        return f"列表，每项见“{inner.ref}”" if isinstance(inner, Record) else f"列表：{inner.doc}"
    if isinstance(field_type, MapOf):
        return f"若干“键: 值”（{field_type.name}）"
    if isinstance(field_type, Indicators):
        return "一级指标 → 二级指标 → 三级指标列表，三级指标见“三级指标”"
    return field_type.doc or "文字"


def _default(spec: Field) -> str:
    if spec.required:
        return "必填"
    if spec.default is None or callable(spec.default) or spec.default == "":
        return "可省略"
    suffix = "%" if isinstance(spec.type, Percent) else ""
    return f"默认 {spec.default}{suffix}"


def _nested(field_type: Type) -> list[Record]:
    if isinstance(field_type, Record):
        return [field_type]
    if isinstance(field_type, Either):
        return [field_type.record]
    if isinstance(field_type, ListOf | MapOf):
        inner = field_type.item if isinstance(field_type, ListOf) else field_type.value
        return _nested(inner)
    if isinstance(field_type, Indicators):
        return [field_type.indicator_record()]
    return []


def _record_table(record: Record, level: int, seen: set[str]) -> list[str]:
    lines = [f"{'#' * level} {record.ref}", ""]
    if record.doc and record.doc != record.name:
        lines += [record.doc, ""]
    lines += ["| 键 | 内容 | 是否必填 | 说明 |", "| --- | --- | --- | --- |"]
    children: list[Record] = []
    for spec in record.fields:
        names = "、".join((spec.key, *spec.aliases))
        lines.append(f"| {_cell(names)} | {_cell(_kind(spec.type))} | {_default(spec)} | {_cell(spec.doc)} |")
        for child in _nested(spec.type):
            if child.ref not in seen:
                seen.add(child.ref)
                children.append(child)
    lines.append("")
    for child in children:
        lines += _record_table(child, level + 1, seen)
    return lines


def field_reference() -> str:
    """Render every file and field of the content format as Markdown tables, in Chinese."""
    lines = [
        "# 字段参考",
        "",
        "<!-- 本文件由 `python build.py schema` 根据 disclosure/read/format.py 自动生成，请勿手工修改。 -->",
        "",
        "每个报告文件夹（content/<部门>/<年度>/）中可以有下列文件。格式说明和完整示例见 [格式说明.md](格式说明.md)。",
        "",
    ]
    for source, record, doc in _documents():
        lines += [f"## {source}", "", doc, ""]
        seen: set[str] = set()
        if isinstance(record, Record):
            seen.add(record.ref)
            lines += _record_table(record, 3, seen)
        else:
            for child in _nested(record):
                lines += _record_table(child, 3, seen)
    return "\n".join(lines).rstrip() + "\n"
