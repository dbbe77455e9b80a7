"""Select the glossary (名词解释) of a document: the standard terms it uses, its 项 items, the department's own."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .. import model as m
from ..read.glossary import StandardGlossary


@dataclass(frozen=True)
class Entry:
    """One glossary entry as printed."""

    term: str
    text: str


@dataclass(frozen=True)
class Glossary:
    """The entries in printed order, and what stands between a term and its explanation (“：”)."""

    entries: tuple[Entry, ...]
    separator: str = ""


def select(report: m.Report, used_text: str, item_names: Sequence[str], standard: StandardGlossary, separator: str) -> Glossary:
    """Keep the standard terms that appear in the document, then 项 items, then the department's terms.

    A department term with the name of a standard one replaces its explanation in place.
    """
    own = {t.name: t.text for t in report.glossary}
    entries: list[Entry] = []
    for name, text in standard.terms:
        if name in used_text or name in own:
            entries.append(Entry(name, own.pop(name, text)))
    for name in dict.fromkeys(item_names):
        if name in own:
            entries.append(Entry(name, own.pop(name)))
        elif name in standard.items:
            entries.append(Entry(name, standard.items[name]))
    entries += [Entry(name, text) for name, text in own.items()]
    return Glossary(tuple(entries), separator)
