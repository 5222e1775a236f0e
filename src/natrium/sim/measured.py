"""Measured discharge curves: digitised figures and cycler exports.

A :class:`MeasuredCurve` is one constant-current discharge as voltage against
discharged capacity, SI units inside (A h is kept as the capacity unit, the
unit every cycler and datasheet uses). It is read from

* a two-column CSV without a header, capacity and voltage (a digitised figure;
  ``capacity_unit`` says whether the capacity is in mAh or Ah);
* a cycler export (CSV with a header, as written by Arbin, Maccor, Neware,
  BioLogic's EC-Lab text export, or natrium's own ``simulate --out``): the
  voltage and capacity columns are found by name, their units from the name;
  a file without a capacity column is integrated from its time and current;
* a BioLogic ``.mpr`` file, through galvani (``pip install galvani``).

Points are sorted by capacity (digitised points arrive in the order they were
clicked); rows at rest are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from natrium._validation import check_range
from natrium.exceptions import DataFileError, OptionError, ParameterError

#: C-rates a measured curve may have [1/h]: from a 1000-hour discharge to a
#: 36-second one, the span of what cycler tests and the models cover.
C_RATE_RANGE = (1e-3, 100.0)

#: Capacity units a curve file may use, in A h.
CAPACITY_UNITS = {"mAh": 1e-3, "Ah": 1.0}

# Column names of the common cycler exports, matched case-insensitively after
# the unit (in brackets or after a slash) has been split off.
_VOLTAGE = ("voltage", "ecell", "ewe", "u", "cell voltage", "potential")
_CAPACITY = (
    "discharge capacity",
    "discharge_capacity",
    "q discharge",
    "capacity",
    "discharged capacity",
)
_TIME = ("time", "test_time", "test time", "t")
_CURRENT = ("current", "i", "<i>")
_UNIT_IN_NAME = re.compile(
    r"^\s*(?P<name>.*?)\s*(?:[\[(](?P<u1>[^\])]*)[\])]|/\s*(?P<u2>\S+))\s*$"
)
_SCALE = {
    "v": 1.0,
    "mv": 1e-3,
    "ah": 1.0,
    "a.h": 1.0,
    "mah": 1e-3,
    "ma.h": 1e-3,
    "a": 1.0,
    "ma": 1e-3,
    "s": 1.0,
    "min": 60.0,
    "h": 3600.0,
}


@dataclass(frozen=True)
class MeasuredCurve:
    """One measured constant-current discharge.

    ``c_rate`` names the curve; the current it stands for is
    ``c_rate x nominal_capacity_Ah`` unless ``current_A`` is given.
    """

    capacity_Ah: NDArray[np.float64]
    voltage_V: NDArray[np.float64]
    c_rate: float
    label: str = ""
    current_A: float | None = None
    source: str = ""

    def __post_init__(self) -> None:
        if self.capacity_Ah.shape != self.voltage_V.shape or self.capacity_Ah.size < 3:
            raise DataFileError(
                f"curve {self.label or self.c_rate}: needs at least 3 points of "
                "capacity and voltage of equal length"
            )
        low, high = C_RATE_RANGE
        check_range(
            f"c_rate of {self.label!r}", self.c_rate, low=low, high=high, unit="1/h"
        )

    @property
    def capacity(self) -> float:
        """The capacity the discharge delivered [A h]."""
        return float(self.capacity_Ah.max())

    def current(self, nominal_capacity_Ah: float) -> float:
        """The discharge current [A]."""
        if self.current_A is not None:
            return self.current_A
        return self.c_rate * nominal_capacity_Ah

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {"capacity_Ah": self.capacity_Ah, "voltage_V": self.voltage_V}
        )


def _sorted(q: NDArray[np.float64], v: NDArray[np.float64]) -> tuple[Any, Any]:
    ok = np.isfinite(q) & np.isfinite(v)
    order = np.argsort(q[ok], kind="stable")
    return q[ok][order], v[ok][order]


def read_curve(
    path: str | Path,
    *,
    c_rate: float,
    capacity_unit: str = "mAh",
    current_A: float | None = None,
    label: str = "",
    source: str = "",
) -> MeasuredCurve:
    """Read one measured discharge from a CSV or a BioLogic ``.mpr`` file."""
    path = Path(path)
    if not path.is_file():
        raise DataFileError(f"data file {str(path)!r} does not exist")
    if path.suffix.lower() == ".mpr":
        frame = _read_mpr(path)
    else:
        frame = _read_csv(path, capacity_unit)
    q, v = _sorted(
        frame["capacity_Ah"].to_numpy(float), frame["voltage_V"].to_numpy(float)
    )
    return MeasuredCurve(
        capacity_Ah=q,
        voltage_V=v,
        c_rate=float(c_rate),
        label=label or path.stem,
        current_A=current_A,
        source=source,
    )


def _read_csv(path: Path, capacity_unit: str) -> pd.DataFrame:
    if capacity_unit not in CAPACITY_UNITS:
        raise OptionError(
            f"capacity_unit = {capacity_unit!r}; valid: {', '.join(CAPACITY_UNITS)}"
        )
    first = _first_data_line(path)
    try:
        float(first.split(",")[0])
        headerless = True
    except ValueError:
        headerless = False
    try:
        if headerless:
            raw = pd.read_csv(path, header=None, comment="#", skipinitialspace=True)
        else:
            raw = pd.read_csv(path, comment="#", skipinitialspace=True)
    except (pd.errors.ParserError, UnicodeDecodeError) as err:
        raise DataFileError(f"{path.name}: not a readable CSV ({err})") from err
    if headerless:
        if raw.shape[1] != 2:
            raise DataFileError(
                f"{path.name}: a file without a header must have 2 columns "
                f"(capacity [{capacity_unit}], voltage [V]); it has {raw.shape[1]}"
            )
        numbers = raw.apply(pd.to_numeric, errors="coerce")
        if numbers.isna().any().any():
            raise DataFileError(f"{path.name}: non-numeric values in the data")
        return pd.DataFrame(
            {
                "capacity_Ah": numbers[0] * CAPACITY_UNITS[capacity_unit],
                "voltage_V": numbers[1],
            }
        )
    return _cycler_columns(raw, path.name, capacity_unit)


def _first_data_line(path: Path) -> str:
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if line.strip() and not line.lstrip().startswith("#"):
                return line
    raise DataFileError(f"{path.name}: the file holds no data")


def _split_unit(column: str) -> tuple[str, float | None, str]:
    """A column's name, the SI factor of its unit (None if unknown) and the unit."""
    natrium_style = re.match(r"^(?P<name>.+)_(?P<unit>V|A|Ah|s)$", column.strip())
    if natrium_style:  # natrium's own tables: voltage_V, discharge_capacity_Ah
        unit = natrium_style["unit"].lower()
        return natrium_style["name"].lower(), _SCALE[unit], unit
    match = _UNIT_IN_NAME.match(column)
    if not match:
        return column.strip().lower(), None, ""
    unit = (match["u1"] or match["u2"] or "").strip().lower()
    return match["name"].strip().lower(), _SCALE.get(unit), unit


