"""A user's cost assumptions from a TOML file or a preset, validated like designs."""

import json
import subprocess
import sys

import pytest

from natrium import Chain
from natrium.cost import cell_cost, read_assumptions
from natrium.cost.manufacturing import manufacturing
from natrium.exceptions import NatriumError
from natrium.io import example_path, load_example
from natrium.materials import get_component

GWH = 3.6e12  # [J]
KWH = 3.6e6  # [J]


def _write(tmp_path, text):
    path = tmp_path / "prices.toml"
    path.write_text(text)
    return path


def test_a_material_price_moves_its_line_by_price_times_tonnes_bought(tmp_path):
    design = load_example("pw_hc_pouch")
    mine = read_assumptions(
        _write(tmp_path, '[materials]\nprussian-white = "5 USD/kg"\n')
    )
    base, cheap = cell_cost(design, GWH), cell_cost(design, GWH, assumptions=mine)
    line = {r["row"]: r for r in cheap.to_dict()["bill_of_materials"]}
    assert line["cathode active"]["usd_per_kg"] == 5.0
    # the same tonnes bought, priced at 5 instead of the library's mid price
    old = {r["row"]: r for r in base.to_dict()["bill_of_materials"]}
    delta = (old["cathode active"]["usd_per_kg"] - 5.0) * base.cathode_mass_per_year
    assert old["cathode active"]["usd_per_kWh"] - line["cathode active"][
        "usd_per_kWh"
    ] == pytest.approx(delta / (GWH / KWH), rel=1e-9)


def test_a_separator_priced_per_area_is_converted_by_its_areal_density(tmp_path):
    design = load_example("pw_hc_pouch")
    mine = read_assumptions(_write(tmp_path, '[materials]\npe-16 = "0.5 USD/m^2"\n'))
    line = {
        r["row"]: r
        for r in cell_cost(design, GWH, assumptions=mine).to_dict()["bill_of_materials"]
    }
    density = get_component("separator", "pe-16").separator_areal_density  # kg/m2
    assert line["separator"]["usd_per_kg"] == pytest.approx(0.5 / density, rel=1e-12)


def test_labour_rate_from_a_file_turns_into_price_as_in_batpac(tmp_path):
    # BatPaC v5: a dollar of direct labour is 1.8665 dollars of price
    # (test_model.py: test_labour_turns_into_price_as_in_batpac).
    design = load_example("pw_hc_pouch")
    mine = read_assumptions(_write(tmp_path, '[factors]\nlabour_rate = "10 USD/h"\n'))
    base = cell_cost(design, 10 * GWH)
    low = cell_cost(design, 10 * GWH, assumptions=mine)
    hours = float(base.steps["labour_h_per_yr"].sum())
    expected = 1.8665 * (25.0 - 10.0) * hours / (10 * GWH / KWH)  # BatPaC: 25 USD/h
    assert float(base.usd_per_kwh - low.usd_per_kwh) == pytest.approx(
        expected, rel=2e-3
    )


def test_yields_and_plant_size_move_tonnes_plant_and_cost_together(tmp_path):
    # One manufacturing model (issue 9): a user's coating yield and plant size
    # reach the tonnage, the cell plant and the cost alike.
    path = _write(tmp_path, '[yields]\ncoating = 0.95\n[plant]\noutput = "2 GWh/yr"\n')
    chain = Chain(example_path("pw_hc_pouch"), prices=path)
    cost = chain.cost().value
    assert cost.output == pytest.approx(2 * GWH)
    tonnes = chain.cathode_for_energy(2 * GWH).value
    plant = chain.cell_plant(2 * GWH).value
    for other in (float(tonnes.cathode_mass), plant.cathode_mass_per_year):
        assert other == pytest.approx(cost.cathode_mass_per_year, rel=5e-3)
    # electrode material passes coating: 0.95 / 0.99 more cathode than default
    default = Chain(example_path("pw_hc_pouch")).cost(2 * GWH).value
    assert cost.cathode_mass_per_year / default.cathode_mass_per_year == pytest.approx(
        0.99 / 0.95, rel=1e-9
    )
    assert manufacturing().step_yield("coating") == 0.99  # the default untouched


