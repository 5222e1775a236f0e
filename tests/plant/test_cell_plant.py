"""Cell and cathode plants: the seed's two factories, runnable with numbers."""

import numpy as np
import pytest

from natrium import ParameterError
from natrium.cell import evaluate
from natrium.io import load_example
from natrium.plant.cathode_plant import ferrum
from natrium.plant.cell_plant import (
    cell_plant,
    energy_from_power,
    runtime_table,
    scrap_curve,
)


def test_meadowbrook_energy_is_power_times_runtime():
    # Uptime Institute: 600 MW a year at 1.5 min of rated power is about 15 MWh.
    assert float(energy_from_power(600.0, runtime_min=1.5)) == pytest.approx(15.0)
    # and by C-rate: 600 MW at 40C is 15 MWh
    assert float(energy_from_power(600.0, c_rate=40.0)) == pytest.approx(15.0)


def test_meadowbrook_runtimes_from_1_to_15_minutes():
    design = load_example("pw_hc_power_pouch")
    table = runtime_table(design, 600.0, (1, 2, 5, 10, 15))
    assert list(table["mwh_per_year"]) == pytest.approx([10, 20, 50, 100, 150])
    # Tonnes follow the bill of materials over the steady-state scrap.
    kg_per_kwh = evaluate(design).materials_per_kwh["prussian-white"]
    steady = float(scrap_curve(np.inf))
    assert table.loc[15.0, "cathode_tonnes_per_year"] == pytest.approx(
        150e3 * kg_per_kwh / (1 - steady) / 1e3, rel=1e-9
    )


def test_cells_a_year_follow_the_cell_energy():
    design = load_example("pw_hc_power_pouch")
    plant = cell_plant(design, 15.0)
    wh = evaluate(design).metrics["energy_Wh"]
    assert plant.cells_per_year == pytest.approx(15e6 / wh, rel=1e-12)
    assert plant.lines == 1
    assert plant.energy_kwh_per_kwh == (10.6, 23.0)  # Degen et al. 2023, post-Li-ion


def test_scrap_falls_to_its_steady_state():
    # Porsche Consulting 2025: >30 % at start, 5-12 % steady; Fraunhofer FFB:
    # about 10 % after five years.
    curve = scrap_curve(np.array([0.0, 1.0, 5.0, 50.0]))
    assert curve[0] == pytest.approx(0.30)
    assert 0.08 < curve[2] < 0.10
    assert curve[3] == pytest.approx(0.08, abs=1e-6)
    assert np.all(np.diff(curve) < 0)


def test_ferrum_ideal_and_realistic():
    plant = ferrum(load_example("pw_hc_pouch"))
    d = plant.to_dict()
    assert d["tonnes_per_year"] == 2000
    assert d["announced_gwh_per_year"] == 1.0
    assert d["gwh_per_year_ideal"] == pytest.approx(1.0, rel=0.10)
    assert d["gwh_per_year_low"] < d["gwh_per_year_high"] < d["gwh_per_year_ideal"]


def test_power_plant_needs_a_runtime():
    with pytest.raises(ParameterError, match="give exactly one of runtime_min"):
        energy_from_power(600.0)
    with pytest.raises(ParameterError, match=r"runtime_min = 0 is outside \(0, inf\)"):
        energy_from_power(600.0, runtime_min=0.0)
