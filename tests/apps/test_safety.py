"""Cell-safety screening (issue 15): published vent-gas figures, their lower
flammability limits by Le Chatelier's rule, and the gas of one venting module
in a battery room."""

from __future__ import annotations

import json

import pytest

from natrium import Chain
from natrium.apps.safety import (
    cell_chemistry,
    chemistry_safety,
    lower_flammability_limit,
    room_screening,
)
from natrium.cli import main
from natrium.io import load_example

# Single-gas lower flammability limits in air (Zabetakis 1965, US Bureau of
# Mines Bulletin 627): H2 4.0, CO 12.5 vol%; DMC 3.1 vol% (the figure battery
# vent-gas work quotes).
H2, CO, DMC = 0.040, 0.125, 0.031


def test_the_lfl_of_a_stated_composition_by_hand():
    # Ferdigg & Mair 2025, NVPF / hard carbon vent gas: CO2 42, DMC 17, H2 15,
    # CO 10 mol %. Le Chatelier over the combustibles, inert CO2 in the total:
    by_hand = 1 / (0.15 / H2 + 0.10 / CO + 0.17 / DMC)
    mix = {"CO2": 0.42, "DMC": 0.17, "H2": 0.15, "CO": 0.10}
    assert lower_flammability_limit(mix) == pytest.approx(by_hand, rel=1e-12)
    assert chemistry_safety("polyanion-hard-carbon").lfl == pytest.approx(
        by_hand, rel=1e-12
    )
    # pure hydrogen is its own limit; an inert gas has none
    assert lower_flammability_limit({"H2": 1.0}) == pytest.approx(H2)
    assert lower_flammability_limit({"CO2": 1.0}) is None


def test_vent_gas_per_ah_follows_the_published_order():
    # Ferdigg & Mair 2025, one setup for the three cells: NMC622 0.07, NVPF
    # 0.05, LFP 0.02 mol/Ah
    per_ah = {
        key: chemistry_safety(key).vent_gas_mol_per_ah
        for key in ("nmc-graphite", "polyanion-hard-carbon", "lfp-graphite")
    }
    assert per_ah["nmc-graphite"] > per_ah["polyanion-hard-carbon"]
    assert per_ah["polyanion-hard-carbon"] > per_ah["lfp-graphite"]
    assert per_ah == pytest.approx(
        {"nmc-graphite": 0.07, "polyanion-hard-carbon": 0.05, "lfp-graphite": 0.02}
    )


def test_a_prussian_white_cell_is_not_read_as_the_pba_pba_cell():
    # Carter 2025's 'no thermal runaway' is for a PBA-on-both-electrodes cell;
    # Prussian white against hard carbon has no published cell test
    assert cell_chemistry(load_example("pw_hc_pouch")) == "pba-hard-carbon"
    pw = Chain.from_example("pw_hc_pouch").safety().value
    assert pw.thermal_runaway == "not published for a cell"
    assert pw.vent_gas_mol_per_ah is None
    assert chemistry_safety("pba-pba").thermal_runaway == "no"
    assert cell_chemistry(load_example("lfp_graphite_prismatic")) == "lfp-graphite"


def test_one_module_venting_in_a_room_by_hand():
    # 16 cells of 40 Ah, LFP's 0.02 mol/Ah, an ideal gas at 25 degC and 1 atm,
    # mixed into 200 m3, against 25 % of the LFL (NFPA 855 practice)
    screened = room_screening("lfp-graphite", 40 * 3600.0, 16, 200.0).to_dict()
    moles = 0.02 * 40 * 16  # 12.8 mol
    volume = moles * 8.314462618 * 298.15 / 101_325.0  # 0.313 m3
    assert screened["one_module_vol_fraction"] == pytest.approx(volume / 200.0)
    # LFP's gas (H2 41, CO2 27, CO 8 %): LFL 1 / (0.41/0.04 + 0.08/0.125)
    lfl = 1 / (0.41 / H2 + 0.08 / CO)
    assert lfl == pytest.approx(0.0918, abs=1e-4)
    assert screened["one_module_share_of_limit"] == pytest.approx(
        volume / 200.0 / (0.25 * lfl)
    )
    none = room_screening("pba-pba", 40 * 3600.0, 16, 200.0).to_dict()
    assert none["one_module_vol_fraction"] is None
    assert "no vent-gas amount published" in none["reason"]


def test_safety_json_gives_per_chemistry_the_figures_and_sources(capsys):
    assert main(["safety", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    for key, row in out["chemistries"].items():
        assert {"vent_gas_mol_per_Ah", "lfl_vol_fraction", "sources"} <= set(row)
        assert row["sources"], key
    assert out["chemistries"]["nmc-graphite"]["sources"] == [
        "Ferdigg2025",
        "Zabetakis1965",
    ]


def test_the_ups_comparison_reports_safety_beside_mass_and_cost(capsys):
    status = main(
        [
            "safety",
            "--load-kw",
            "2 MW",
            "--runtime-min",
            "5",
            "--room-m3",
            "200",
            "--json",
        ]
    )
    assert status == 0
    rows = {r["chemistry"]: r for r in json.loads(capsys.readouterr().out)["ups"]}
    assert set(rows) == {"na_ion", "lfp", "vrla"}
    lfp = rows["lfp"]
    assert lfp["mass_kg"] > 0
    assert lfp["capex_usd"] > 0
    # a module is the packaging's module energy (ups.toml: 41 kWh cabinets of
    # 20 modules, 2.05 kWh) of the sized cell, not 16 cells of any size
    cell_wh = lfp["nameplate_kWh"] * 1e3 / lfp["total_cells"]
    assert lfp["cells_per_module"] == round(2050 / cell_wh)
    assert 0 < lfp["one_module_share_of_limit"] < 1
    assert rows["na_ion"]["one_module_vol_fraction"] is None
