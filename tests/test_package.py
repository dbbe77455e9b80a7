"""The toolkit as an installed package: a wheel carries its templates, themes and code lists, and the
`disclosure` command builds a report from a folder that holds only content/."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from conftest import CONTENT, ROOT

GOLDEN = ROOT / "tests" / "golden"


def run(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{args}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the toolkit installed from a wheel built from this checkout."""
    tmp = tmp_path_factory.mktemp("package")
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", tmp / "dist", ROOT)
    wheels = list((tmp / "dist").glob("disclosure-*.whl"))
    assert len(wheels) == 1
    venv.create(tmp / "venv", with_pip=True)  # no system site-packages: only what the wheel asks for
    python = tmp / "venv" / "bin" / "python"
    run(python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", wheels[0])
    return tmp / "venv"


def test_the_wheel_carries_the_templates_themes_and_code_lists(installed: Path):
    python = installed / "bin" / "python"
    found = run(
        python, "-c", "import disclosure, pathlib; print(pathlib.Path(disclosure.__file__).parent)", cwd=installed
    ).stdout.strip()
    package = Path(found)
    assert installed in package.parents  # the installed copy, not this checkout
    for name in (
        "templates/mof/report.md.j2",
        "templates/_shared/labels.yaml",
        "templates/_shared/glossary.yaml",
        "templates/sichuan/名称.txt",
        "themes/default/style.css",
        "themes/default/docx.yaml",
        "data/catalog.yaml",
        "data/classification.yaml",
    ):
        assert (package / name).is_file(), name


def test_a_folder_with_only_content_builds_with_the_command(installed: Path, tmp_path: Path):
    project = tmp_path / "project"
    for year in ("2023", "2024"):
        shutil.copytree(CONTENT / "linjiang-yibaoju" / year, project / "content" / "linjiang-yibaoju" / year)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = run(installed / "bin" / "disclosure", cwd=project, env=env)
    assert "共 2 份报告，新生成 2 份" in result.stdout and "失败 0 份" in result.stdout
    for year in ("2023", "2024"):
        built = project / "out" / "linjiang-yibaoju" / year
        assert (built / "report.md").read_bytes() == (GOLDEN / "linjiang-yibaoju" / year / "report.md").read_bytes()
        assert (built / "report.html").read_bytes() == (GOLDEN / "linjiang-yibaoju" / year / "report.html").read_bytes()
        assert (built / "report.docx").stat().st_size > 10_000
    assert (project / "out" / "index.html").is_file()
    checked = run(installed / "bin" / "disclosure", "check", cwd=project, env=env)
    assert "核对通过：共 2 份报告，0 个错误" in checked.stdout
    usage = subprocess.run(
        [installed / "bin" / "disclosure", "--format", "nope"], cwd=project, env=env, capture_output=True, text=True
    )
    assert usage.returncode == 2 and "运行 disclosure --help 查看用法" in usage.stderr


def test_python_dash_m_runs_the_same_command(installed: Path, tmp_path: Path):
    result = run(installed / "bin" / "python", "-m", "disclosure", "--help", cwd=tmp_path)
    assert "python -m disclosure" in result.stdout and "check" in result.stdout
