"""Fuzz: hundreds of seeded mutations of the bundled examples, across every field kind and file kind.

Each mutation changes one report folder and says what it means:

* `same`: an equivalent rewrite (full-width digits, a quoted number, 1,234.50, a Choice's alias,
  2025年8月18日 for 2025-08-18, GB18030 for UTF-8, CRLF line ends …): if accepted, report.md must
  be byte-identical to the unmutated one;
* `text`: a text replaced by a marker: if accepted, report.md is unchanged (the text is not
  printed) or every line it gains holds the marker;
* `number`: a number replaced by another: if accepted, report.md is unchanged or a line it gains
  prints the new value;
* `refuse`: hostile input (a 26-digit amount, a control character, a FIFO, an alias bomb …) must
  be refused with a located Chinese message;
* `any`: a random break (a deleted or repeated line, a truncated file): only the rules for all.

For all of them: no traceback and no hang (an alarm bounds each mutation), a refusal is a
ReportError with a file and a Chinese message, and when `check` accepts a mutation the build of
md, html and docx succeeds. The seed is fixed, so a failure names a mutation that reproduces.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from disclosure.amounts import format_amount, format_plain
from disclosure.errors import ReportError, display_path
from disclosure.pipeline import Toolkit, build_report
from disclosure.read import fields as F
from disclosure.read import format as FMT
from disclosure.read.folder import discover

from conftest import CONTENT

SEED = 16
MUTATIONS = 400
BUDGET = 60.0  # seconds for the whole run; CI must not wait longer
ALARM = 10  # seconds for one mutation: more is a hang
FORMATS = ("md", "html", "docx")
REPORTS = sorted(p.relative_to(CONTENT).as_posix() for p in CONTENT.glob("*/*") if (p / "report.yaml").is_file())
FULLWIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class Mutation:
    """What was done (to reproduce it), and what it means for report.md."""

    what: str
    expect: str  # same | text | number | refuse | any
    marker: str = ""  # text: the marker; number: the printed forms of the new value, separated by |


# ---------------------------------------------------------------------------- the scalars of a file and their kinds


def record_of(name: str) -> F.Type:
    if name.startswith("evaluations/"):
        return FMT.EVALUATION
    return next(spec.record for spec in FMT.FILES if spec.name == name)


def scalars(node: yaml.Node, kind: F.Type) -> Iterator[tuple[yaml.ScalarNode, F.Type]]:
    """Every scalar of a composed YAML node with the field type that reads it (mirroring the reader)."""
    if isinstance(kind, F.Record) and isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            spec = kind.by_key.get(key.value)
            if spec is not None:
                yield from scalars(value, spec.type)
    elif isinstance(kind, F.ListOf) and isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from scalars(item, kind.item)
    elif isinstance(kind, F.MapOf) and isinstance(node, yaml.MappingNode):
        for _, value in node.value:
            yield from scalars(value, kind.value)
    elif isinstance(kind, FMT.Indicators) and isinstance(node, yaml.MappingNode):
        for _, groups in node.value:
            for _, rows in groups.value if isinstance(groups, yaml.MappingNode) else ():
                yield from scalars(rows, F.ListOf(FMT.Indicators.indicator_record()))
    elif isinstance(node, yaml.ScalarNode):
        yield node, kind


def targets(root: Path) -> dict[str, list[tuple[str, str, int, int, str, F.Type]]]:
    """Scalars by kind name: (report, file, start, end, value, type) over every bundled report."""
    found: dict[str, list] = {}
    for report in REPORTS:
        folder = root / report
        for path in sorted([*folder.glob("*.yaml"), *folder.glob("evaluations/*.yaml")]):
            name = path.relative_to(folder).as_posix()
            text = path.read_text(encoding="utf-8")
            tree = yaml.compose(text, Loader=yaml.CSafeLoader)
            for node, kind in scalars(tree, record_of(name)):
                start, end = node.start_mark.index, node.end_mark.index
                found.setdefault(type(kind).__name__, []).append((report, name, start, end, node.value, kind))
    return found


# ---------------------------------------------------------------------------- value mutations by kind


def _nodes(node: yaml.Node) -> Iterator[yaml.Node]:
    yield node
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _nodes(key)
            yield from _nodes(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _nodes(item)


def q(text: str) -> str:
    """A YAML double-quoted scalar: valid in a block and in a flow collection alike."""
    return json.dumps(text, ensure_ascii=False)


def grouped(value: str) -> str | None:
    """1234.5 → 1,234.5 (None when there is nothing to group)."""
    match = re.fullmatch(r"(-?)([0-9]+)(\.[0-9]+)?", value)
    if not match or len(match.group(2)) < 4:
        return None
    return match.group(1) + f"{int(match.group(2)):,}" + (match.group(3) or "")


def same_forms(value: str, kind: F.Type) -> list[str]:
    """Rewrites of a scalar that mean the same value to its field (as YAML text)."""
    forms = [q(value), q(f"  {value}  ") if isinstance(kind, F.Text | F.Amount | F.Number | F.Count) else q(value)]
    if re.fullmatch(r"[0-9.%≥≤]+", value):
        forms += [q(value.translate(FULLWIDTH)), value.translate(FULLWIDTH)]
    if isinstance(kind, F.Amount | F.Number) and (group := grouped(value)):
        forms.append(q(group))
    if isinstance(kind, F.Amount | F.Number | F.Count) and re.fullmatch(r"[0-9]+(\.[0-9]+)?", value):
        forms.append(q(value.translate(ARABIC_INDIC)))  # refused, or read as the same number: never misread
    if isinstance(kind, F.Score) and re.fullmatch(r"[0-9.]+", value):
        forms.append(f"{value}分")
    if isinstance(kind, F.Percent):
        forms.append(value.replace("%", "％"))
    if isinstance(kind, F.Year):
        forms += [f"{value}年", f"{value}年度"]
    if isinstance(kind, F.Date) and (m := re.fullmatch(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", value)):
        forms += [f"{m.group(1)}年{int(m.group(2))}月{int(m.group(3))}日", f"{m.group(1)}/{int(m.group(2))}/{int(m.group(3))}"]
    if isinstance(kind, F.Choice):
        canonical = kind.aliases.get(value, value)
        forms += [alias for alias, target in kind.aliases.items() if target == canonical]
    if isinstance(kind, FMT.Raw) and (m := re.fullmatch(r"([0-9]{4,})(.*)", value)):
        forms.append(q(f"{int(m.group(1)):,}{m.group(2)}"))  # 50402 → "50,402": read whole, not as 50
    return forms


HOSTILE_NUMBERS = [
    "12345678901234567890123456",
    "-1",
    "1e5",
    "NaN",
    ".inf",
    "0x10",
    '"50 402"',
    '"50,40"',
    "0.000001",
    '"1\\u0007"',
    "'٥٠٤٠٢'",
    '"１，２３４．５"',
    "{a: 1}",
    "[1, 2]",
    '""',
    "~",
]
HOSTILE_TEXTS = [
    '"\\u0007响铃"',
    '"\\x1b[31m红色"',
    '"从右到左\\u202e局障保"',
    '"\\u0000"',
    '"\\ufeff零宽"',
    '""',
    '"   "',
    "~",
    q("长" * 30_000),
    q("<script>alert(1)</script> {{ 7*7 }} {% raw %} **粗**"),
    q("javascript:alert(1)"),
    q("=1+1"),
    "[列表]",
    "{键: 值}",
    "&a 锚点",
    "*undefined",
    "'单引号'' 里的引号'",
]


def value_mutation(rng: random.Random, value: str, kind: F.Type, counter: int) -> tuple[str, Mutation]:
    """A new YAML text for a scalar and what it means."""
    choice = rng.random()
    forms = same_forms(value, kind)
    if choice < 0.4 and forms:
        new = rng.choice(forms)
        return new, Mutation(f"{value!r} → {new}", "same")
    numeric = isinstance(kind, F.Amount | F.Number | F.Score | F.Percent | F.Count)
    if choice < 0.75:
        if isinstance(kind, F.Text | FMT.Raw):
            marker = f"变异文字{counter}号"
            return q(marker), Mutation(f"{value!r} → {marker}", "text", marker)
        if isinstance(kind, F.Amount | F.Count) and (m := re.fullmatch(r"([0-9]+)(\.[0-9]+)?(%?)", value)):
            places = len(m.group(2) or ".") - 1
            step = Decimal(1).scaleb(-places) * rng.choice([1, 2, 7, 100])
            new_value = Decimal(m.group(1) + (m.group(2) or "")) + step
            text = f"{new_value}{m.group(3)}"
            printed = {format_amount(new_value, 2), format_plain(new_value), str(new_value)}
            return text, Mutation(f"{value!r} → {text}", "number", "|".join(sorted(printed)))
    pool = HOSTILE_NUMBERS if numeric or isinstance(kind, F.Code | F.Year | F.Date) else HOSTILE_TEXTS
    new = rng.choice(pool)
    # Refusal is certain for what no field of these kinds may hold; the rest need only be read sanely.
    must = new in ('"\\u0007响铃"', '"\\x1b[31m红色"', '"从右到左\\u202e局障保"', '"\\u0000"', '"1\\u0007"') or (
        numeric and new in ("12345678901234567890123456", "'٥٠٤٠٢'", "1e5", "NaN", ".inf", "0x10")
    )
    return new, Mutation(f"{value!r} → {new[:40]}", "refuse" if must else "any")


# ---------------------------------------------------------------------------- file and folder mutations


def file_mutations() -> list[tuple[str, Callable[[random.Random, Path, Path], Mutation]]]:
    """Mutations of a whole file or of the folder: (name, function(rng, report folder, file) → Mutation)."""

    def rewrite(path: Path, data: bytes) -> None:
        path.write_bytes(data)

    def encoding(name: str, codec: str, bom: bytes = b""):
        def apply(rng, folder, path):
            rewrite(path, bom + path.read_text(encoding="utf-8").encode(codec))
            return Mutation(f"{path.name} in {name}", "same")

        return apply

    def crlf(rng, folder, path):
        rewrite(path, path.read_bytes().replace(b"\n", b"\r\n"))
        return Mutation(f"{path.name} with CRLF", "same")

    def comment(rng, folder, path):
        text = path.read_text(encoding="utf-8")
        # A comment may end a line where a plain or quoted scalar ends and none runs on (inside a
        # block scalar “|” a “#” is text).
        spans = [
            (n.start_mark.line, n.end_mark.line, n.style)
            for n in _nodes(yaml.compose(text, Loader=yaml.CSafeLoader))
            if isinstance(n, yaml.ScalarNode)
        ]
        ends = {end for start, end, style in spans if style in (None, "", '"', "'") and end == start}
        across = {line for start, end, _ in spans for line in range(start, end)}
        lines = text.split("\n")
        safe = sorted(line for line in ends - across if "#" not in lines[line])
        i = rng.choice(safe)
        lines[i] += "  # 批注：核对过"
        path.write_text("\n".join(lines), encoding="utf-8")
        return Mutation(f"{path.name}:{i + 1} comment", "same")

    def truncate(rng, folder, path):
        data = path.read_bytes()
        cut = rng.randrange(1, len(data))
        rewrite(path, data[:cut])
        return Mutation(f"{path.name} cut at byte {cut}", "any")

    def delete_line(rng, folder, path):
        lines = path.read_text(encoding="utf-8").split("\n")
        i = rng.randrange(len(lines))
        del lines[i]
        path.write_text("\n".join(lines), encoding="utf-8")
        return Mutation(f"{path.name}:{i + 1} deleted", "any")

    def repeat_line(rng, folder, path):
        lines = path.read_text(encoding="utf-8").split("\n")
        i = rng.randrange(len(lines))
        lines.insert(i, lines[i])
        path.write_text("\n".join(lines), encoding="utf-8")
        return Mutation(f"{path.name}:{i + 1} repeated", "any")

    def control(rng, folder, path):
        text = path.read_text(encoding="utf-8")
        i = rng.randrange(len(text))
        char = rng.choice(["\x00", "\x07", "\x1b", "\x7f", "\x0c"])
        path.write_text(text[:i] + char + text[i:], encoding="utf-8")
        return Mutation(f"{path.name} {char!r} at {i}", "refuse")

    def flip(rng, folder, path):
        data = bytearray(path.read_bytes())
        for _ in range(3):
            data[rng.randrange(len(data))] = rng.randrange(256)
        rewrite(path, bytes(data))
        return Mutation(f"{path.name} bytes flipped", "any")

    def pasted_gbk(rng, folder, path):
        text = path.read_text(encoding="utf-8")
        rewrite(path, text.encode("utf-8") + "# 从别处粘贴的说明\n".encode("gbk"))
        return Mutation(f"{path.name} GBK pasted", "refuse")

    def word(rng, folder, path):
        rewrite(path, b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 22 + b"[Content_Types].xmlword/document.xml")
        return Mutation(f"{path.name} is a Word file", "refuse")

    def append(text: str, name: str):
        def apply(rng, folder, path):
            with open(path, "a", encoding="utf-8") as stream:
                stream.write(text)
            return Mutation(f"{path.name} + {name}", "refuse")

        return apply

    bomb = (
        "\n".join(
            ["甲甲: &a [一, 一, 一, 一, 一, 一, 一, 一, 一]"]
            + [f"甲{chr(0x4E59 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
        )
        + "\n"
    )

    def kind(what: str):
        def apply(rng, folder, path):
            path.unlink()
            if what == "folder":
                path.mkdir()
            elif what == "fifo":
                os.mkfifo(path)
            elif what == "loop":
                path.symlink_to(path.name)
            elif what == "dangling":
                path.symlink_to("nowhere.yaml")
            elif what == "outside":
                path.symlink_to("/etc/passwd")
            return Mutation(f"{path.name} is a {what}", "refuse")

        return apply

    return [
        ("gb18030", encoding("GB18030", "gb18030")),
        ("utf-16", encoding("UTF-16", "utf-16")),
        ("bom", encoding("UTF-8 with BOM", "utf-8", b"\xef\xbb\xbf")),
        ("crlf", crlf),
        ("comment", comment),
        ("truncate", truncate),
        ("delete line", delete_line),
        ("repeat line", repeat_line),
        ("control", control),
        ("flip", flip),
        ("pasted gbk", pasted_gbk),
        ("word", word),
        ("bomb", append(bomb, "alias bomb")),
        ("deep", append("深: " + "[" * 200 + "]" * 200 + "\n", "200-deep nesting")),
        ("recursive", append("环: &环 [1, *环]\n", "recursive alias")),
        ("folder", kind("folder")),
        ("fifo", kind("fifo")),
        ("loop", kind("loop")),
        ("dangling", kind("dangling")),
        ("outside", kind("outside")),
    ]


def folder_mutations() -> list[tuple[str, Callable[[random.Random, Path], Mutation | None]]]:
    """Mutations of a report folder's entries: (name, function(rng, folder) → Mutation, None when it does not apply)."""

    def evaluations(folder: Path) -> list[Path]:
        return sorted((folder / "evaluations").glob("*.yaml"))

    def twice(rng, folder):
        files = evaluations(folder)
        if not files:
            return None
        source = rng.choice(files)
        shutil.copy(source, source.with_name("99-副本.yaml"))
        return Mutation(f"{source.name} copied", "refuse")

    def backup(rng, folder):
        if not evaluations(folder):
            return None
        shutil.copytree(folder / "evaluations", folder / "备份")
        shutil.move(folder / "备份", folder / "evaluations" / "备份")
        return Mutation("evaluations/备份/", "refuse")

    def fifo(rng, folder):
        if not (folder / "evaluations").is_dir():
            return None
        os.mkfifo(folder / "evaluations" / "管道.yaml")
        return Mutation("evaluations/管道.yaml FIFO", "refuse")

    def stray(rng, folder):
        (folder / rng.choice(["notes.yml", "Tables.yaml", "说明.docx", "report.yaml.bak"])).write_text("x: 1\n", encoding="utf-8")
        return Mutation("a stray file", "refuse")

    return [("twice", twice), ("backup", backup), ("fifo in evaluations", fifo), ("stray", stray)]


