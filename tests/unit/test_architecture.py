"""The core stays Qt-free, and the first frame stays free of SQLAlchemy."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORE = sorted(
    ".".join(p.relative_to(ROOT).with_suffix("").parts)
    for p in (ROOT / "desktop").rglob("*.py")
    if "ui" not in p.relative_to(ROOT / "desktop").parts[:1]
    and p.name not in ("app.py", "__main__.py")
    and "migrations" not in p.parts
)


def modules_after_import(*names: str) -> set[str]:
    code = (
        "import sys\n" + "".join(f"import {n}\n" for n in names) + "print('\\n'.join(sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split())


def test_the_core_imports_no_qt() -> None:
    assert "desktop.lookup" in CORE and "desktop.store.contacts" in CORE
    assert "desktop.cli.seat" in CORE  # the command line is read too
    loaded = modules_after_import(*CORE)
    assert not {m for m in loaded if m.startswith("PySide6")}


def test_the_first_frame_loads_only_what_it_needs() -> None:
    """SQLAlchemy, Alembic, phonenumbers, the HTTP server and multiprocessing are loaded
    after the first frame (the store, the lookup of a full number, the listeners)."""
    loaded = modules_after_import("desktop.app", "desktop.store.quickstart", "desktop.lookup")
    assert "PySide6.QtWidgets" in loaded
    late = ("sqlalchemy", "alembic", "phonenumbers", "multiprocessing", "opening_hours")
    assert not {m for m in loaded if m.split(".")[0] in late}
    assert "http.server" not in loaded


def test_the_core_never_imports_the_window() -> None:
    """Not even lazily, inside a function (which a module import test cannot see): the
    window's code is desktop/ui; the core reaches Qt only through what the command line's
    bridge (desktop/cli/window.py) hands it from desktop/app.py (supervisor/commands.py
    imported it once)."""
    import ast

    offenders = []
    for module in CORE:
        path = ROOT / Path(*module.split(".")).with_suffix(".py")
        if not path.exists():
            path = ROOT / Path(*module.split(".")) / "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            offenders += [
                f"{module}: {n}"
                for n in names
                if n.startswith(("desktop.ui", "PySide6"))
                or (n == "desktop.app" and module != "desktop.cli.window")  # the one bridge
            ]
    assert offenders == []


def test_ruff_bans_the_window_and_qt_from_the_core() -> None:
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    banned = config["tool"]["ruff"]["lint"]["flake8-tidy-imports"]["banned-api"]
    assert {"PySide6", "desktop.ui", "desktop.app"} <= set(banned)


def test_mypy_strict_covers_the_tests_and_the_benchmarks() -> None:
    import tomllib

    mypy = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    assert mypy["strict"] is True
    assert {"desktop", "tests", "benchmarks"} <= set(mypy["packages"])


def _imports(path: Path) -> set[str]:
    """The desktop modules a file imports anywhere: at module level, in TYPE_CHECKING blocks
    and inside functions (an import deferred for speed still joins two modules: a cycle
    through one is a cycle in the design; merge.py and staging.py had one)."""
    import ast

    found: set[str] = set()
    for statement in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(statement, ast.ImportFrom) and statement.module:
            base = statement.module
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in statement.names)
        elif isinstance(statement, ast.Import):
            found.update(alias.name for alias in statement.names)
    return {name for name in found if name.startswith("desktop.")}


def test_no_import_cycle_between_the_modules() -> None:
    """ui/call_pops imported ui/agent_page back; no module may import one that imports it,
    even inside a function."""
    modules = {
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): p
        for p in (ROOT / "desktop").rglob("*.py")
        if "migrations" not in p.parts
    }
    graph = {name: _imports(path) & modules.keys() for name, path in modules.items()}

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            name = todo.pop()
            if name == goal:
                return True
            if name not in seen:
                seen.add(name)
                todo.extend(graph.get(name, ()))
        return False

    cycles = sorted(
        f"{a} <-> {b}"
        for a, deps in graph.items()
        for b in deps
        if b != a and not a.startswith(b + ".") and reaches(b, a)
    )
    assert not cycles, cycles


def test_an_op_whose_done_takes_another_type_than_its_work_returns_is_a_type_error(
    tmp_path: Path,
) -> None:
    """``Ops.run`` is typed end to end (its results were ``Any``: a ``done`` typed for the
    wrong result passed mypy); a work returning ``Changed[V]`` hands ``done`` a ``V``."""
    from mypy import api

    planted = tmp_path / "planted_op.py"
    planted.write_text(
        "from desktop.changes import NOTHING, Changed\n"
        "from desktop.ui.ops import Ops\n\n\n"
        "def show(count: int) -> None:\n"
        "    print(count)\n\n\n"
        "def plant(ops: Ops) -> None:\n"
        "    ops.run(lambda: 3, show)\n"
        "    ops.run(lambda: Changed(4, NOTHING), show)\n"
        "    ops.run(lambda: 'a text', show)\n"
        "    ops.run(lambda: Changed('a text', NOTHING), show)\n",
        encoding="utf-8",
    )
    out, _err, code = api.run(["--config-file", str(ROOT / "pyproject.toml"), str(planted)])
    wrong = sorted({line.split(":")[1] for line in out.splitlines() if ": error:" in line})
    assert code == 1 and wrong == ["12", "13"], out  # the two texts handed to an int


def test_no_window_class_is_over_300_lines() -> None:
    """The windows are presenters of their parts (AgentPage was 639 lines, MainWindow 577):
    a class of the window's code that grows past 300 lines gives a job its own home."""
    import ast

    sizes = {
        f"{path.relative_to(ROOT)}:{node.name}": (node.end_lineno or node.lineno) - node.lineno + 1
        for path in (ROOT / "desktop" / "ui").rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef)
    }
    assert "desktop/ui/agent_page.py:AgentPage" in sizes  # the walk reads the window's code
    assert {name: size for name, size in sizes.items() if size > 300} == {}


def test_the_store_and_the_lookup_sit_below_the_tables_package() -> None:
    """The pack's plain values (desktop/table_pack.py) are below the store and the lookup
    that read them; the tables package, which imports and follows packs through the store,
    is above both (it held the model, so the store imported the package that imports it)."""
    below = [p for p in (ROOT / "desktop" / "store").rglob("*.py") if "migrations" not in p.parts]
    below.append(ROOT / "desktop" / "lookup.py")
    reaching = {
        str(path.relative_to(ROOT)): sorted(
            n for n in _imports(path) if n.startswith("desktop.tables")
        )
        for path in below
    }
    assert {path: names for path, names in reaching.items() if names} == {}
