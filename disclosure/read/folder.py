"""Read a report folder (content/<department>/<year>/) into a Report."""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import model as m
from ..errors import Finding, Location, ReportError, display_path, raise_all
from .drafts import draft_marks
from .fields import each
from .format import (
    CATALOGUE_FILE,
    EVALUATION,
    EVALUATION_FOLDER,
    FILES,
    FILES_OF_KIND,
    KINDS_WITH_EVALUATIONS,
    MANIFEST,
)
from .format import WORKBOOK_SUFFIXES as SUFFIXES
from .source import kind_of, load_yaml

MANIFEST_FILE = "report.yaml"
TABLES_FILE = "tables.yaml"
KNOWN = {spec.name for spec in FILES}


def is_report_folder(folder: Path) -> bool:
    """Tell whether a folder holds a report (it has a report.yaml)."""
    return (folder / MANIFEST_FILE).is_file()


_YEAR_FOLDER = re.compile(r"[0-9]+")


def is_year_folder(name: str) -> bool:
    """Tell whether a folder name is a year (content/<department>/<year>): ASCII digits only."""
    return bool(_YEAR_FOLDER.fullmatch(name))


def slug_of(folder: Path) -> str:
    """The department's folder name of a report (content/<slug>/<year>), used in out/ and in addresses.

    Taken from the absolute path, so that `.` or `content/x/../x/2024` name the real folders.
    """
    return slug_of_path(os.path.abspath(folder).replace(os.sep, "/"))


def slug_of_path(path: str) -> str:
    """slug_of on an absolute path as text, with forward slashes (a build's key of a report)."""
    head, _, name = path.rstrip("/").rpartition("/")
    return head.rpartition("/")[2] if is_year_folder(name) else name


def content_root(folder: Path) -> Path:
    """The content folder a report belongs to: the folder above its department's (content/<department>/<year>).

    Files a report reads must lie inside it: a link into another department's folder is fine,
    one that leads elsewhere on the machine is refused.
    """
    folder = Path(os.path.abspath(folder))
    return folder.parent.parent if is_year_folder(folder.name) else folder.parent


# A department folder name becomes a part of the site's addresses and of out/: what every web
# server and file system serves as it is (Chinese is fine, it is percent-encoded in links).
_UNSAFE_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069/\\:*?\"<>|#%&;'`]")
_RESERVED = re.compile(r"(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?", re.IGNORECASE)
MAX_FOLDER_NAME = 100


def folder_name_problem(name: str) -> str:
    """Why a folder name cannot be a part of the site's addresses, or "" when it can."""
    if name in ("", ".", ".."):
        return "不是一个文件夹名"
    bad = _UNSAFE_CHARACTERS.search(name)
    if bad:
        char = bad.group()
        shown = f"“{char}”" if char.isprintable() else f"不可见字符 U+{ord(char):04X}"
        return f"含有{shown}，网址和文件名中不能使用"
    if name.startswith((".", "~", "-")) or name != name.strip() or name.endswith("."):
        return "不能以“.”“~”“-”或空格开头，也不能以空格或“.”结尾"
    if _RESERVED.fullmatch(name):
        return "是 Windows 的保留名称"
    if len(name) > MAX_FOLDER_NAME:
        return f"过长（{len(name)} 个字符，最多 {MAX_FOLDER_NAME} 个）"
    return ""


@dataclass
class Discovery:
    """The report folders under a content root, and the folders that look like reports but would not be built."""

    reports: list[Path] = field(default_factory=list)
    problems: list[ReportError] = field(default_factory=list)
    # The entries of each report folder as discovery listed them, by os.fspath(folder): a build's
    # plan takes them instead of listing every folder a second time.
    listings: dict[str, list[os.DirEntry]] = field(default_factory=dict)


# A manifest under another name: what a Windows user who cannot see extensions, or a typo, makes.
_MANIFEST_LIKE = re.compile(r"report(\.ya?ml)?(\.txt|\.yml)?", re.IGNORECASE)
REPORT_FILES = frozenset({spec.name for spec in FILES[1:]} | {EVALUATION_FOLDER})


