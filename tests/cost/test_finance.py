"""Discounting against hand-written closed forms."""

import numpy as np
import pytest

from natrium.cost.finance import annuity_factor, discount_factor, present_value
from natrium.cost.model import economics
from natrium.exceptions import ParameterError


def test_discount_factor_is_compound_interest_backwards():
    # Present value of a single sum, PV = F (1 + r)^-n (Brealey, Myers and
    # Allen, Principles of Corporate Finance, ch. 2): 1 / 1.08^10 = 0.463193.
    assert discount_factor(10, 0.08) == pytest.approx(1.0 / 1.08**10, rel=1e-15)
    assert discount_factor(10, 0.08) == pytest.approx(0.463193, abs=1e-6)
    assert discount_factor(0, 0.08) == 1.0
    # broadcasts over years and rates
    table = discount_factor(np.arange(1, 4), np.array([[0.05], [0.10]]))
    assert table.shape == (2, 3)
    assert table[1, 2] == pytest.approx(1.1**-3, rel=1e-15)


def test_annuity_factor_is_the_closed_form():
    # Ordinary annuity (payments at year ends), the present-value annuity
    # factor (1 - (1 + r)^-n) / r (Brealey, Myers and Allen, ch. 2):
    # r = 0.08, n = 10 gives 6.7101.
    r, n = 0.08, 10
    assert annuity_factor(n, r) == pytest.approx((1 - (1 + r) ** -n) / r, rel=1e-12)
    assert annuity_factor(n, r) == pytest.approx(6.7101, abs=5e-5)
    # at r = 0 it is just the number of payments; no payments, no value
    assert annuity_factor(7, 0.0) == pytest.approx(7.0)
    assert annuity_factor(0, 0.08) == 0.0
    # one value per rate
    rates = np.array([0.03, 0.08, 0.12])
    expected = (1 - (1 + rates) ** -n) / rates
    assert np.allclose(annuity_factor(n, rates), expected, rtol=1e-12)


def test_annuity_factor_needs_whole_years():
    with pytest.raises(ParameterError, match="whole number"):
        annuity_factor(2.5, 0.08)  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match="whole number"):
        annuity_factor(-1, 0.08)


def test_present_value_of_level_payments_is_the_annuity():
    # PV of equal year-end payments C for n years = C (1 - (1 + r)^-n) / r
    # (Brealey, Myers and Allen, ch. 2); PV of uneven flows is the sum of each
    # flow's PV: 100 at years 1 and 2 at 8 % is 100/1.08 + 100/1.08^2 = 178.33.
    assert present_value(np.full(10, 250.0), np.arange(1, 11), 0.08) == pytest.approx(
        250.0 * (1 - 1.08**-10) / 0.08, rel=1e-12
    )
    assert present_value([100.0, 100.0], [1, 2], 0.08) == pytest.approx(
        100 / 1.08 + 100 / 1.08**2, rel=1e-15
    )
    assert present_value([], [], 0.08) == 0.0


def test_one_discount_rate_for_every_app():
    # economics.toml [finance] holds the rate the UPS TCO and the grid LCOS use
    assert economics("finance", "discount_rate", "1/yr") == pytest.approx(0.08)
