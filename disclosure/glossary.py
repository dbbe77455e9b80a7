"""Select the glossary (名词解释) of a document: the standard terms it uses, its 项 items, the department's own."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from . import model as m


@dataclass(frozen=True)
class Entry:
    """One glossary entry as printed."""

    term: str
    text: str


@dataclass(frozen=True)
class Glossary:
    entries: tuple[Entry, ...]


@cache
def standard(path: Path) -> tuple[tuple[tuple[str, str], ...], dict[str, str]]:
    """Load the standard terms and the 项 explanations of a template folder once per process."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    terms = tuple((t["名词"], t["解释"]) for t in data["标准名词"])
    return terms, dict(data["科目解释"])


def select(report: m.Report, used_text: str, item_names: list[str], path: Path) -> Glossary:
    """Keep the standard terms that appear in the document, then 项 items, then the department's terms.

    A department term with the name of a standard one replaces its explanation in place.
    """
    terms, items = standard(path)
    own = {t.name: t.text for t in report.glossary}
    entries: list[Entry] = []
    for name, text in terms:
        if name in used_text or name in own:
            entries.append(Entry(name, own.pop(name, text)))
    for name in dict.fromkeys(item_names):
        if name in own:
            entries.append(Entry(name, own.pop(name)))
        elif name in items:
            entries.append(Entry(name, items[name]))
    entries += [Entry(name, text) for name, text in own.items()]
    return Glossary(tuple(entries))
