"""The material library: sources on every number, user files, clear errors."""

import tomllib
from pathlib import Path

import pytest

from natrium import DataFileError, OptionError, citations
from natrium.materials import (
    active_keys,
    active_table,
    component_keys,
    get_active,
    get_component,
    load_material_file,
)
from natrium.materials.components import SCHEMA
from natrium.materials.library import BUILTIN_FILES

REQUIRED_ACTIVE = {
    "prussian-white",
    "mn-prussian-white",
    "nfm111",
    "nvpf",
    "nvp",
    "nfpp",
    "hard-carbon",
    "lfp",
    "nmc811",
    "graphite",
}


def test_library_holds_the_issue_materials():
    assert REQUIRED_ACTIVE <= set(active_keys())
    assert {"napf6-ec-pc", "lipf6-ec-emc"} <= set(component_keys("electrolyte"))
    assert {"aluminium", "copper"} <= set(component_keys("foil"))
    assert component_keys("separator")
    assert component_keys("binder")
    assert component_keys("conductive_additive")
    assert component_keys("casing_material")


def _numbers(table, path=""):
    for key, value in table.items():
        if isinstance(value, dict) and ("value" in value or "low" in value):
            yield f"{path}{key}", value
        elif isinstance(value, dict):
            yield from _numbers(value, f"{path}{key}.")


@pytest.mark.parametrize("path", BUILTIN_FILES, ids=lambda p: p.name)
def test_every_number_has_a_known_source(path):
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    numbers = list(_numbers(data))
    assert numbers
    for where, entry in numbers:
        assert citations.is_known(entry["ref"]), f"{where}: unknown ref {entry['ref']}"
        if entry["ref"] in citations.NON_SOURCES:
            assert entry.get("note"), f"{where}: an estimate needs a note saying why"


def test_every_citation_formats():
    for key in citations.references():
        assert key in citations.format_reference(key)


def test_table_has_sources_and_physical_values():
    table = active_table()
    assert (
        table["practical_mAh_per_g"] <= table["theoretical_mAh_per_g"].fillna(1e9)
    ).all()
    assert table["sources"].str.len().min() > 0
    assert (table["first_cycle_efficiency"] <= 1).all()


def test_max_concentration_of_nvpf_matches_chayambuka():
    # Chayambuka 2022 (PyBaMM set): c_max = 15320 mol/m3 for NVPF; natrium derives
    # it from the density (3.20 g/cm3) and the formula, to the digits of the density.
    assert get_active("nvpf").max_concentration == pytest.approx(15320, rel=2e-3)


def test_unknown_material_lists_the_valid_ones():
    with pytest.raises(
        OptionError, match=r"unknown active material 'unobtainium'.*valid:"
    ):
        get_active("unobtainium")
    with pytest.raises(KeyError):  # also a KeyError for plain callers
        get_component("separator", "paper")


USER_FILE = """
[active.my-oxide]
name = "My O3 oxide"
role = "cathode"
ion = "Na"
formula = "NaNi0.5Mn0.5O2"
electrons = 1
practical_capacity = { value = 130, unit = "mAh/g", ref = "estimate", note = "test" }
first_cycle_efficiency = { value = 0.9, unit = "", ref = "estimate", note = "test" }
density = { value = 4.6, unit = "g/cm^3", ref = "estimate", note = "test" }
price = { low = 5, high = 9, unit = "USD/kg", ref = "estimate", note = "test" }
ocp = { stoichiometry = [0.3, 0.6, 0.99], potential = [4.0, 3.2, 2.5], \
        window = [0.4, 0.99] }

[separator.my-sep]
thickness = { value = 12, unit = "um", ref = "estimate", note = "test" }
porosity = { value = 0.4, unit = "", ref = "estimate", note = "test" }
density = { value = 0.95, unit = "g/cm^3", ref = "estimate", note = "test" }
price = { low = 0.1, high = 0.2, unit = "USD/m^2", ref = "estimate", note = "test" }
"""


def test_user_material_file_adds_materials(tmp_path: Path):
    path = tmp_path / "mine.toml"
    path.write_text(USER_FILE.replace("my-", f"my-{tmp_path.name}-"))
    keys = load_material_file(path)
    oxide = get_active(f"my-{tmp_path.name}-oxide")
    assert keys[0] == oxide.key
    # Faraday: NaNi0.5Mn0.5O2, M = 22.990 + 29.347 + 27.469 + 31.998 = 111.80 g/mol
    # -> 96485.33 / 3.6 / 111.80 = 239.7 mAh/g
    assert oxide.theoretical_capacity / 3600 == pytest.approx(239.7, rel=1e-3)
    assert get_component("separator", f"my-{tmp_path.name}-sep")["thickness"] == 12e-6
    assert load_material_file(path) == keys  # loading again changes nothing
    other = tmp_path / "copy.toml"
    other.write_text(path.read_text())
    with pytest.raises(OptionError, match="already in the library"):
        load_material_file(other)


@pytest.mark.parametrize(
    ("edit", "match"),
    [
        (
            lambda s: s.replace(
                'value = 130, unit = "mAh/g"', 'value = 130, unit = "mV"'
            ),
            "wrong unit",
        ),
        (
            lambda s: s.replace(
                'ref = "estimate", note = "test" }\nfirst',
                'ref = "Nobody2099" }\nfirst',
            ),
            "unknown citation key 'Nobody2099'",
        ),
        (lambda s: s.replace('role = "cathode"', 'role = "catode"'), "role"),
        (
            lambda s: s.replace("[active.my-oxide]", "[active.my-oxide"),
            "malformed TOML",
        ),
        (
            lambda s: s.replace("value = 0.4, unit", "value = 1.3, unit"),
            r"porosity = 1.3 is outside \[0, 1\)",
        ),
        (lambda s: s.replace("value = 130", "value = 300"), "does not fit"),
    ],
)
def test_malformed_user_file_names_the_problem(tmp_path: Path, edit, match):
    path = tmp_path / "bad.toml"
    path.write_text(edit(USER_FILE))
    with pytest.raises(DataFileError, match=match):
        load_material_file(path)


def test_schema_categories_cover_the_data_file():
    data = tomllib.loads(BUILTIN_FILES[1].read_text(encoding="utf-8"))
    assert set(data) <= set(SCHEMA)


def test_a_user_key_clashing_with_a_builtin_keeps_the_builtins(tmp_path: Path):
    path = tmp_path / "clash.toml"
    path.write_text(
        USER_FILE.replace("[active.my-oxide]", "[active.prussian-white]")
        .replace("[active.my-oxide.ocp]", "[active.prussian-white.ocp]")
        .replace("[separator.my-sep]", f"[separator.{tmp_path.name}]")
    )
    with pytest.raises(
        OptionError, match=r"clash\.toml: active material 'prussian-white'"
    ):
        load_material_file(path)
    assert get_active("prussian-white").formula == "Na2Fe[Fe(CN)6]"
