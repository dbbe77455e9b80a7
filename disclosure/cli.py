"""Command line: parse arguments, call the package, print messages in Chinese, return an exit code."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from .errors import Location, ReportError, display_path
from .writers import DEFAULT_FORMATS, FORMATS, WRITERS

if TYPE_CHECKING:
    from .pipeline import Toolkit

# Each command imports what it needs when it runs: `--help` reads no module of the pipeline, and
# `check` none of the writers, the templates or the site.

COMMANDS = ("build", "check", "diff", "schema", "import", "new", "serve")

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def program() -> str:
    """How the user started the tool, for usage lines: python build.py, disclosure, python -m disclosure."""
    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    if name == "build.py":
        return "python build.py"
    if name == "__main__.py":
        return "python -m disclosure"
    return name or "disclosure"


class Parser(argparse.ArgumentParser):
    """argparse with its complaints in Chinese."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"参数有误：{message}\n（运行 {program()} --help 查看用法）\n")


def _parser() -> Parser:
    parser = Parser(
        prog=program(),
        description="部门决算公开与绩效自评文档生成工具：由 content/ 中的 YAML 生成核对过的 HTML、DOCX 报告。",
        add_help=False,
    )
    parser.add_argument("-h", "--help", action="help", help="显示本帮助并退出")
    commands = parser.add_subparsers(dest="command", metavar="命令", title="命令（不写命令即为 build）")
    build = commands.add_parser("build", help="核对并生成报告（默认命令）", add_help=False)
    build.add_argument("-h", "--help", action="help", help="显示本帮助并退出")
    build.add_argument("folders", nargs="*", type=Path, metavar="文件夹", help="报告文件夹或内容根目录（默认 content/）")
    build.add_argument("--out", type=Path, default=Path("out"), metavar="文件夹", help="输出文件夹（默认 out/）")
    build.add_argument(
        "--format",
        default=",".join(DEFAULT_FORMATS),
        metavar="格式",
        help=f"要生成的格式，逗号分隔（可选：{'、'.join(FORMATS)}；默认 {'、'.join(DEFAULT_FORMATS)}）",
    )
    build.add_argument("-j", "--jobs", type=int, metavar="N", help="同时生成的进程数（默认为 CPU 核数）")
    build.add_argument("--force", action="store_true", help="全部重新生成（默认跳过输入未变的报告）")
    build.add_argument("--shard", metavar="i/n", help="只生成第 i 份（共 n 份）报告，用于多台机器分担；第 1 份同时生成首页")
    build.add_argument("-v", "--verbose", action="store_true", help="列出写入的每个文件")
    build.add_argument("-q", "--quiet", action="store_true", help="不显示警告")
    build.add_argument("--no-source", action="store_true", help="不显示出错的原文行")
    diff = commands.add_parser(
        "diff", help="显示重新生成后报告文字和表格的变化（与 out/ 中已发布的版本比较），不写文件", add_help=False
    )
    diff.add_argument("-h", "--help", action="help", help="显示本帮助并退出")
    diff.add_argument("folders", nargs="*", type=Path, metavar="文件夹", help="报告文件夹或内容根目录（默认 content/）")
    diff.add_argument("--out", type=Path, default=Path("out"), metavar="文件夹", help="已生成的输出文件夹（默认 out/）")
    diff.add_argument(
        "--notice",
        action="store_true",
        help="报告已公开后更正：写出更正说明（与报告相同的格式），保留原版本（以日期命名），再生成更正后的报告",
    )
    diff.add_argument("--reason", default="", metavar="文字", help="更正原因（默认取 report.yaml“更正”的最后一项）")
    diff.add_argument("--date", default="", metavar="日期", help="更正日期，如 2025-10-15（默认取 report.yaml“更正”的最后一项）")
    check = commands.add_parser("check", help="只核对数据，不生成文档", add_help=False)
    check.add_argument("-h", "--help", action="help", help="显示本帮助并退出")
    check.add_argument("folders", nargs="*", type=Path, metavar="文件夹", help="报告文件夹或内容根目录（默认 content/）")
    check.add_argument("-q", "--quiet", action="store_true", help="不显示警告，只显示错误")
    check.add_argument("--no-source", action="store_true", help="不显示出错的原文行")
    check.add_argument("-j", "--jobs", type=int, metavar="N", help="同时核对的进程数（默认为 CPU 核数；报告不多时只用一个进程）")
    schema = commands.add_parser("schema", help="生成 JSON Schema（schema/）和字段参考（docs/字段参考.md）", add_help=False)
    schema.add_argument("-h", "--help", action="help", help="显示本帮助并退出")
    schema.add_argument("--out", type=Path, default=Path("."), metavar="文件夹", help="输出到哪个文件夹之下（默认当前文件夹）")
    schema.add_argument("--check", action="store_true", help="只核对这些文件是否为最新，不写文件")
    imports = commands.add_parser("import", help="把财务系统导出的公开表工作簿转写为报告文件夹中的 tables.yaml", add_help=False)
    imports.add_argument("-h", "--help", action="help", help="显示本帮助并退出")
    imports.add_argument("workbook", type=Path, metavar="工作簿", help="财务系统导出的 .xlsx、.xls 或 .ods 文件")
    imports.add_argument("folder", type=Path, metavar="报告文件夹", help="含 report.yaml 的报告文件夹，tables.yaml 写在这里")
    imports.add_argument("--force", action="store_true", help="覆盖已有的 tables.yaml")
    imports.add_argument("--no-source", action="store_true", help="不显示出错的单元格")
    serve = commands.add_parser("serve", help="本机预览：边改边看，保存文件后网页自动刷新（不写 out/）", add_help=False)
    serve.add_argument("-h", "--help", action="help", help="显示本帮助并退出")
    serve.add_argument(
        "folder", nargs="?", type=Path, default=Path("content"), metavar="文件夹", help="内容根目录（默认 content/）"
    )
    serve.add_argument("--port", type=int, default=0, metavar="端口", help="端口（默认自动选一个空闲端口）")
    serve.add_argument("--open", action="store_true", help="启动后在浏览器中打开")
    serve.add_argument("--write", action="store_true", help="每次成功生成后同时写入 --out 文件夹（默认不写）")
    serve.add_argument("--out", type=Path, default=Path("out"), metavar="文件夹", help="--write 时写入的文件夹（默认 out/）")
    new = commands.add_parser(
        "new", help="由上一年度的文件夹建立下一年度的报告文件夹（沿用的文字和待填写处都有标注）", add_help=False
    )
    new.add_argument("-h", "--help", action="help", help="显示本帮助并退出")
    new.add_argument(
        "target", type=Path, metavar="部门/年度", help="要建立的文件夹，例如 linjiang-yibaoju/2025（在 content/ 下）"
    )
    new.add_argument("--from", dest="source", type=Path, metavar="文件夹", help="从哪个报告文件夹建立（默认同一部门的上一年度）")
    new.add_argument("--no-source", action="store_true", help="不显示出错的原文行")
    return parser


