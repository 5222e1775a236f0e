"""One question, one answer: every module that asks how a plant runs gets the
same cathode tonnage, plant energy, yields, line count and operating hours."""

import numpy as np
import pytest

from natrium import Chain, OptionError
from natrium.cost import cell_cost
from natrium.cost.manufacturing import manufacturing
from natrium.io import load_example
from natrium.plant import cathode_for_energy, cell_plant
from natrium.plant.des import simulate_line
from natrium.plant.line import load_line, static_throughput

GWH = 3.6e12  # [J]
EXAMPLES = [
    "pw_hc_pouch",
    "pw_hc_power_pouch",
    "nfm_hc_18650",
    "lfp_graphite_prismatic",
]


@pytest.mark.parametrize("example", EXAMPLES)
def test_cathode_bought_is_one_figure(example):
    design = load_example(example)
    tonnage = float(cathode_for_energy(GWH, design).cathode_mass)
    plant = cell_plant(design, GWH).cathode_mass_per_year
    priced = cell_cost(design, GWH).cathode_mass_per_year
    assert plant == pytest.approx(tonnage, rel=1e-12)
    assert priced == pytest.approx(tonnage, rel=1e-12)


@pytest.mark.parametrize("example", EXAMPLES)
def test_plant_energy_is_one_figure_per_family(example):
    design = load_example(example)
    plant = cell_plant(design, GWH)
    cost = cell_cost(design, GWH)
    assert plant.plant_energy_intensity == cost.plant_energy_intensity
    assert float(cost.steps["energy_kWh_per_kWh"].sum()) == pytest.approx(
        cost.plant_energy_intensity
    )
    low, high = manufacturing().energy_intensity(design.chemistry)
    assert plant.plant_energy_intensity == pytest.approx(0.5 * (low + high))


def test_line_des_and_cost_share_yields_and_hours():
    m = manufacturing()
    line = load_line()
    for step in line.steps:
        assert step.yield_fraction == m.step_yield(step.key), step.key
    # the line's operating hours are the plant's, and so are the cost model's
    # staff hours: a direct worker works one shift on each operating day
    assert line.hours_per_year * 3600.0 == pytest.approx(m.operating_time)
    cost = cell_cost(load_example("pw_hc_pouch"), GWH)
    labour = float(cost.steps["labour_h_per_yr"].sum())
    assert cost.staff == pytest.approx(labour / (320 * 8))  # BatPaC: 320 d, 8 h
    # the line's good-cell yield is the manufacturing model's cell chain
    electrode_then_cell = float(np.prod([s.yield_fraction for s in line.steps]))
    assert electrode_then_cell == pytest.approx(1 - m.steady_scrap, rel=1e-12)
    # the discrete-event model scales its window to the same operating year
    result = simulate_line(line, hours=50, failures=False, random_scrap=False)
    assert result.good_cells_per_year == pytest.approx(
        result.good_cells * m.operating_time / 3600.0 / 50
    )


def test_cell_plant_lines_are_the_line_models():
    design = load_example("pw_hc_pouch")
    plant = cell_plant(design, 10 * GWH)
    line = load_line(design=design)
    per_line = static_throughput(line) * line.cell_energy
    assert plant.line_output == pytest.approx(per_line)
    assert plant.lines == int(np.ceil(10 * GWH / per_line))


def test_chain_steps_agree_with_the_functions_they_call():
    chain = Chain.from_example("pw_hc_pouch")
    assert chain.cost(GWH).cathode_mass_per_year == pytest.approx(
        chain.cathode_for_energy(GWH).cathode_mass
    )
    assert chain.cell_plant(GWH).capex_usd == chain.cost(GWH).capex_usd


def test_families_without_data_are_refused_not_substituted():
    # apps.ev once sized an NMC cell with the LFP pack ratio and cost adder.
    nmc = load_example("nmc811_graphite_21700")
    assert nmc.chemistry == "li-nmc"
    from natrium.apps.ev import size_pack

    with pytest.raises(OptionError, match="no data for the chemistry family 'li-nmc'"):
        size_pack(nmc, 300.0)
    from natrium.apps.ups import Duty, size_cell

    with pytest.raises(OptionError, match=r"UPS sizing has no data .* 'li-nmc'"):
        size_cell(Duty.default(1e6, 300.0), nmc, None)
