"""Sweeps: the same answers as one-by-one simulation, in parallel or not."""

import numpy as np
import pytest

from natrium.sim.simulation import simulate
from natrium.sim.sweep import sweep, variant_design


@pytest.mark.slow
def test_sweep_matches_single_runs_and_is_keyed(chayambuka):
    design, pset = chayambuka
    overrides = {
        "cathode.porosity": np.array([0.23, 0.28, 0.33]),
        "c_rate": np.array([0.5, 1.0, 2.0]),
    }
    serial = sweep(design, pset, overrides, processes=1)
    parallel = sweep(design, pset, overrides, processes=2)
    assert np.allclose(serial["capacity_Ah"], parallel["capacity_Ah"], rtol=1e-9)
    assert serial["design_key"].nunique() == 3
    for i in range(3):
        variant = variant_design(
            design, {"cathode.porosity": overrides["cathode.porosity"][i]}
        )
        one = simulate(
            variant, pset, f"Discharge at {overrides['c_rate'][i]}C until 2.0 V"
        )
        assert serial["capacity_Ah"][i] == pytest.approx(
            one.summary["discharge_capacity_Ah"], rel=1e-4
        )


def test_an_impossible_variant_is_reported_not_fatal(chayambuka):
    design, pset = chayambuka
    # Less porous cathode at fixed thickness: more NVPF than the anode can hold.
    table = sweep(
        design, pset, {"cathode.porosity": np.array([0.15, 0.25])}, processes=1
    )
    assert "would plate" in table["design_error"][0]
    assert np.isnan(table["capacity_Ah"][0])
    assert table["capacity_Ah"][1] > 0
