"""Units at the edges: battery habits <-> SI, and pint parsing of user input.

Inside natrium every quantity is SI (kg, m, s, A, V, J, mol, K, C). The
battery-world units that users read and write (mAh g⁻¹, mAh cm⁻², µm, Wh kg⁻¹)
are converted here and nowhere else. pint parses strings such as
``"2.5 mAh/cm^2"`` from design files and the command line; it is never used in
inner loops (pint's own performance notes advise doing the maths on magnitudes).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import pint

from natrium.constants import SECONDS_PER_HOUR
from natrium.exceptions import UnitError

# Conversion factors, multiply the battery unit by these to get SI.
MAH_PER_G = 3600.0  # 1 mAh g⁻¹ = 3600 C kg⁻¹ (1 mAh = 3.6 C; 1 g = 1e-3 kg)
MAH_PER_CM2 = 36000.0  # 1 mAh cm⁻² = 36000 C m⁻² (1 cm² = 1e-4 m²)
MG_PER_CM2 = 1e-2  # 1 mg cm⁻² = 0.01 kg m⁻²
MICROMETRE = 1e-6  # [m]
MILLIMETRE = 1e-3  # [m]
G_PER_CM3 = 1e3  # 1 g cm⁻³ = 1000 kg m⁻³
AH = SECONDS_PER_HOUR  # 1 Ah = 3600 C
WH = SECONDS_PER_HOUR  # 1 Wh = 3600 J
KWH = 1e3 * SECONDS_PER_HOUR  # [J]
MWH = 1e6 * SECONDS_PER_HOUR  # [J]
GWH = 1e9 * SECONDS_PER_HOUR  # [J]
TONNE = 1e3  # [kg]
MINUTE = 60.0  # [s]
LITRE = 1e-3  # [m³]

#: Longest quantity text read, and a power of a number ('9**9', '2^100'); a
#: unit's own small power ('m^3', 'cm**2') is allowed.
MAX_QUANTITY_TEXT = 60
_NUMBER_POWER = re.compile(r"(\d|\))\s*(\*\*|\^)|(\*\*|\^)\s*[-+]?\d{2,}")
_NUMBER_UNIT = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(\S.*)?$")

#: The dimension names used in messages, keyed by pint dimensionality strings.
DIMENSION_NAMES = {
    "[length]": "length",
    "[mass] / [length] ** 3": "density",
    "[current] * [time] / [mass]": "specific capacity",
    "[current] * [time] / [length] ** 2": "areal capacity",
    "[mass] / [length] ** 2": "areal mass",
    "[currency] / [mass]": "price per mass",
    "[currency] / [length] ** 2": "price per area",
    "[mass]": "mass",
    "[substance] / [length] ** 3": "concentration",
    "dimensionless": "dimensionless",
    "[mass] * [length] ** 2 / [time] ** 3": "power (or energy a year)",
    "[mass] * [length] ** 2 / [time] ** 2": "energy",
    "[mass] * [length] ** 2 / [time] ** 3 / [current]": "voltage",
    "[current]": "current",
    "[time]": "time",
    "1 / [time]": "rate",
    "[temperature]": "temperature",
    "[mass] / [time]": "mass a year",
}


@cache
def registry() -> pint.UnitRegistry:
    """The one pint registry natrium uses, with a currency dimension added."""
    ureg: pint.UnitRegistry = pint.UnitRegistry()
    ureg.define("USD = [currency]")
    # Plant sizes are written in kilotonnes; pint would read 'kt' as knots.
    ureg.define("kilotonne = 1000 * tonne = kt")
    return ureg


def parse_quantity(field: str, text: Any) -> pint.Quantity:
    """Parse ``text`` such as ``"2.5 mAh/cm^2"`` into a pint quantity.

    Raises :class:`UnitError` naming ``field`` when the text is not a quantity.
    A bare number parses as dimensionless.
    """
    ureg = registry()
    if isinstance(text, bool):
        raise UnitError(f"{field} = {text!r} is not a quantity")
    if isinstance(text, int | float):
        return ureg.Quantity(float(text), "dimensionless")
    if not isinstance(text, str):
        raise UnitError(f"{field} = {text!r} is not a quantity such as '14 um'")
    if len(text) > MAX_QUANTITY_TEXT or _NUMBER_POWER.search(text):
        # pint evaluates expressions: '9**9**9 m' would compute for ever
        raise UnitError(
            f"{field} = {text[:40]!r} is not a number with a unit (no powers of "
            "numbers, at most 60 characters)"
        )
    if any(c in text for c in ",;[]{}"):
        # pint reads '1,5' as 15 and '[1,2]' as 12: refuse rather than guess.
        raise UnitError(
            f"{field} = {text!r} is not a single quantity (use a point "
            "for decimals, no commas or brackets)"
        )
    simple = _NUMBER_UNIT.match(text)
    if simple and simple.group(2):
        # "27 degC": pint cannot multiply a number into an offset unit, but a
        # magnitude and a unit given apart are read fine.
        try:
            return ureg.Quantity(float(simple.group(1)), simple.group(2))
        except Exception:
            pass
    try:
        q: Any = ureg.Quantity(text.strip())
    except Exception as err:  # pint's parser raises many kinds on garbage input
        raise UnitError(
            f"{field} = {text!r} could not be read as a quantity: {err}"
        ) from err
    if not isinstance(q, pint.Quantity):  # a bare number in a string
        return ureg.Quantity(float(q), "dimensionless")
    return q


def to_si(
    field: str, value: Any, unit: str, *, default_unit: str | None = None
) -> float:
    """Convert ``value`` to the SI magnitude of ``unit``'s dimension.

    ``value`` is a string with a unit (``"14 um"``), or a bare number, which is
    read in ``default_unit`` if given and is otherwise an error for a
    dimensional quantity. ``unit`` names the SI unit expected (``"m"``,
    ``"C/kg"``) and fixes the dimension.
    """
    ureg = registry()
    target = ureg.Unit(unit)
    q = parse_quantity(field, value)
    if q.dimensionless and not target.dimensionless:
        if default_unit is None:
            raise UnitError(
                f"{field} = {value!r} has no unit; give it as a quantity in "
                f"{describe(unit)} such as "
                f"'{float(q.magnitude):g} {example_unit(unit)}'"
            )
        # '3 %' is 0.03 of the default unit, not 3 of it
        q = ureg.Quantity(float(q.to("dimensionless").magnitude), default_unit)
    try:
        return float(q.to(target).magnitude)
    except pint.errors.DimensionalityError as err:
        raise UnitError(
            f"{field} = {value!r} has the wrong unit: expected {describe(unit)} "
            f"(for example '{example_unit(unit)}'), got {_dim_name(q)}"
        ) from err


def to_si_per_year(field: str, value: Any, unit: str, *, default_unit: str) -> float:
    """Like :func:`to_si` for a yearly amount: ``'2000 t'``, ``'2000 t/yr'``,
    ``'2 kt/year'`` or a bare number in ``default_unit`` all give the amount in
    ``unit`` per year."""
    ureg = registry()
    q = parse_quantity(field, value)
    per_year = ureg.Unit(unit) / ureg.year
    if not q.dimensionless and q.dimensionality == per_year.dimensionality:
        return float((q * ureg.year).to(unit).magnitude)
    return to_si(field, value, unit, default_unit=default_unit)


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """Convert a magnitude between two units, for display at the edges."""
    ureg = registry()
    return float(ureg.Quantity(value, from_unit).to(to_unit).magnitude)


def describe(unit: str) -> str:
    """Human name of the dimension of ``unit``, e.g. 'length [m]'."""
    ureg = registry()
    dim = str(ureg.Unit(unit).dimensionality) if unit else "dimensionless"
    return f"{DIMENSION_NAMES.get(dim, dim)} [{unit or '-'}]"


#: A battery-world example unit for each SI unit natrium asks for in files.
_EXAMPLES = {
    "m": "um",
    "kg/m^3": "g/cm^3",
    "C/kg": "mAh/g",
    "C/m^2": "mAh/cm^2",
    "kg/m^2": "mg/cm^2",
    "USD/kg": "USD/kg",
    "USD/m^2": "USD/m^2",
    "kg": "g",
    "mol/m^3": "mol/L",
}


def example_unit(unit: str) -> str:
    return _EXAMPLES.get(unit, unit)


def _dim_name(q: pint.Quantity) -> str:
    dim = str(q.dimensionality)
    return f"{DIMENSION_NAMES.get(dim, dim)} ({q.units:~})"
