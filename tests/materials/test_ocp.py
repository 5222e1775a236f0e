"""OCP tables: exact integrals and the published shape of each curve."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from natrium import DataFileError
from natrium.materials import OCPCurve, active_keys, get_active


def test_integral_is_exact_for_the_linear_interpolant():
    x = np.linspace(0.0, 1.0, 7)
    u = 4.0 - x**2
    curve = OCPCurve(x, u, (0.1, 0.9))
    fine = np.linspace(0.13, 0.77, 200_001)
    numeric = np.trapezoid(curve(fine), fine)
    assert_allclose(curve.integral(0.77) - curve.integral(0.13), numeric, rtol=1e-9)


def test_integral_holds_the_end_values_beyond_the_table():
    curve = OCPCurve(np.array([0.2, 0.8]), np.array([3.0, 2.0]), (0.2, 0.8))
    assert_allclose(curve.integral(0.0) - curve.integral(-0.1), 0.1 * 3.0)
    assert_allclose(curve.integral(1.0) - curve.integral(0.9), 0.1 * 2.0)


@pytest.mark.parametrize("key", active_keys())
def test_every_curve_falls_with_stoichiometry(key):
    ocp = get_active(key).ocp
    assert np.all(np.diff(ocp.potential) <= 1e-12)
    assert ocp.sources, f"{key} OCP table names no source"


# Average potentials over the practical window against published figures:
# PW 3.2 V vs Na (Altris, Fennac); Mn-PW ~3.5 V (Song 2015); NVPF plateaus 3.7 and
# 4.2 V averaging ~3.9 V; NVP 3.4 V (V3+/V4+); LFP 3.375 V and NMC811 3.86 V and
# graphite 0.17 V vs Li (BotB data set). Tolerances: the curves for PW, Mn-PW and
# NVP are constructed (MSMR) from plateau potentials to ~0.05 V; hard carbon's
# average 0.1-0.3 V (sloping region plus plateau) is a range.
@pytest.mark.parametrize(
    ("key", "published", "atol"),
    [
        ("prussian-white", 3.2, 0.06),
        ("mn-prussian-white", 3.5, 0.05),
        ("nvpf", 3.9, 0.1),
        ("nvp", 3.4, 0.05),
        ("lfp", 3.375, 0.05),
        ("nmc811", 3.86, 0.05),
        ("graphite", 0.17, 0.03),
        ("hard-carbon", 0.2, 0.1),
    ],
)
def test_average_potential(key, published, atol):
    assert_allclose(get_active(key).average_potential, published, atol=atol)


def test_hard_carbon_has_slope_and_plateau():
    # Chayambuka 2022 EMF: sloping above ~0.1 V at low sodiation, a plateau
    # between ~0.11 and 0.02 V over the upper 60 % of the table.
    hc = get_active("hard-carbon").ocp
    assert hc(0.05) > 0.5
    plateau = hc(np.linspace(0.45, 0.95, 11))
    assert plateau.max() < 0.12
    assert plateau.min() > 0.0


@pytest.mark.parametrize(
    ("x", "u", "window", "match"),
    [
        ([0.1, 0.1], [3.0, 2.9], (0.1, 0.2), "increase strictly"),
        ([0.1, 0.5], [3.0, np.nan], (0.1, 0.5), "non-finite"),
        ([0.1, 0.5], [3.0, 2.9], (0.6, 0.5), "window"),
        ([-0.1, 0.5], [3.0, 2.9], (0.1, 0.5), r"\[0, 1\]"),
    ],
)
def test_bad_tables_are_rejected(x, u, window, match):
    with pytest.raises(DataFileError, match=match):
        OCPCurve(np.array(x, float), np.array(u, float), window)
