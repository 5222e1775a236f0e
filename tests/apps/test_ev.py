"""EV packs over WLTC class 3b: cycle, consumption, pack sizing."""

import warnings

import numpy as np
import pytest

from natrium.apps.ev import battery_power, consumption, size_pack, wltc_class3b
from natrium.io import load_example
from natrium.sim import get_parameter_set


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def test_wltc_class3b_trace():
    # UN GTR 15: 1800 s, 23.27 km, 131.3 km/h top speed (class 3b)
    trace = wltc_class3b()
    assert trace["time_s"].iloc[-1] == 1800
    distance = np.trapezoid(trace["speed_m_s"], trace["time_s"])
    assert distance / 1e3 == pytest.approx(23.27, abs=0.01)
    assert trace["speed_m_s"].max() * 3.6 == pytest.approx(131.3)


def test_consumption_of_the_small_car():
    # Dolphin Surf (European Seagull): 30.0 kWh for 220 km WLTP = 136 Wh/km at
    # the battery (vehicles.toml, derived). The road-load estimates were chosen
    # with this figure in view, so this checks the arithmetic, to 5 %.
    assert consumption(215.0) / 3.6 == pytest.approx(136.0, rel=0.05)
    # heavier packs cost energy
    assert consumption(400.0) > consumption(200.0)


def test_regeneration_returns_energy():
    cycle = battery_power(215.0)
    assert cycle["battery_W"].min() < 0


@pytest.mark.slow
def test_sodium_small_car_against_lfp():
    na = size_pack(
        load_example("nfm_hc_18650"), 250.0, parameter_set=get_parameter_set("nfm_hc")
    )
    lfp = size_pack(
        load_example("lfp_graphite_prismatic"),
        250.0,
        parameter_set=get_parameter_set("lfp_graphite"),
    )
    for pack in (na, lfp):
        # the pack holds the range: energy = range x consumption (with its mass)
        assert pack.energy_kwh * 1e3 >= pack.range_km * pack.consumption_wh_per_km
        assert 0.0 <= pack.cold_range_loss <= 1.0
    # sodium's lower specific energy makes a heavier pack for the same range
    assert na.pack_mass_kg > lfp.pack_mass_kg
    assert na.consumption_wh_per_km > lfp.consumption_wh_per_km
