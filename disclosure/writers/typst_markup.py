"""Typst source helpers: every piece of Typst code the PDF writer emits is made here.

Like docx_xml for WordprocessingML, the helpers return text. User text only ever enters the
source as a Typst string literal (`string`), never as markup, so a department named `#exit()`,
`*x*`, `$` or `<script>` prints as written: a string literal has no markup, and its only escapes
(backslash and quote) are escaped here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from ..document import Run

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")  # what a string may not hold (newline and tab are escaped)
# What `string` changes: control characters, backslash and quote. Most text holds none of them (a
# report's tables give ten thousand literals, most of them figures), and is quoted as it is.
_SPECIAL = re.compile('[\x00-\x1f\x7f\\\\"]')
_EXACT = 2**53  # ints below this are exact as floats: `number` prints them as str() does


class Code(str):
    """A piece of Typst code, emitted as it is (a length, a call, a label)."""


def string(text: str) -> Code:
    """A Typst string literal holding `text` exactly (control characters dropped)."""
    if _SPECIAL.search(text) is None:
        return Code(f'"{text}"')
    body = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    body = body.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return Code(f'"{body}"')


def number(value: float) -> Code:
    """A number, written the same way every time (at most four decimals)."""
    if type(value) is int and -_EXACT < value < _EXACT:  # what the formatting below prints for it
        return Code(str(value))
    text = f"{round(value, 4):.4f}".rstrip("0").rstrip(".")
    return Code("0" if text in ("", "-0") else text)


def pt(value: float) -> Code:
    return Code(f"{number(value)}pt")


def em(value: float) -> Code:
    return Code(f"{number(value)}em")


def fr(value: float) -> Code:
    return Code(f"{number(value)}fr")


def value(item: object) -> Code:
    """A Python value as a Typst value: None → none, str → string, sequences → arrays, mappings → dictionaries."""
    if type(item) is str:  # the commonest kinds first, by their exact type
        return string(item)
    if type(item) is int:
        return number(item)
    if isinstance(item, Code):
        return item
    if item is None:
        return Code("none")
    if isinstance(item, bool):
        return Code("true" if item else "false")
    if isinstance(item, int | float):
        return number(item)
    if isinstance(item, str):
        return string(item)
    if isinstance(item, Mapping):
        if not item:
            return Code("(:)")
        return Code("(" + ", ".join(f"{string(str(k))}: {value(v)}" for k, v in item.items()) + ")")
    if isinstance(item, Sequence):
        parts = [value(v) for v in item]
        return Code("(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")")
    raise TypeError(f"no Typst value for {type(item).__name__}")


def call(function: str, *args: object, **named: object) -> Code:
    """A function call; named arguments whose value is None are left out (the function's default)."""
    parts = [value(a) for a in args] + [f"{k.replace('_', '-')}: {value(v)}" for k, v in named.items() if v is not None]
    return Code(f"{function}({', '.join(parts)})")


def runs(items: Sequence[Run]) -> Code:
    """Inline text with its emphasis, as a content block of string literals."""
    out = []
    for r in items:
        piece = string(r.text)
        if r.italic:
            piece = Code(f"emph({piece})")
        if r.bold:
            piece = Code(f"strong({piece})")
        out.append(f"#{piece}")
    return Code("[" + "".join(out) + "]")
