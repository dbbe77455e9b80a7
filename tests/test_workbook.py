"""The finance system's workbook as a source: every export variant gives the report tables.yaml gives.

Each workbook is generated here from a bundled example (tests/workbooks.py): the toolkit's own
table layout drawn from the Table model, and that layout rewritten the ways real exports differ.
The proof is the whole report: report.md built from the workbook is byte-identical to the one
built from tables.yaml. Bad workbooks get their exact message with sheet and cell.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from disclosure.cli import main
from disclosure.errors import ReportError, Severity
from disclosure.pipeline import Toolkit, build_report
from disclosure.read import read
from disclosure.read.spreadsheet import cell_number
from disclosure.site import build_site

from conftest import CONTENT
from workbooks import Grid, add_budgets, class_export, document_tables, layout, save_xls, save_xlsx, transform

EXAMPLES = [CONTENT / "linjiang-yibaoju" / "2024", CONTENT / "linjiang-jiancezhongxin" / "2024"]
TOOLKIT = Toolkit()
CLASS_NUMBERS = ("02", "03", "05", "08", "09")


def markdown(folder: Path) -> bytes:
    built = build_report(folder, TOOLKIT, ("md",))
    assert not built.errors, [f.render() for f in built.errors]
    return built.files["report.md"]


@pytest.fixture(scope="module", params=EXAMPLES, ids=lambda p: p.parent.name)
def example(request) -> tuple[Path, bytes, list[Grid], object]:
    """An example folder, its report.md from tables.yaml, its tables in the toolkit's layout, its model."""
    folder: Path = request.param
    return folder, markdown(folder), full_grids(folder), read(folder)


def full_grids(folder: Path) -> list[Grid]:
    """The toolkit's layout of a report's tables, 05 with its 年初预算数 and 原因 columns."""
    grids = [layout(t) for t in document_tables(folder)]
    grids[4] = add_budgets(grids[4], read(folder).tables)
    return grids


def workbook_folder(tmp_path: Path, source: Path) -> Path:
    """A copy of a report (and of last year's folder beside it) without its tables.yaml."""
    target = tmp_path / source.parent.name / source.name
    shutil.copytree(source.parent, target.parent)
    (target / "tables.yaml").unlink()
    return target


def notices(folder: Path) -> list[str]:
    return [f.message for f in build_report(folder, TOOLKIT, ("md",)).findings if f.rule.startswith("W-")]


# ---------------------------------------------------------------------------- the same report from every variant


def test_the_toolkits_own_layout_reads_back_to_the_same_report(example, tmp_path: Path):
    source, expected, grids, _ = example
    folder = workbook_folder(tmp_path, source)
    save_xlsx(grids, folder / "公开表.xlsx")
    assert markdown(folder) == expected
    assert notices(folder) == []


def test_the_exact_layout_without_budget_columns_gives_the_report_without_the_item_account(example, tmp_path: Path):
    """The drawn 05表 has no 年初预算/原因: the report is the one tables.yaml gives without them."""
    source, _, _, report = example
    folder = workbook_folder(tmp_path, source)
    save_xlsx([layout(t) for t in document_tables(source)], folder / "公开表.xlsx")
    stripped = workbook_folder(tmp_path / "yaml", source)
    text = (source / "tables.yaml").read_text(encoding="utf-8")
    text = re.sub(r", 年初预算: [\d.]+", "", text)
    text = re.sub(r"\n\s+(年初预算|原因): [^\n]*", "", text)
    (stripped / "tables.yaml").write_text(text, encoding="utf-8")
    assert markdown(folder) == markdown(stripped)


def test_one_sheet_without_merges_sheets_named_by_platform_titles(example, tmp_path: Path):
    """All nine tables on one sheet, no merge information (as from an .ods or an unmerged copy)."""
    source, expected, grids, _ = example
    folder = workbook_folder(tmp_path, source)
    save_xlsx(grids, folder / "决算公开表.xlsx", sheet_names=["3.15部门收支总表"], one_sheet=True, merged=False)
    assert markdown(folder) == expected


def test_amounts_in_yuan_as_text_with_separators_and_dashes_for_zero(example, tmp_path: Path):
    """元 amounts, stored as text with thousands separators, zeros as -, — or blank: converted exactly."""
    source, expected, grids, _ = example
    folder = workbook_folder(tmp_path, source)
    marks = iter(["-", "—", "", "0.00", "0"] * 1000)

    def yuan(value: Decimal) -> object:
        return next(marks) if value == 0 else f"{value * 10000:,.2f}"

    rewritten = [transform(g, yuan, lambda t: t.replace("金额单位：万元", "金额单位：元")) for g in grids]
    save_xlsx(rewritten, folder / "公开表.xlsx", sheet_names=[f"表{'一二三四五六七八九'[i]}" for i in range(9)])
    assert markdown(folder) == expected


