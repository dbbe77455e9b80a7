"""The site around the reports: an index of every department and year, a page per department, a sitemap.

Pages are rendered by the theme's `index.html.j2` and `department.html.j2` (autoescaped), with
the theme's stylesheet inlined, so each page is self-contained and works from a file system
as well as from a web server. The name filter on the index is a few lines of inline script.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from urllib.parse import quote, urlsplit

from ..errors import Location, ReportError, display_path
from ..read.format import SITE
from ..read.source import load_yaml
from ..resources import Theme
from ..writers import WRITERS

SITE_FILE = "site.yaml"


@dataclass(frozen=True)
class Entry:
    """One published report as the index lists it."""

    slug: str
    year: int
    department: str
    title: str
    kind: str
    date: str  # publication date, ISO, or ""
    formats: tuple[str, ...]  # the files there are: html, docx, md …
    corrections: tuple[tuple[str, str], ...] = ()  # (date, notice file) of each correction, oldest first

    @property
    def folder(self) -> str:
        return f"{self.slug}/{self.year}"

    @property
    def address(self) -> str:
        """The report's folder as a relative address: every path segment percent-encoded."""
        return f"{segment(self.slug)}/{self.year}"

    def links(self, prefix: str = "") -> list[tuple[str, str]]:
        """(format, address) of each file of the report; the theme names the formats and chooses which to offer."""
        return [
            (f, f"{prefix}{self.address}/{segment(WRITERS[f].file)}") for f in self.formats if f in WRITERS and WRITERS[f].file
        ]


def segment(name: str) -> str:
    """One path segment of an address, percent-encoded: a folder named `javascript:alert(1)` stays a relative path."""
    return quote(name, safe="")


@dataclass(frozen=True)
class Department:
    slug: str
    name: str
    entries: tuple[Entry, ...]  # newest year first

    @property
    def href(self) -> str:
        """The department page's address relative to the index, percent-encoded."""
        return f"{segment(self.slug)}/index.html"


@dataclass(frozen=True)
class Site:
    title: str
    url: str
    intro: str


def read_site(root: Path) -> Site:
    """Read content/site.yaml (optional): the site's name, address and introduction."""
    path = root / SITE_FILE
    if not os.path.lexists(path):
        return Site("部门决算公开", "", "")
    values = SITE.read(load_yaml(path, display_path(path)))
    return Site(values["title"], site_url(values["url"], values.where.get("url", values.loc)), values["intro"])


def site_url(text: str, where: Location) -> str:
    """The 网址 of site.yaml: an http(s) address, percent-encoded where it holds other characters."""
    if not text:
        return ""
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() or not c.isprintable() for c in text):
        raise ReportError(
            where,
            f"网址应是以 http:// 或 https:// 开头、不含空格的网站地址，例如 https://www.example.gov.cn/juesuan/，而不是“{text}”",
        )
    # Chinese or other characters in the path are encoded once; what is already encoded stays.
    return quote(text, safe=":/?#[]@!$&'()*+,;=%~")


def departments(entries: Sequence[Entry]) -> list[Department]:
    """Group entries by department folder, departments by name, years newest first."""
    grouped: dict[str, list[Entry]] = {}
    for entry in entries:
        grouped.setdefault(entry.slug, []).append(entry)
    result = []
    for slug, items in grouped.items():
        items.sort(key=lambda e: (-e.year, e.kind))
        result.append(Department(slug, items[0].department, tuple(items)))
    return sorted(result, key=lambda d: (d.name, d.slug))


def index_page(site: Site, groups: Sequence[Department], reports: int, theme: Theme) -> bytes:
    """The site's front page: every department with its years and downloads, and the name filter."""
    from ..writers.html import render_page  # Jinja and the HTML writer, only when a page is drawn

    return render_page(theme, "index.html.j2", site=site, departments=groups, reports=reports)


def department_page(site: Site, group: Department, theme: Theme) -> bytes:
    """A department's page: its reports, newest first."""
    from ..writers.html import render_page

    return render_page(theme, "department.html.j2", site=site, department=group)


def sitemap(site: Site, groups: Sequence[Department]) -> bytes:
    """The sitemap of every page; addresses are absolute when site.yaml gives the 网址."""
    base = site.url.rstrip("/") + "/" if site.url else ""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']

    def url(path: str, date: str = "") -> None:
        modified = f"<lastmod>{date}</lastmod>" if date else ""
        lines.append(f"<url><loc>{escape(base + path, quote=False)}</loc>{modified}</url>")

    url("index.html")
    for group in groups:
        url(group.href, max((e.date for e in group.entries), default=""))
        for entry in group.entries:
            if "html" in entry.formats:
                url(f"{entry.address}/{segment(WRITERS['html'].file)}", entry.date)
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")
