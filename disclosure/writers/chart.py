"""Chart → SVG and PNG, drawn by matplotlib in the theme's fonts and colours (chart.yaml), same bytes every time.

The writers share these drawings: the HTML page inlines the SVG (made accessible by `accessible_svg`),
the PDF places the same SVG, the DOCX a PNG. Each chart is drawn once per process and format.

Kept between builds: a site build hands each report a ChartStore (out/.disclosure-charts/<report>/),
which holds the drawings of its last build by a digest of what is drawn and how. A report rebuilt with
the same charts (a corrected sentence, a figure no chart shows) takes them from there and never starts
matplotlib, about 0.6 s of a one-report build (1.0 → 0.4 s).

Reproducible bytes: the SVG's ids come from a fixed salt (svg.hashsalt), and neither file carries a date,
a tool version or any other metadata. Text is drawn as outlines (svg.fonttype "path"), so a page shows
the chart the same in every browser and Typst needs no font to place it. The shapes are drawn from the
exact figures converted to float: a float here only places a bar's top or a slice's edge, it is never
printed; every number in the chart is the text the document stage printed from the exact Decimal.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

import yaml

from ..document import Chart
from ..errors import Location, ReportError, display_path
from ..resources import Theme, keep_cached, library_stamp

THEME_FILE = "chart.yaml"
MM = 1 / 25.4  # inches per millimetre


@dataclass(frozen=True)
class ChartStyle:
    """A theme's chart settings: fonts, type size, size on the page, resolution, colours."""

    fonts: tuple[str, ...]
    size: float
    width: float  # mm
    height: float  # mm
    dpi: int
    colors: tuple[str, ...]
    ink: str
    grid: str
    source: str  # the chart.yaml that set them, for messages


@cache
def chart_style(theme: Theme) -> ChartStyle:
    """A theme's chart.yaml over the default theme's (a theme may change some settings only)."""
    files = list(dict.fromkeys(p for p in (folder / THEME_FILE for folder in reversed(theme.folders)) if p.is_file()))
    if not files:
        raise ReportError(Location(f"themes/{theme.name}/{THEME_FILE}"), f"主题“{theme.name}”缺少文件 {THEME_FILE}")
    data: dict[str, Any] = {}
    for path in files:
        loaded = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) or {}
        if not isinstance(loaded, dict):
            raise ReportError(Location(display_path(path)), f"{THEME_FILE} 应是若干“键: 值”")
        data |= loaded
    source = display_path(files[-1])
    try:
        return ChartStyle(
            fonts=tuple(str(f) for f in data["fonts"]),
            size=float(data["size"]),
            width=float(data["width"]),
            height=float(data["height"]),
            dpi=int(data["dpi"]),
            colors=tuple(str(c) for c in data["colors"]),
            ink=str(data["ink"]),
            grid=str(data["grid"]),
            source=source,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ReportError(Location(source), f"{THEME_FILE} 的设置有误：{exc}") from None


@cache
def _installed(fonts: tuple[str, ...], source: str) -> tuple[str, ...]:
    """The theme's fonts that are installed, in its order; an error names chart.yaml when none is."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    found = tuple(f for f in fonts if f in names)
    if not found:
        raise ReportError(
            Location(source),
            f"图的字体（{'、'.join(fonts)}）一个也没有安装：请安装中文字体（如 fonts-noto-cjk），或在 {THEME_FILE} 的 fonts 中写上已安装的中文字体",
        )
    return found


def _figure(chart: Chart, style: ChartStyle) -> Any:
    """Draw a chart on a new matplotlib Figure (not pyplot: no global state, nothing shown)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(style.width * MM, style.height * MM))
    if chart.kind == "pie":
        _pie(fig, chart, style)
    else:
        _bars(fig, chart, style)
    return fig


def _bars(fig: Any, chart: Chart, style: ChartStyle) -> None:
    ax = fig.add_axes((0.1, 0.14, 0.86, 0.72))
    groups = len(chart.categories)
    count = len(chart.series)
    width = 0.7 / count
    highest = max((float(v) for s in chart.series for v in s.values), default=0.0) or 1.0
    for i, series in enumerate(chart.series):
        xs = [g + (i - (count - 1) / 2) * width for g in range(groups)]
        heights = [float(v) for v in series.values]
        bars = ax.bar(xs, heights, width * 0.92, color=style.colors[i % len(style.colors)], label=series.name, zorder=2)
        ax.bar_label(bars, labels=list(series.texts), padding=2, fontsize=style.size * 0.9, color=style.ink)
    ax.set_xticks(range(groups), list(chart.categories))
    ax.set_ylim(0, highest * 1.18)
    ax.set_title(chart.unit, loc="left", fontsize=style.size * 0.9, color=style.ink, pad=4)  # the unit above the axis
    ax.yaxis.grid(True, color=style.grid, linewidth=0.6, zorder=0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=count, frameon=False)


def _pie(fig: Any, chart: Chart, style: ChartStyle) -> None:
    ax = fig.add_axes((0.02, 0.04, 0.4, 0.92))
    values = [float(v) for v in chart.series[0].values]
    colors = [style.colors[i % len(style.colors)] for i in range(len(values))]
    wedges, _ = ax.pie(
        values, colors=colors, startangle=90, counterclock=False, wedgeprops={"linewidth": 1, "edgecolor": "white"}
    )
    ax.set_aspect("equal")
    fig.legend(wedges, list(chart.legend), loc="center left", bbox_to_anchor=(0.45, 0.5), frameon=False, handlelength=1.2)