def _new_target(given: Path) -> Path:
    """The folder `new` makes: as given when its department folder exists, else under content/."""
    if given.parent.is_dir() or given.is_absolute() or given.parts[:1] == ("content",):
        return given
    return Path("content") / given


def run_new(args: argparse.Namespace) -> int:
    """Make next year's folder from this year's, then list what is still to fill in."""
    from .pipeline import check_report
    from .read import is_report_folder
    from .site.nextyear import next_year, target_of, write_made

    target = _new_target(args.target)
    if not target.name.isdigit():
        return usage(f"要建立的文件夹应以年度结尾，例如 linjiang-yibaoju/2025，而不是“{args.target}”")
    source = args.source or target.parent / str(int(target.name) - 1)
    try:
        if not is_report_folder(source):
            raise ReportError(
                Location(display_path(source)),
                "这里没有上一年度的报告（report.yaml），无法建立；可用 --from 指定从哪个文件夹建立",
            )
        _, year = target_of(source)
        if year != int(target.name):
            raise ReportError(Location(display_path(source)), f"这是 {year - 1} 年度的报告，由它只能建立 {year} 年度的文件夹")
        written = write_made(next_year(source, target))
        checked = check_report(target)
    except ReportError as exc:
        print(exc.render(with_source=not args.no_source))
        return EXIT_FAILED
    print(f"已由 {display_path(source)} 建立 {display_path(target)}（{len(written)} 个文件）。还要做的事：")
    for finding in checked.findings:
        print(finding.render(with_source=not args.no_source))
    todo = sum(1 for f in checked.findings if f.rule == "DRAFT")
    carried = sum(1 for f in checked.findings if f.rule == "CARRIED")
    print(
        f"共 {todo} 处待填写（错误）、{carried} 处沿用上年的文字待核对（警告）：逐项处理并删除相应的注释行后，运行 {program()} check"
    )
    return EXIT_OK


