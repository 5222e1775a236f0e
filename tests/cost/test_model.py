"""Bottom-up cell cost: conservation, scaling, monotonicity, sensitivities."""

import numpy as np
import pytest

from natrium.cost import cell_cost, default_prices
from natrium.cost.model import process_steps
from natrium.cost.sensitivity import lithium_prices, monte_carlo, tornado
from natrium.io import load_example

EXAMPLES = ["pw_hc_pouch", "lfp_graphite_prismatic", "nmc811_graphite_21700"]


@pytest.mark.parametrize("example", EXAMPLES)
def test_breakdown_sums_to_the_total(example):
    c = cell_cost(load_example(example), 10.0)
    total = sum(float(v) for v in c.breakdown["usd_per_kWh"])
    assert total == pytest.approx(float(c.usd_per_kwh), rel=1e-12)  # issue asks 0.1 %
    yearly = sum(float(v) for v in c.breakdown["usd_per_year"])
    assert yearly / (10.0 * 1e6) == pytest.approx(float(c.usd_per_kwh), rel=1e-12)


def test_steps_scale_with_their_exponents():
    # Doubling the plant doubles every driver, so each step's capital, labour and
    # area grow by 2^p with the step's own exponent (cost/data/process_steps.toml).
    design = load_example("lfp_graphite_prismatic")
    small, large = cell_cost(design, 5.0).steps, cell_cost(design, 10.0).steps
    for step in process_steps():
        if small.loc[step.key, "capital_usd"] == 0:
            continue
        ratio = large.loc[step.key, "capital_usd"] / small.loc[step.key, "capital_usd"]
        assert ratio == pytest.approx(2.0**step.capital_exponent, rel=1e-9), step.key
        labour = (
            large.loc[step.key, "labour_h_per_yr"]
            / small.loc[step.key, "labour_h_per_yr"]
        )
        assert labour == pytest.approx(2.0**step.labour_exponent, rel=1e-9), step.key


def test_bigger_plants_make_cheaper_cells():
    design = load_example("pw_hc_pouch")
    costs = [float(cell_cost(design, g).usd_per_kwh) for g in (0.5, 2, 10, 50)]
    assert np.all(np.diff(costs) < 0)


@pytest.mark.parametrize(
    "row",
    ["cathode active", "anode active", "electrolyte", "separator", "cathode foil"],
)
def test_a_cheaper_input_never_gives_a_dearer_cell(row):
    design = load_example("pw_hc_pouch")
    base = default_prices(design)[row]
    prices = np.linspace(0.5, 1.5, 7) * base
    cost = cell_cost(design, 10.0, prices={row: prices}).usd_per_kwh
    assert np.all(np.diff(cost) > 0)


def test_cheaper_labour_energy_and_better_yield_never_cost_more():
    design = load_example("pw_hc_pouch")
    base = float(cell_cost(design, 10.0).usd_per_kwh)
    assert float(cell_cost(design, 10.0, labour_rate=8.0).usd_per_kwh) < base
    assert float(cell_cost(design, 10.0, electricity_price=0.04).usd_per_kwh) < base
    assert float(cell_cost(design, 10.0, cell_yield=0.99).usd_per_kwh) < base


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
    table = tornado(design, 10.0)
    assert table["swing_usd_per_kWh"].is_monotonic_decreasing
    assert "hard carbon price [USD/kg]" in set(table["input"])
    bands = monte_carlo(design, 10.0, samples=500)
    assert bands["P5"] < bands["P50"] < bands["P95"]
    base = float(cell_cost(design, 10.0).usd_per_kwh)
    assert bands["P5"] < base < bands["P95"]


def test_labour_turns_into_price_as_in_batpac():
    # BatPaC v5 (as the Batt_Sust_Model port sums it): a dollar of direct labour
    # becomes (1 + 0.4 + 0.25 x 1.4 + 0.05 x (0.10 x 1.4 + 0.15 x 1.4)) x 1.056
    # = 1.8665 dollars of price, variable overhead, GSA, profit on launch cost
    # and working capital, and warranty included (economics.toml).
    design = load_example("pw_hc_pouch")
    a, b = (
        cell_cost(design, 10.0, labour_rate=20.0),
        cell_cost(design, 10.0, labour_rate=30.0),
    )
    labour_delta = float(b.breakdown.loc["direct labour", "usd_per_kWh"]) - float(
        a.breakdown.loc["direct labour", "usd_per_kWh"]
    )
    price_delta = float(b.usd_per_kwh) - float(a.usd_per_kwh)
    assert price_delta / labour_delta == pytest.approx(1.8665, rel=1e-3)
