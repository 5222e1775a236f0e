"""Discounting: present values of cash flows over years, for TCO and LCOS.

End-of-year convention: a cash flow in year ``n`` is discounted by
``(1 + r)^-n``. The one discount rate natrium uses is
``economics("finance", "discount_rate", "1/yr")`` (``cost/data/economics.toml``).
Every function broadcasts over NumPy arrays.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from natrium.exceptions import ParameterError


def discount_factor(years: ArrayLike, rate: ArrayLike) -> Any:
    """What one unit of money at ``years`` from now is worth today [-].

    Parameters
    ----------
    years : array_like
        Time of the cash flow from now [yr].
    rate : array_like
        Discount rate [1/yr].

    Returns
    -------
    float or ndarray
        ``(1 + rate)^-years`` [-], broadcast over the arguments.

    Examples
    --------
    >>> round(float(discount_factor(10, 0.08)), 4)
    0.4632
    """
    t = np.asarray(years, dtype=float)
    r = np.asarray(rate, dtype=float)
    return (1.0 + r) ** -t


def present_value(cashflows: ArrayLike, years: ArrayLike, rate: ArrayLike) -> Any:
    """The sum of cash flows, each discounted from its year to today.

    Parameters
    ----------
    cashflows : array_like
        Amount of each cash flow [any currency, e.g. USD]; the last axis runs
        over the flows.
    years : array_like
        Time of each cash flow from now [yr], broadcast with ``cashflows``.
    rate : array_like
        Discount rate [1/yr].

    Returns
    -------
    float or ndarray
        ``sum(cashflows * (1 + rate)^-years)`` over the last axis [same
        currency as ``cashflows``].

    Examples
    --------
    >>> round(float(present_value([100.0, 100.0], [1, 2], 0.08)), 2)
    178.33
    """
    flows = np.asarray(cashflows, dtype=float) * discount_factor(years, rate)
    return np.sum(flows, axis=-1)


def annuity_factor(years: int, rate: ArrayLike) -> Any:
    """Present value of one unit of money paid at the end of each of ``years``
    whole years [yr]: ``sum_{n=1..N} (1 + r)^-n = (1 - (1 + r)^-N) / r``.

    Parameters
    ----------
    years : int
        Number of yearly payments, N [yr].
    rate : array_like
        Discount rate [1/yr].

    Returns
    -------
    float or ndarray
        The annuity factor [yr], one per rate.

    Examples
    --------
    >>> round(float(annuity_factor(10, 0.08)), 4)
    6.7101
    """
    n = int(years)
    if n != years or n < 0:
        raise ParameterError(f"years = {years!r}; valid: a whole number >= 0 [yr]")
    r = np.asarray(rate, dtype=float)
    return np.sum(discount_factor(np.arange(1, n + 1), r[..., np.newaxis]), axis=-1)


__all__ = ["annuity_factor", "discount_factor", "present_value"]
