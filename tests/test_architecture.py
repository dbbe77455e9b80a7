"""The shape of the code: one package per stage, imports pointing one way, no circle, no wording in Python.

The stages, in pipeline order (README “How it works”): the shared ground, then read → compute →
check → compose → document → writers → pipeline → site → cli. A module may import its own
stage and earlier ones only; every import counts, including those inside functions.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "disclosure"
GROUND = {"__init__", "errors", "amounts", "model", "catalog", "resources"}
STAGES = ["ground", "read", "compute", "check", "compose", "document", "writers", "pipeline", "site", "cli"]


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, root: Path, modules: set[str]) -> set[str]:
    """Every module of the package a file imports, at any depth of the file (functions included).

    `from x import y` depends on the module x.y when there is one (a submodule), else on x.
    """
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.split(".")[0] == root.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            elif node.module and node.module.split(".")[0] == root.name:
                target = node.module
            else:
                continue
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                found.add(submodule if submodule in modules else target)
    return found


def graph_of(root: Path) -> dict[str, set[str]]:
    """Module → the package modules it imports."""
    files = {module_name(p, root): p for p in root.rglob("*.py")}
    modules = set(files)
    return {name: {t for t in imports_of(path, root, modules) if t in modules and t != name} for name, path in files.items()}


def stage_of(module: str) -> int:
    parts = module.split(".")[1:]
    if not parts or parts[0] in GROUND:
        return 0
    return STAGES.index(parts[0].removesuffix("__main__") or "cli") if parts[0] in STAGES else STAGES.index("cli")


def backward(graph: dict[str, set[str]]) -> list[str]:
    """Imports that run back up the line (a stage importing a later one)."""
    return sorted(f"{a} → {b}" for a, targets in graph.items() for b in targets if stage_of(b) > stage_of(a))


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import circles of a graph (strongly connected groups of more than one module), by Tarjan's algorithm."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_every_module_belongs_to_a_stage():
    assert {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").is_file()} == set(STAGES) - {
        "ground",
        "pipeline",
        "cli",
    }
    for name in graph_of(PACKAGE):
        top = name.split(".")[1] if "." in name else ""
        assert top in GROUND | set(STAGES) | {"", "__main__"}, name


def test_imports_point_one_way_and_there_is_no_circle():
    graph = graph_of(PACKAGE)
    assert sum(len(t) for t in graph.values()) > 100  # the walk does see the imports
    assert backward(graph) == []
    assert circles(graph) == []


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "disclosure"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_the_checks_find_the_old_circle_hidden_in_functions(tmp_path: Path):
    # The layout before the stages: compose → appraisal → checks → figures → compose, with the
    # last step inside a function, as it was.
    root = _package(
        tmp_path,
        {
            "__init__.py": "",
            "compose.py": "from .appraisal import rules_of\n",
            "appraisal.py": "from .checks import money\n",
            "checks.py": "from . import figures\n",
            "figures.py": "def f():\n    from .compose import clause_text\n",
            "scoring.py": "from .figures import Compare\n",
        },
    )
    assert circles(graph_of(root)) == [["disclosure.appraisal", "disclosure.checks", "disclosure.compose", "disclosure.figures"]]


def test_the_checks_find_an_import_back_up_the_line(tmp_path: Path):
    root = _package(
        tmp_path,
        {
            "__init__.py": "",
            "read/__init__.py": "",
            "read/format.py": "def defaults():\n    from ..compute.scoring import default_tiers\n",
            "compute/__init__.py": "",
            "compute/scoring.py": "from ..read import format\n",
        },
    )
    graph = graph_of(root)
    assert backward(graph) == ["disclosure.read.format → disclosure.compute.scoring"]
    assert circles(graph) == [["disclosure.compute.scoring", "disclosure.read.format"]]


# ---------------------------------------------------------------------------- wording lives in templates

CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
# Calls whose text is a message to the user or a developer, not a word of the document; and a
# module constant whose name ends in MESSAGES holds messages too (the Jinja errors in Chinese).
MESSAGES = {"ReportError", "TemplateRuntimeError", "TypeError", "ValueError"}
# The Chinese constants the document stages may hold, and why: none is a word a reader sees.
NOT_WORDING = {
    "compose/__init__.py": {
        "绩效自评",
        "三公经费",
        "表述.yaml",
        "、",
    },  # the document kinds, as report.yaml writes them; a profile file name; a message's list separator
    "compose/formats.py": {"空白", "元", "万元"},  # values of 零值显示 and 金额单位
    "compose/text.py": {
        "〇一二三四五六七八九",
        "零一二三四五六七八九",
        "十",  # Chinese numerals
        r"^(一是|二是|1[.、．]|（1）|\(1\)|第一)",
        "。；;，,.！!　 ",
        "[ \\t　]*\\n\\s*",
    },  # patterns
    "document/forms.py": {"项目支出", "定性", "重庆"},  # values of 类型, 性质, 版式
    "writers/markdown.py": {"〃", "　　", "（{}）"},  # the review copy's notation for spans and furniture
    "writers/layout.py": {"，。、；：？！）」』”’》〉】…—·,.;:?!)]%", "（「『“‘《〈【(["},  # line-breaking classes
}


def chinese_constants(path: Path) -> set[str]:
    """The Chinese string constants of a module, leaving out docstrings and messages."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef) and body and isinstance(body[0], ast.Expr):
            skip.add(id(body[0].value))
        if isinstance(node, ast.Call) and (getattr(node.func, "id", None) or getattr(node.func, "attr", None)) in MESSAGES:
            skip.update(id(sub) for sub in ast.walk(node))
        targets = [getattr(t, "id", "") for t in getattr(node, "targets", ())]
        if isinstance(node, ast.Assign) and any(name.endswith("MESSAGES") for name in targets):
            skip.update(id(sub) for sub in ast.walk(node.value))
    return {
        n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and CJK.search(n.value) and id(n) not in skip
    }


@pytest.mark.parametrize("stage", ["compose", "document", "writers"])
def test_the_stages_that_write_the_document_hold_no_wording(stage: str):
    for path in sorted((PACKAGE / stage).rglob("*.py")):
        key = path.relative_to(PACKAGE).as_posix()
        assert chinese_constants(path) <= NOT_WORDING.get(key, set()), key


def test_the_wording_check_sees_a_word_in_python(tmp_path: Path):
    path = tmp_path / "forms.py"
    path.write_text(
        '"""表格。"""\nTITLE = "自评等级："\nraise ReportError(loc, "缺少文件")\n_JINJA_MESSAGES = ("没有这个变量",)\n',
        encoding="utf-8",
    )
    assert chinese_constants(path) == {"自评等级："}