def test_split_codes_numbers_indents_line_numbers_and_department_titles(example, tmp_path: Path):
    """功能分类 tables with 类/款/项 columns holding their own digits, codes as numbers, 行次, 单位：元."""
    source, expected, grids, report = example
    folder = workbook_folder(tmp_path, source)
    t = report.tables
    by_number = {n: getattr(t, f"t{n}") for n in CLASS_NUMBERS}
    name, year = report.manifest.department, report.manifest.year
    exported = [
        class_export(by_number[g.number[2:4]], g.number[2:4], name, year, Decimal(10000)) if g.number[2:4] in by_number else g
        for g in grids
    ]
    save_xlsx(exported, folder / "公开表.xlsx")
    assert markdown(folder) == expected


def test_xls_written_by_older_software(example, tmp_path: Path):
    source, expected, grids, _ = example
    folder = workbook_folder(tmp_path, source)
    save_xls(grids, folder / "公开表.xls")
    assert markdown(folder) == expected


def test_extra_sheets_are_ignored_and_listed_once(example, tmp_path: Path):
    source, expected, grids, _ = example
    folder = workbook_folder(tmp_path, source)
    cover = Grid("封面", "封面")
    cover.put(1, 1, "2024年度部门决算公开")
    internal = Grid("财决01表", "财决01表")
    internal.put(1, 1, "收入支出决算总表")
    internal.put(1, 3, "财决01表")
    save_xlsx([cover, *grids, internal], folder / "公开表.xlsx")
    assert markdown(folder) == expected
    assert notices(folder) == ["工作簿中以下工作表不是公开表，已忽略：封面、财决01表"]


def _with_sums(grids: list[Grid], number: str) -> tuple[Grid, str, Decimal]:
    """Table `number` with its 合计 row's first amount written as =SUM() of the 类 rows below."""
    grid = next(g for g in grids if g.number == f"公开{number}表")
    total_row = next(r for (r, c), v in grid.cells.items() if v == "合计")
    column = 3
    classes = [r for (r, c), v in grid.cells.items() if c == 1 and isinstance(v, str) and len(v) == 3 and v.isdigit()]
    total = grid.cells[(total_row, column)]
    out = transform(grid)
    letter = "C"
    out.cells[(total_row, column)] = "=" + "+".join(f"{letter}{r + 0}" for r in sorted(classes))
    return out, f"{letter}{total_row}", total  # type: ignore[return-value]


def test_sum_formulas_without_a_stored_result_are_added_up_and_said(example, tmp_path: Path):
    source, expected, grids, _ = example
    folder = workbook_folder(tmp_path, source)
    changed, cell, total = _with_sums(grids, "02")
    save_xlsx([changed if g.number == "公开02表" else g for g in grids], folder / "公开表.xlsx")
    assert markdown(folder) == expected
    (message,) = notices(folder)
    # The 合计 of 02 is the sum of its 类 rows, 731.21 (医保局) or 643.70 (检测中心), as tables.yaml states.
    assert message.startswith("公式 =C") and f"已按公式把各格相加得出 {total}；" in message


def test_sum_formulas_with_a_stored_result_read_as_values(example, tmp_path: Path):
    source, expected, grids, _ = example
    folder = workbook_folder(tmp_path, source)
    changed, cell, total = _with_sums(grids, "02")
    path = save_xlsx([changed if g.number == "公开02表" else g for g in grids], folder / "公开表.xlsx")
    # Store the result as Excel does on saving: <v> after the formula of that cell.
    data = io.BytesIO()
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(data, "w") as new:
        for item in old.infolist():
            body = old.read(item)
            if item.filename == "xl/worksheets/sheet2.xml":
                body, count = re.subn(
                    rf'(<c r="{cell}"[^>]*><f>[^<]*</f>)<v\s*/?>(</v>)?'.encode(),
                    rb"\g<1><v>" + str(total).encode() + b"</v>",
                    body,
                )
                assert count == 1
            new.writestr(item, body)
    path.write_bytes(data.getvalue())
    assert markdown(folder) == expected
    assert notices(folder) == []


# ---------------------------------------------------------------------------- cells and their messages


def test_amount_cells_read_exactly():
    assert cell_number("(123.45)", None) == Decimal("-123.45")
    assert cell_number("（1,234.50）", None) == Decimal("-1234.50")
    assert cell_number("7,023,600.00", None) == Decimal("7023600.00")
    assert [cell_number(t, None) for t in ("", "-", "—", "－", "0.00")] == [None, None, None, None, Decimal("0.00")]