def _rc(style: ChartStyle) -> Any:
    return {
        "font.family": list(_installed(style.fonts, style.source)),
        "font.size": style.size,
        "text.color": style.ink,
        "axes.labelcolor": style.ink,
        "axes.edgecolor": style.ink,
        "xtick.color": style.ink,
        "ytick.color": style.ink,
        "axes.unicode_minus": False,
        "svg.fonttype": "path",
        "svg.hashsalt": "disclosure",  # ids from a fixed salt, not from random numbers
        "svg.image_inline": True,
    }


@cache
def _render(chart: Chart, style: ChartStyle, form: str) -> bytes:
    import matplotlib

    with matplotlib.rc_context(_rc(style)):
        fig = _figure(chart, style)
        out = io.BytesIO()
        if form == "svg":
            fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
        else:
            fig.savefig(out, format="png", dpi=style.dpi, metadata={"Software": None})
    return out.getvalue()


_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.S)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.S)
# matplotlib's <style> sets two stroke properties on “*”: inlined in a page it would style the whole page,
# so the properties go on the root element instead (both are inherited).
_STYLE = re.compile(r"\s*<defs>\s*<style[^>]*>[^<]*</style>\s*</defs>")
_COMMENT = re.compile(r"<!--.*?-->\s*", re.S)  # matplotlib writes each text as a comment beside its outline
_SIZE = re.compile(r'<svg([^>]*?) width="([\d.]+)pt" height="([\d.]+)pt"')
_IDS = re.compile(r'(\bid="|href="#|url\(#)([^")]+)')


@dataclass
class ChartStore:
    """The drawings of one report's last build, in a folder of their own; with `reuse` False (a build
    with --force) every chart is drawn again. New drawings are kept in memory until `keep()`, which
    the build calls once the report is written: a build that fails leaves the folder as it was."""

    folder: Path
    reuse: bool = True
    used: set[str] = field(default_factory=set)
    new: dict[str, bytes] = field(default_factory=dict)

    def drawn(self, chart: Chart, style: ChartStyle, form: str) -> bytes:
        name = f"{_digest(chart, style, form)}.{form}"
        self.used.add(name)
        found = self.new.get(name)
        if found is None and self.reuse:
            with contextlib.suppress(OSError):
                found = (self.folder / name).read_bytes()
        if found is None:
            found = self.new[name] = _render(chart, style, form)
        return found

    def keep(self) -> None:
        """Write the new drawings and remove those this build did not use; a cache, so a failure to write is no error."""
        try:
            if self.new:
                self.folder.mkdir(parents=True, exist_ok=True)
            for name, data in self.new.items():
                keep_cached(self.folder / name, data)
            if self.folder.is_dir():
                for entry in os.scandir(self.folder):
                    if entry.name not in self.used:
                        os.unlink(entry.path)
                if not self.used:
                    self.folder.rmdir()
        except OSError:
            pass


_STORE: ContextVar[ChartStore | None] = ContextVar("chart_store", default=None)


@contextlib.contextmanager
def stored(store: ChartStore) -> Iterator[ChartStore]:
    """Draw the charts of what runs inside through `store`."""
    token = _STORE.set(store)
    try:
        yield store
    finally:
        _STORE.reset(token)


@cache
def _drawing_code() -> str:
    """What besides the chart and its style decides the drawing: this module's code and the matplotlib installed."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest() + library_stamp("matplotlib")


def _digest(chart: Chart, style: ChartStyle, form: str) -> str:
    """A digest of everything a drawing depends on (not the caption, description or table beside it)."""
    drawn = (chart.kind, chart.categories, chart.series, chart.unit, chart.legend)
    look = (style.fonts, style.size, style.width, style.height, style.dpi, style.colors, style.ink, style.grid)
    return hashlib.sha256(repr((_drawing_code(), form, drawn, look)).encode("utf-8")).hexdigest()


def _drawing(chart: Chart, style: ChartStyle, form: str) -> bytes:
    store = _STORE.get()
    return _render(chart, style, form) if store is None else store.drawn(chart, style, form)


def svg(chart: Chart, style: ChartStyle) -> str:
    """The chart as a bare SVG document (no prologue, metadata or comments), its ids prefixed by the chart's key."""
    text = _drawing(chart, style, "svg").decode("utf-8")
    text = _COMMENT.sub("", _METADATA.sub("", _PROLOGUE.sub("", text, count=1)))
    text = _STYLE.sub("", text, count=1).replace("<svg ", '<svg stroke-linejoin="round" stroke-linecap="butt" ', 1)
    return _IDS.sub(lambda m: f"{m.group(1)}{chart.key}-{m.group(2)}", text)


def png(chart: Chart, style: ChartStyle) -> bytes:
    """The chart as a PNG at the theme's resolution."""
    return _drawing(chart, style, "png")


def accessible_svg(chart: Chart, style: ChartStyle) -> str:
    """The SVG for a web page: an image named by its caption and described by its figures, sized by the page."""
    text = svg(chart, style)
    named = f"{chart.key}-title {chart.key}-desc"
    text = _SIZE.sub(
        lambda m: f'<svg{m.group(1)} role="img" aria-labelledby="{named}" focusable="false" class="chart-image"', text, count=1
    )
    head = f'<title id="{chart.key}-title">{escape(chart.caption)}</title><desc id="{chart.key}-desc">{escape(chart.description)}</desc>'
    return text.replace(">", ">" + head, 1) if "<svg" in text else text


def size_mm(style: ChartStyle) -> tuple[float, float]:
    """The chart's width and height on the page, in millimetres."""
    return style.width, style.height