def vanish_mutations() -> list[tuple[str, Callable[[Path], Mutation]]]:
    """Mutations that make a report no report: the finding of reports must say so."""

    def rename(name: str):
        def apply(folder: Path) -> Mutation:
            (folder / "report.yaml").rename(folder / name)
            return Mutation(f"report.yaml → {name}", "vanish")

        return apply

    def delete(folder: Path) -> Mutation:
        (folder / "report.yaml").unlink()
        return Mutation("report.yaml deleted", "vanish")

    return [(name, rename(name)) for name in ("report.yml", "Report.yaml", "report.yaml.txt", "REPORT.YAML")] + [
        ("deleted", delete)
    ]


# ---------------------------------------------------------------------------- the run


class Hang(Exception):
    pass


def _expire(signum, frame):
    raise Hang


def located(exc: ReportError, root: Path) -> str:
    """What is wrong with a refusal's message, or "" when it names a file and says what in Chinese."""
    text = exc.render(with_source=False)
    if not exc.location.file:
        return "no file"
    if not CJK.search(exc.message):
        return "not Chinese"
    if "Traceback" in text or re.search(r"\b(found|expected|while scanning|could not)\b", exc.message):
        return "libyaml's or Python's English"
    return ""


class Run:
    """The fuzz run: a copy of the content per mutation, the unmutated report.md of each report."""

    def __init__(self, root: Path):
        self.root = root
        self.toolkit = Toolkit()
        self.base: dict[str, str] = {}
        self.problems: list[str] = []
        self.counts: Counter[str] = Counter()
        pristine = root / "pristine"
        shutil.copytree(CONTENT, pristine)
        self.pristine = pristine
        for report in REPORTS:
            built = build_report(pristine / report, self.toolkit, ("md",))
            self.base[report] = built.files["report.md"].decode("utf-8")
        self.n = 0

    def fresh(self, report: str) -> Path:
        """A fresh copy of a report's department (last year's folder is an input too); the report's folder in it."""
        self.n += 1
        department = report.split("/")[0]
        target = self.root / f"m{self.n}" / department
        shutil.copytree(self.pristine / department, target, symlinks=True)
        return target.parent / report

    def affected(self, report: str) -> list[str]:
        """The reports a change in `report` can change: itself and the next year's, which quotes it."""
        department, year = report.split("/")
        return [r for r in REPORTS if r == report or r == f"{department}/{int(year) + 1}"]

    def judge(self, folder: Path, report: str, mutation: Mutation) -> None:
        self.counts[mutation.expect] += 1
        label = f"{report}: {mutation.what}"
        signal.signal(signal.SIGALRM, _expire)
        signal.alarm(ALARM)
        try:
            for name in self.affected(report):
                # Next year's report reads only this year's tables and notes: refused, or the same.
                expect = {"same": "same", "refuse": "refused or same"}.get(mutation.expect, "any")
                meant = mutation if name == report else Mutation(mutation.what, expect)
                self._one(folder.parent.parent / name, name, meant, f"{name} (quoting {label})" if name != report else label)
        except Hang:
            self.problems.append(f"{label}: still running after {ALARM} s")
        except Exception:  # noqa: BLE001 - a traceback is what the run looks for
            self.problems.append(f"{label}: traceback\n{traceback.format_exc()}")
        finally:
            signal.alarm(0)

    def _one(self, folder: Path, report: str, mutation: Mutation, label: str) -> None:
        try:
            built = build_report(folder, self.toolkit, ("md",))
        except ReportError as exc:
            self.counts["refused"] += 1
            wrong = located(exc, self.root)
            if wrong:
                self.problems.append(f"{label}: refused, but the message has {wrong}: {exc.render(with_source=False)}")
            return
        if built.errors:
            self.counts["refused"] += 1
            return
        self.counts["accepted"] += 1
        new = built.files["report.md"].decode("utf-8")
        base = self.base[report]
        added = list((Counter(new.splitlines()) - Counter(base.splitlines())).elements())
        if mutation.expect == "refuse":
            self.problems.append(f"{label}: accepted, but it must be refused")
        elif mutation.expect in ("same", "refused or same") and new != base:
            self.problems.append(f"{label}: accepted as the same, but report.md changed: {added[:3]}")
        elif mutation.expect == "text" and added and not all(mutation.marker in line for line in added):
            self.problems.append(
                f"{label}: lines changed that do not hold the new text: {[a for a in added if mutation.marker not in a][:3]}"
            )
        elif (
            mutation.expect == "number"
            and added
            and not any(form in line for line in added for form in mutation.marker.split("|"))
        ):
            self.problems.append(f"{label}: report.md changed, but does not print the new value: {added[:3]}")
        if re.search("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e]", new):
            self.problems.append(f"{label}: report.md holds a control character")
        if new != base or mutation.expect in ("any", "refuse"):
            # check passing means build succeeds: every format, with whatever the mutation put in
            full = build_report(folder, self.toolkit, FORMATS)
            if full.errors or set(full.files) < {"report.md", "report.html", "report.docx"}:
                self.problems.append(f"{label}: accepted with md only, but the full build failed")


