"""Every number in every data file of the package names a known source."""

import tomllib
from pathlib import Path

import pytest

import natrium
from natrium import citations

ROOT = Path(natrium.__file__).parent
FILES = sorted(
    p for p in ROOT.rglob("*.toml") if "citations" not in p.relative_to(ROOT).parts
)


def _entries(table, where):
    for key, value in table.items():
        if isinstance(value, dict):
            if "value" in value or "low" in value:
                yield f"{where}.{key}", value
            else:
                yield from _entries(value, f"{where}.{key}")
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, dict):
                    yield from _entries(item, f"{where}.{key}[{i}]")


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_number_has_a_known_source(path):
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    bad = []
    for where, entry in _entries(data, path.name):
        ref = entry.get("ref")
        if not isinstance(ref, str) or not citations.is_known(ref):
            bad.append(f"{where}: ref {ref!r}")
        elif (
            ref in citations.NON_SOURCES and ref != "derived" and not entry.get("note")
        ):
            bad.append(f"{where}: an {ref} needs a note saying what it rests on")
    assert bad == []


def test_the_audit_reads_the_data_files():
    names = {p.name for p in FILES}
    assert {"manufacturing.toml", "ups.toml", "active_materials.toml"} <= names
