"""Model fidelities against each other and against the bill of materials."""

import dataclasses
import warnings

import numpy as np
import pytest

from natrium.sim import to_pybamm
from natrium.sim.simulation import limiting_current, simulate


def _curves(design, pset, c_rate, models=("DFN", "SPMe", "SPM")):
    step = f"Discharge at {c_rate}C until {design.voltage_window[0]:g} V"
    # Evenly sampled output: the solver's own steps are too sparse across an
    # OCP step to compare curves by interpolation.
    period = f"{3600 / c_rate / 2000:g} seconds"
    return {m: simulate(design, pset, step, model=m, period=period) for m in models}


def _shift_tolerant_gap(q, v, q_ref, v_ref, shift):
    """Worst voltage gap [V] when each point may slide by up to ``shift`` [Ah].

    At a sharp OCP step (NVPF between its plateaus, Prussian white between its
    two iron couples) a capacity offset of a few hundredths of a percent makes
    hundreds of millivolts at equal capacity; allowing the curves to slide by a
    small capacity measures how far apart they are, not where the step falls.
    """
    grid = np.linspace(shift, q_ref[-1] * 0.98, 1500)
    offsets = np.linspace(-shift, shift, 41)
    candidates = np.abs(
        np.interp(grid[:, None] + offsets[None, :], q, v)
        - np.interp(grid, q_ref, v_ref)[:, None]
    )
    return candidates.min(axis=1).max()


@pytest.mark.slow
@pytest.mark.parametrize("name", ["chayambuka2022", "pw_hc"])
def test_models_agree_at_c20(name, cell_for):
    # Issue 3: SPM, SPMe and DFN agree within 10 mV at C/20: over 98 % of the
    # discharge, each point within 10 mV when it may slide by 0.5 % of the
    # capacity; the mean voltages within 10 mV; the capacities within 1 %.
    design, pset = cell_for(name)
    runs = _curves(design, pset, 0.05)
    dfn = runs["DFN"].data
    q_ref = dfn["discharge_capacity_Ah"].to_numpy()
    v_ref = dfn["voltage_V"].to_numpy()
    for model in ("SPMe", "SPM"):
        d = runs[model].data
        gap = _shift_tolerant_gap(
            d["discharge_capacity_Ah"].to_numpy(),
            d["voltage_V"].to_numpy(),
            q_ref,
            v_ref,
            0.005 * q_ref[-1],
        )
        assert gap < 10e-3, model
        mean_gap = (
            runs[model].summary["mean_voltage_V"]
            - runs["DFN"].summary["mean_voltage_V"]
        )
        assert abs(mean_gap) < 10e-3, model
        assert d["discharge_capacity_Ah"].iloc[-1] == pytest.approx(q_ref[-1], rel=0.01)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["pw_hc", "nfm_hc"])
def test_c20_capacity_matches_the_bill_of_materials(name, cell_for):
    # Issue 3: at C/20 the simulated capacity is within 2 % of natrium.cell's.
    # The electrodes' own capacity, under a window wider than they reach: the
    # bridge and the balance agree. (In the datasheet window the cut-off lies on
    # the cells' tails, where overpotential ends a discharge early: the NFM
    # 18650 gives 1.330 Ah at C/20 to 1.8 V against its 1.376 Ah open-circuit
    # window capacity, -3.3 %, and TOB rates its class 1.3 Ah at 0.2C;
    # tests/sim/test_bridge.py checks the window's cut-offs.)
    design, pset = cell_for(name)
    design = dataclasses.replace(
        design, cell={**design.cell, "voltage_min": 1.0, "voltage_max": 4.5}
    )
    bom = to_pybamm(design, pset).capacity_Ah
    run = simulate(design, pset, "Discharge at 0.05C until 1.0 V")
    assert run.summary["discharge_capacity_Ah"] == pytest.approx(bom, rel=0.02)


@pytest.mark.slow
def test_spme_fails_at_2c_and_natrium_says_so(chayambuka):
    # At 2C the current is about twice the cell's electrolyte limiting current
    # (I_lim below, Newman and Thomas-Alyea 2004): no steady salt profile
    # exists, which SPMe's linearised electrolyte cannot represent, so natrium
    # warns. What can be derived is that the warning is earned: SPMe must
    # miss the DFN by more than the 1 % capacity agreement required where it is
    # in range (issue 3, test_models_agree_at_c20), and the current must be
    # above the limit the warning is set at (model_validity.toml: 0.8 I_lim).
    design, pset = chayambuka
    step = "Discharge at 2C until 2.0 V"
    bridge = to_pybamm(design, pset)
    assert 2.0 * bridge.capacity_Ah > 0.8 * limiting_current(bridge)
    dfn = simulate(design, pset, step, model="DFN")
    with pytest.warns(UserWarning, match="SPMe is outside its range"):
        spme = simulate(design, pset, step, model="SPMe")
    ratio = spme.summary["discharge_capacity_Ah"] / dfn.summary["discharge_capacity_Ah"]
    assert abs(ratio - 1.0) > 0.01
    # Regression guard, not a derived value: with PyBaMM 26.10.1.1 the ratio
    # is 0.74 (SPMe 26 % short, as model_validity.toml records). No theory
    # gives the size of SPMe's error beyond its range; the band only flags a
    # change in PyBaMM's SPMe or in natrium's bridge at this operating point.
    assert 0.65 < ratio < 0.85
    assert spme.warnings


def test_no_warning_inside_the_range(chayambuka):
    design, pset = chayambuka
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning natrium raises fails the test
        result = simulate(design, pset, "Discharge at 0.05C until 2.0 V", model="SPMe")
    assert result.warnings == ()


def test_limiting_current_formula(chayambuka):
    # I_lim = 2 F D_eff c0 A / ((1 - t+) L), hand-computed from the Chayambuka
    # values: D(1 M) = 2.49e-11 m2/s (table), porosities 0.51 / 0.55 / 0.23 with
    # Bruggeman 1.5, thicknesses 64 / 25 / 68 um, t+ = 0.45, A = 2.54 cm2.
    design, pset = chayambuka
    bridge = to_pybamm(design, pset)
    d0 = np.interp(
        1000.0, pset.electrolyte.diffusivity.x, pset.electrolyte.diffusivity.y
    )
    layers = [(64e-6, 0.51), (25e-6, 0.55), (68e-6, 0.23)]
    total = sum(t for t, _ in layers)
    d_eff = total / sum(t / (e**1.5 * d0) for t, e in layers)
    expected = 2 * 96485.33212 * d_eff * 1000.0 / (0.55 * total) * 2.54e-4
    assert limiting_current(bridge) == pytest.approx(expected, rel=1e-6)
