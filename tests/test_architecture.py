"""The house rules of issue 15 that a change can break: the layer contract of pyproject.toml
(import-linter), no import cycle (imports inside functions included), a small top level,
no oversized file, and no import of our own modules by string."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"
MAX_LINES = 500
TOP_LEVEL = {"__init__.py", "__main__.py", "_version.py", "errors.py", "records.py", "rule_tables.py"}


@pytest.mark.issue(15)
def test_the_layer_contract_holds():
    command = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    result = subprocess.run([command], cwd=PACKAGE.parent, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "1 kept, 0 broken" in result.stdout


def _cycles(graph) -> list[list[str]]:
    index, low, stack, on_stack, found, counter = {}, {}, [], set(), [], [0]

    def visit(module):  # Tarjan: strongly connected components of more than one module
        index[module] = low[module] = counter[0]
        counter[0] += 1
        stack.append(module)
        on_stack.add(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = []
            while True:
                popped = stack.pop()
                on_stack.discard(popped)
                component.append(popped)
                if popped == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


@pytest.mark.issue(15)
def test_no_import_cycle_counting_imports_inside_functions():
    assert _cycles(grimp.build_graph("pipeline")) == []


@pytest.mark.issue(15)
def test_the_top_level_holds_only_the_api_errors_loader_and_version():
    modules = {path.name for path in PACKAGE.glob("*.py")}
    assert modules <= TOP_LEVEL and len(modules) <= 6, sorted(modules - TOP_LEVEL)


@pytest.mark.issue(15)
def test_no_module_is_over_the_line_limit():
    long = {str(path.relative_to(PACKAGE)): n for path in PACKAGE.rglob("*.py")
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


@pytest.mark.issue(15)
def test_our_modules_are_imported_by_import_statements_only():
    dynamic = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name in ("__import__", "import_module") and node.args:
                    spelled = ast.unparse(node.args[0])  # optional third-party fonts are imported by name
                    if "pipeline" in spelled or "__package__" in spelled or spelled.strip("'\"").startswith("."):
                        dynamic.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert dynamic == []


@pytest.mark.issue(15)
def test_no_dead_code():
    """vulture over the package, with the exceptions of ``[tool.vulture]`` in pyproject.toml
    (what spaCy, srsly and the rule tables call by name, and the public API)."""
    command = shutil.which("vulture") or str(Path(sys.executable).with_name("vulture"))
    result = subprocess.run([command], cwd=PACKAGE.parent, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-1000:]
    assert result.stdout == ""


@pytest.mark.issue(15)
def test_no_module_imports_another_modules_private_names():
    """What a module shares it names without an underscore; ``_name`` stays its own."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("pipeline")):
                found += [f"{path.relative_to(PACKAGE)}: {alias.name}" for alias in node.names
                          if alias.name.startswith("_") and not alias.name.startswith("__")]
    assert found == []
