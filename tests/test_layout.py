"""The shape of the code the architecture promises: layers, no cycles, thin pages, keys from the registry."""
import ast
from pathlib import Path

import pytest

from core.models import REGISTRY

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "core"

# Lower layers never import higher ones; modules of one layer may import each other (without cycles).
LAYERS = {
    "core.errors": 0, "core.i18n": 0,  # the message catalogue: every layer's sentences come from it
    "core.data": 1,
    "core.models": 2,
    "core.evaluation": 3, "core.lens": 3, "core.charts": 3,
    "core.runs": 4, "core.batch": 4,
    "core.training": 5,
    "core.__main__": 6,
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function (lazy imports count too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def core_files() -> dict[str, Path]:
    return {module_name(p): p for p in CORE.rglob("*.py")}


def layer_of(module: str) -> int | None:
    matches = [prefix for prefix in LAYERS if module == prefix or module.startswith(prefix + ".")]
    return LAYERS[max(matches, key=len)] if matches else None


def core_graph() -> dict[str, set[str]]:
    modules = core_files()
    return {name: {m for m in imports(path) if m in modules and m != name} for name, path in modules.items()}


def test_every_core_module_has_a_layer():
    assert [m for m in core_files() if m != "core" and layer_of(m) is None] == []


def test_no_import_goes_from_a_lower_layer_to_a_higher_one():
    upward = [(a, b) for a, targets in core_graph().items() if a != "core" for b in targets
              if b != "core" and layer_of(b) > layer_of(a)]
    assert upward == []


def test_no_import_cycles():
    graph = core_graph()
    state: dict[str, int] = {}
    cycles = []

    def visit(node, path):
        state[node] = 1
        for nxt in graph.get(node, ()):
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = 2

    for node in graph:
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_core_never_imports_streamlit_or_the_ui():
    offenders = {name: sorted(m for m in imports(path) if m.split(".")[0] in ("streamlit", "ui", "pages"))
                 for name, path in core_files().items()}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_core_top_level_stays_small():
    modules = [p.name for p in CORE.glob("*.py")]
    packages = sorted(p.name for p in CORE.iterdir() if (p / "__init__.py").exists())
    assert len(modules) <= 8, modules
    assert packages == ["batch", "charts", "data", "evaluation", "i18n", "lens", "models", "runs"]


@pytest.mark.parametrize("page", sorted((ROOT / "pages").glob("*.py")), ids=lambda p: p.name)
def test_pages_are_thin(page):
    assert len(page.read_text(encoding="utf-8").splitlines()) <= 200


@pytest.mark.parametrize("page", sorted((ROOT / "pages").glob("*.py")), ids=lambda p: p.name)
def test_every_page_runs_through_app_before_it_draws(page):
    """ui.entry.through_app must be the page's first top-level call (tests/e2e/test_sign_in_browser.py shows why)."""
    calls = [node.value for node in ast.parse(page.read_text(encoding="utf-8")).body
             if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
             or isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)]
    first = calls[0].func
    assert isinstance(first, ast.Name) and first.id == "through_app", ast.unparse(calls[0])


def model_key_literals(path: Path) -> list[str]:
    """String constants that are exactly a registered model key."""
    return [node.value for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in REGISTRY]


@pytest.mark.parametrize("path", [*sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "ui").glob("*.py")),
                                  CORE / "__main__.py", CORE / "training.py"], ids=lambda p: p.name)
def test_pages_and_cli_take_model_keys_from_the_registry(path):
    assert model_key_literals(path) == []


def test_app_only_configures_and_navigates():
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    calls = {node.func.attr for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)}
    assert {"set_page_config", "navigation", "run"} <= calls


MESSAGE_CALLS = {"error", "warning", "info", "success", "markdown", "caption", "toast"}
SAFE_CALLS = {"plain", "len", "int", "float", "round", "describe_frequency"}


def shown_fstrings(arg: ast.AST):
    """The f-strings whose text is shown: the argument itself, or joined with + (not keys or call arguments inside it)."""
    if isinstance(arg, ast.JoinedStr):
        yield arg
    elif isinstance(arg, ast.BinOp):
        yield from shown_fstrings(arg.left)
        yield from shown_fstrings(arg.right)
    elif isinstance(arg, ast.IfExp):
        yield from shown_fstrings(arg.body)
        yield from shown_fstrings(arg.orelse)


def unescaped_interpolations(path: Path) -> list[str]:
    """Values put into Markdown-rendering calls without plain() or a number format (such as {n:,} or {x:.2f})."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in MESSAGE_CALLS):
            continue
        for arg in node.args:
            for fstring in shown_fstrings(arg):
                for part in fstring.values:
                    if not isinstance(part, ast.FormattedValue) or part.format_spec is not None:
                        continue
                    value = part.value
                    if isinstance(value, ast.Call) and getattr(value.func, "id", getattr(value.func, "attr", None)) in SAFE_CALLS:
                        continue
                    found.append(f"{path.name}:{part.lineno} {ast.unparse(value)}")
    return found


@pytest.mark.parametrize("path", [*sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "ui").glob("*.py"))], ids=lambda p: p.name)
def test_text_shown_as_markdown_escapes_what_users_or_files_supply(path):
    assert unescaped_interpolations(path) == []
