"""Cell and cathode plants: the seed's two factories, runnable with numbers."""

import numpy as np
import pytest

from natrium import ParameterError
from natrium.cell import evaluate
from natrium.io import load_example
from natrium.plant import ferrum
from natrium.plant.cell_plant import (
    cell_plant,
    energy_from_power,
    meadowbrook_output,
    runtime_table,
)

MWH = 3.6e9  # [J]


def test_meadowbrook_energy_is_power_times_runtime():
    # Uptime Institute: 600 MW a year at 1.5 min of rated power is about 15 MWh.
    assert meadowbrook_output() == pytest.approx(600e6 * 90.0)
    assert meadowbrook_output() / MWH == pytest.approx(15.0)
    # and by C-rate: 600 MW at 40C (40 per hour) is 15 MWh
    assert float(energy_from_power(600e6, c_rate=40.0 / 3600.0)) / MWH == (
        pytest.approx(15.0)
    )


def test_meadowbrook_runtimes_from_1_to_15_minutes():
    design = load_example("pw_hc_power_pouch")
    table = runtime_table(design, 600e6, np.array([1, 2, 5, 10, 15]) * 60.0)
    # 600 MW x t: 10 MWh a minute
    assert list(table["mwh_per_year"]) == pytest.approx([10, 20, 50, 100, 150])
    # every row is the cell plant's own figure for that output
    plant = cell_plant(design, 150 * MWH)
    assert table.loc[15.0, "cathode_tonnes_per_year"] == pytest.approx(
        plant.cathode_mass_per_year / 1e3, rel=1e-12
    )


def test_cells_a_year_follow_the_cell_energy():
    design = load_example("pw_hc_power_pouch")
    plant = cell_plant(design, 15 * MWH)
    wh = evaluate(design).metrics["energy_Wh"]
    assert plant.cells_per_year == pytest.approx(15e6 / wh, rel=1e-12)
    assert plant.lines == 1


def test_reference_line_is_a_gigawatt_hour_line():
    # natrium's reference pouch line makes about 1 GWh a year of the PW pouch;
    # a large-format line today makes 2.7 GWh a year (Panasonic Nevada, 35 GWh
    # on 13 lines). A smaller sodium-ion line lies within a factor of three.
    plant = cell_plant(load_example("pw_hc_pouch"), 10 * 3.6e12)
    assert 2.7 / 3 < plant.line_output / 3.6e12 < 2.7
    assert plant.lines == int(np.ceil(10 * 3.6e12 / plant.line_output))


def test_ferrum_ideal_and_realistic():
    plant = ferrum(load_example("pw_hc_pouch"))
    d = plant.to_dict()
    assert d["cathode_tonnes_per_year"] == 2000
    assert d["announced_gwh_per_year"] == 1.0
    assert d["floor_area_m2"] == 1800
    assert d["gwh_per_year_ideal"] == pytest.approx(1.0, rel=0.10)
    assert d["gwh_per_year_low"] < d["gwh_per_year"] < d["gwh_per_year_high"]


def test_power_plant_needs_a_runtime():
    with pytest.raises(ParameterError, match="give exactly one of runtime"):
        energy_from_power(600e6)
    with pytest.raises(ParameterError, match=r"runtime = 0 is outside \(0, inf\)"):
        energy_from_power(600e6, runtime=0.0)
