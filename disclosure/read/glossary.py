"""Read a profile's standard glossary (templates/…/glossary.yaml) with the project's own YAML reader.

A slip in the file is a located Chinese message like any content file's, never a traceback.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import Location, ReportError, display_path
from ..resources import Project
from .fields import Field, ListOf, MapOf, Record, Text
from .source import load_yaml


@dataclass(frozen=True)
class StandardGlossary:
    """The standard terms (name, explanation) in printed order, and the explanations of 项 items by name."""

    terms: tuple[tuple[str, str], ...]
    items: dict[str, str]


_TERM = Record("名词", (Field("名词", "name", Text(), True), Field("解释", "text", Text(), True)))
_GLOSSARY = Record(
    "标准名词解释",
    (
        Field("标准名词", "terms", ListOf(_TERM), True, doc="按顺序列出的标准名词和解释"),
        Field("科目解释", "items", MapOf("科目解释", None, Text()), True, doc="功能分类“项”级科目名称和解释"),
    ),
)


@lru_cache(maxsize=16)
def _read(path: str, _stamp: tuple[int, int]) -> StandardGlossary:
    values = _GLOSSARY.read(load_yaml(Path(path), display_path(Path(path))))
    terms = tuple((term["name"], term["text"]) for term in values["terms"])
    return StandardGlossary(terms, {entry.key: entry.value for entry in values["items"]})


def standard_glossary(path: Path) -> StandardGlossary:
    """Load a standard glossary once per process and version of the file."""
    info = os.stat(path)
    return _read(os.fspath(path), (info.st_size, info.st_mtime_ns))


GLOSSARY_FILE = "glossary.yaml"  # a profile's standard terms and the explanations of 项 items


def profile_glossary(project: Project, profile: str) -> StandardGlossary:
    """The standard glossary of a profile (its own glossary.yaml, else the shared one)."""
    path = project.template_file(profile, GLOSSARY_FILE)
    if path is None:
        raise ReportError(Location(f"templates/{profile}/{GLOSSARY_FILE}"), f"提纲“{profile}”缺少名词解释文件 {GLOSSARY_FILE}")
    return standard_glossary(path)
