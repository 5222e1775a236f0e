"""Chemical formulas: molar mass and theoretical capacity (Faraday's law).

Formulas are written as chemists do: ``Na2Fe[Fe(CN)6]``, ``Na3V2(PO4)2F3``,
``NaNi1/3Fe1/3Mn1/3O2``, ``LiNi0.8Mn0.1Co0.1O2``, with a hydrate as
``Na2Fe[Fe(CN)6]·2H2O`` (or ``*2H2O``). Counts may be integers, decimals or
fractions.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike, NDArray

from natrium import citations
from natrium._validation import check_positive
from natrium.constants import FARADAY
from natrium.exceptions import ParameterError

_DATA = Path(__file__).with_name("data")
_TOKEN = re.compile(r"([A-Z][a-z]?)|([(\[])|([)\]])|(\d+(?:\.\d+)?(?:/\d+)?)|(\s+)")
_CLOSING = {"(": ")", "[": "]"}


@cache
def atomic_weights() -> dict[str, float]:
    """Standard atomic weights [g mol⁻¹] by element symbol (CIAAW 2021)."""
    table = np.genfromtxt(
        _DATA / "atomic_weights.csv",
        delimiter=",",
        dtype=None,
        names=True,
        comments="#",
        encoding="utf-8",
    )
    return {str(sym): float(w) for sym, w in table}


def composition(formula: str) -> dict[str, float]:
    """Atoms of each element in one formula unit.

    >>> composition("Na3V2(PO4)2F3")["O"]
    8.0
    """
    total: dict[str, float] = {}
    for i, part in enumerate(re.split(r"[·*]", formula)):
        part = part.strip()
        lead = re.match(r"(\d+(?:\.\d+)?)", part) if i > 0 else None
        factor = float(lead.group(1)) if lead else 1.0
        body = part[lead.end() :] if lead else part
        for el, n in _parse(formula, body).items():
            total[el] = total.get(el, 0.0) + factor * n
    if not total:
        raise ParameterError(f"formula {formula!r} has no elements")
    return total


def _parse(formula: str, text: str) -> dict[str, float]:
    stack: list[tuple[dict[str, float], str]] = [({}, "")]
    pos = 0
    last: dict[str, float] | str | None = None  # what a following count multiplies
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            raise ParameterError(f"formula {formula!r}: cannot read {text[pos:]!r}")
        pos = m.end()
        element, opening, closing, count, _space = m.groups()
        current = stack[-1][0]
        if element:
            if element not in atomic_weights():
                raise ParameterError(
                    f"formula {formula!r}: unknown element {element!r}"
                )
            current[element] = current.get(element, 0.0) + 1.0
            last = element
        elif opening:
            stack.append(({}, _CLOSING[opening]))
            last = None
        elif closing:
            group, expected = stack.pop() if len(stack) > 1 else ({}, "")
            if closing != expected:
                raise ParameterError(f"formula {formula!r}: unbalanced {closing!r}")
            outer = stack[-1][0]
            for el, n in group.items():
                outer[el] = outer.get(el, 0.0) + n
            last = group
        elif count:
            n = _number(count) - 1.0  # one was already added
            if isinstance(last, str):
                current[last] += n
            elif isinstance(last, dict):
                for el, k in last.items():
                    current[el] += n * k
            else:
                raise ParameterError(
                    f"formula {formula!r}: count {count!r} follows nothing"
                )
            last = None
    if len(stack) != 1:
        raise ParameterError(f"formula {formula!r}: unbalanced brackets")
    return stack[0][0]


def _number(text: str) -> float:
    if "/" in text:
        num, den = text.split("/")
        return float(num) / float(den)
    return float(text)


def molar_mass(formula: str) -> float:
    """Molar mass of one formula unit [kg mol⁻¹] (CIAAW 2021 atomic weights).

    >>> round(molar_mass("Na3V2(PO4)2F3") * 1e3, 2)
    417.79
    """
    citations.register("CIAAW2021")
    weights = atomic_weights()
    grams = sum(weights[el] * n for el, n in composition(formula).items())
    return grams * 1e-3


def theoretical_specific_capacity(
    molar_mass: ArrayLike, electrons_transferred: ArrayLike = 1.0
) -> NDArray[np.float64] | float:
    r"""Theoretical specific capacity from Faraday's law [C kg⁻¹].

    Parameters
    ----------
    molar_mass : numeric
        Molar mass of one formula unit of the host, on the basis the capacity is
        quoted on. [kg mol⁻¹]
    electrons_transferred : numeric, default 1.0
        Na⁺ (Li⁺) and electrons exchanged per formula unit. [-]

    Notes
    -----
    .. math:: q_{th} = \frac{n F}{M}

    Divide by 3600 for mAh g⁻¹.

    Examples
    --------
    >>> round(float(theoretical_specific_capacity(455.76e-3, 2)) / 3600, 1)  # NVP
    117.6
    """
    mass = check_positive("molar_mass", molar_mass, unit="kg mol⁻¹")
    n = check_positive("electrons_transferred", electrons_transferred, unit="-")
    q = n * FARADAY / mass
    return float(q) if q.ndim == 0 else q
