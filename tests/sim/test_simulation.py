"""simulate(): tidy results, conditions, and errors that keep what was computed."""

import numpy as np
import pandas as pd
import pytest

from natrium import NatriumError
from natrium.cell import compute_arrays, evaluate
from natrium.io import load_example
from natrium.materials import get_active
from natrium.sim.simulation import SimulationError, simulate, time_series_step
from natrium.sim.thermal import cell_heat_capacity

COLUMNS = [
    "time_s",
    "voltage_V",
    "current_A",
    "power_W",
    "discharge_capacity_Ah",
    "discharge_energy_Wh",
    "temperature_K",
    "step",  # the experiment step, from 0
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
    # The columns' units, by Faraday's law and the definition of the C-rate:
    # 1C is the cell's capacity (the bill of materials') in one hour, and the
    # charge passed is current x time, so the capacity column in Ah must equal
    # I [A] x t [s] / 3600 s/h at the end of the constant-current step.
    discharging = r.data[r.data["current_A"] > 0]
    one_c = evaluate(design).metrics["capacity_Ah"]  # [A] for one hour
    assert discharging["current_A"].to_numpy() == pytest.approx(one_c, rel=1e-9)
    seconds = discharging["time_s"].iloc[-1] - r.data["time_s"].iloc[0]
    assert r.summary["discharge_capacity_Ah"] == pytest.approx(
        one_c * seconds / 3600.0, rel=1e-6
    )
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


def test_lumped_thermal_rise_is_the_energy_balance(cell_for):
    # First law for the lumped cell, with no entropic heat (natrium's OCPs carry
    # none): C dT/dt = (U_ocv - V) I - h A (T - T_amb). Over 10 minutes at 1C
    # from full, the test computes the heat from the OCP tables (the open-circuit
    # voltage at each discharged charge, both electrodes swept linearly over the
    # windows the design states), the convection from h = 10 W m-2 K-1 (free
    # convection in still air, Incropera 2007, as thermal.toml) and the pouch's
    # outer area by hand, and divides by the heat capacity natrium reports.
    design, pset = cell_for("pw_hc")
    r = simulate(
        design,
        pset,
        ["Discharge at 1C for 10 minutes", "Rest for 2 hours"],
        thermal="lumped",
        period="5 seconds",
    )
    on = r.data["current_A"].to_numpy() > 0
    end = np.nonzero(on)[0].max()
    run, rest = r.data.iloc[: end + 1], r.data.iloc[end + 1 :]
    a = compute_arrays(design)
    q = run["discharge_capacity_Ah"].to_numpy() * 3600.0 / float(a["capacity"])
    x_c = a["cathode_top_stoichiometry"] + q * (
        a["cathode_end_stoichiometry"] - a["cathode_top_stoichiometry"]
    )
    x_a = a["anode_top_stoichiometry"] + q * (
        a["anode_end_stoichiometry"] - a["anode_top_stoichiometry"]
    )
    ocv = get_active("prussian-white").ocp(x_c) - get_active("hard-carbon").ocp(x_a)
    t, v, i, temp = (
        run[k].to_numpy() for k in ("time_s", "voltage_V", "current_A", "temperature_K")
    )
    p = design.parameters()
    seal = 2 * (p["cell.anode_overhang"] + p["cell.separator_overhang"])
    width = p["geometry.electrode_width"] + seal + 2 * p["geometry.seal_width_side"]
    height = (
        p["geometry.electrode_height"]
        + seal
        + p["geometry.seal_width_side"]
        + p["geometry.seal_width_top"]
        + p["geometry.tab_headroom"]
    )
    thick = float(a["external_volume"]) / (width * height)
    area = 2 * (width * height + thick * (width + height))
    heat = np.trapezoid((ocv - v) * i, t)
    cooled = np.trapezoid(10.0 * area * (temp - temp[0]), t)
    balance = (heat - cooled) / cell_heat_capacity(design)
    rise = temp[-1] - temp[0]
    # PyBaMM's heat source leaves out the heat of mixing: the energy held in
    # the concentration gradients (the particles' (U_bulk - U_surface) I, and
    # the electrolyte's), which the bulk OCV above counts as heat. So the
    # simulated rise is at most the balance, and at least the balance less
    # that term. The term is bounded by the slow
    # (diffusion) part of the voltage's relaxation in the rest that follows
    # (solid and electrolyte): under a constant current from a uniform state
    # the gradients' overpotential grows monotonically to that value, so the
    # term is at most the relaxation x the charge passed.
    slow = rest["voltage_V"].iloc[-1] - rest["voltage_V"].iloc[0]
    charge = run["discharge_capacity_Ah"].iloc[-1] * 3600.0
    mixing = slow * charge / cell_heat_capacity(design)
    assert balance - mixing <= rise <= balance * (1 + 1e-3)
    # and after two hours the cell rests at the open-circuit voltage of the
    # tables at that charge, to within 5 % of the slow relaxation (a diffusion
    # tail decaying as t^-1/2 that moved 0.3 % of it in the last hour leaves
    # under 1 %).
    assert rest["voltage_V"].iloc[-1] == pytest.approx(ocv[-1], abs=0.05 * slow)


# Published specific heat of whole lithium-ion cells: 800-1100 J kg-1 K-1
# (batterydesign.net, "Specific heat capacity of lithium ion cells", a
# compilation of calorimetry: NCA 830, NMC 1040 +- 34, LFP 1130 J kg-1 K-1 at
# 30-40 C and 50 % SoC; the primary measurements it cites, such as Maleki et
# al., J. Electrochem. Soc. 146 (1999) 947, were not read here). No
# measurement on a sodium-ion cell was found; their parts (carbonate
# electrolyte, aluminium foils, carbon anode, polymer separator, laminate or
# can) are those of lithium-ion cells, so the same band is used. The NMC811
# and graphite coatings use O'Regan 2022's measured heat capacities
# (thermal.toml); with the model value of 700 J/kg/K the NMC 21700 gave 768.
@pytest.mark.parametrize(
    "example",
    [
        "pw_hc_pouch",
        "nfm_hc_18650",
        "nfm_hc_prismatic",
        "pw_hc_power_pouch",
        "lfp_graphite_prismatic",
        "lfp_graphite_26650_power",
        "nmc811_graphite_21700",
    ],
)
def test_lumped_heat_capacity_per_kg_is_a_cell_specific_heat(example):
    design = load_example(example)
    per_kg = cell_heat_capacity(design) / evaluate(design).metrics["mass_kg"]
    assert 800.0 <= per_kg <= 1100.0


def test_state_of_health_is_lost_sodium(chayambuka):
    design, pset = chayambuka
    new = simulate(design, pset, "Discharge at 0.1C until 2.0 V")
    aged = simulate(design, pset, "Discharge at 0.1C until 2.0 V", state_of_health=0.8)
    ratio = aged.summary["discharge_capacity_Ah"] / new.summary["discharge_capacity_Ah"]
    assert ratio == pytest.approx(0.8, abs=0.03)


# CATL's first sodium-ion cells (2021, Prussian white and layered-oxide
# cathodes on hard carbon) keep "more than 90 %" of their capacity at -20 C
# (cells.csv, CATL2021; the rate was not stated, 0.2C is taken, the rate
# sodium-ion datasheets rate capacity at, e.g. TOB's). A lower bound, so the
# check is one-sided: the simulated -20 C capacity over the 25 C one at 0.2C.
@pytest.mark.parametrize("name", ["nfm_hc", "pw_hc"])
def test_cold_capacity_against_catl_at_minus_20c(name, cell_for):
    design, pset = cell_for(name)
    step = f"Discharge at 0.2C until {pset.lower_voltage_cutoff} V"
    warm = simulate(design, pset, step)
    cold = simulate(design, pset, step, temperature=253.15)
    retained = (
        cold.summary["discharge_capacity_Ah"] / warm.summary["discharge_capacity_Ah"]
    )
    assert retained > 0.90


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
    with pytest.raises(
        NatriumError, match=r"experiment step 'Discharge quickly please'"
    ):
        simulate(design, pset, "Discharge quickly please")
