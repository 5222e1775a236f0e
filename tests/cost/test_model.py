"""Bottom-up cell cost: conservation, scaling, monotonicity, sensitivities."""

from pathlib import Path

import numpy as np
import pytest

import natrium
from natrium.cell import evaluate
from natrium.cost import cell_cost, default_prices
from natrium.cost.model import process_steps
from natrium.cost.sensitivity import lithium_prices, monte_carlo, tornado
from natrium.io import example_paths, load_example

GWH = 3.6e12  # [J]
EXAMPLES = ["pw_hc_pouch", "lfp_graphite_prismatic", "nmc811_graphite_21700"]


@pytest.mark.parametrize("example", EXAMPLES)
def test_cathode_line_is_the_bom_over_the_yields(example):
    # Hand calculation: USD per kWh of cathode active material = kg per kWh in
    # the cell x price / the share of it that reaches a good cell. The share is
    # the product of BatPaC v5's optimised step yields for electrode material
    # (mixing 0.99, coating 0.99, slitting 0.99, stacking 0.98) and for cells
    # (filling 0.99, grading 0.99), with natrium's estimates for the steps
    # BatPaC has no yield for (calendering 0.995, vacuum drying 0.998,
    # notching 0.995, tab welding 0.995, enclosing 0.995, formation 0.995).
    design = load_example(example)
    electrode = 0.99 * 0.99 * 0.995 * 0.99 * 0.998 * 0.995 * 0.98
    cell = 0.995 * 0.995 * 0.99 * 0.995 * 0.99
    report = evaluate(design)
    kg_per_kwh = float(report.bom.loc["cathode active", "mass_kg"]) / (
        float(report.metrics["energy_Wh"]) / 1e3
    )
    price = default_prices(design)["cathode active"]
    c = cell_cost(design, 10 * GWH)
    line = float(c.breakdown.loc["cathode active material", "usd_per_kWh"])
    assert line == pytest.approx(kg_per_kwh * price / (electrode * cell), rel=1e-9)


def test_steps_scale_with_their_exponents():
    # Doubling the plant doubles every driver, so each step's capital, labour and
    # area grow by 2^p with the step's own exponent (cost/data/process_steps.toml).
    design = load_example("lfp_graphite_prismatic")
    small, large = (
        cell_cost(design, 5.0 * GWH).steps,
        cell_cost(design, 10.0 * GWH).steps,
    )
    for step in process_steps():
        if step.cell_share == "floor_area":
            continue  # its share of the plant's floor moves too (below)
        ratio = large.loc[step.key, "capital_usd"] / small.loc[step.key, "capital_usd"]
        assert ratio == pytest.approx(2.0**step.capital_exponent, rel=1e-9), step.key
        if small.loc[step.key, "labour_h_per_yr"] == 0:
            continue
        labour = (
            large.loc[step.key, "labour_h_per_yr"]
            / small.loc[step.key, "labour_h_per_yr"]
        )
        assert labour == pytest.approx(2.0**step.labour_exponent, rel=1e-9), step.key
    # Building support: 1,700 M USD at 50 GWh/yr (exponent 0.95), in the cell
    # steps' share of a floor that also holds module and pack assembly
    # (54,000 m2 at 50 GWh/yr, exponent 0.95) and the rest of the warehouse.
    cells = large["floor_area_m2"].sum()
    warehouse = large.loc["warehouse", "floor_area_m2"]
    whole = cells + 2 * warehouse + 54_000 * 0.2**0.95
    assert large.loc["building_support", "capital_usd"] == pytest.approx(
        1.7e9 * 0.2**0.95 * cells / whole, rel=1e-9
    )


def test_bigger_plants_make_cheaper_cells():
    design = load_example("pw_hc_pouch")
    costs = [float(cell_cost(design, g * GWH).usd_per_kwh) for g in (0.5, 2, 10, 50)]
    assert np.all(np.diff(costs) < 0)


@pytest.mark.parametrize(
    "row",
    ["cathode active", "anode active", "electrolyte", "separator", "cathode foil"],
)
def test_a_cheaper_input_never_gives_a_dearer_cell(row):
    design = load_example("pw_hc_pouch")
    base = default_prices(design)[row]
    prices = np.linspace(0.5, 1.5, 7) * base
    cost = cell_cost(design, 10.0 * GWH, prices={row: prices}).usd_per_kwh
    assert np.all(np.diff(cost) > 0)