def test_fuzz_the_examples(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    started = time.monotonic()
    run = Run(tmp_path)
    rng = random.Random(SEED)
    by_kind = targets(run.pristine)
    kinds = sorted(by_kind)
    files = file_mutations()
    folders = folder_mutations()
    vanishes = vanish_mutations()
    done = Counter()
    for i in range(MUTATIONS):
        if time.monotonic() - started > BUDGET - 5:
            break
        slot = i % 10
        if slot < 6:  # a scalar of each kind in turn
            kind = kinds[(i // 10 * 6 + slot) % len(kinds)]
            report, name, start, end, value, field_type = rng.choice(by_kind[kind])
            folder = run.fresh(report)
            path = folder / name
            text = path.read_text(encoding="utf-8")
            new, mutation = value_mutation(rng, value, field_type, i)
            path.write_text(text[:start] + new + text[end:], encoding="utf-8")
            mutation.what = f"{name} {kind} {mutation.what}"
            done[f"kind {kind}"] += 1
        elif slot < 9:  # a whole file
            label, apply = files[(i // 10 * 3 + slot - 6) % len(files)]
            report = rng.choice(REPORTS)
            folder = run.fresh(report)
            name = rng.choice(
                sorted(p.relative_to(folder).as_posix() for p in [*folder.glob("*.yaml"), *folder.glob("evaluations/*.yaml")])
            )
            mutation = apply(rng, folder, folder / name)
            mutation.what = f"{name}: {mutation.what}"
            done[f"file {label}"] += 1
        else:  # the folder
            report = rng.choice(REPORTS)
            folder = run.fresh(report)
            if i // 10 % 3 == 2:
                label, vanish = vanishes[i // 30 % len(vanishes)]
                vanish(folder)
                found = discover(folder.parent.parent)
                shown = display_path(folder)
                if folder in found.reports or not any(shown in p.render(with_source=False) for p in found.problems):
                    run.problems.append(f"{report}: {label}: the report vanished without a word")
                done[f"vanish {label}"] += 1
                continue
            label, apply_folder = folders[i // 10 % len(folders)]
            result = apply_folder(rng, folder)
            if result is None:
                continue
            mutation = result
            done[f"folder {label}"] += 1
        run.judge(folder, report, mutation)
    elapsed = time.monotonic() - started
    print(f"\n{sum(done.values())} mutations in {elapsed:.1f} s; {dict(run.counts)}")
    assert not run.problems, "\n".join(run.problems[:20])
    assert sum(done.values()) >= 200, f"only {sum(done.values())} mutations in the time budget"
    assert {f"kind {k}" for k in kinds} <= set(done), "every field kind mutated"
    assert {"Amount", "Number", "Score", "Percent", "Count", "Year", "Date", "Code", "Choice", "Text", "Raw"} <= set(kinds)
    assert elapsed < BUDGET