def _find(raw: pd.DataFrame, names: tuple[str, ...], default_scale: float) -> Any:
    """The first column whose name (less its unit) is one of ``names``, in SI."""
    for column in raw.columns:
        name, scale, unit = _split_unit(str(column))
        if name in names:
            if unit and scale is None:
                raise DataFileError(
                    f"column {column!r}: unknown unit {unit!r}; valid: "
                    f"{', '.join(sorted(_SCALE))}"
                )
            values = pd.to_numeric(raw[column], errors="coerce").to_numpy(float)
            return values * (default_scale if scale is None else scale)
    return None


def _cycler_columns(
    raw: pd.DataFrame, name: str, capacity_unit: str = "Ah"
) -> pd.DataFrame:
    voltage = _find(raw, _VOLTAGE, 1.0)
    if voltage is None:
        raise DataFileError(
            f"{name}: no voltage column (looked for {', '.join(_VOLTAGE)}); "
            f"columns: {', '.join(map(str, raw.columns))}"
        )
    current = _find(raw, _CURRENT, 1.0)
    # A capacity column without a unit in its name is in capacity_unit.
    capacity = _find(raw, _CAPACITY, CAPACITY_UNITS[capacity_unit])
    if capacity is None:
        time = _find(raw, _TIME, 1.0)
        if time is None or current is None:
            raise DataFileError(
                f"{name}: needs a capacity column, or time and current columns"
            )
        dq = 0.5 * (current[1:] + current[:-1]) * np.diff(time) / 3600.0
        capacity = np.concatenate([[0.0], np.cumsum(np.abs(dq))])
    keep = np.ones(voltage.size, bool)
    if current is not None:
        # Cyclers disagree on the sign of a discharge (BioLogic and Arbin write
        # it negative, PyBaMM positive): keep the flowing rows, refuse a file
        # that holds both a charge and a discharge.
        keep = np.abs(current) > 0
        if (current[keep] > 0).any() and (current[keep] < 0).any():
            raise DataFileError(
                f"{name}: holds both charge and discharge current; "
                "cut it to the one discharge to compare"
            )
    return pd.DataFrame(
        {"capacity_Ah": np.abs(capacity[keep]), "voltage_V": voltage[keep]}
    )


