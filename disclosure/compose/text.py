"""Text helpers of the compose stage: Markdown escaping of user text, Chinese numerals, clauses.

None of these choose a word of the report: the numerals are a number system, escaping keeps a
department's own text literal, and a clause is the user's text with its end punctuation removed
so that the template's sentence can add its own.
"""

from __future__ import annotations

import re

_ESCAPE = re.compile(r"([\\`*_\[\]<>#|~!&{}])")
_LINE_START = re.compile(r"^(\s*)([-+=]|\d+[.)])", re.MULTILINE)
_UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
DIGITS = "〇一二三四五六七八九"  # digit by digit, as in a year: 二〇二五
UNITS = "零一二三四五六七八九"
TEN = "十"
# Reasons typed as an enumeration (一是……；二是……) take a colon after “主要原因是”.
_ENUMERATED = re.compile(r"^(一是|二是|1[.、．]|（1）|\(1\)|第一)")
_CLAUSE_END = "。；;，,.！!　 "


def md_escape(text: str) -> str:
    """Escape Markdown syntax in user text so that it prints literally (CommonMark backslash escapes)."""
    escaped = _ESCAPE.sub(r"\\\1", text)
    return _LINE_START.sub(lambda mt: mt.group(1) + re.sub(r"([-+=.)])", r"\\\1", mt.group(2), count=1), escaped)


def md_unescape(text: str) -> str:
    """Undo md_escape (used for island contents, which Markdown does not parse)."""
    return _UNESCAPE.sub(r"\1", text)


def cn_number(n: int) -> str:
    """Write 1–99 in Chinese numerals: 一, 十, 十一, 二十三."""
    if n < 10:
        return UNITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else UNITS[tens]) + TEN + (UNITS[ones] if ones else "")


def cn_digits(n: int) -> str:
    """Write a number digit by digit in Chinese numerals: 2025 → 二〇二五."""
    return "".join(DIGITS[int(d)] for d in str(n))


def clause_text(text: str) -> str:
    """User text as a clause: trailing 。；，. removed, so the sentence adds its own punctuation.

    Line breaks typed inside it (a YAML block) are joined: a clause sits inside one sentence, and a
    blank line would end the paragraph and could turn the rest into an indented code block.
    """
    joined = re.sub(r"[ \t　]*\n\s*", "", text.strip())
    return joined.rstrip(_CLAUSE_END)


def is_enumeration(text: str) -> bool:
    """Tell whether a reason is typed as an enumeration (“一是……；二是……”, “1. …”)."""
    return bool(_ENUMERATED.match(text.strip()))