def test_cheaper_labour_energy_and_better_yield_never_cost_more():
    design = load_example("pw_hc_pouch")
    base = float(cell_cost(design, 10.0 * GWH).usd_per_kwh)
    assert float(cell_cost(design, 10.0 * GWH, labour_rate=8.0).usd_per_kwh) < base
    assert (
        float(cell_cost(design, 10.0 * GWH, electricity_price=0.04).usd_per_kwh) < base
    )
    assert float(cell_cost(design, 10.0 * GWH, cell_yield=0.99).usd_per_kwh) < base


def test_lithium_price_moves_lfp_not_sodium():
    lfp, pw = load_example("lfp_graphite_prismatic"), load_example("pw_hc_pouch")
    # LFP holds 0.234 kg Li2CO3-equivalent per kg (derived from the formula):
    # 10 USD/kg more on Li2CO3 adds 2.34 USD/kg to LFP.
    delta = (
        lithium_prices(lfp, 20.0)["cathode active"]
        - lithium_prices(lfp, 10.0)["cathode active"]
    )
    assert delta == pytest.approx(0.2342 * 10.0, rel=1e-3)
    assert lithium_prices(pw, 80.0) == {}


def test_tornado_and_bands():
    design = load_example("pw_hc_pouch")
    table = tornado(design, 10.0 * GWH)
    assert table["swing_usd_per_kWh"].is_monotonic_decreasing
    assert "hard carbon price [USD/kg]" in set(table["input"])
    # The cathode, the largest material line of the PW cell, has its bar: at
    # least its price span times the cathode bought per kWh (overheads on
    # materials, working capital and warranty only add to it).
    bar = table.set_index("input").loc["prussian white price [USD/kg]"]
    bought = cell_cost(design, 10.0 * GWH).cathode_mass_per_year / (10.0 * GWH / 3.6e6)
    span = (bar["high"] - bar["low"]) * bought
    assert span <= bar["swing_usd_per_kWh"] <= 1.2 * span
    bands = monte_carlo(design, 10.0 * GWH, samples=500)
    assert bands["P5"] < bands["P50"] < bands["P95"]
    base = float(cell_cost(design, 10.0 * GWH).usd_per_kwh)
    assert bands["P5"] < base < bands["P95"]


def test_labour_turns_into_price_as_in_batpac():
    # BatPaC v5 (as the Batt_Sust_Model port sums it): a dollar of direct labour
    # becomes (1 + 0.4 + 0.25 x 1.4 + 0.05 x (0.10 x 1.4 + 0.15 x 1.4)) x 1.056
    # = 1.8665 dollars of price, variable overhead, GSA, profit on launch cost
    # and working capital, and warranty included (economics.toml).
    design = load_example("pw_hc_pouch")
    a, b = (
        cell_cost(design, 10.0 * GWH, labour_rate=20.0),
        cell_cost(design, 10.0 * GWH, labour_rate=30.0),
    )
    labour_delta = float(b.breakdown.loc["direct labour", "usd_per_kWh"]) - float(
        a.breakdown.loc["direct labour", "usd_per_kWh"]
    )
    price_delta = float(b.usd_per_kwh) - float(a.usd_per_kwh)
    assert price_delta / labour_delta == pytest.approx(1.8665, rel=1e-3)


def test_bill_of_materials_is_priced_line_by_line_and_adds_to_the_subtotal():
    # A BOM roll-up a user can set beside natrium: every row's tonnes bought
    # times its price, over the plant's kWh. The cathode row must be the tonnes
    # the plant buys (the same 2,788 t/yr as natrium capacity and plant cells at
    # 1 GWh/yr, issue 9) at the library's mid price of Prussian white.
    from natrium.materials import get_active

    cost = cell_cost(load_example("pw_hc_pouch"), GWH)
    bom = {row["row"]: row for row in cost.to_dict()["bill_of_materials"]}
    cathode = bom["cathode active"]
    assert cathode["tonnes_bought_per_year"] * 1e3 == pytest.approx(
        cost.cathode_mass_per_year, rel=1e-9
    )
    price = get_active("prussian-white").price.mid
    kwh = GWH / 3.6e6
    assert cathode["usd_per_kWh"] == pytest.approx(
        cost.cathode_mass_per_year * price / kwh, rel=1e-9
    )
    assert cost.materials_usd_per_kwh == pytest.approx(
        sum(row["usd_per_kWh"] for row in bom.values()), rel=1e-12
    )