def _read_mpr(path: Path) -> pd.DataFrame:
    try:
        from galvani import BioLogic
    except ImportError as err:  # optional dependency
        raise OptionError(
            f"{path.name}: reading BioLogic .mpr files needs galvani "
            "(pip install galvani)"
        ) from err
    try:
        table = pd.DataFrame(BioLogic.MPRfile(str(path)).data)
    except Exception as err:  # galvani raises bare ValueErrors and friends
        raise DataFileError(f"{path.name}: not a readable .mpr file ({err})") from err
    return _cycler_columns(table, path.name)


# ------------------------------------------------------------------ data sets

DATA_DIR = Path(__file__).with_name("data") / "measured"


@dataclass(frozen=True)
class MeasuredSet:
    """Measured curves of one cell, each with its role (calibration, validation)."""

    name: str
    curves: tuple[MeasuredCurve, ...]
    roles: tuple[str, ...]
    nominal_capacity_Ah: float | None
    source: str

    def having(self, role: str) -> tuple[MeasuredCurve, ...]:
        return tuple(
            c for c, r in zip(self.curves, self.roles, strict=True) if r == role
        )


def builtin_measured_sets() -> dict[str, Path]:
    return {p.parent.name: p.parent for p in sorted(DATA_DIR.glob("*/curves.toml"))}


def read_measured_set(name_or_folder: str | Path) -> MeasuredSet:
    """A built-in measured set by name, or a folder holding a ``curves.toml``."""
    from natrium._data import read_optional
    from natrium._toml import read_toml

    sets = builtin_measured_sets()
    folder = sets.get(str(name_or_folder), Path(name_or_folder))
    data = read_toml(folder / "curves.toml", "measured curves")
    where = f"{folder.name}/curves.toml"
    unit = str(data.get("capacity_unit", "mAh"))
    nominal = read_optional(where, data, "nominal_capacity", "A*h")
    source = str(data.get("source", ""))
    entries = data.get("curve", [])
    if not isinstance(entries, list) or not entries:
        raise DataFileError(
            f"{where}: needs at least one [[curve]] with file and c_rate"
        )
    curves, roles = [], []
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or "file" not in entry or "c_rate" not in entry:
            raise DataFileError(f"{where}: curve {i + 1} needs file and c_rate")
        if not isinstance(entry["c_rate"], int | float):
            raise DataFileError(
                f"{where}: curve {i + 1} c_rate = {entry['c_rate']!r} must be a "
                "number [1/h]"
            )
        curves.append(
            read_curve(
                folder / str(entry["file"]),
                c_rate=float(entry["c_rate"]),
                capacity_unit=unit,
                label=f"{entry['c_rate']:g}C ({entry['file']})",
                source=source,
            )
        )
        roles.append(str(entry.get("role", "")))
    return MeasuredSet(
        name=folder.name,
        curves=tuple(curves),
        roles=tuple(roles),
        nominal_capacity_Ah=None if nominal is None else nominal.value,
        source=source,
    )


def read_curves(
    files: list[Path], c_rates: list[float], *, capacity_unit: str = "mAh"
) -> tuple[MeasuredCurve, ...]:
    """One curve per file, each at the C-rate given in the same position."""
    if not files:
        raise DataFileError("data: give at least one measured curve file")
    if len(files) != len(c_rates):
        raise ParameterError(
            f"c_rate: {len(c_rates)} given for {len(files)} data files; "
            "give one C-rate [1/h] per file, in the same order"
        )
    return tuple(
        read_curve(f, c_rate=c, capacity_unit=capacity_unit)
        for f, c in zip(files, c_rates, strict=True)
    )