def test_a_figure_from_the_workbook_is_reported_at_its_cell(tmp_path: Path):
    source = EXAMPLES[0]
    folder = workbook_folder(tmp_path, source)
    grids = full_grids(source)
    t02 = grids[1]
    # 2080505's 本年收入合计 16.42 → 16.52: its 款 20805 (26.19) no longer adds up.
    at = next(k for k, v in t02.cells.items() if v == Decimal("16.42"))
    t02.cells[at] = Decimal("16.52")
    save_xlsx(grids, folder / "临江区医疗保障局2024年度决算.xlsx")
    built = build_report(folder, TOOLKIT, ("md",))
    shown = [f.render() for f in built.errors if "20805 的本年收入合计" in f.message]
    # The head takes rows 4–6, 合计 is row 7, 208 row 8 and 20805 row 9; 本年收入合计 is column C.
    assert shown == [
        f"{folder}/临江区医疗保障局2024年度决算.xlsx:公开02表!C9: 错误：科目 20805 的本年收入合计应等于其下各“项”之和："
        "填写的 26.19 与 26.29 不符（相差 0.10）\n  公开02表!C9 | 26.19"
    ]


def _error(folder: Path) -> str:
    with pytest.raises(ReportError) as caught:
        build_report(folder, TOOLKIT, ("md",))
    return caught.value.render()


def test_bad_workbooks_get_their_exact_message(tmp_path: Path):
    source = EXAMPLES[1]
    grids = [layout(t) for t in document_tables(source)]
    cases: dict[str, tuple[bytes | None, list[Grid] | None]] = {}

    missing = [g for g in grids if g.number != "公开07表"]
    # The head starts at row 4 (below the title, 表号 and 部门 rows); 事业收入 is the sixth column, F.
    unknown = [
        transform(g, text=lambda t: "事业收入（含专户）" if t == "事业收入" else t) if g.number == "公开02表" else g
        for g in grids
    ]
    texty = [transform(g) for g in grids]
    spot = next(k for k, v in texty[2].cells.items() if v == Decimal("88.60"))
    texty[2].cells[spot] = "见附表"
    cases = {"missing": (None, missing), "unknown": (None, unknown), "text": (None, texty)}
    results = {}
    for name, (_, chosen) in cases.items():
        folder = workbook_folder(tmp_path / name, source)
        save_xlsx(chosen, folder / "公开表.xlsx")
        results[name] = _error(folder).replace(str(folder) + "/", "")
    assert results["missing"].startswith(
        "公开表.xlsx: 错误：工作簿中没有找到公开07表（财政拨款“三公”经费支出决算表）：每张公开表的上方应有表名（或工作表以表名、表号命名）；"
        "已查看的工作表：公开01表、公开02表、公开03表、公开04表、公开05表、公开06表、公开08表、公开09表"
    )
    assert results["unknown"] == (
        "公开表.xlsx:公开02表!F4: 错误：公开02表中无法识别这一列的表头“事业收入（含专户）”：应为 科目编码（或类、款、项）、科目名称、"
        "本年收入合计、财政拨款收入、上级补助收入、事业收入、经营收入、附属单位上缴收入、其他收入 之一；如果这一列不属于公开表，请在工作簿中删除这一列"
        "\n  公开02表!F4 | 事业收入（含专户）"
    )
    # The head takes rows 4–6 (two header rows and 栏次), 合计 is row 7, then 201, 20138, 2013810 and
    # 2013816 食品安全监管 in row 11; its first 88.60 is 本年支出合计, column C.
    assert results["text"] == (
        "公开表.xlsx:公开03表!C11: 错误：公开03表科目 2013816 的本年支出合计应为金额数字，而不是“见附表”：金额格中只能填数字（空白、0、- 都表示零）"
        "\n  公开03表!C11 | 见附表"
    )


def test_files_that_are_not_readable_workbooks(tmp_path: Path):
    import msoffcrypto.format.ooxml

    source = EXAMPLES[1]
    grids = [layout(t) for t in document_tables(source)]
    plain_book = save_xlsx(grids, tmp_path / "plain.xlsx")
    locked = io.BytesIO()
    with plain_book.open("rb") as handle:
        msoffcrypto.format.ooxml.OOXMLFile(handle).encrypt("secret", locked)
    files = {
        "加密.xlsx": locked.getvalue(),
        "损坏.xlsx": plain_book.read_bytes()[:2000],
        "导出.xls": "科目编码,科目名称,本年收入合计\n201,一般公共服务支出,559.82\n".encode("gb18030"),
    }
    said = {}
    for name, data in files.items():
        folder = workbook_folder(tmp_path / name, source)
        (folder / name).write_bytes(data)
        said[name] = _error(folder).replace(str(folder) + "/", "")
    assert said == {
        "加密.xlsx": "加密.xlsx: 错误：文件设置了打开密码，工具无法读取：请在 Excel 或 WPS 中打开，取消密码（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）后保存",
        "损坏.xlsx": "损坏.xlsx: 错误：文件已损坏，无法打开：请从财务系统重新导出，或在 Excel 中打开后另存一份",
        "导出.xls": "导出.xls: 错误：这个文件其实是 CSV 文本文件，只是扩展名为 .xls：CSV 没有表头合并和表号，工具读不出公开表；"
        "请从财务系统重新导出 Excel 工作簿，或在 Excel 中打开后“另存为”.xlsx",
    }


