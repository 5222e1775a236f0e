"""The layering of DESIGN.md, enforced: a layer imports only from layers below,
and the faces hold no model logic."""

import ast
from pathlib import Path

import natrium

ROOT = Path(natrium.__file__).parent
#: DESIGN.md: materials -> cell -> (sim, cost) -> (plant, apps) -> chain ->
#: study -> (cli, web, report). io reads design files (cell level) and shipped
#: examples; _data, _toml, _validation, units, constants, exceptions and
#: citations are the infrastructure every layer may use.
RANK = {
    "materials": 0,
    "cell": 1,
    "io": 1.5,
    "sim": 2,
    "cost": 2,
    "plant": 3,
    "apps": 3,
    "chain": 4,
    "study": 5,
    "cli": 6,
    "web": 6,
    "report": 6,
}
FACES = ("cli", "web", "report")


def _imports(path: Path) -> list[tuple[str, int]]:
    """The natrium packages a module imports, with their lines."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "natrium" and len(parts) > 1:
                out.append((parts[1], node.lineno))
    return out


def _layer(path: Path) -> str:
    return path.relative_to(ROOT).parts[0].removesuffix(".py")


def test_no_layer_imports_a_higher_one():
    upward = []
    for path in ROOT.rglob("*.py"):
        own = _layer(path)
        if own not in RANK:
            continue
        for target, line in _imports(path):
            if target in RANK and RANK[target] > RANK[own]:
                upward.append(f"{path.relative_to(ROOT)}:{line} imports {target}")
    assert upward == []


def test_faces_call_the_chain_and_the_public_api_only():
    # A face may import the chain, the infrastructure and the public API of a
    # model package (its __init__ or a public module), never a private name, and
    # its code converts no input by hand: no degC offset, no hour or kWh factor
    # (inputs go through natrium.units; scaling a figure for display is fine).
    private = []
    literals = []
    for face in FACES:
        for path in (ROOT / face).rglob("*.py") if (ROOT / face).exists() else []:
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                module = node.module if isinstance(node, ast.ImportFrom) else None
                if module and module.startswith("natrium."):
                    if not module.startswith(f"natrium.{face}"):
                        private += [
                            f"{path.name}:{node.lineno} {module}.{a.name}"
                            for a in node.names
                            if a.name.startswith("_")
                        ]
                if isinstance(node, ast.Constant) and node.value in (
                    273.15,
                    3600.0,
                    3.6e6,
                    3.6e12,
                ):
                    literals.append(f"{path.name}:{node.lineno} {node.value!r}")
    assert private == []
    assert literals == []
