"""A Document as data and back: the JSON kept beside a published report, so a correction compares models, not text.

Every block, island value and cell is a frozen dataclass; each is written as an object with its
class name under "_" and its fields, Decimals as their exact text, tuples as lists. Reading back
gives an equal Document (a test holds it so).
"""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal
from typing import Any

from .blocks import Chart, Contents, Cover, Document, Heading, Island, Mention, Paragraph, Run, Series
from .glossary import Entry, Glossary
from .table import Cell, Table

_CLASSES: dict[str, type] = {
    c.__name__: c
    for c in (Chart, Series, Contents, Cover, Document, Heading, Island, Mention, Paragraph, Run, Entry, Glossary, Cell, Table)
}
VERSION = 1


_MISSING = object()
# Per class: its fields and their defaults (a field at its default is left out: most cells are plain text).
_FIELDS: dict[type, tuple[tuple[str, Any], ...]] = {
    c: tuple((f.name, _MISSING if f.default is dataclasses.MISSING else f.default) for f in dataclasses.fields(c))
    for c in _CLASSES.values()
}
_AS_IS = (str, int, bool)


# A report holds thousands of cells: theirs are written field by field, about twice as fast as the
# general loop below (the fields and defaults are checked against Cell's own, so that a new field
# cannot be missed).
_CELL_FIELDS = (
    ("text", ""), ("header", False), ("rowspan", 1), ("colspan", 1), ("align", "left"), ("strong", False),
    ("indent", 0), ("kind", "text"), ("scope", "row"), ("value", None),
)  # fmt: skip
if _FIELDS[Cell] != _CELL_FIELDS:
    raise AssertionError("document/data.py: _cell_plain does not write every field of Cell")


def _cell_plain(c: Cell) -> dict[str, Any]:
    out: dict[str, Any] = {"_": "Cell"}
    if c.text != "":
        out["text"] = c.text
    if c.header is not False:
        out["header"] = c.header
    if c.rowspan != 1:
        out["rowspan"] = c.rowspan
    if c.colspan != 1:
        out["colspan"] = c.colspan
    if c.align != "left":
        out["align"] = c.align
    if c.strong is not False:
        out["strong"] = c.strong
    if c.indent != 0:
        out["indent"] = c.indent
    if c.kind != "text":
        out["kind"] = c.kind
    if c.scope != "row":
        out["scope"] = c.scope
    if c.value is not None:
        out["value"] = {"_": "Decimal", "text": str(c.value)}
    return out


def _plain(value: Any) -> Any:
    kind = type(value)
    if kind is Cell:
        return _cell_plain(value)
    if kind in _AS_IS or value is None:
        return value
    if kind is tuple or kind is list:
        return [_cell_plain(item) if type(item) is Cell else _plain(item) for item in value]
    spec = _FIELDS.get(kind)
    if spec is not None:
        out: dict[str, Any] = {"_": kind.__name__}
        for name, default in spec:
            item = getattr(value, name)
            if item is default or (default is not _MISSING and item == default):
                continue
            out[name] = item if type(item) in _AS_IS else _plain(item)
        return out
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        raise TypeError(f"no data form for {kind.__name__}")
    if isinstance(value, Decimal):
        return {"_": "Decimal", "text": str(value)}
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _object(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_object(item) for item in value)
    if isinstance(value, dict):
        name = value.get("_")
        if name == "Decimal":
            return Decimal(value["text"])
        if name in _CLASSES:
            cls = _CLASSES[name]
            names = {spec.name for spec in dataclasses.fields(cls)}
            return cls(**{k: _object(v) for k, v in value.items() if k in names})
        return {k: _object(v) for k, v in value.items()}
    return value


def document_data(document: Document) -> bytes:
    """The JSON bytes of a Document (sorted keys, so the same Document gives the same bytes)."""
    data = {"version": VERSION, "document": _plain(document)}
    # Keys come in field order, the same for the same Document: no sorting needed for reproducible bytes.
    # A document holds no cycle (it is made of frozen dataclasses and tuples): no need to look for one.
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":"), check_circular=False) + "\n").encode("utf-8")


def read_document(data: bytes) -> Document | None:
    """The Document a JSON of `document_data` holds, or None when it is of another version or not one."""
    try:
        loaded = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(loaded, dict) or loaded.get("version") != VERSION:
        return None
    document = _object(loaded.get("document"))
    if not isinstance(document, Document):
        return None
    # The meta mapping and a table's extra come back as dicts already; a Document's lists as tuples.
    return document
