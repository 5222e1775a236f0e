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


# Average potentials over the practical window against published figures, for
# the curves that come from measurements: NVPF (Chayambuka 2022's digitised
# table; plateaus 3.7 and 4.2 V averaging ~3.9 V); LFP (Afshar 2017 closed form
# of a measured curve; 3.375 V vs Li), NMC811 and graphite (Chen 2020 fits to
# LG M50 measurements; 3.86 V and 0.17 V vs Li, BotB data set); hard carbon
# (Chayambuka 2022's EMF table; 0.1-0.3 V over slope plus plateau, a range).
#
# Prussian white, Mn-Prussian white and NVP are not here. Their tables are
# constructed (MSMR) from plateau potentials: PW from two iron couples at
# 3.02 / 3.28 V with equal shares, so its mean is their average by symmetry;
# Mn-PW from Song 2015's single 3.5 V plateau; NVP from its 3.38 V V3+/V4+
# plateau. Their window means therefore return the construction's inputs
# (see materials/data/ocp/README.md), and comparing them with the same
# published plateau, or with Altris's 3.2 V that sits between PW's two, cannot
# fail. What the construction does not fix is checked below instead.
@pytest.mark.parametrize(
    ("key", "published", "atol"),
    [
        ("nvpf", 3.9, 0.1),
        ("lfp", 3.375, 0.05),
        ("nmc811", 3.86, 0.05),
        ("graphite", 0.17, 0.03),
        ("hard-carbon", 0.2, 0.1),
    ],
)
def test_average_potential(key, published, atol):
    assert_allclose(get_active(key).average_potential, published, atol=atol)


def test_prussian_white_steps_from_one_iron_couple_to_the_other_at_one_sodium():
    # Na(x)Fe[Fe(CN)6] holds two iron centres that each take one electron
    # (Fe2+/3+ on the low-spin C-bound and the high-spin N-bound site), so the
    # two plateaus are separated at one Na per formula unit: stoichiometry 0.5
    # on the table's scale (x = n/2, 2 Na full). This is chemistry, not the
    # plateau potentials the curve was built from. Tolerance: a lattice with a
    # few per cent of [Fe(CN)6] vacancies, or the ~53/47 split of the public
    # half-cell data the README mentions, moves the step by up to ~0.03.
    ocp = get_active("prussian-white").ocp
    x, u = ocp.stoichiometry, ocp.potential
    slope = -np.diff(u) / np.diff(x)
    middle = 0.5 * (x[1:] + x[:-1])
    inner = (middle > 0.2) & (middle < 0.8)  # between the two plateaus' tails
    step = middle[inner][np.argmax(slope[inner])]
    assert step == pytest.approx(0.5, abs=0.05)
    # and it is a step between two plateaus, not a slope: the potential falls
    # by more than half the 0.26 V between the couples within +-0.05 of it
    assert ocp(step - 0.05) - ocp(step + 0.05) > 0.13


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