def run_serve(args: argparse.Namespace) -> int:
    """Serve a live preview until Ctrl-C."""
    from .site.serve import serve

    if not args.folder.is_dir():
        print(ReportError(Location(str(args.folder)), "文件夹不存在").render(with_source=False))
        return EXIT_FAILED
    if not 0 <= args.port <= 65535:
        return usage("--port 应为 0 到 65535 之间的整数")

    def ready(address: str) -> None:
        print(f"预览地址：{address}（在浏览器中打开；保存文件后页面自动刷新；按 Ctrl-C 停止）", flush=True)
        if args.open:
            import webbrowser

            webbrowser.open(address)

    try:
        serve(args.folder, args.port, write_to=args.out if args.write else None, ready=ready)
    except OSError as exc:
        print(f"无法在端口 {args.port} 上启动预览：{exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILED
    print("已停止预览", flush=True)
    return EXIT_OK


def run_import(args: argparse.Namespace) -> int:
    """Read a workbook and write the equivalent tables.yaml into a report folder."""
    from .read.tables_file import import_tables
    from .site.files import write_atomic

    target = args.folder / "tables.yaml"
    if target.exists() and not args.force:
        print(f"{display_path(target)} 已经存在，没有改写；确需用工作簿的数据覆盖它，请加 --force", file=sys.stderr)
        return EXIT_FAILED
    try:
        text, notices = import_tables(args.workbook, args.folder)
    except ReportError as exc:
        print(exc.render(with_source=not args.no_source))
        return EXIT_FAILED
    for notice in notices:
        print(notice.render(with_source=not args.no_source))
    write_atomic(target, text.encode("utf-8"))
    print(f"已写入 {display_path(target)}")
    if args.workbook.resolve().parent == args.folder.resolve():
        print(f"注意：{args.workbook.name} 仍在报告文件夹中；生成报告前请把它移出文件夹（或删除 tables.yaml），两者只能保留一个")
    return EXIT_OK


def run_schema(args: argparse.Namespace) -> int:
    """Write (or with --check, compare) the JSON Schema files of the content format."""
    from .read.reference import schema_files
    from .site.files import write_atomic

    stale = []
    for name, data in schema_files().items():
        path = args.out / name
        if args.check:
            if not path.is_file() or path.read_bytes() != data:
                stale.append(name)
        elif write_atomic(path, data):
            print(f"已写入 {display_path(path)}")
    if stale:
        print(f"以下文件不是最新的：{'、'.join(stale)}；请运行 {program()} schema", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def _folders(given: Sequence[Path], listings: dict | None = None) -> tuple[list[Path], list[ReportError]]:
    """Expand the given folders (default content/) into report folders; `listings` takes each one's
    entries as discovery listed them (for a build's plan)."""
    from .read import discover

    roots = list(given) or [Path("content")]
    found: list[Path] = []
    seen: set[Path] = set()
    problems: list[ReportError] = []
    for root in roots:
        if not root.exists():
            problems.append(ReportError(Location(str(root)), "文件夹不存在"))
            continue
        discovered = discover(root)
        problems += discovered.problems
        reports = discovered.reports
        if listings is not None:
            listings.update(discovered.listings)
        if not reports and not discovered.problems:
            problems.append(ReportError(Location(display_path(root)), "这里没有找到报告（含 report.yaml 的文件夹）"))
        for report in reports:
            if report not in seen:
                seen.add(report)
                found.append(report)
    return found, problems


def _shard(text: str | None) -> tuple[int, int] | None:
    if text is None:
        return None
    parts = text.split("/")
    if len(parts) == 2 and all(p.isdigit() for p in parts) and 1 <= int(parts[0]) <= int(parts[1]):
        return int(parts[0]), int(parts[1])
    raise ValueError(text)


def _content_root(given: Sequence[Path]) -> Path:
    """The content root (site.yaml, shard keys): the folder given if it is not a report, else content/."""
    from .read import is_report_folder

    if len(given) == 1 and not is_report_folder(given[0]):
        return given[0]
    return Path("content")


def usage(message: str) -> int:
    """A mistake in the command itself: say so on stderr, exit 2."""
    print(f"参数有误：{message}\n（运行 {program()} --help 查看用法）", file=sys.stderr)
    return EXIT_USAGE


def run_build(args: argparse.Namespace) -> int:
    from .site import build_site, progress_bar

    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        return usage(f"不支持的格式“{'、'.join(unknown) or args.format}”；可选：{'、'.join(FORMATS)}")
    try:
        shard = _shard(args.shard)
    except ValueError:
        return usage(f"--shard 应写成“序号/总数”，例如 1/4，而不是“{args.shard}”")
    if args.jobs is not None and args.jobs < 1:
        return usage("--jobs 至少为 1")
    listings: dict = {}
    folders, problems = _folders(args.folders, listings)
    for problem in problems:
        print(problem.render(with_source=False))
    bar = progress_bar() if not args.verbose else None

    def report(done: int, total: int, outcome) -> None:
        if bar is not None:
            bar(done, total, outcome)
        if outcome.failed or (outcome.messages and not args.quiet) or (args.verbose and outcome.written):
            if bar is not None:
                sys.stderr.write("\r\033[K")
            if outcome.failed:
                print(f"{outcome.folder}：未生成（{outcome.errors} 个错误，原有输出保持不变）")
            elif outcome.messages:
                print(f"{outcome.folder}：{outcome.warnings} 个警告")
            for message in outcome.messages:
                print(message)
            for path in outcome.written if args.verbose else ():
                print(f"已生成 {path}")

    result = build_site(
        _content_root(args.folders),
        folders,
        args.out,
        formats=formats,
        jobs=args.jobs,
        force=args.force,
        shard=shard,
        with_source=not args.no_source,
        progress=report,
        listed=listings,
    )
    for notice in result.notices:
        print(notice)
    for site_problem in result.problems:
        print(site_problem)
    failed = result.count("failed") + len(problems) + len(result.problems)
    shown = f"（分片 {shard[0]}/{shard[1]}）" if shard else ""
    print(
        f"生成完毕{shown}：共 {len(result.outcomes)} 份报告，新生成 {result.count('built')} 份，"
        f"未变化 {result.count('unchanged')} 份，失败 {failed} 份"
    )
    for outcome in result.outcomes:
        if outcome.failed:
            first = outcome.messages[0].splitlines()[0] if outcome.messages else ""
            print(f"  失败：{outcome.folder} —— {first}")
    return EXIT_FAILED if failed else EXIT_OK


def run_notice(args: argparse.Namespace, folders: list[Path]) -> int:
    """Write the 更正说明 of each report that differs from its published version, then rebuild it."""
    import datetime as dt

    from .pipeline import Toolkit
    from .site import build_site
    from .site.corrections import correct

    try:
        date = dt.date.fromisoformat(args.date) if args.date else None
    except ValueError:
        return usage(f"--date 应写成 2025-10-15 的形式，而不是“{args.date}”")
    toolkit = Toolkit()
    corrected: list[Path] = []
    failed = 0
    for folder in folders:
        try:
            result = correct(folder, args.out, toolkit, reason=args.reason, date=date)
        except ReportError as exc:
            print(exc.render())
            failed += 1
            continue
        if not result.changes:
            print(f"{display_path(folder)}：与已公开的版本相同，不需要更正说明")
            continue
        corrected.append(folder)
        print(f"{display_path(folder)}：{len(result.changes)} 处更正")
        for number, change in enumerate(result.changes, start=1):
            place = change.place
            where = "，".join(x for x in (place.part, place.table or place.section, place.row, "—".join(place.column)) if x)
            print(f"  {number}. {where}：原为“{change.before}”，更正为“{change.after}”")
            for related in change.related:
                inner = related.place
                shown = "，".join(x for x in (inner.table or inner.section, inner.row, "—".join(inner.column)) if x)
                print(f"     相应更正 {shown}：“{related.before}” → “{related.after}”")
        for path in result.written:
            print(f"  已写入 {path}")
        if not result.recorded and result.date is not None:
            print(
                f"  提示：report.yaml 的“更正”中没有 {result.date.isoformat()} 这一次更正，更正后的报告页不会注明；"
                f"请补上“- {{日期: {result.date.isoformat()}, 原因: …}}”后再生成"
            )
    if corrected:
        formats = [
            f for f in FORMATS if f != "odt" and any(WRITERS[f].present(args.out / p.parent.name / p.name) for p in corrected)
        ]
        site = build_site(_content_root(args.folders), corrected, args.out, formats=formats or DEFAULT_FORMATS, force=True)
        for outcome in site.outcomes:
            print(f"{outcome.folder}：已生成更正后的报告" if not outcome.failed else "\n".join(outcome.messages))
    return EXIT_FAILED if failed else EXIT_OK


def run_diff(args: argparse.Namespace) -> int:
    """Print, per report, a unified diff of report.md: what a rebuild would change."""
    from .pipeline import Toolkit
    from .site import preview

    folders, problems = _folders(args.folders)
    if args.notice:
        for problem in problems:
            print(problem.render(with_source=False))
        return run_notice(args, folders) or (EXIT_FAILED if problems else EXIT_OK)
    for problem in problems:
        print(problem.render(with_source=False))
    changed = failed = 0
    toolkit = Toolkit()
    for folder in folders:
        result = preview(folder, args.out, toolkit)
        if result.error is not None:
            print(result.error)
            failed += 1
        elif result.lines:
            changed += 1
            print("\n".join(result.lines))
    print(f"比较完毕：共 {len(folders)} 份报告，{changed} 份有变化" + (f"，{failed} 份无法生成" if failed else ""))
    return EXIT_FAILED if failed or problems else EXIT_OK


def _check_one(folder: Path, toolkit: Toolkit, with_source: bool, quiet: bool) -> tuple[list[str], int, int, bool]:
    """What `check` prints for one report (its messages) and counts: errors, warnings, and whether it failed."""
    from .pipeline import check_report

    try:
        checked = check_report(folder, toolkit)
    except ReportError as exc:
        return [exc.render(with_source=with_source)], len(exc.errors), 0, True  # counted as the lines show
    shown = checked.errors + ([] if quiet else checked.warnings)
    return [f.render(with_source=with_source) for f in shown], len(checked.errors), len(checked.warnings), bool(checked.errors)


_CHECKER: Toolkit | None = None
REPORTS_PER_WORKER = 25  # a worker for fewer reports costs more than it saves


def _start_checker(cwd: str, main: int) -> None:
    global _CHECKER
    from .pipeline import Toolkit, settle_collector
    from .site.builder import _end_with

    os.chdir(cwd)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the main process, which stops the pool
    _end_with(main)
    _CHECKER = Toolkit()
    settle_collector()


def _check_in_worker(task: tuple[Path, bool, bool]) -> tuple[list[str], int, int, bool]:
    assert _CHECKER is not None
    return _check_one(task[0], _CHECKER, *task[1:])


def _checked(
    folders: Sequence[Path], jobs: int | None, with_source: bool, quiet: bool
) -> Iterator[tuple[list[str], int, int, bool]]:
    """Each report's messages and counts, in the order of `folders`; a large folder in a pool of workers."""
    from .pipeline import Toolkit

    workers = min(jobs or os.cpu_count() or 1, len(folders) // REPORTS_PER_WORKER)
    if workers < 2:
        toolkit = Toolkit()
        for folder in folders:
            yield _check_one(folder, toolkit, with_source, quiet)
        return
    from concurrent.futures import ProcessPoolExecutor

    tasks = [(folder, with_source, quiet) for folder in folders]
    with ProcessPoolExecutor(workers, initializer=_start_checker, initargs=(os.getcwd(), os.getpid())) as pool:
        yield from pool.map(_check_in_worker, tasks, chunksize=max(1, len(tasks) // (workers * 8)))


def run_check(args: argparse.Namespace) -> int:
    if args.jobs is not None and args.jobs < 1:
        return usage("--jobs 至少为 1")
    folders, problems = _folders(args.folders)
    errors = warnings = failed = 0
    for problem in problems:
        print(problem.render(with_source=False))
        failed += 1
    for lines, found, warned, bad in _checked(folders, args.jobs, not args.no_source, args.quiet):
        for line in lines:
            print(line)
        errors += found
        warnings += warned
        failed += bad
    verdict = "未通过" if failed else "通过"
    print(
        f"核对{verdict}：共 {len(folders)} 份报告，{errors} 个错误，{warnings} 个警告"
        + (f"，{failed} 份报告有问题" if failed else "")
    )
    return EXIT_FAILED if failed else EXIT_OK


EXIT_INTERRUPTED = 130  # what a shell reports for a program ended by Ctrl-C


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit code; Ctrl-C (or a TERM signal) ends it without a traceback."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _stop)  # a service manager's stop: the same orderly end as Ctrl-C
    try:
        return _main(argv)
    except KeyboardInterrupt:
        print("\n已中断：已生成的报告完整保留，未生成的报告保持原来的版本；再次运行即可继续", file=sys.stderr)
        return EXIT_INTERRUPTED


def _main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments or (arguments[0] not in COMMANDS and arguments[0] not in ("-h", "--help")):
        arguments.insert(0, "build")
    args = _parser().parse_args(arguments)
    if args.command == "build":
        return run_build(args)
    if args.command == "check":
        return run_check(args)
    if args.command == "diff":
        return run_diff(args)
    if args.command == "import":
        return run_import(args)
    if args.command == "new":
        return run_new(args)
    if args.command == "serve":
        return run_serve(args)
    return run_schema(args)
