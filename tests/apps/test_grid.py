"""Grid duty: ageing models, years to end of life, simulated efficiency, LCOS."""

import math
import warnings

import numpy as np
import pytest

from natrium.apps.grid import (
    capacity_loss,
    dc_round_trip_efficiency,
    grid_table,
    lcos,
    years_to_end_of_life,
)
from natrium.io import load_example
from natrium.sim import get_parameter_set


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def test_lfp_cycle_ageing_matches_the_hand_check():
    # Naumann et al. 2020 fit (apps/data/ageing.toml check_4h_daily_20yr):
    # C = 0.25, DoD = 1: (0.0630 x 0.25 + 0.0971) x (4.0253 x 0.4^3 + 1.0923)
    # = 0.1523 % per sqrt(EFC); 7300 cycles -> 13.0 % from cycling.
    total = capacity_loss("lfp", 20.0, c_rate=0.25)
    calendar_only = capacity_loss("lfp", 20.0, cycles_per_year=0.0)
    assert total - calendar_only == pytest.approx(0.1523e-2 * math.sqrt(7300), rel=1e-3)


def test_loss_grows_with_time_and_heat():
    for chemistry in ("lfp", "na_pw_hc", "na_nfm_hc"):
        assert capacity_loss(chemistry, 10) > capacity_loss(chemistry, 5) > 0
        assert capacity_loss(chemistry, 5, temperature=318.15) > capacity_loss(
            chemistry, 5, temperature=298.15
        )


def test_end_of_life_is_where_the_loss_reaches_20_percent():
    for chemistry in ("lfp", "na_pw_hc", "na_nfm_hc"):
        years = years_to_end_of_life(chemistry)
        assert capacity_loss(chemistry, years) == pytest.approx(0.20, abs=1e-6)


@pytest.mark.slow
def test_simulated_efficiency_is_below_one_and_falls_with_rate():
    design, pset = (
        load_example("lfp_graphite_prismatic"),
        get_parameter_set("lfp_graphite"),
    )
    slow = dc_round_trip_efficiency(design, pset, hours=4)
    fast = dc_round_trip_efficiency(design, pset, hours=2)
    assert 0.8 < fast < slow < 1.0


def test_lcos_parts_add_up_and_cheaper_charging_is_cheaper():
    high = lcos("lfp", 4, 0.85)
    assert sum(high.breakdown.values()) == pytest.approx(
        high.lcos_usd_per_mwh, rel=1e-12
    )
    assert high.project_years == math.ceil(high.years_to_eol)
    # charging at 50 USD/MWh through a constant 85 % efficiency costs 50/0.85
    assert high.breakdown["charging"] == pytest.approx(50 / 0.85, rel=1e-12)


def test_lcos_is_continuous_as_life_crosses_a_whole_year():
    # end of life moves across 7 years between 297 and 299 K: no jump
    values = [
        lcos("lfp", 2, 0.85, temperature=t).lcos_usd_per_mwh
        for t in (297.0, 297.5, 298.0, 298.5, 299.0)
    ]
    steps = np.abs(np.diff(values))
    assert steps.max() < 2.0 * steps.min() + 1.0  # smooth, a few USD/MWh per 0.5 K


@pytest.mark.slow
def test_grid_table_two_and_four_hours():
    table = grid_table(
        {
            "lfp": (
                load_example("lfp_graphite_prismatic"),
                get_parameter_set("lfp_graphite"),
            ),
            "na_pw_hc": (load_example("pw_hc_pouch"), get_parameter_set("pw_hc")),
        }
    )
    assert set(table["hours"]) == {2, 4}
    lfp4 = table[(table.chemistry == "lfp") & (table.hours == 4)].iloc[0]
    assert lfp4["ac_rte"] == pytest.approx(0.85)  # calibrated to NREL ATB
    assert (table["lcos_usd_per_MWh"] > 0).all()