def test_lithium_scenarios_slope_is_the_lithium_bought_and_break_even_is_a_root():
    # A kWh of LFP cells holds the lithium of its LFP and LiPF6: Li2CO3 per kg
    # is 0.5 x 73.89 / 157.76 = 0.2342 for LiFePO4 and 0.5 x 73.89 / 151.9 =
    # 0.2432 for LiPF6 (CIAAW 2021 molar masses), bought with the plant's
    # scrap; BatPaC's charges on materials (launch, working capital, profit,
    # warranty) add a few per cent, never 20 %.
    from natrium.cost.sensitivity import break_even_li2co3, lithium_scenarios

    pw, lfp = load_example("pw_hc_pouch"), load_example("lfp_graphite_prismatic")
    table = lithium_scenarios(pw, lfp, [10.0, 60.0], GWH)
    assert table["sodium_usd_per_kWh"].nunique() == 1  # no lithium in PW/HC
    slope = (
        table["lithium_usd_per_kWh"].iloc[1] - table["lithium_usd_per_kWh"].iloc[0]
    ) / 50.0
    bom = {r["row"]: r for r in cell_cost(lfp, GWH).to_dict()["bill_of_materials"]}
    kwh = GWH / 3.6e6
    lipf6_per_kg_electrolyte = 1200.0 * 151.905e-3 / 1200.0  # BatPaC 1.2 M, 1.2 kg/L
    lithium = (
        (
            0.5 * 73.89 / 157.76 * bom["cathode active"]["tonnes_bought_per_year"]
            + 0.5
            * 73.89
            / 151.905
            * lipf6_per_kg_electrolyte
            * bom["electrolyte"]["tonnes_bought_per_year"]
        )
        * 1e3
        / kwh
    )  # kg Li2CO3 per kWh
    assert lithium <= slope <= 1.2 * lithium
    price = break_even_li2co3(pw, lfp, GWH)
    both = [
        float(cell_cost(d, GWH, prices=lithium_prices(d, price)).usd_per_kwh)
        for d in (pw, lfp)
    ]
    assert both[0] == pytest.approx(both[1], rel=1e-6)


def test_sodium_against_lfp_in_one_format_matches_the_market_reading():
    # Cost anchors (SMM, EnergyTrend, makers' statements, 2023-25): at 2024
    # lithium carbonate prices (75-100k RMB/t, 10.4-13.9 USD/kg at 7.2 RMB/USD)
    # a sodium-ion cell costs about 1.1-1.6x an LFP cell per kWh. Both cells in
    # the same 54 x 173 x 207 mm can, so the format does not decide it.
    from natrium.cost.sensitivity import lithium_scenarios

    table = lithium_scenarios(
        load_example("nfm_hc_prismatic"),
        load_example("lfp_graphite_prismatic"),
        [10.4, 13.9],
        10 * GWH,
    )
    assert table["ratio"].between(1.1, 1.6).all()


def test_the_large_sodium_prismatic_is_a_storage_cell_of_its_class():
    # HiNa's sodium-ion cells: 145 Wh/kg; CATL's first generation up to 160
    # Wh/kg (cells.csv, CATL2021). A layered-oxide storage cell of 100-200 Ah.
    report = evaluate(load_example("nfm_hc_prismatic"))
    assert 100 <= report.capacity / 3600 <= 200
    assert 130 <= report.energy / report.mass / 3600 <= 160


