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


def _plain(value: Any) -> Any:
    kind = type(value)
    spec = _FIELDS.get(kind)
    if spec is not None:
        out: dict[str, Any] = {"_": kind.__name__}
        for name, default in spec:
            item = getattr(value, name)
            if item is default or (default is not _MISSING and item == default):
                continue
            out[name] = item if isinstance(item, str | int | bool) else _plain(item)
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
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


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
