"""Templates choose words and cannot compute: every way of printing or computing a raw number fails the
build with the template's file and line, and the project's filters still print the figures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from disclosure.errors import ReportError
from disclosure.pipeline import Toolkit, build_report
from disclosure.resources import Project

from conftest import CONTENT

REPORT = CONTENT / "linjiang-yibaoju" / "2024"  # 收、支总计 791.35万元


def build_with(tmp_path: Path, line: str, *, format: str = "md") -> bytes:
    """Build the example with the project's own report.md.j2 holding `line` on its line 2."""
    templates = tmp_path / "project" / "templates" / "mof"
    templates.mkdir(parents=True)
    (templates / "report.md.j2").write_text(f"# 测试\n{line}\n", encoding="utf-8")
    folder = tmp_path / "content" / "yb" / "2024"
    shutil.copytree(REPORT, folder)
    shutil.copytree(REPORT.parent / "2023", folder.parent / "2023")
    built = build_report(folder, Toolkit(Project(tmp_path / "project")), (format,))
    return built.files[f"report.{format}"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{{ f.grand_total }}", "金额和比例必须通过"),
        ("{% set x = f.grand_total %}{{ x }}", "金额和比例必须通过"),
        ("{{ f.grand_total|string }}", "没有名为“string”的过滤器"),
        ('{{ "%.1f"|format(f.grand_total) }}', "没有名为“format”的过滤器"),
        ("{{ f.grand_total|round(1)|money }}", "没有名为“round”的过滤器"),
        ("{{ f.grand_total|int }}", "没有名为“int”的过滤器"),
        ("{{ f.grand_total|abs|money }}", "没有名为“abs”的过滤器"),
        ("{{ f.income_parts|sum(attribute='amount')|money }}", "没有名为“sum”的过滤器"),
        ("{{ [f.grand_total]|join }}", "没有名为“join”的过滤器"),
        ("{{ f.grand_total|safe }}", "没有名为“safe”的过滤器"),
        ("{{ f.grand_total|e }}", "没有名为“e”的过滤器"),
        ("{{ (f.grand_total * 2)|money }}", "不能对数字做运算"),
        ("{{ (f.grand_total - f.totals.base)|money }}", "不能对数字做运算"),
        ("{{ (-f.grand_total)|money }}", "不能对数字做运算"),
        ("{{ 0.1 + 0.2 }}", "不能对数字做运算"),
        ("{{ 0.5 }}", "浮点数"),
        ("{{ 12 }}", "integer"),
        ("{{ perf.count }}", "integer"),
        ('{{ "合计" ~ f.grand_total }}', "“~”不能连接数字"),
        ('{{ "%s" % f.grand_total }}', "不能用“%”格式化"),
        ('{{ "%s" % (f.grand_total,) }}', "不能用“%”格式化"),
        ('{{ "{}".format(f.grand_total) }}', "不能读取 str 的“format”"),
        ("{{ f.grand_total.quantize(f.grand_total) }}", "不能读取 Decimal 的“quantize”"),
        ("{{ f.grand_total.to_eng_string() }}", "不能读取 Decimal 的“to_eng_string”"),
        ("{{ [f.grand_total] }}", "只能输出文字"),
        ("{{ f.totals.growth|pct if false else f.totals }}", "只能输出文字"),
        ("{{ cycler.__init__.__globals__ }}", "不能读取"),
        ("{{ perf.count|money }}", "money 过滤器只用于程序计算的金额"),
        ("{{ f.grand_total|integer }}", "integer 过滤器只用于整数"),
        ("{{ r.manifest.department|pct }}", "pct 过滤器只用于"),
        ("{{ f.grand_total|clause }}", "clause 过滤器只用于文字"),
    ],
)
def test_a_template_cannot_print_or_compute_a_number(tmp_path: Path, line: str, message: str):
    with pytest.raises(ReportError) as caught:
        build_with(tmp_path, line)
    error = caught.value
    assert error.location.file.endswith("templates/mof/report.md.j2") and error.location.line == 2, error.render()
    assert message in error.message, error.message
    assert "Traceback" not in error.render()


def test_the_filters_print_the_computed_figures(tmp_path: Path):
    line = (
        "{{ f.grand_total|money }} {{ f.totals.growth_magnitude|pct }} {{ perf.count|integer }} "
        "{{ scored[0].total|plain }} {{ f.grand_total|amount }} {{ perf.count|cn_number }}"
    )
    text = build_with(tmp_path, line).decode()
    # 791.35 against the 2023 report's 706.63: 84.72 / 706.63 = 11.989…% → 11.99%. The first form:
    # execution 100% → 10; 参保人数 5.04 / 5.3 × 15 = 14.264… → 14.26; six indicators met, 75; 99.26.
    assert "791\\.35万元 11.99% 3 99.26 791.35 三" in text


def test_the_old_bypasses_no_longer_print(tmp_path: Path):
    # {{ 0.1 + 0.2 }} printed 0.30000000000000004 before: constants were folded and escaped before
    # finalize saw them. Nothing of the sort reaches the page now.
    with pytest.raises(ReportError):
        build_with(tmp_path, "{{ 0.1 + 0.2 }}")