def discover(root: Path) -> Discovery:
    """Find every report folder under a content root, and say why a folder that looks like one is not.

    A report that would vanish from the site without a word is a problem: a manifest named
    report.yml, Report.yaml or report.yaml.txt, report files without a report.yaml, a report
    folder inside another, a folder that is a symbolic link (not followed).
    """
    found = Discovery()
    waiting = [os.fspath(root)]  # depth first, in name order, as os.walk goes, but one scandir per folder
    while waiting:
        folder = waiting.pop()
        subfolders: list[str] = []
        files: list[str] = []
        links: list[str] = []
        try:
            with os.scandir(folder) as listed:
                entries = list(listed)
                for entry in entries:
                    try:
                        is_dir = entry.is_dir()
                    except OSError:
                        is_dir = False
                    if not is_dir:
                        files.append(entry.name)
                    elif not entry.name.startswith("."):
                        (links if entry.is_symlink() else subfolders).append(entry.name)
        except OSError:
            continue  # an unreadable folder is passed over, as os.walk does
        subfolders.sort()
        here = Path(folder) if links or MANIFEST_FILE in files else None  # made only where it is needed
        for name in sorted(links):
            assert here is not None
            found.problems.append(
                ReportError(
                    Location(display_path(here / name)),
                    "这个文件夹是一个符号链接，工具不进入链接的文件夹，其中的报告不会生成：请把文件夹复制过来（或删除这个链接）",
                )
            )
        if here is not None and MANIFEST_FILE in files:
            found.reports.append(here)
            found.listings[os.fspath(here)] = entries
            # A report folder holds no other report: look for one, say so, go no deeper.
            for name in subfolders:
                if name == EVALUATION_FOLDER:
                    continue
                nested = next((Path(f) for f, _, names in os.walk(here / name) if MANIFEST_FILE in names), None)
                if nested is not None:
                    found.problems.append(
                        ReportError(
                            Location(display_path(nested)),
                            f"报告文件夹 {display_path(here)} 中又有一个报告文件夹：它不会生成；"
                            "每份报告应放在 content/<部门>/<年度>/，请把它移出来",
                        )
                    )
            continue
        waiting.extend(os.path.join(folder, name) for name in reversed(subfolders))
        alike = sorted(name for name in files if _MANIFEST_LIKE.fullmatch(name.strip()) and name != MANIFEST_FILE)
        if alike:
            found.problems.append(
                ReportError(
                    Location(display_path(Path(folder) / alike[0])),
                    f"报告清单的文件名应为 {MANIFEST_FILE}（全部小写，扩展名 .yaml），而不是“{alike[0]}”：请改名，否则这份报告不会生成",
                )
            )
        elif REPORT_FILES & set(files + subfolders) and not set(files) & {"site.yaml"}:
            present = "、".join(sorted(REPORT_FILES & set(files + subfolders)))
            found.problems.append(
                ReportError(
                    Location(display_path(Path(folder))),
                    f"这个文件夹中有 {present}，却没有 {MANIFEST_FILE}：它不会生成；请补上 {MANIFEST_FILE}（或把这个文件夹移出 content/）",
                )
            )
    found.reports.sort()
    return found


def find_reports(root: Path) -> list[Path]:
    """Return every report folder under a content root, sorted (department, then year)."""
    return discover(root).reports


def prior_folder(folder: Path, year: int) -> Path | None:
    """Last year's report folder: the sibling named by the year before the manifest's, if it holds a report.

    Reading and fingerprinting both ask this, so an edit of last year's files rebuilds this year
    whatever this year's folder is called.
    """
    found = prior_candidate(os.fspath(folder), year)
    return Path(found) if found is not None and os.path.isfile(os.path.join(found, MANIFEST_FILE)) else None


