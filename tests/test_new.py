"""`build.py new`: next year's folder from this year's, its marks, and what `check` says of it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml
from test_schema_files import raw

from disclosure.cli import main
from disclosure.pipeline import check_report
from disclosure.read import read
from disclosure.site.nextyear import shift_years

from conftest import CONTENT, ROOT
from workbooks import add_budgets, document_tables, layout, save_xlsx

KINDS = {
    # folder: (the 待填写 fields expected, the 沿用上年 fields expected), by the key under each mark
    "linjiang-yibaoju": (
        {"批复日期", "公开日期", "人员情况", "收支总计", "财政拨款收支总计", "一般公共预算财政拨款支出", "三公经费"}
        | {"机关运行经费", "政府采购", "国有资产", "类型"}
        | {f"公开0{n}表" for n in range(1, 9)},
        {"联系方式", "主要职能", "机构设置", "决算单位构成", "预算绩效管理", "其他事项"},
    ),
    "linjiang-jiancezhongxin": (
        {"批复日期", "公开日期", "人员情况", "年度重点工作", "三公经费", "政府采购", "国有资产", "类型"}
        | {"收支总计", "本年收入", "本年支出", "财政拨款收支总计", "一般公共预算财政拨款支出"}
        | {f"公开0{n}表" for n in range(1, 10)},
        {"联系方式", "主要职能", "机构设置", "决算单位构成", "预算绩效管理"},
    ),
    "linjiang-nongyeju": ({"批复日期", "公开日期", "类型"}, {"联系方式"}),
}


def make_next(tmp_path: Path, department: str, source: Path | None = None) -> Path:
    """Copy a department's folders into a content root of its own and run `new` for the year after 2024."""
    shutil.copytree(source or CONTENT / department, tmp_path / "content" / department)
    target = tmp_path / "content" / department / "2025"
    assert main(["new", str(target)]) == 0
    return target


@pytest.mark.parametrize("department", sorted(KINDS))
def test_new_passes_check_but_for_its_marks(tmp_path: Path, department: str, capsys):
    target = make_next(tmp_path, department)
    printed = capsys.readouterr().out
    checked = check_report(target)
    # Nothing but the marks: every other check of an emptied part waits until its mark is deleted.
    assert {f.rule for f in checked.findings} == {"DRAFT", "CARRIED"}, [f.render(False) for f in checked.findings]
    todo, carried = KINDS[department]
    assert {f.location.path for f in checked.errors} == todo
    assert {f.location.path for f in checked.warnings} == carried
    assert all(f.rule == "DRAFT" for f in checked.errors) and all(f.rule == "CARRIED" for f in checked.warnings)
    assert f"共 {len(checked.errors)} 处待填写（错误）、{len(checked.warnings)} 处沿用上年的文字待核对（警告）" in printed
    assert read(target).manifest.year == 2025


@pytest.mark.parametrize("department", sorted(KINDS))
def test_every_file_new_writes_names_and_follows_its_schema(tmp_path: Path, department: str):
    target = make_next(tmp_path, department)
    files = sorted(target.glob("**/*.yaml"))
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        first = text.splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema=")
        # The schema line points at the repository's schema/ from the new folder (the test runs at the root).
        named = (path.parent / first.split("=", 1)[1]).resolve()
        expected = "evaluation.schema.json" if path.parent.name == "evaluations" else path.name.replace(".yaml", ".schema.json")
        assert named == (ROOT / "schema" / expected).resolve(), path
        data = raw(text)
        schema = json.loads(named.read_text(encoding="utf-8"))
        assert list(jsonschema.Draft202012Validator(schema).iter_errors(data)) == [], path


