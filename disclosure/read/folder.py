"""Read a report folder (content/<department>/<year>/) into a Report."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from .. import model as m
from ..errors import Location, ReportError, display_path, raise_all
from .drafts import draft_marks
from .fields import each
from .format import CATALOGUE_FILE, EVALUATION, EVALUATION_FOLDER, FILES, FILES_OF_KIND, KINDS_WITH_EVALUATIONS, MANIFEST
from .source import load_yaml
from .workbook import SUFFIXES, read_workbook

MANIFEST_FILE = "report.yaml"
TABLES_FILE = "tables.yaml"
KNOWN = {spec.name for spec in FILES}


def is_report_folder(folder: Path) -> bool:
    """Tell whether a folder holds a report (it has a report.yaml)."""
    return (folder / MANIFEST_FILE).is_file()


def slug_of(folder: Path) -> str:
    """The department's folder name of a report (content/<slug>/<year>), used in out/ and in addresses."""
    return folder.parent.name if folder.name.isdigit() else folder.name


def find_reports(root: Path) -> list[Path]:
    """Return every report folder under a content root, sorted (department, then year)."""
    if is_report_folder(root):
        return [root]
    found = []
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        if MANIFEST_FILE in files:
            found.append(Path(folder))
    return sorted(found)


def prior_folder(folder: Path, year: int) -> Path | None:
    """Last year's report folder: the sibling named by the year before the manifest's, if it holds a report.

    Reading and fingerprinting both ask this, so an edit of last year's files rebuilds this year
    whatever this year's folder is called.
    """
    candidate = folder.parent / str(year - 1)
    return candidate if candidate != folder and is_report_folder(candidate) else None


# What the next year's report quotes from last year's folder: its tables and notes (or its 三公 statement).
PRIOR_FILES = {"tables.yaml", "notes.yaml", "three_costs.yaml", CATALOGUE_FILE}
STATEMENT_FILE = "three_costs.yaml"


def catalogue_file(folder: Path) -> Path | None:
    """The user's 科目表.yaml nearest to a report: in its folder, its department's folder, or the content folder above."""
    for place in (folder, folder.parent, folder.parent.parent):
        path = place / CATALOGUE_FILE
        if path.is_file():
            return path
    return None


def read_report(folder: Path, *, with_prior: bool = True, as_prior: bool = False) -> m.Report:
    """Read and parse every file of a report folder; raise ReportError on the first shape error.

    Last year's folder, when there is one, is read `as_prior`: only the files whose figures the
    narrative quotes, so a problem elsewhere in last year's folder does not stop this year.
    """
    shown = display_path(folder)
    if not is_report_folder(folder):
        raise ReportError(Location(shown), f"这里没有 {MANIFEST_FILE}，不是一个报告文件夹")
    if not as_prior:
        _reject_unknown_files(folder)
    manifest: m.Manifest = MANIFEST.read(load_yaml(folder / MANIFEST_FILE, display_path(folder / MANIFEST_FILE)))
    _check_year_folder(folder, manifest)
    kind_files = FILES_OF_KIND[manifest.kind]
    if not as_prior:
        _reject_files_of_other_kinds(folder, manifest, kind_files)
    workbook = find_workbook(folder, manifest) if TABLES_FILE in kind_files else None
    parsed: dict[str, object] = {}
    # The files are independent of one another: every file's problems are reported in one run.
    problems: list[ReportError] = []
    for spec in FILES[1:]:
        path = folder / spec.name
        if spec.name not in kind_files or (as_prior and spec.name not in PRIOR_FILES):
            continue
        if spec.name == CATALOGUE_FILE:
            path = catalogue_file(folder) or path
            continue
        try:
            if spec.name == TABLES_FILE and workbook is not None:
                shown_book = display_path(workbook)
                parsed[spec.name] = read_workbook(workbook, shown_book, manifest.unit, manifest.department)
                continue
            if not path.is_file():
                if kind_files[spec.name]:
                    hint = "，或放入财务系统导出的公开表工作簿（.xlsx、.xls、.ods）" if spec.name == TABLES_FILE else ""
                    raise ReportError(Location(display_path(path)), f"缺少文件 {spec.name}（{spec.doc}）{hint}")
                continue
            parsed[spec.name] = spec.record.read(load_yaml(path, display_path(path)))
        except ReportError as exc:
            problems.append(exc)
    if STATEMENT_FILE in parsed:  # a 三公经费 statement is its 07表 and its notes
        parsed[TABLES_FILE], parsed["notes.yaml"] = parsed.pop(STATEMENT_FILE)  # type: ignore[misc]
    evaluations: tuple[m.Evaluation, ...] = ()
    if not as_prior and manifest.kind in KINDS_WITH_EVALUATIONS:
        try:
            evaluations = tuple(_read_evaluations(folder))
        except ReportError as exc:
            problems.append(exc)
    raise_all(problems)
    raise_all([p for e in evaluations if (p := _ungrouped(e, manifest)) is not None])
    if manifest.kind == "绩效自评" and not evaluations and not as_prior:
        raise ReportError(
            Location(display_path(folder / EVALUATION_FOLDER)),
            "绩效自评结果文档至少要有一张自评表（evaluations/ 下的 YAML 文件）",
        )
    marks, marked = ((), ()) if as_prior else draft_marks(folder, [spec.name for spec in FILES])
    prior = None
    if with_prior:
        last_year = prior_folder(folder, manifest.year)
        if last_year is not None:
            prior = read_report(last_year, with_prior=False, as_prior=True)
    return m.Report(
        folder=shown,
        slug=slug_of(folder),
        manifest=manifest,
        overview=parsed.get("overview.yaml"),  # type: ignore[arg-type]
        tables=parsed.get("tables.yaml"),  # type: ignore[arg-type]
        notes=parsed.get("notes.yaml"),  # type: ignore[arg-type]
        evaluations=evaluations,
        glossary=parsed.get("glossary.yaml", ()),  # type: ignore[arg-type]
        prior=prior,
        marks=marks,
        marked=marked,
        catalogue=parsed.get(CATALOGUE_FILE),  # type: ignore[arg-type]
    )


