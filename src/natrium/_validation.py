"""Range checks that name the field, the value, the valid range and the unit.

They accept scalars and arrays alike, so vectorised design sweeps are checked
in one call; the message quotes the first offending value.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from natrium.exceptions import ParameterError


def _first_bad(values: NDArray[np.float64], bad: NDArray[np.bool_]) -> float:
    return float(values[bad].flat[0])


def check_range(
    field: str,
    value: ArrayLike,
    *,
    low: float = -np.inf,
    high: float = np.inf,
    unit: str = "",
    low_inclusive: bool = True,
    high_inclusive: bool = True,
) -> NDArray[np.float64]:
    """Return ``value`` as a float array, or raise if any element is out of range.

    NaN is always out of range. The message reads, for example,
    ``cathode.porosity = 1.3 is outside [0, 1) [-]``.
    """
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as err:
        raise ParameterError(
            f"{field} = {value!r} is not a number; expected a value in "
            f"{_interval(low, high, low_inclusive, high_inclusive)} {_unit(unit)}"
        ) from err
    too_low = arr < low if low_inclusive else arr <= low
    too_high = arr > high if high_inclusive else arr >= high
    bad = too_low | too_high | np.isnan(arr)
    if np.any(bad):
        shown = _first_bad(arr, bad)
        raise ParameterError(
            f"{field} = {shown:g} is outside "
            f"{_interval(low, high, low_inclusive, high_inclusive)} {_unit(unit)}"
        )
    return arr


def check_positive(
    field: str, value: ArrayLike, *, unit: str = ""
) -> NDArray[np.float64]:
    """Strictly positive and finite."""
    return check_range(
        field,
        value,
        low=0.0,
        high=np.inf,
        unit=unit,
        low_inclusive=False,
        high_inclusive=False,
    )


def check_fraction(
    field: str, value: ArrayLike, *, open_low: bool = False, open_high: bool = False
) -> NDArray[np.float64]:
    """A dimensionless fraction in [0, 1] (optionally open at either end)."""
    return check_range(
        field,
        value,
        low=0.0,
        high=1.0,
        unit="-",
        low_inclusive=not open_low,
        high_inclusive=not open_high,
    )


def _interval(low: float, high: float, low_inc: bool, high_inc: bool) -> str:
    left = "[" if low_inc and np.isfinite(low) else "("
    right = "]" if high_inc and np.isfinite(high) else ")"
    return f"{left}{_num(low)}, {_num(high)}{right}"


def _num(x: float) -> str:
    if np.isinf(x):
        return "inf" if x > 0 else "-inf"
    return f"{x:g}"


def _unit(unit: str) -> str:
    return f"[{unit}]" if unit else "[-]"