# ---------------------------------------------------------------------------- the folder


def test_which_workbook_a_folder_uses(tmp_path: Path):
    source = EXAMPLES[1]
    grids = full_grids(source)
    folder = workbook_folder(tmp_path, source)
    save_xlsx(grids, folder / "甲.xlsx")
    save_xlsx(grids, folder / "乙.xlsx")
    assert _error(folder).endswith(
        "文件夹中有 2 个工作簿：乙.xlsx、甲.xlsx；请只保留一个，或在 report.yaml 中用“公开表文件”写明用哪一个"
    )
    manifest = folder / "report.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "公开表文件: 乙.xlsx\n", encoding="utf-8")
    assert build_report(folder, TOOLKIT, ("md",)).files["report.md"] == markdown(source)
    shutil.copy(source / "tables.yaml", folder / "tables.yaml")
    assert "文件夹中同时有 tables.yaml 和工作簿 乙.xlsx，工具不知道以哪个为准" in _error(folder)
    (folder / "tables.yaml").unlink()
    (folder / "~$乙.xlsx").write_bytes(b"lock")  # Excel's lock file while the workbook is open
    assert build_report(folder, TOOLKIT, ("md",)).files["report.md"] == markdown(source)


def test_the_incremental_build_notices_a_changed_workbook(tmp_path: Path):
    source = EXAMPLES[1]
    grids = full_grids(source)
    folder = workbook_folder(tmp_path / "content", source)
    book = save_xlsx(grids, folder / "公开表.xlsx")
    first = build_site(tmp_path / "content", [folder], tmp_path / "out", formats=("md",), jobs=1)
    assert [o.status for o in first.outcomes] == ["built"]
    again = build_site(tmp_path / "content", [folder], tmp_path / "out", formats=("md",), jobs=1)
    assert [o.status for o in again.outcomes] == ["unchanged"]
    t07 = next(g for g in grids if g.number == "公开07表")
    at = next(k for k, v in t07.cells.items() if v == Decimal("0.42"))
    t07.cells[at] = Decimal("0.43")
    t07.cells[next(k for k, v in t07.cells.items() if v == Decimal("23.87"))] = Decimal("23.88")
    save_xlsx(grids, book)
    changed = build_site(tmp_path / "content", [folder], tmp_path / "out", formats=("md",), jobs=1)
    assert [o.status for o in changed.outcomes] == ["built"]
    assert "0.43" in (tmp_path / "out" / folder.parent.name / folder.name / "report.md").read_text(encoding="utf-8")


def test_import_writes_an_equivalent_tables_yaml(example, tmp_path: Path, capsys):
    source, expected, grids, _ = example
    book = save_xlsx(grids, tmp_path / "导出.xlsx")
    folder = workbook_folder(tmp_path / "report", source)
    assert main(["import", str(book), str(folder)]) == 0
    assert markdown(folder) == expected
    written = (folder / "tables.yaml").read_text(encoding="utf-8")
    modeline, jetbrains, heading = written.splitlines()[:3]
    # The editor's schema line points at schema/tables.schema.json from the written file's folder.
    assert modeline.startswith("# yaml-language-server: $schema=") and modeline.endswith("schema/tables.schema.json")
    assert (folder / modeline.split("=", 1)[1]).resolve() == (Path.cwd() / "schema" / "tables.schema.json").resolve()
    assert jetbrains == "# $schema: " + modeline.split("=", 1)[1]
    assert heading.startswith("# 第二部分 公开表：由财务系统导出的工作簿“导出.xlsx”生成")
    assert main(["import", str(book), str(folder)]) == 1
    assert "已经存在，没有改写" in capsys.readouterr().err
    assert main(["import", "--force", str(book), str(folder)]) == 0
    assert (folder / "tables.yaml").read_text(encoding="utf-8") == written


def test_a_notice_is_a_warning_not_an_error(tmp_path: Path):
    source = EXAMPLES[1]
    grids = [layout(t) for t in document_tables(source)]
    folder = workbook_folder(tmp_path, source)
    cover = Grid("说明", "说明")
    cover.put(1, 1, "填报说明")
    save_xlsx([*grids, cover], folder / "公开表.xlsx")
    built = build_report(folder, TOOLKIT, ("md",))
    assert [f.severity for f in built.findings if f.rule == "W-SHEETS"] == [Severity.WARNING]
    assert "report.md" in built.files
