"""Rate and constant-power tables: physically ordered for every shipped set."""

import numpy as np
import pytest

from natrium.sim.tables import constant_power_table, ragone, rate_table


@pytest.mark.slow
@pytest.mark.parametrize(
    "name", ["chayambuka2022", "chayambuka2022_calibrated", "nfm_hc", "pw_hc"]
)
def test_rate_table_never_gives_more_at_higher_rate(name, cell_for):
    design, pset = cell_for(name)
    table = rate_table(design, pset)
    assert np.all(np.diff(table["capacity_Ah"]) <= 1e-12)
    assert np.all(np.diff(table["energy_Wh"]) <= 1e-12)
    assert table["capacity_fraction"].iloc[0] <= 1.0 + 1e-9


@pytest.mark.slow
@pytest.mark.parametrize(
    "name", ["chayambuka2022", "chayambuka2022_calibrated", "nfm_hc", "pw_hc"]
)
def test_constant_power_falls_as_runtime_grows(name, cell_for):
    design, pset = cell_for(name)
    table = constant_power_table(design, pset)
    assert list(table.index) == [1, 2, 5, 10, 15, 30, 60]
    power = table["power_W"].to_numpy()
    assert np.all(np.diff(power) <= 0)
    assert power[-1] < power[0]
    # Each row lasts at least its runtime (longer where the cell's power is
    # capped, as for an electrolyte-limited cell at short runtimes).
    lasted = table["runtime_at_power_min"].to_numpy()
    assert np.all(lasted >= table.index.to_numpy() * (1 - 1e-9))
    # Energy is power x the time it lasted.
    assert np.allclose(table["energy_Wh"], power * lasted / 60, rtol=1e-3)


@pytest.mark.slow
def test_aged_cells_give_less_power(chayambuka):
    design, pset = chayambuka
    new = constant_power_table(design, pset, (5.0,))
    aged = constant_power_table(design, pset, (5.0,), state_of_health=0.8)
    assert aged["power_W"].iloc[0] < new["power_W"].iloc[0]


@pytest.mark.slow
def test_ragone_trades_energy_for_power(chayambuka):
    design, pset = chayambuka
    curve = ragone(design, pset, (1, 10, 60))
    assert np.all(np.diff(curve["W_per_kg"]) < 0)
    assert np.all(np.diff(curve["Wh_per_kg"]) > 0)
