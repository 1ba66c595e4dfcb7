"""The package's folders are the pipeline's stages, and the imports keep to their order.

README's folder map promises a newcomer that a stage only uses the stages before it; these
tests hold the code to that, so the map stays true as the code grows.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "digest"

# Each part of digest/ and the stage it belongs to: a module may import its own stage and
# the ones before it, never one after.
STAGES = {
    "model": 0, "errors": 0, "text": 0, "write": 0, "__init__": 0,
    "sources": 1,
    "papers": 2,
    "site": 3,
    "mail": 4,
    "pipeline": 5,
    "plugin": 6, "cli": 6, "__main__": 6,
    "tools": 7,
    "bench": 8, "screenshots": 8,  # the documented `python -m` names of the tools
}  # fmt: skip
LONGEST = 300  # lines a module may have, the benchmark aside
LONG_ALLOWED = {"tools/bench.py"}


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def dotted(path: Path) -> list[str]:
    """digest/site/pages/plan.py -> ["digest", "site", "pages", "plan"]."""
    return ["digest", *path.relative_to(PACKAGE).with_suffix("").parts]


def imported(path: Path) -> list[tuple[int, list[str], list[str]]]:
    """Each import of digest's own modules: its line, the module, and the names taken."""
    here = dotted(path)
    package = here if path.name == "__init__.py" else here[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = base + (node.module.split(".") if node.module else [])
            else:
                target = (node.module or "").split(".")
            names = [alias.name for alias in node.names]
            if target[0] == "digest":
                found.append((node.lineno, target, names))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "digest":
                    found.append((node.lineno, alias.name.split("."), []))
    return found


def stage(parts: list[str]) -> int:
    """The stage of a module, or of `digest` itself (its __init__: the version)."""
    if len(parts) == 1 or (parts[1] not in STAGES and parts[1].startswith("__")):
        return 0
    return STAGES[parts[1]]


def test_every_part_of_the_package_has_a_stage() -> None:
    for path in modules():
        assert dotted(path)[1] in STAGES, f"{path}: add it to STAGES and README's folder map"


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_go_one_way(path: Path) -> None:
    own = stage(dotted(path))
    for line, target, names in imported(path):
        parts = target if len(target) > 1 or not names else [*target, names[0]]
        assert stage(parts) <= own, (
            f"{path.relative_to(PACKAGE)}:{line} imports {'.'.join(target)}, a later stage"
        )


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_takes_another_ones_private_names(path: Path) -> None:
    for line, target, names in imported(path):
        private = [n for n in names if n.startswith("_") and n != "__version__"]
        assert not private, f"{path.relative_to(PACKAGE)}:{line} imports {private} from {target}"


def test_modules_stay_short() -> None:
    long = {
        str(path.relative_to(PACKAGE)): n
        for path in modules()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > LONGEST
    }
    assert set(long) <= LONG_ALLOWED, long


def test_the_first_stages_know_nothing_of_pages_or_mail() -> None:
    """What README promises in so many words: sources/ and papers/ never import site/ or mail/."""
    for folder in ("sources", "papers"):
        for path in (PACKAGE / folder).rglob("*.py"):
            for line, target, _ in imported(path):
                assert target[1:2] not in (["site"], ["mail"]), f"{path}:{line}"
