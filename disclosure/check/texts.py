"""Report-wide rules: staffing sums, dates, template residue, stale years, copied glossary definitions."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .. import model as m
from ..errors import Finding, Location, error, warning
from ..read.glossary import StandardGlossary

# ---------------------------------------------------------------------------- report-wide rules


def overview_rules(report: m.Report) -> Iterator[Finding]:
    o = report.overview
    if o is None or o.staffing is None:
        return
    s = o.staffing
    for total, attr, name, key in (
        (s.total_authorized, "authorized", "编制数", "total_authorized"),
        (s.total_actual, "actual", "实有人数", "total_actual"),
    ):
        counted = sum(getattr(c, attr) for c in s.categories)
        if total is not None and total != counted:
            yield error(
                s.at(key, "编制合计" if attr == "authorized" else "实有合计"),
                f"{name}合计 {total} 人与各类别之和 {counted} 人不符",
                "STAFF",
            )


def dates(manifest: m.Manifest) -> Iterator[Finding]:
    approval, publication = manifest.approval_date, manifest.publication_date
    if approval and approval.year != manifest.year + 1:
        yield warning(
            manifest.at("approval_date", "批复日期"),
            f"{manifest.year} 年度决算通常在 {manifest.year + 1} 年批复，批复日期 {approval.isoformat()} 是否沿用了上年的日期？",
            "DATE",
        )
    if publication and publication.year not in (manifest.year + 1, manifest.year + 2):
        yield warning(
            manifest.at("publication_date", "公开日期"),
            f"公开日期 {publication.isoformat()} 与决算年度 {manifest.year} 不相符，是否沿用了上年的日期？",
            "DATE",
        )
    if approval and publication:
        days = (publication - approval).days
        if days < 0:
            yield error(manifest.at("publication_date", "公开日期"), "公开日期早于批复日期", "DATE")
        elif days > 20:
            yield warning(
                manifest.at("publication_date", "公开日期"), f"批复后第 {days} 天才公开，超过了批复后 20 日内公开的时限", "DATE"
            )


RESIDUE = (
    (re.compile(r"[（(]或[^）)]*[）)]"), "像是模板中留下的备选措辞“（或…）”"),
    (re.compile(r"X{2,}|×{2,}|某某|\*{3,}"), "含有占位符（XX、××、某某），请替换为实际内容"),
    (re.compile(r"[{}【】]"), "含有模板符号（{ } 或【】），请删除"),
    (re.compile(r"[（(][^）)]*(对照|概括表述|请填写|填写说明|如实填写)[^）)]*[）)]"), "含有模板中的填写提示，请删除"),
)
# “截至/截止2019年底” is a stale date; “力争至2026年” is a target and is not flagged.
YEAR_PATTERN = re.compile(r"(?:截至|截止到?)\s*(\d{4})\s*年|(\d{4})\s*年度")


def texts(report: m.Report) -> Iterator[Finding]:
    """Template residue, placeholders and years that belong to another report (spec §8.5 rule 11)."""
    year = report.manifest.year
    for loc, text in _all_texts(report):
        for pattern, message in RESIDUE:
            if pattern.search(text):
                yield warning(loc, message, "RESIDUE")
        for match in YEAR_PATTERN.finditer(text):
            found = int(match.group(1) or match.group(2))
            if not year - 1 <= found <= year + 1:
                yield warning(loc, f"文字中的“{match.group(0)}”与报告年度 {year} 不符，是否沿用了往年的文字？", "YEAR")


def glossary_rules(report: m.Report, standard: StandardGlossary | None) -> Iterator[Finding]:
    """A department's glossary entry must not repeat another term's definition (seed 004, E14)."""
    pairs = (*standard.terms, *standard.items.items()) if standard is not None else ()
    known = {text: name for name, text in pairs}
    seen: dict[str, m.Term] = {}
    for term in report.glossary:
        other = seen.get(term.text)
        if other is not None and other.name != term.name:
            yield warning(
                term.at("text", "解释"),
                f"“{term.name}”的解释与“{other.name}”（第 {other.loc.line} 行）完全相同，是否复制后忘了修改？",
                "GLOSSARY",
            )
        elif known.get(term.text, term.name) != term.name:
            yield warning(
                term.at("text", "解释"),
                f"“{term.name}”的解释与标准名词“{known[term.text]}”的解释完全相同，是否复制后忘了修改？",
                "GLOSSARY",
            )
        seen.setdefault(term.text, term)


def located_texts(record: object, skip: tuple[str, ...] = ()) -> Iterator[tuple[Location, str]]:
    """Every non-empty text of a record and the records within it, with where it was written;
    the fields named in `skip` left out."""
    if isinstance(record, m.Located):
        for name in record.__dataclass_fields__:
            if name in skip:
                continue
            value = getattr(record, name)
            if isinstance(value, str) and value:
                yield record.at(name), value
            elif isinstance(value, m.Located):
                yield from located_texts(value, skip)
            elif isinstance(value, tuple):
                for item in value:
                    yield from located_texts(item, skip)


# Names, codes and keys: not the prose the text rules read.
_NOT_PROSE = ("loc", "where", "name", "title", "department", "implementer", "code", "key", "source")


def _all_texts(report: m.Report) -> Iterator[tuple[Location, str]]:
    for part in (report.overview, report.notes, *report.evaluations):
        if part is not None:
            yield from located_texts(part, _NOT_PROSE)
    if report.tables and report.tables.t05:
        for row in report.tables.t05.rows:
            yield from located_texts(row, _NOT_PROSE)