def test_scale_outside_batpac_range_warns_and_a_pilot_plant_is_refused():
    # process_steps.toml [validity]: 1-200 GWh/yr are trusted, 10-300 Ah on a
    # stacked line and 1-10 Ah on a wound cylindrical one; below 0.1 GWh/yr
    # (Natron's Meadowbrook: 600 MW x 1.5 min = 15 MWh/yr) the power law gives
    # capital near zero, so the cost is refused.
    from natrium.cost.model import scale_warnings
    from natrium.exceptions import ParameterError

    pw = load_example("pw_hc_pouch")
    assert cell_cost(pw, 10 * GWH).warnings == ()
    assert "outside 1-200 GWh/yr" in cell_cost(pw, 0.5 * GWH).warnings[0]
    assert cell_cost(load_example("nfm_hc_18650"), 10 * GWH).warnings == ()
    (stacked,) = scale_warnings(10 * GWH, 1.42 * 3600, "pouch")
    assert "1.42 Ah is outside 10-300 Ah" in stacked
    (large_can,) = scale_warnings(10 * GWH, 15 * 3600, "cylindrical")
    assert "15 Ah is outside 1-10 Ah" in large_can
    with pytest.raises(ParameterError, match=r"0.015 GWh/yr is below the 0.1"):
        cell_cost(pw, 0.015 * GWH)


# The announced plants these anchors describe make energy cells; the PW/HC
# power pouch (58 Wh, thin electrodes: 1.5x the energy pouch's electrode area
# and 3.3x its cells per kWh) has no published plant to stand beside. BatPaC,
# reproduced on its own default cell (test_batpac_baseline.py), gives its
# plant 203.5 M USD per GWh/yr, just above the band: a power cell's plant
# costs more per kWh of cells, and no figure says by how much.
# The Natron-class PBA/PBA pouch is a power cell too (25 Wh/kg: 10 GWh a
# year is 330 million cells), outside the energy plants' band for the same reason.
POWER_CELL_EXAMPLES = {"pw_hc_power_pouch", "pba_pba_power_pouch"}
ENERGY_CELL_EXAMPLES = sorted(set(example_paths()) - POWER_CELL_EXAMPLES)


@pytest.mark.parametrize("example", ENERGY_CELL_EXAMPLES)
def test_every_energy_cell_plant_costs_what_cell_plants_cost(example):
    # Cell plants cost about 50-80 M USD per GWh/yr in China and 100-150 in
    # the West (cost_anchors: Benchmark/BNEF-type figures); cylindrical plants
    # the same: Lishen 21700, 312.6 M USD for 4 GWh (78 M/GWh), EVE 297.7 M for
    # 3.5 GWh (85), LGES Arizona 3.2 bn for 27 GWh (118), Panasonic Kansas 4 bn
    # for ~30 GWh (133). Issue 11's band, 40-200 M USD per GWh/yr at 10 GWh/yr,
    # holds them with room for a small cell's extra handling.
    result = cell_cost(load_example(example), 10 * GWH)
    assert 40e6 <= result.capex_usd / 10 <= 200e6


def test_a_cylindrical_line_makes_the_cells_the_cost_model_counts():
    # One cell rate for the wound line: plant cells' lines and the cost
    # model's cell-count steps both use Panasonic Nevada's 66 cells/s on 14
    # lines (process_steps.toml [cell_handling]); the stacked rate is the
    # reference line's slowest cell-by-cell step (cell_line.toml: enclosing, 5 s
    # per cell on 3 machines).
    import tomllib

    from natrium.cost.model import handling_ratio, line_rate
    from natrium.plant import cell_plant

    assert line_rate("wound_cylindrical") == pytest.approx(66 / 14, rel=1e-3)
    line = tomllib.loads(
        (Path(natrium.__file__).parent / "plant/data/cell_line.toml").read_text()
    )
    enclosing = next(s for s in line["step"] if s["key"] == "enclosing")
    per_second = enclosing["rate"]["value"] / 60 * enclosing["machines"]["value"]
    assert line_rate("stacked") == pytest.approx(per_second, rel=1e-9)
    assert handling_ratio("cylindrical") == pytest.approx(0.6 / (66 / 14), rel=1e-3)
    # plant cells counts whole lines at that rate over a calendar year, the
    # basis of Panasonic's figure (2 billion cells a year)
    design = load_example("nmc811_graphite_21700")
    plant = cell_plant(design, 10 * GWH)
    year = 365.25 * 86400
    assert plant.lines == int(np.ceil(plant.cells_per_year / (66 / 14 * year)))