def test_the_china_preset_scales_equipment_and_cites_nothing_it_did_not_read():
    design = load_example("pw_hc_pouch")
    china = read_assumptions("china")
    assert china.equipment_cost_factor == pytest.approx(0.55)
    base = cell_cost(design, 10 * GWH)
    cheap = cell_cost(design, 10 * GWH, assumptions=china)
    equipment = float(base.steps["capital_usd"].sum())
    assert base.capex_usd - cheap.capex_usd == pytest.approx(0.45 * equipment, rel=1e-9)
    assert "estimate" not in cheap.citations
    same = Chain(design, prices="china").cost(10 * GWH).value
    assert float(same.usd_per_kwh) == pytest.approx(float(cheap.usd_per_kwh))


@pytest.mark.parametrize(
    ("text", "match"),
    [
        (
            '[materials]\nunobtainium = "5 USD/kg"\n',
            r"\[materials\] unobtainium: unknown",
        ),
        ('[materials]\nprussian-white = "5 USD/m"\n', "wrong unit: expected price per"),
        (
            '[materials]\nprussian-white = "-5 USD/kg"\n',
            r"outside \(0, inf\) \[USD/kg\]",
        ),
        ('[materials]\nprussian-white = "5"\n', "has no unit"),
        ('[factors]\nlabor = "5 USD/h"\n', r"\[factors\] labor: unknown key; valid: "),
        ("[yields]\ncoating = 1.3\n", r"coating = 1.3 is outside \(0, 1\]"),
        ("[yields]\npainting = 0.9\n", r"\[yields\] painting: unknown key"),
        ('[plant]\noutput = "2 kg"\n', r"\[plant\] output"),
        ("[prices]\nx = 1\n", r"\[prices\]: unknown key; valid: materials"),
        ("x = [\n", "malformed TOML"),
        ("materials = 5\n", r"\[materials\] = 5: must be a table"),
        (
            '[factors]\nlabour_rate = { value = 8, unit = "USD/h", ref = "nosuch" }\n',
            r"\[factors\] labour_rate: unknown ref 'nosuch'",
        ),
    ],
)
def test_bad_assumptions_are_one_clear_error(tmp_path, text, match):
    with pytest.raises(NatriumError, match=match):
        read_assumptions(_write(tmp_path, text))


def test_an_active_material_priced_per_area_is_refused_for_the_design(tmp_path):
    mine = read_assumptions(
        _write(tmp_path, '[materials]\nhard-carbon = "1 USD/m^2"\n')
    )
    with pytest.raises(NatriumError, match="only separators and pouch laminates"):
        cell_cost(load_example("pw_hc_pouch"), GWH, assumptions=mine)


def test_cli_prices_file_and_a_bad_one(tmp_path):
    pw = str(example_path("pw_hc_pouch"))
    good = _write(tmp_path, '[materials]\nprussian-white = "5 USD/kg"\n')
    command = "from natrium.cli import entry; entry()"
    run = [sys.executable, "-c", command, "cost", pw, "--json", "--prices"]
    done = subprocess.run([*run, str(good)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    rows = {r["row"]: r for r in json.loads(done.stdout)["bill_of_materials"]}
    assert rows["cathode active"]["usd_per_kg"] == 5.0
    # a prices error is an error in plant cells too, not a plant "below range"
    per_area = _write(tmp_path, '[materials]\nprussian-white = "5 USD/m^2"\n')
    plant = [sys.executable, "-c", command, "plant", "cells", "--gwh", "2"]
    refused = subprocess.run(
        [*plant, "--design", pw, "--prices", str(per_area), "--json"],
        capture_output=True,
        text=True,
    )
    assert refused.returncode == 2
    assert "only separators and pouch" in json.loads(refused.stdout)["error"]
    bad = subprocess.run([*run, "mars"], capture_output=True, text=True)
    assert bad.returncode == 2
    assert (
        "no such file or preset; valid presets: china, us"
        in json.loads(bad.stdout)["error"]
    )
    assert "Traceback" not in bad.stderr