def prior_candidate(folder: str, year: int) -> str | None:
    """Where last year's folder of a report would be, as text (None when that is the folder itself):
    what prior_folder looks in, and what a no-op build looks up among the folders it listed."""
    candidate = os.path.join(os.path.dirname(folder), str(year - 1))
    return None if os.path.normpath(candidate) == os.path.normpath(folder) else candidate


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
    files = Files(folder)
    if not os.path.lexists(folder / MANIFEST_FILE):
        raise ReportError(Location(shown), f"这里没有 {MANIFEST_FILE}，不是一个报告文件夹")
    if not as_prior:
        _check_folder_names(folder)
        _reject_unknown_files(folder)
    notices: list[Finding] = []
    manifest: m.Manifest = MANIFEST.read(files.load(folder / MANIFEST_FILE, notices))
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
        try:
            if spec.name == TABLES_FILE and workbook is not None:
                from .workbook import read_workbook  # the spreadsheet readers, only for a folder that has a workbook

                files.check(workbook)
                shown_book = display_path(workbook)
                parsed[spec.name] = read_workbook(workbook, shown_book, manifest.unit, manifest.department)
                continue
            if not os.path.lexists(path):
                if kind_files[spec.name]:
                    hint = "，或放入财务系统导出的公开表工作簿（.xlsx、.xls、.ods）" if spec.name == TABLES_FILE else ""
                    raise ReportError(Location(display_path(path)), f"缺少文件 {spec.name}（{spec.doc}）{hint}")
                continue
            parsed[spec.name] = spec.record.read(files.load(path, notices))
        except ReportError as exc:
            problems.append(exc)
    if STATEMENT_FILE in parsed:  # a 三公经费 statement is its 07表 and its notes
        parsed[TABLES_FILE], parsed["notes.yaml"] = parsed.pop(STATEMENT_FILE)  # type: ignore[misc]
    evaluations: tuple[m.Evaluation, ...] = ()
    if not as_prior and manifest.kind in KINDS_WITH_EVALUATIONS:
        try:
            evaluations = tuple(_read_evaluations(files, notices))
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
            notices += prior.notices
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
        notices=tuple(notices),
    )


