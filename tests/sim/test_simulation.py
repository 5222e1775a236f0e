"""simulate(): tidy results, conditions, and errors that keep what was computed."""

import pandas as pd
import pytest

from natrium import NatriumError
from natrium.sim.simulation import SimulationError, simulate, time_series_step

COLUMNS = [
    "time_s",
    "voltage_V",
    "current_A",
    "power_W",
    "discharge_capacity_Ah",
    "discharge_energy_Wh",
    "temperature_K",
]


def test_result_is_a_tidy_table(chayambuka, tmp_path):
    design, pset = chayambuka
    r = simulate(design, pset, ["Discharge at 1C until 2.0 V", "Rest for 10 minutes"])
    assert list(r.data.columns) == COLUMNS
    for key in (
        "discharge_capacity_Ah",
        "discharge_energy_Wh",
        "mean_voltage_V",
        "duration_s",
        "termination",
    ):
        assert key in r.summary
    # Energy is the integral of power: mean voltage lies inside the curve.
    assert 2.0 < r.summary["mean_voltage_V"] < r.data["voltage_V"].max()
    back = pd.read_csv(r.to_csv(tmp_path / "run.csv"))
    assert len(back) == len(r.data)
    assert len(pd.read_parquet(r.to_parquet(tmp_path / "run.parquet"))) == len(r.data)


def test_constant_power_holds_the_power(chayambuka):
    design, pset = chayambuka
    r = simulate(design, pset, "Discharge at 0.005 W until 2.0 V")
    # held to the solver's tolerance
    assert r.data["power_W"].iloc[1:].to_numpy() == pytest.approx(0.005, rel=1e-4)


def test_power_time_series(chayambuka):
    design, pset = chayambuka
    step = time_series_step([0, 600, 1200], [0.002, 0.006, 0.002], kind="power")
    r = simulate(design, pset, [step])
    assert r.summary["duration_s"] == pytest.approx(1200, rel=1e-6)


def test_lumped_thermal_warms_the_cell(chayambuka):
    design, pset = chayambuka
    r = simulate(design, pset, "Discharge at 1C until 2.0 V", thermal="lumped")
    assert r.summary["max_temperature_K"] > 298.15


def test_state_of_health_is_lost_sodium(chayambuka):
    design, pset = chayambuka
    new = simulate(design, pset, "Discharge at 0.1C until 2.0 V")
    aged = simulate(design, pset, "Discharge at 0.1C until 2.0 V", state_of_health=0.8)
    ratio = aged.summary["discharge_capacity_Ah"] / new.summary["discharge_capacity_Ah"]
    assert ratio == pytest.approx(0.8, abs=0.03)


def test_cold_cells_give_less(cell_for):
    # The pw_hc set carries Arrhenius energies (assumed, see its README).
    design, pset = cell_for("pw_hc")
    step = "Discharge at 0.5C until 1.5 V"
    warm = simulate(design, pset, step)
    cold = simulate(design, pset, step, temperature=273.15)
    assert cold.summary["discharge_capacity_Ah"] < warm.summary["discharge_capacity_Ah"]


def test_cutoff_above_the_ocv_is_refused_before_solving(chayambuka):
    design, pset = chayambuka
    # the published cell starts at an open-circuit voltage of about 4.16 V
    with pytest.raises(SimulationError, match=r"cut-off 4\.2 V is at or above"):
        simulate(design, pset, "Discharge at 1C until 4.2 V")
    # just below it (OCV 4.144 V) the resistance drop reaches the cut-off at once
    with pytest.raises(SimulationError, match="reached its limit at once"):
        simulate(design, pset, "Discharge at 1C until 4.14 V")


def test_an_impossible_rate_keeps_what_was_computed(chayambuka):
    design, pset = chayambuka
    with pytest.raises(SimulationError) as info:
        simulate(
            design,
            pset,
            ["Discharge at 0.5C for 10 minutes", "Discharge at 100C until 2.0 V"],
        )
    partial = info.value.partial
    assert partial is not None
    # the first step's 10 minutes at C/2 were kept
    assert partial.data["time_s"].max() >= 600 - 1
    assert isinstance(info.value, NatriumError)


def test_unknown_model_and_experiment(chayambuka):
    design, pset = chayambuka
    with pytest.raises(NatriumError, match="unknown model 'P2D'"):
        simulate(design, pset, "Discharge at 1C until 2.0 V", model="P2D")
    with pytest.raises(NatriumError, match="cannot read experiment"):
        simulate(design, pset, "Discharge quickly please")
