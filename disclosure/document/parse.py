"""Turn the composed Markdown into a Document: numbered headings, paragraphs and structured islands.

markdown-it-py parses the Markdown (raw HTML off, so nothing from content reaches a page as
markup); fenced blocks with the info string `island <kind>` are replaced by the objects that
`resolve` returns (tables, glossary, cover, table of contents). Heading numbers are generated
here, never typed: 第一部分 / 一、/（一）/ 1. / （1）.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .blocks import Block, Contents, Document, Heading, Island, Paragraph, Run

_PARSER = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_PARSER.disable(["link", "image", "autolink", "html_inline", "html_block"])


Numbering = Callable[[int, int], str]  # (level, count) → the number printed before a heading


def _runs(token: Token) -> tuple[Run, ...]:
    runs: list[Run] = []
    bold = italic = False
    for child in token.children or ():
        if child.type == "strong_open":
            bold = True
        elif child.type == "strong_close":
            bold = False
        elif child.type == "em_open":
            italic = True
        elif child.type == "em_close":
            italic = False
        elif child.type in ("text", "code_inline"):
            runs.append(Run(child.content, bold, italic))
        elif child.type == "hardbreak":
            runs.append(Run("\n", bold, italic))
        # A soft line break inside a Chinese paragraph joins the lines without a space.
    merged: list[Run] = []
    for run in runs:
        if merged and (merged[-1].bold, merged[-1].italic) == (run.bold, run.italic):
            merged[-1] = Run(merged[-1].text + run.text, run.bold, run.italic)
        else:
            merged.append(run)
    return tuple(merged)


def build(
    markdown: str,
    resolve: Callable[[str, Sequence[str]], object],
    title: str,
    numbering: Numbering,
    meta: Mapping[str, str] | None = None,
    last: Sequence[str] = ("glossary",),
) -> Document:
    """Parse Markdown into a Document; `resolve(kind, lines)` returns the object of an island and
    `numbering(level, count)` the number of a heading (第一部分 / 一、/（一）… from the labels).

    Islands of the kinds in `last` are resolved after all others, whatever their place: the
    glossary is chosen from the text of every table and form.
    """
    tokens = _PARSER.parse(markdown)
    blocks: list[Block] = []
    counters = [0] * 7
    list_depth = 0
    islands: list[tuple[int, str, list[str]]] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "heading_open":
            level = int(token.tag[1])
            text = "".join(run.text for run in _runs(tokens[i + 1])).strip()
            # Only a template writes “{-}” (unnumbered); user text has its braces escaped.
            numbered = not tokens[i + 1].content.rstrip().endswith("{-}")
            if not numbered:
                text = text.removesuffix("{-}").rstrip()
            number = ""
            if numbered:
                counters[level] += 1
                for deeper in range(level + 1, 7):
                    counters[deeper] = 0
                number = numbering(level, counters[level])
            anchor = "sec-" + "-".join(str(c) for c in counters[1 : level + 1]) if numbered else f"h-{i}"
            blocks.append(Heading(level, number, text, anchor))
            i += 3
            continue
        if token.type in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif token.type == "inline" and tokens[i - 1].type == "paragraph_open":
            runs = _runs(token)
            if runs:
                blocks.append(Paragraph(runs, "item" if list_depth else "body"))
        elif token.type == "fence" and token.info.startswith("island"):
            kind = token.info.split(maxsplit=1)[1].strip()
            islands.append((len(blocks), kind, [line for line in token.content.split("\n") if line]))
            blocks.append(Island(kind))
        elif token.type in ("fence", "code_block"):
            blocks.append(Paragraph((Run(token.content.rstrip("\n")),), "body"))
        i += 1
    for index, kind, lines in sorted(islands, key=lambda island: island[1] in last):
        blocks[index] = Island(kind, resolve(kind, lines))
    headings = tuple(b for b in blocks if isinstance(b, Heading) and b.number)
    filled = [
        replace(b, value=replace(b.value, headings=tuple(h for h in headings if h.level <= b.value.depth)))
        if isinstance(b, Island) and isinstance(b.value, Contents)
        else b
        for b in blocks
    ]
    return Document(title, tuple(filled), dict(meta or {}))