def test_new_moves_this_years_figures_into_next_years_prior_and_opening(tmp_path: Path):
    target = make_next(tmp_path, "linjiang-yibaoju")
    notes = yaml.load((target / "notes.yaml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    # 2024 tables.yaml: 01表 总计 791.35, 04表 总计 合计 791.00, 05表 合计 713.89; notes 机关运行经费 本年数 24.36;
    # 07表 决算数 合计 2.48 (公务用车运行费 2.10 + 公务接待费 0.38).
    assert notes["收支总计"] == {"上年数": "791.35", "原因": ""}
    assert notes["财政拨款收支总计"]["上年数"] == "791.00"
    assert notes["一般公共预算财政拨款支出"]["上年数"] == "713.89"
    assert notes["机关运行经费"]["上年数"] == "24.36" and notes["机关运行经费"]["本年数"] == "0"
    assert notes["三公经费"]["上年决算"]["合计"] == "2.48" and notes["三公经费"]["上年决算"]["公务接待费"] == "0.38"
    tables = yaml.load((target / "tables.yaml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    # Next year opens with this year's closing balances: 01表 年末结转和结余 52.46, 04表 52.11 (48.61 + 3.50).
    assert tables["公开01表"]["收入"]["年初结转和结余"] == "52.46"
    assert tables["公开04表"]["收入"]["年初财政拨款结转和结余"] == {
        "合计": "52.11",
        "一般公共预算财政拨款": "48.61",
        "政府性基金预算财政拨款": "3.50",
    }
    # This year's figures are emptied, the codes kept.
    assert tables["公开01表"]["收入"]["本年收入合计"] == ""
    assert tables["公开02表"]["科目"][0] == {"编码": "208", "本年收入合计": "", "财政拨款收入": ""}
    report = yaml.load((target / "report.yaml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    assert report["年度"] == "2025" and report["公开日期"] == "" and report["部门名称"] == "青川市临江区医疗保障局"
    # A carried text has its years moved on: the 2024 notes say “2024 年末结转和结余 52.46 万元”.
    assert notes["其他事项"][0]["内容"].startswith("2025 年末结转和结余")


def test_deleting_a_mark_ends_its_finding(tmp_path: Path):
    target = make_next(tmp_path, "linjiang-yibaoju")
    path = target / "report.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if not line.startswith("# 沿用上年：联系方式")]
    assert len(kept) == len(lines) - 1
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    assert "联系方式" not in {f.location.path for f in check_report(target).findings}


def test_a_filled_in_part_is_checked_once_its_mark_is_gone(tmp_path: Path):
    target = make_next(tmp_path, "linjiang-yibaoju")
    path = target / "tables.yaml"
    text = path.read_text(encoding="utf-8")
    before = [f for f in check_report(target).findings if f.location.path.startswith("公开06表") and f.rule != "DRAFT"]
    assert before == []  # held back while the mark is there
    path.write_text(
        "\n".join(line for line in text.splitlines() if "待填写：2025年度公开06表" not in line) + "\n", encoding="utf-8"
    )
    after = {f.message for f in check_report(target).findings if f.location.path.startswith("公开06表")}
    assert "缺少“人员经费合计”" in after  # the emptied 06表 is now checked, and says what is missing


def test_shift_years_moves_only_the_years_around_the_report():
    assert shift_years("截至2024年12月31日，较2023年增加", 2024) == "截至2025年12月31日，较2024年增加"
    assert shift_years("2025年8月批复", 2024) == "2026年8月批复"
    # A founding year, a target year further on, a 科目编码 and an amount stay as written.
    assert (
        shift_years("2019年成立，力争至2027年；科目2101501；2024.50万元", 2024)
        == "2019年成立，力争至2027年；科目2101501；2024.50万元"
    )


def test_new_from_a_folder_whose_tables_come_from_a_workbook(tmp_path: Path):
    source = CONTENT / "linjiang-yibaoju" / "2024"
    grids = [layout(t) for t in document_tables(source)]
    grids[4] = add_budgets(grids[4], read(source).tables)
    copy = tmp_path / "copy"
    shutil.copytree(CONTENT / "linjiang-yibaoju", copy)
    (copy / "2024" / "tables.yaml").unlink()
    save_xlsx(grids, copy / "2024" / "决算导出.xlsx")
    target = make_next(tmp_path, "linjiang-yibaoju", copy)
    assert not list(target.glob("*.xlsx"))  # this year's workbook holds this year's figures: not copied
    text = (target / "tables.yaml").read_text(encoding="utf-8")
    assert "来自工作簿“决算导出.xlsx”" in text
    checked = check_report(target)
    assert {f.rule for f in checked.findings} == {"DRAFT", "CARRIED"}, [f.render(False) for f in checked.findings]
    tables = yaml.load(text, Loader=yaml.BaseLoader)
    assert tables["公开01表"]["收入"]["年初结转和结余"] == "52.46"


def test_new_does_not_overwrite_a_folder(tmp_path: Path, capsys):
    target = make_next(tmp_path, "linjiang-nongyeju")
    before = (target / "report.yaml").read_bytes()
    assert main(["new", str(target)]) == 1
    assert "文件夹已经存在且不是空的，没有改写" in capsys.readouterr().out
    assert (target / "report.yaml").read_bytes() == before
    assert main(["new", str(tmp_path / "content" / "linjiang-nongyeju" / "2030")]) == 1
    assert "2029" in capsys.readouterr().out  # no 2029 folder to start from: the message names it


def test_new_carries_a_three_costs_statement_into_next_year(tmp_path: Path):
    target = make_next(tmp_path, "linjiang-shichangjianguanju")
    statement = yaml.load((target / "three_costs.yaml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    # 2024 three_costs.yaml: 决算数 合计 14.82 = 因公出国（境）费 2.46 + 公务用车运行费 10.26 + 公务接待费 2.10;
    # 机关运行经费 本年数 86.45.
    assert statement["上年决算"] == {
        "合计": "14.82",
        "因公出国（境）费": "2.46",
        "公务用车购置及运行费": "10.26",
        "公务用车购置费": "0.00",
        "公务用车运行费": "10.26",
        "公务接待费": "2.10",
    }
    assert statement["机关运行经费"]["上年数"] == "86.45" and statement["机关运行经费"]["本年数"] == "0"
    assert statement["预算差异原因"] == "" and statement["公务接待"]["国内批次"] == "0"
    found = check_report(target).errors
    assert any("三公”经费年初预算数" in f.message for f in found)  # the budget is asked for, not taken as 0