def _read_evaluations(folder: Path) -> list[m.Evaluation]:
    directory = folder / EVALUATION_FOLDER
    if not directory.is_dir():
        return []

    def one(path: Path) -> m.Evaluation:
        if path.suffix != ".yaml" or not path.is_file():
            raise ReportError(Location(display_path(path)), "evaluations/ 中只能放扩展名为 .yaml 的自评表文件")
        evaluation: m.Evaluation = EVALUATION.read(load_yaml(path, display_path(path)))
        return replace(evaluation, source=path.name)

    return each(one, [p for p in sorted(directory.iterdir()) if not p.name.startswith(".")])


def _ungrouped(evaluation: m.Evaluation, manifest: m.Manifest) -> ReportError | None:
    """The 财政部 layout prints 一级/二级 indicators: a flat indicator list is for the 重庆 layout only."""
    layout = evaluation.layout or manifest.table_layout
    if layout == "重庆" or all(i.level1 for i in evaluation.indicators):
        return None
    return ReportError(
        evaluation.at("indicators", "绩效指标"),
        f"“{evaluation.name}”的绩效指标没有按一级指标、二级指标分组，财政部版式要印出这两级："
        "请按“产出指标 → 数量指标 → 指标列表”分组，或在本表写“版式: 重庆”（重庆版式不分组）",
    )


def workbooks_in(folder: Path) -> list[Path]:
    """The spreadsheet files of a folder (not Excel's ~$ lock files), sorted."""
    return sorted(
        p for p in folder.iterdir() if p.suffix.lower() in SUFFIXES and p.is_file() and not p.name.startswith(("~$", "."))
    )


def find_workbook(folder: Path, manifest: m.Manifest) -> Path | None:
    """The workbook that holds the nine tables: the one report.yaml names, else the one in the folder."""
    tables = folder / TABLES_FILE
    if manifest.workbook:
        path = folder / manifest.workbook
        where = manifest.at("workbook", "公开表文件")
        if path.suffix.lower() not in SUFFIXES:
            raise ReportError(where, f"公开表文件应为 .xlsx、.xls 或 .ods 工作簿，而不是“{manifest.workbook}”")
        if not path.is_file():
            found = "、".join(p.name for p in workbooks_in(folder)) or "没有工作簿"
            raise ReportError(where, f"文件夹中没有“{manifest.workbook}”（文件夹中有：{found}）")
    else:
        books = workbooks_in(folder)
        if not books:
            return None
        if len(books) > 1:
            names = "、".join(p.name for p in books)
            raise ReportError(
                Location(display_path(folder)),
                f"文件夹中有 {len(books)} 个工作簿：{names}；请只保留一个，或在 report.yaml 中用“公开表文件”写明用哪一个",
            )
        path = books[0]
    if tables.is_file():
        raise ReportError(
            Location(display_path(tables)),
            f"文件夹中同时有 {TABLES_FILE} 和工作簿 {path.name}，工具不知道以哪个为准："
            f"用工作簿时请删除（或移出）{TABLES_FILE}；用 {TABLES_FILE} 时请把 {path.name} 移出文件夹",
        )
    return path


def _reject_files_of_other_kinds(folder: Path, manifest: m.Manifest, kind_files: dict[str, bool]) -> None:
    """A file the document's kind does not read would be silently ignored: say so instead."""
    stray = sorted(spec.name for spec in FILES[1:] if spec.name not in kind_files and (folder / spec.name).is_file())
    if manifest.kind not in KINDS_WITH_EVALUATIONS and (folder / EVALUATION_FOLDER).is_dir():
        stray.append(f"{EVALUATION_FOLDER}/")
    if stray:
        reads = "、".join(["report.yaml", *kind_files])
        raise ReportError(
            Location(display_path(folder / stray[0].rstrip("/"))),
            f"report.yaml 写的是“类型: {manifest.kind}”，这类文档只读 {reads}，不读 {'、'.join(stray)}："
            "请把它移到自己的报告文件夹，或改正“类型”",
        )


def _reject_unknown_files(folder: Path) -> None:
    for path in sorted(folder.iterdir()):
        if path.name.startswith((".", "~$")) or path.name == EVALUATION_FOLDER or path.name in KNOWN:
            continue
        if path.suffix.lower() in SUFFIXES and path.is_file():
            continue
        if path.is_dir() and path.name.isdigit():
            continue
        allowed = "、".join(sorted(KNOWN)) + f"、一个公开表工作簿（.xlsx、.xls、.ods）和 {EVALUATION_FOLDER}/"
        hint = ""
        if path.suffix == ".yml" and path.with_suffix(".yaml").name in KNOWN:
            hint = f"；扩展名应为 .yaml：请改名为 {path.with_suffix('.yaml').name}"
        raise ReportError(Location(display_path(path)), f"报告文件夹中不认识这个文件（可以有的文件：{allowed}）{hint}")


def _check_year_folder(folder: Path, manifest: m.Manifest) -> None:
    if folder.name.isdigit() and int(folder.name) != manifest.year:
        raise ReportError(
            manifest.at("year", "年度"),
            f"年度 {manifest.year} 与文件夹名 {folder.name} 不一致：是不是复制了上年的文件夹而忘了改年度？",
        )