def _within(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


class Files:
    """A report folder's files as reading may open them: inside the content folder, regular files only.

    A symbolic link may lead to another department's file (a glossary shared between years), but
    not out of the content folder: a `tables.yaml` linked to /etc/passwd is refused before it is
    read, so no message ever quotes it.
    """

    def __init__(self, folder: Path):
        self.folder = folder
        self.root = os.path.realpath(content_root(folder))
        real = os.path.realpath(folder)
        if not _within(real, self.root):
            raise ReportError(
                Location(display_path(folder)),
                "这个报告文件夹是一个指向内容文件夹以外的符号链接：工具不读取内容文件夹以外的文件，请把文件夹复制进来",
            )

    def check(self, path: Path) -> None:
        """Refuse a path that is a broken or looping link, or a link out of the content folder."""
        if not os.path.islink(path):
            return
        shown = Location(display_path(path))
        try:
            os.stat(path)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise ReportError(shown, "这是一个循环的符号链接（链接最终指向它自己）：请换成文件") from None
            raise ReportError(shown, "这是一个失效的符号链接（它指向的文件不存在）：请换成文件") from None
        if not _within(os.path.realpath(path), self.root):
            raise ReportError(shown, "这是一个指向内容文件夹以外的符号链接：工具不读取内容文件夹以外的文件，请把文件复制进来")

    def load(self, path: Path, notices: list[Finding]):
        """The node tree of one YAML file of the report."""
        self.check(path)
        return load_yaml(path, display_path(path), notices)


def _read_evaluations(files: Files, notices: list[Finding]) -> list[m.Evaluation]:
    directory = files.folder / EVALUATION_FOLDER
    if not os.path.lexists(directory):
        return []
    files.check(directory)
    if not directory.is_dir():
        raise ReportError(Location(display_path(directory)), f"{EVALUATION_FOLDER} 应是一个文件夹，其中放自评表文件")

    def one(path: Path) -> m.Evaluation:
        where = Location(display_path(path))
        files.check(path)
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            raise ReportError(
                where,
                f"{EVALUATION_FOLDER}/ 中不能有文件夹（是备份吗？）：自评表文件直接放在 {EVALUATION_FOLDER}/ 中，备份请移出报告文件夹",
            )
        if not stat.S_ISREG(mode):
            raise ReportError(where, f"{EVALUATION_FOLDER}/ 中的这一项不是文件，而是{kind_of(mode)}：请删除")
        if path.suffix != ".yaml":
            hint = f"；扩展名应为 .yaml：请改名为 {path.with_suffix('.yaml').name}" if path.suffix == ".yml" else ""
            raise ReportError(where, f"{EVALUATION_FOLDER}/ 中只能放扩展名为 .yaml 的自评表文件{hint}")
        evaluation: m.Evaluation = EVALUATION.read(files.load(path, notices))
        return replace(evaluation, source=path.name)

    # Every file's problems are reported in one run; then one evaluation under two names is refused.
    found: list[m.Evaluation] = each(one, [p for p in sorted(directory.iterdir()) if not p.name.startswith(".")])
    seen: dict[tuple[str, str], str] = {}
    for evaluation in found:
        key = (evaluation.kind, evaluation.name)
        if key in seen:
            raise ReportError(
                evaluation.at("name", "名称"),
                f"与 {seen[key]} 是同一张自评表（{evaluation.kind}“{evaluation.name}”）：同一张表只能有一个文件，否则会计算两次；请删除其中一个",
            )
        seen[key] = f"{EVALUATION_FOLDER}/{evaluation.source}"
    return found


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
        if Path(manifest.workbook).name != manifest.workbook or manifest.workbook in (".", ".."):
            raise ReportError(where, f"公开表文件只写文件名（工作簿放在报告文件夹中），不能写路径“{manifest.workbook}”")
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
    if os.path.lexists(tables):
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
        if path.is_dir() and not path.is_symlink() and is_year_folder(path.name) and not os.path.lexists(path / MANIFEST_FILE):
            continue
        if path.is_dir() and os.path.lexists(path / MANIFEST_FILE):
            continue  # a report folder inside this one: finding the reports says so, and builds neither it nor its files
        allowed = "、".join(sorted(KNOWN)) + f"、一个公开表工作簿（.xlsx、.xls、.ods）和 {EVALUATION_FOLDER}/"
        hint = ""
        if path.suffix == ".yml" and path.with_suffix(".yaml").name in KNOWN:
            hint = f"；扩展名应为 .yaml：请改名为 {path.with_suffix('.yaml').name}"
        elif path.name.lower() in KNOWN or path.name.lower().removesuffix(".txt") in KNOWN:
            hint = f"；文件名应为 {path.name.lower().removesuffix('.txt')}（全部小写，扩展名 .yaml）"
        raise ReportError(Location(display_path(path)), f"报告文件夹中不认识这个文件（可以有的文件：{allowed}）{hint}")


_YEAR_LIKE = re.compile(r"(19|20|21)[0-9]{2}\D.*|[0-9０-９]*[０-９][0-9０-９]*")


def _check_folder_names(folder: Path) -> None:
    """The department's folder name becomes part of out/ and of the site's addresses; a year folder is four digits."""
    name = Path(os.path.abspath(folder)).name
    if _YEAR_LIKE.fullmatch(name):
        raise ReportError(
            Location(display_path(folder)),
            f"年度文件夹的名称应只有四位数字，例如 2024，而不是“{name}”：否则“{name}”会被当作部门文件夹名",
        )
    slug = slug_of(folder)
    problem = folder_name_problem(slug)
    if problem:
        raise ReportError(
            Location(display_path(folder)),
            f"部门文件夹名“{slug}”{problem}：它是发布网站上的地址的一部分，请改用拼音、数字和连字符（例如 linjiang-yibaoju）",
        )


def _check_year_folder(folder: Path, manifest: m.Manifest) -> None:
    name = Path(os.path.abspath(folder)).name
    if is_year_folder(name) and int(name) != manifest.year:
        raise ReportError(
            manifest.at("year", "年度"),
            f"年度 {manifest.year} 与文件夹名 {name} 不一致：是不是复制了上年的文件夹而忘了改年度？",
        )
