"""Against a published bottom-up study: the KTH thesis (DiVA kth-334415).

The thesis publishes, in its abstract: a 1,500 MWh/yr plant, the chemistries
(LFP, NMC111, a HiNa-like Cu-Fe-Mn layered oxide and a Novasis-like
Na2MnFe(CN)6, each against hard carbon for sodium) and its results in 2019 USD:
LFP 113, Na-oxide 125, Na-PBA 148 $/kWh. Its material prices, cell format and
loadings could not be found. Where each input of this comparison comes from:

* plant size 1.5 GWh/yr, chemistries: the study (cost/data/kth2023.toml);
* lithium-cell and shared material prices (LFP, graphite, PVDF, CMC, carbon
  black, foils, separator, electrolyte): BatPaC 5.0 defaults, the model family
  the study is built on (cost/data/batpac_prices.toml);
* sodium active materials, hard carbon: natrium's library mid prices; the
  Cu-Fe-Mn oxide is not in the library, so natrium's O3 NFM stands in;
* cell: natrium's LFP prismatic example, its cathode swapped (and for sodium
  its anode, foil and electrolyte paired: cell/data/defaults.toml);
* process steps, overheads, labour: natrium's BatPaC v5 defaults.

Because the study's own inputs are unknown, only the order of its results is
checked, as far as natrium resolves it. For the record (each cell counted in its
chemistry family's datasheet voltage window, cell/data/defaults.toml): LFP 101.6,
Na-oxide 111.1, Na-PBA 110.9 USD/kWh against the study's 113, 125 and 148
(before the windows: 100.5, 108.4, 110.5). LFP is the cheapest in both, as in
the study. The two sodium cells differ by 0.2 %, far less than the unknown
inputs (the thesis's cathode prices, loadings and format) could move them, so
their order is not asserted: natrium does not reproduce the study's 18 % gap
between PBA and oxide, and says so. No tolerance on the values is claimed (the
differences, -10 % to -25 %, cannot be attributed without the thesis body).
"""

import tomllib
from pathlib import Path

import natrium.cost
from natrium.cell import evaluate
from natrium.cell.pairing import swap_cathode
from natrium.cost import cell_cost
from natrium.io import load_example
from natrium.materials import get_component

DATA = Path(natrium.cost.__file__).with_name("data")


def _batpac_prices(design):
    p = tomllib.loads((DATA / "batpac_prices.toml").read_text())
    value = {k: v["value"] for k, v in p.items()}
    bom = evaluate(design).bom
    prices = {
        "cathode foil": value["aluminium_foil"],
        "electrolyte": value["electrolyte"],
        "separator": value["separator"]
        / get_component("separator", design.separator).separator_areal_density,
    }
    prices["anode foil"] = value[
        "aluminium_foil"
        if bom.loc["anode foil", "material"] == "aluminium"
        else "copper_foil"
    ]
    for row in ("cathode binder", "anode binder"):
        prices[row] = value["pvdf" if bom.loc[row, "material"] == "pvdf" else "cmc"]
    for row in ("cathode conductive additive", "anode conductive additive"):
        prices[row] = value["carbon_black"]
    if bom.loc["cathode active", "material"] == "lfp":
        prices["cathode active"] = value["lfp"]
    if bom.loc["anode active", "material"] == "graphite":
        prices["anode active"] = value["graphite"]
    return prices


def _costs():
    base = load_example("lfp_graphite_prismatic")
    cells = {
        "LFP": base,
        "Na-oxide": swap_cathode(base, "nfm111"),
        "Na-PBA": swap_cathode(base, "mn-prussian-white"),
    }
    plant = 1.5 * 3.6e12  # 1.5 GWh/yr [J/yr], the study's baseline plant
    return {
        name: float(cell_cost(d, plant, prices=_batpac_prices(d)).usd_per_kwh)
        for name, d in cells.items()
    }


_RESULTS = tomllib.loads((DATA / "kth2023.toml").read_text())["results"]
STUDY = {
    "LFP": _RESULTS["lfp"]["value"],
    "Na-oxide": _RESULTS["na_oxide"]["value"],
    "Na-PBA": _RESULTS["na_pba"]["value"],
}


def test_lfp_is_the_cheapest_as_in_the_study():
    # the study's inputs are unknown (issue 11), so only its ranking is a check:
    # LFP below both sodium cells (113 against 125 and 148 $/kWh). The sodium
    # cells' own order is within what natrium resolves (see above).
    costs = _costs()
    assert min(STUDY, key=STUDY.__getitem__) == "LFP"
    assert costs["LFP"] < min(costs["Na-oxide"], costs["Na-PBA"])
