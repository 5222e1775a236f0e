"""Rate and constant-power tables: physically ordered for every shipped set,
the low-rate limit against the OCV integral, and a published efficiency point."""

import tomllib
from pathlib import Path

import numpy as np
import pytest

import natrium.apps
from natrium.cell import compute_arrays, evaluate
from natrium.io import load_example
from natrium.materials import get_active
from natrium.sim import get_parameter_set
from natrium.sim.simulation import interval_energy, simulate
from natrium.sim.tables import constant_power_table, ragone, rate_table

UPS_DATA = Path(natrium.apps.__file__).parent / "data" / "ups.toml"


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


@pytest.fixture(scope="module")
def lfp():
    return load_example("lfp_graphite_prismatic"), get_parameter_set("lfp_graphite")


@pytest.mark.slow
def test_low_rate_energy_extrapolates_to_the_ocv_integral(lfp):
    # At vanishing current a discharge delivers the open-circuit energy down to
    # the cut-off: the integral of U_c - U_a over the charge passed, both
    # electrodes swept linearly over the windows the design states, stopped
    # where the OCV reaches the cut-off (the LFP/graphite cell's graphite tail
    # puts the last 1.5 % of its charge below 2.5 V). The test integrates the
    # OCP tables itself. The losses are linear in current at low rate (ohmic,
    # linearised kinetics, diffusion), so E(I) = E0 - a I + O(I^2): the
    # tables' C/20 and C/10 energies extrapolate linearly to E0, and the
    # quadratic extrapolation through C/5 measures the neglected O(I^2) term,
    # which sets the tolerance (twice it).
    design, pset = lfp
    table = rate_table(design, pset, (0.05, 0.1, 0.2))
    e = table["energy_Wh"].to_numpy()
    linear = 2 * e[0] - e[1]
    quadratic = (8 * e[0] - 6 * e[1] + e[2]) / 3
    a = compute_arrays(design)
    share = np.linspace(0.0, 1.0, 400_001)  # of the charge the design holds
    x_c = a["cathode_top_stoichiometry"] + share * (
        a["cathode_end_stoichiometry"] - a["cathode_top_stoichiometry"]
    )
    x_a = a["anode_top_stoichiometry"] + share * (
        a["anode_end_stoichiometry"] - a["anode_top_stoichiometry"]
    )
    ocv = get_active("lfp").ocp(x_c) - get_active("graphite").ocp(x_a)
    above = ocv >= pset.lower_voltage_cutoff
    charge_wh = float(a["capacity"]) / 3600.0  # [Ah], so V x Ah = Wh
    e_ocv = np.trapezoid(ocv[above], share[above]) * charge_wh
    assert linear == pytest.approx(e_ocv, abs=2 * abs(quadratic - linear))
    assert e[0] < e_ocv  # and no finite rate beats it


@pytest.mark.slow
def test_lfp_energy_efficiency_at_half_p_against_eve_lf280k(lfp):
    # EVE LF280K (280 Ah LFP, a cell of the class of the LFP example): energy
    # efficiency ">= 93.5 %" at 0.5P, 25 C, between 3.65 V and 2.5 V
    # (EVELF280KSpec, apps/data/ups.toml). 0.5P is half the cell's nominal
    # energy per hour (EVE: 448 W = 0.5 x 280 Ah x 3.2 V); here the example's
    # own nominal energy. Charge and discharge at that constant power between
    # the same limits, resting an hour between, energy out over energy in.
    # The datasheet states a minimum, so the check is one-sided; natrium's LFP
    # has no OCV hysteresis (~20 mV in real LFP), which only raises it.
    ups = tomllib.loads(UPS_DATA.read_text(encoding="utf-8"))
    ref = ups["lfp_reference"]["eve_lf280k"]
    half_p = 0.5 * evaluate(lfp[0]).metrics["energy_Wh"]  # [W]
    v_max = ups["dc_bus"]["lfp_cell_voltage_max"]["value"]  # EVE: 3.65 V
    v_min = ref["end_voltage"]["value"]  # EVE: 2.5 V
    run = simulate(
        *lfp,
        [
            f"Discharge at {half_p:.6g} W until {v_min:g} V",
            "Rest for 1 hour",
            f"Charge at {half_p:.6g} W until {v_max:g} V",
            "Rest for 1 hour",
            f"Discharge at {half_p:.6g} W until {v_min:g} V",
        ],
    )
    d = run.data
    steps = interval_energy(d["time_s"], d["voltage_V"], d["current_A"])
    charged = -steps[steps < 0].sum()
    last_charge = np.nonzero(d["current_A"].to_numpy() < 0)[0].max()
    delivered = steps[last_charge:][steps[last_charge:] > 0].sum()
    assert delivered / charged >= ref["energy_efficiency"]["value"]
