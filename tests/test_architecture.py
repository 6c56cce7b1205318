"""The import graph reads as the pipeline: no cycles, every module in a stage, imports running one
way (a stage imports only itself and earlier stages), the UI on the public API and the outputs."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "analyzer"

# Stages in pipeline order. A module may import modules of its own stage or of earlier ones.
STAGES: list[tuple[str, list[str]]] = [
    ("base", ["version", "errors", "limits", "cache", "assets", "messages", "issuers"]),
    ("frameworks", ["frameworks", "literals", "folding"]),
    ("text primitives", ["text", "text.headings"]),
    ("ingest", ["ingest", "ingest.read", "ingest.archive", "ingest.budget", "ingest.docx", "ingest.pdf", "ingest.pdfguard",
                "ingest.html", "ingest.txt", "ingest.normalize", "ingest.sanitize"]),
    ("document", ["result", "doc"]),  # the output's records and the working document every later stage adds to
    ("text", ["text.structure", "text.segment", "text.segment_parity", "text.specificity", "text.automaton"]),
    ("mapping", ["mapping", "mapping.features", "mapping.serving", "mapping.model", "mapping.sections",
                 "mapping.detect", "mapping.parts"]),
    ("checks", ["checks", "checks.rules", "checks.context", "checks.builders", "checks.registered", "checks.boilerplate", "checks.elements", "checks.quality", "checks.copying",
                "checks.exemplars", "checks.suggest", "checks.findings"]),
    ("pipeline", ["pipeline", ""]),  # "" is the package itself: the public API (``analyzer.analyze``)
    ("outputs", ["outputs", "outputs.atomic", "outputs.render", "outputs.export", "outputs.annotate"]),
    ("batch and compare", ["batch", "batch.store", "batch.template_step", "batch.run", "batch.summary", "compare", "compare.templates",
                           "compare.tables"]),
    ("training", ["training", "training.corpus", "training.classifier", "training.textcat", "training.element_model",
                  "training.evaluate", "training.evaluate_findings", "training.evaluate_metadata",
                  "training.evaluate_copying", "training.train", "training.modelcard"]),
    ("cli", ["cli.app", "cli.batch", "cli.main", "cli", "cli.__main__"]),
]
# What the Streamlit app may use: the public API, the result records, what renders them, and the one
# archive reader for uploaded zips.
UI_MAY_IMPORT = {"", "result", "errors", "limits", "frameworks", "messages", "ingest", "ingest.archive", "outputs", "outputs.render",
                 "outputs.export", "outputs.annotate", "compare", "compare.tables", "mapping.model"}


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imports_of(path: Path, *, package: str, name: str, modules: frozenset[str] = frozenset()) -> set[str]:
    """Modules of ``package`` that the file imports (at any depth of the file: lazy imports count).
    ``from analyzer import assets`` imports the module ``assets``, not the package, when ``assets`` is
    one of ``modules``."""
    is_init = path.name == "__init__.py"
    here = name.split(".") if name else []
    parent = here if is_init else here[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = parent[: len(parent) - (node.level - 1)]
                target = [*base, *node.module.split(".")] if node.module else base
                if node.module is None:
                    found |= {".".join([*target, alias.name]) for alias in node.names}
                else:
                    found.add(".".join(target))
            elif node.module and node.module.split(".")[0] == package:
                module = node.module.removeprefix(package).lstrip(".")
                submodules = {f"{module}.{alias.name}".lstrip(".") for alias in node.names} & modules
                found |= submodules if len(submodules) == len(node.names) else {module, *submodules}
        elif isinstance(node, ast.Import):
            found |= {a.name.removeprefix(package).lstrip(".") for a in node.names if a.name.split(".")[0] == package}
    return found


def import_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    """Module → the package modules it imports (names relative to the package; "" is the package)."""
    files = {_module_name(p, root): p for p in root.rglob("*.py")}

    def known(name: str) -> str | None:
        while name not in files:
            if not name:
                return None
            name = name.rpartition(".")[0]
        return name

    graph = {}
    for name, path in files.items():
        targets = {known(t) for t in imports_of(path, package=root.name, name=name, modules=frozenset(files))}
        graph[name] = {t for t in targets if t is not None and t != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


GRAPH = import_graph()
STAGE_OF = {module: k for k, (_, modules) in enumerate(STAGES) for module in modules}
# A registered check is one file of checks/registered/: it belongs to the checks stage without being listed.
STAGE_OF |= {module: STAGE_OF["checks.registered"] for module in GRAPH if module.startswith("checks.registered.")}


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_package_has_no_import_cycle():
    assert cycles(GRAPH) == []


def test_every_module_belongs_to_a_stage():
    assert sorted(set(GRAPH) - set(STAGE_OF)) == []


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_imports_run_down_the_pipeline(module):
    upward = [(target, STAGES[STAGE_OF[target]][0]) for target in sorted(GRAPH[module])
              if STAGE_OF[target] > STAGE_OF[module]]
    assert upward == [], f"{module or 'analyzer'} ({STAGES[STAGE_OF[module]][0]}) imports a later stage"


@pytest.mark.parametrize("path", [ROOT / "app.py", *sorted((ROOT / "app_support").glob("*.py"))], ids=lambda p: p.name)
def test_the_app_uses_the_public_api_and_the_outputs(path):
    used = {known for known in imports_of(path, package="analyzer", name="", modules=frozenset(GRAPH))
            if known in STAGE_OF}
    assert used <= UI_MAY_IMPORT, sorted(used - UI_MAY_IMPORT)
