"""Document → one self-contained, accessible HTML page, styled by the theme's page template and CSS.

Every text is escaped here or by the autoescaping page template; nothing from the content is
ever emitted as markup. Tables get a caption, `th` cells with `scope` and ids, and `headers`
on every data cell, so screen readers announce multi-level headers correctly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from html import escape

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from ..document import Chart, Contents, Cover, Document, Glossary, Heading, Island, Paragraph, Run, Table
from ..document.table import cell_id, header_links
from ..errors import Location, ReportError, display_path
from ..resources import Theme

STYLESHEET = "style.css"
PAGE = "page.html.j2"
CONTENTS = "toc-title"  # the id of the contents' heading, which the page's “back to the contents” link targets


@cache
def _theme(theme: Theme) -> tuple[jinja2.Environment, Markup]:
    """A theme's page templates (sandboxed, autoescaped) and its stylesheet, loaded once per process."""
    css_file = theme.file(STYLESHEET)
    if css_file is None:
        raise ReportError(Location(f"themes/{theme.name}/{STYLESHEET}"), f"主题“{theme.name}”缺少文件 {STYLESHEET}")
    css = css_file.read_text(encoding="utf-8")
    if "</style" in css.lower():
        raise ReportError(Location(display_path(css_file)), f"主题“{theme.name}”的 {STYLESHEET} 中不能出现“</style”")
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader([str(folder) for folder in theme.folders]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    # The stylesheet is the theme's own file, inlined as it is: escaping it would turn the quotes of
    # its font-family lines into &#34; and the browser would drop every font.
    return env, Markup(css)


def render_page(theme: Theme, name: str, **values: object) -> bytes:
    """Render one of a theme's page templates with its stylesheet inlined (report, index, department)."""
    env, css = _theme(theme)
    path = theme.file(name)
    where = Location(display_path(path) if path else f"themes/{theme.name}/{name}")
    try:
        template = env.get_template(name)
    except jinja2.TemplateNotFound:
        raise ReportError(where, f"主题“{theme.name}”缺少文件 {name}") from None
    except jinja2.TemplateSyntaxError as exc:
        raise ReportError(Location(where.file, exc.lineno), f"主题模板语法错误：{exc.message}") from None
    try:
        return template.render(css=css, lang="zh-CN", **values).encode("utf-8")
    except jinja2.TemplateError as exc:
        raise ReportError(where, f"主题模板出错：{exc}") from None


def _runs(runs: tuple[Run, ...]) -> str:
    out = []
    for run in runs:
        text = escape(run.text, quote=False).replace("\n", "<br>")
        if run.italic:
            text = f"<em>{text}</em>"
        if run.bold:
            text = f"<strong>{text}</strong>"
        out.append(text)
    return "".join(out)


def _span(cell_rowspan: int, cell_colspan: int) -> str:
    return (f' rowspan="{cell_rowspan}"' if cell_rowspan > 1 else "") + (f' colspan="{cell_colspan}"' if cell_colspan > 1 else "")


_CLASSES: dict[tuple, str] = {}


def _class(cell) -> str:
    """The class attribute of a cell (memoized: few distinct combinations exist)."""
    key = (cell.align, cell.strong, cell.indent, cell.kind)
    found = _CLASSES.get(key)
    if found is None:
        names = " ".join(
            filter(
                None,
                (
                    f"align-{cell.align}" if cell.align != "left" else "",
                    "strong" if cell.strong else "",
                    f"indent-{cell.indent}" if cell.indent else "",
                    cell.kind if cell.kind in ("number", "code") else "",
                ),
            )
        )
        found = _CLASSES[key] = f' class="{names}"' if names else ""
    return found


def table_html(table: Table, named_by: str = "") -> str:
    """Draw one Table: its furniture above the scroll box, caption, column widths, header rows in
    thead, body rows with headers links.

    `named_by` is the id of the heading just above when it already says the table's title: the
    title is then not printed again, the caption keeps it for screen readers, and the scroll box
    takes the heading's (unique) name.
    """
    # A header cell with no text (the 行次 cell under 栏次, a form's corner) is drawn as a td and
    # named by no data cell: a th without text names nothing, and screen readers would announce it.
    links = header_links(table)
    grid = table.grid
    head_rows = len(table.head)
    caption_id = f"{table.key}-caption"
    total = sum(table.widths)
    blank = {cell_id(table, p) for line in grid for p in line if p.cell.header and not p.cell.text.strip()}
    # The header of a 科目编码 column is set like its codes, on one line.
    codes = {p.col for line in grid[head_rows:] for p in line if p.cell.kind == "code"}
    title = "" if named_by else f'<div class="table-title" aria-hidden="true">{escape(table.title)}</div>'
    number = f'<div class="table-number">{escape(table.number)}</div>' if table.number else ""
    lines = [
        f'<section class="table-block{" wide" if table.wide else ""}{" form" if table.form else ""}" id="{table.key}">',
        # Outside the scroll box, so that a phone shows the title, 表号 and 金额单位 whatever the table's width.
        f'<div class="table-head">{title}{number}<div class="table-furniture">'
        f'<span class="table-org">{escape(table.org)}</span><span class="table-unit">{escape(table.unit)}</span></div></div>',
        f'<div class="table-scroll" role="region" tabindex="0" aria-labelledby="{named_by or caption_id}">',
        # --units: the sum of the relative column widths, from which the theme sets the table's least width.
        f'<table style="--units:{total}">',
        f'<caption id="{caption_id}" class="visually-hidden">{escape(table.title)}</caption>',
        "<colgroup>" + "".join(f'<col style="width:{w * 100 / total:.1f}%">' for w in table.widths) + "</colgroup>",
    ]
    for r, line in enumerate(grid):
        if r == 0 and head_rows:
            lines.append("<thead>")
        if r == head_rows:
            lines.append("<tbody>")
        cells = []
        for placed in line:
            cell = placed.cell
            text = escape(cell.text, quote=False)
            span = _span(cell.rowspan, cell.colspan)
            if cell.header and not cell.text.strip():
                cells.append(f'<td class="blank"{span}></td>')
            elif cell.header:
                if r < head_rows or cell.scope == "col":
                    scope = "colgroup" if cell.colspan > 1 else "col"
                else:
                    scope = "rowgroup" if cell.rowspan > 1 else "row"
                look = _class(replace(cell, kind="code") if r < head_rows and placed.col in codes and cell.colspan == 1 else cell)
                cells.append(f'<th id="{cell_id(table, placed)}" scope="{scope}"{span}{look}>{text}</th>')
            else:
                named = links.get((placed.row, placed.col), ())
                headers = (
                    " ".join(h for h in named if h not in blank) if blank and not blank.isdisjoint(named) else " ".join(named)
                )
                attr = f' headers="{headers}"' if headers else ""
                cells.append(f"<td{attr}{span}{_class(cell)}>{text}</td>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
        if r == head_rows - 1:
            lines.append("</thead>")
    if len(grid) > head_rows:
        lines.append("</tbody>")
    lines += ["</table>", "</div>"]
    if table.empty_note:
        lines.append(f'<p class="empty-note">{escape(table.empty_note, quote=False)}</p>')
    if table.note:
        lines.append(f'<p class="table-note">{escape(table.note, quote=False)}</p>')
    lines.append("</section>")
    return "\n".join(lines)


def chart_html(chart: Chart, theme: Theme) -> str:
    """A chart as a figure: the SVG (an image named by its caption, described by its figures), the caption,
    and the figures as a table beside it for a reader who wants the numbers."""
    from .chart import accessible_svg, chart_style

    image = accessible_svg(chart, chart_style(theme))
    return (
        f'<figure class="chart" id="{chart.key}" aria-labelledby="{chart.key}-caption">\n'
        f'<div class="chart-body"><div class="chart-drawing">{image}</div>\n'
        f'<div class="chart-data">{table_html(chart.table, f"{chart.key}-caption")}</div></div>\n'
        f'<figcaption id="{chart.key}-caption">{escape(chart.caption, quote=False)}</figcaption>\n'
        "</figure>"
    )


def _glossary(glossary: Glossary) -> str:
    sep = escape(glossary.separator, quote=False)
    items = "".join(f"<li><dfn>{escape(e.term)}</dfn>{sep}{escape(e.text, quote=False)}</li>\n" for e in glossary.entries)
    return f'<ol class="glossary">\n{items}</ol>'


def _contents(contents: Contents) -> str:
    lines = [f'<nav class="toc" aria-labelledby="{CONTENTS}">', f'<h2 id="{CONTENTS}">{escape(contents.title)}</h2>', "<ol>"]
    top = level = min((h.level for h in contents.headings), default=1)
    open_item = False
    for heading in contents.headings:
        while heading.level > level:
            lines.append("<ol>")
            level += 1
            open_item = False
        while heading.level < level:
            lines.append("</li></ol>")
            level -= 1
            open_item = True
        if open_item:
            lines.append("</li>")
        lines.append(f'<li><a href="#{heading.anchor}">{escape(heading.title, quote=False)}</a>')
        open_item = True
    while level > top:
        lines.append("</li></ol>")
        level -= 1
    if open_item:
        lines.append("</li>")
    lines += ["</ol>", "</nav>"]
    return "\n".join(lines)


def _cover(cover: Cover) -> str:
    date = f'<p class="cover-date">{escape(cover.date)}</p>' if cover.date else ""
    return f'<header class="cover"><h1>{escape(cover.title)}</h1>{date}</header>'


def body_html(document: Document, theme: Theme | None = None) -> str:
    """Render the blocks of a Document as HTML (headings start at h2: h1 is the cover title)."""
    out = []
    # The cover title is the page's h1; the top heading level present becomes h2, and so on.
    top = min((h.level for h in document.headings), default=1)
    above: Heading | None = None  # the heading just above the block being drawn
    for block in document.blocks:
        if isinstance(block, Heading):
            tag = f"h{min(block.level - top + 2, 6)}"
            kind = "number part" if block.level == 1 else "number"  # 第一部分 stands apart from its title
            number = f'<span class="{kind}">{escape(block.number.strip())}</span>' if block.number else ""
            out.append(f'<{tag} id="{block.anchor}">{number}{escape(block.text, quote=False)}</{tag}>')
        elif isinstance(block, Paragraph):
            out.append(
                f'<p class="{block.kind}">{_runs(block.runs)}</p>' if block.kind != "body" else f"<p>{_runs(block.runs)}</p>"
            )
        elif isinstance(block, Island):
            value = block.value
            if isinstance(value, Table):
                # “二、收入决算表” above 收入决算表, “一、项目支出绩效自评表（…）” above 项目支出绩效自评表
                named = above is not None and bool(value.title) and above.text.startswith(value.title)
                out.append(table_html(value, above.anchor if named and above else ""))
            elif isinstance(value, Chart) and theme is not None:
                out.append(chart_html(value, theme))
            elif isinstance(value, Glossary):
                out.append(_glossary(value))
            elif isinstance(value, Contents):
                out.append(_contents(value))
            elif isinstance(value, Cover):
                out.append(_cover(value))
            else:
                raise TypeError(f"the HTML writer cannot draw an island of {type(value).__name__}")
        else:
            raise TypeError(f"the HTML writer cannot draw a block of {type(block).__name__}")
        above = block if isinstance(block, Heading) else None
    return "\n".join(out) + "\n"


def start_of_text(document: Document) -> str:
    """The anchor where the text proper begins, after the cover and the contents (the skip link's target)."""
    for block in document.blocks:
        if isinstance(block, Island) and isinstance(block.value, Cover | Contents):
            continue
        return block.anchor if isinstance(block, Heading) else ""
    return ""


@dataclass(frozen=True)
class Download:
    """Another file of the same report, as the page links it: its format and its file names."""

    format: str  # docx, pdf, xlsx … (the theme names the format)
    files: tuple[str, ...]  # one file, or the several files of a format such as one CSV per table


def write_html(document: Document, theme: Theme, links: Sequence[tuple[str, str]] | None = ()) -> bytes:
    """Render a whole page: the theme's template around the document body, CSS inlined.

    `links` are the report's other files, as (format, file name) pairs in the order they are
    written; the page links them, its department's page and the site's index. None draws the
    page alone, without any navigation (for a conversion to another format, such as ODT).
    """
    grouped: dict[str, list[str]] = {}
    for format_, file in links or ():
        grouped.setdefault(format_, []).append(file)
    return render_page(
        theme,
        PAGE,
        title=document.title,
        body=Markup(body_html(document, theme)),
        meta=document.meta,
        navigation=links is not None,
        downloads=[Download(f, tuple(files)) for f, files in grouped.items()],
        start=start_of_text(document),
        contents=CONTENTS if any(isinstance(v, Contents) for v in document.islands("toc")) else "",
    )
