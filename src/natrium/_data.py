"""The one reader of sourced values in natrium's TOML data files.

A value is written ``{ value = 1.8, unit = "g/cm^3", ref = "Key", note = "..." }``
and a price range ``{ low = 4, high = 10, unit = "USD/kg", ref = "Key" }``.
Values are converted to SI here, once, when a file is loaded; every value keeps
its citation key. :class:`DataFile` is how a module reads its own data file:
``DataFile(path, "UPS data").value("sizing", "design_margin")`` returns the SI
magnitude and registers the citation of the value with :mod:`natrium.citations`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from natrium import citations
from natrium._toml import read_toml
from natrium.exceptions import DataFileError, NatriumError
from natrium.units import to_si


@dataclass(frozen=True)
class Sourced:
    """A number in SI units with the citation key it came from."""

    value: float
    ref: str
    note: str = ""


@dataclass(frozen=True)
class PriceRange:
    """A price range in SI-based units (USD kg⁻¹ or USD m⁻²) with its source."""

    low: float
    high: float
    ref: str
    year: int | None = None

    @property
    def mid(self) -> float:
        return 0.5 * (self.low + self.high)


def _entry(where: str, table: dict[str, Any], key: str) -> dict[str, Any]:
    entry = table.get(key)
    if not isinstance(entry, dict):
        raise DataFileError(
            f"{where}.{key}: missing, or not a table such as "
            '{ value = 1.0, unit = "...", ref = "Key" }'
        )
    ref = entry.get("ref")
    if not isinstance(ref, str) or not ref:
        raise DataFileError(f"{where}.{key}: every number needs a 'ref' (citation key)")
    if not citations.is_known(ref):
        raise DataFileError(f"{where}.{key}: unknown citation key {ref!r}")
    return entry


def read_value(where: str, table: dict[str, Any], key: str, si_unit: str) -> Sourced:
    """Read ``table[key]`` as a sourced value in ``si_unit``."""
    entry = _entry(where, table, key)
    unit = str(entry.get("unit", "")) or "dimensionless"
    try:
        value = to_si(f"{where}.{key}", f"{entry['value']} {unit}", si_unit or "")
    except KeyError as err:
        raise DataFileError(f"{where}.{key}: has no 'value'") from err
    except NatriumError as err:
        raise DataFileError(str(err)) from err
    return Sourced(value, entry["ref"], str(entry.get("note", "")))


def read_optional(
    where: str, table: dict[str, Any], key: str, si_unit: str
) -> Sourced | None:
    return read_value(where, table, key, si_unit) if key in table else None


def read_price(where: str, table: dict[str, Any], key: str, si_unit: str) -> PriceRange:
    """Read a ``{ low, high, unit, ref }`` range in ``si_unit``."""
    entry = _entry(where, table, key)
    unit = str(entry.get("unit", ""))
    try:
        low = to_si(f"{where}.{key}.low", f"{entry['low']} {unit}", si_unit)
        high = to_si(f"{where}.{key}.high", f"{entry['high']} {unit}", si_unit)
    except KeyError as err:
        raise DataFileError(f"{where}.{key}: a price needs 'low' and 'high'") from err
    except NatriumError as err:
        raise DataFileError(str(err)) from err
    if not 0 <= low <= high:
        raise DataFileError(f"{where}.{key}: needs 0 <= low <= high, got {low}, {high}")
    year = entry.get("year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
        raise DataFileError(f"{where}.{key}.year = {year!r} must be a whole number")
    return PriceRange(low, high, entry["ref"], year)


def read_text(where: str, table: dict[str, Any], key: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value:
        raise DataFileError(f"{where}.{key}: missing text entry")
    return value


class DataFile:
    """A data file of sourced values, read once, then looked up by section.

    ``section`` may be dotted (``"packaging.lfp"``) to reach a nested table.
    Every value looked up through :meth:`sourced` or :meth:`value` registers its
    citation key, so a result lists exactly the sources it used.
    """

    def __init__(self, path: Path, what: str) -> None:
        self.path = path
        self.what = what

    @cached_property
    def data(self) -> dict[str, Any]:
        return read_toml(self.path, self.what)

    def table(self, section: str) -> dict[str, Any]:
        """The (nested) table ``section`` of the file."""
        table: Any = self.data
        for part in section.split("."):
            if not isinstance(table, dict) or part not in table:
                raise DataFileError(f"{self.path.name}: no section [{section}]")
            table = table[part]
        return dict(table)

    def sourced(self, section: str, key: str, unit: str = "") -> Sourced:
        """``[section] key`` in ``unit`` (SI), with its source, registered."""
        value = read_value(
            f"{self.path.name}: {section}", self.table(section), key, unit
        )
        citations.register(value.ref)
        return value

    def value(self, section: str, key: str, unit: str = "") -> float:
        """The magnitude of :meth:`sourced`."""
        return self.sourced(section, key, unit).value
