"""Design files: a cell design as TOML, with units, read and written.

Every dimensional number carries its unit (``"2.5 mAh/cm^2"``, ``"14 um"``),
parsed by pint and converted to SI here; fractions are plain numbers. Unknown
keys are errors, so a typo never silently falls back to a default. See
``examples/`` for annotated files.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import tomli_w

from natrium._toml import read_toml
from natrium.cell.design import CellDesign, ElectrodeSpec
from natrium.cell.formats import FORMATS
from natrium.cell.pairing import swap_cathode
from natrium.cell.parameters import CELL, ELECTRODE
from natrium.cell.ratings import Ratings
from natrium.exceptions import DataFileError, NatriumError, ParameterError, UnitError
from natrium.materials import load_material_file
from natrium.units import registry, to_si

_ELECTRODE_TEXT = ("active", "binder", "conductive", "foil")
_TOP_TEXT = (
    "name",
    "description",
    "format",
    "size",
    "separator",
    "electrolyte",
    "casing",
)
_TOP_NUMBERS = ("np_ratio", "first_cycle_loss")
_TOP_TABLES = ("cathode", "anode", "geometry", "cell", "materials", "ratings")
#: ``[ratings]`` keys: currents (amps, or a C-rate such as ``"3C"`` converted
#: with the design's capacity), the peak's duration, temperature windows.
_RATING_CURRENTS = (
    "max_continuous_discharge",
    "max_peak_discharge",
    "max_continuous_charge",
)
_RATING_OTHERS = {
    "peak_duration": "s",
    "discharge_temperature_min": "K",
    "discharge_temperature_max": "K",
    "charge_temperature_min": "K",
    "charge_temperature_max": "K",
}
_RATING_KEYS = (*_RATING_CURRENTS, *_RATING_OTHERS, "source")
#: How ``loading`` is read: by the dimension of its unit.
_LOADING_BY_DIMENSION = {
    "[current] * [time] / [length] ** 2": "areal_capacity",
    "[mass] / [length] ** 2": "areal_mass",
    "[length]": "thickness",
}
_EXAMPLES_IN_PACKAGE = Path(__file__).parents[1] / "examples"
_EXAMPLES_IN_REPO = Path(__file__).parents[3] / "examples"


def read_design(path: str | Path) -> CellDesign:
    """Read a design file; errors name the file, the field, value, range and unit."""
    path = Path(path)
    data = read_toml(path, "design file")
    try:
        return design_from_dict(data, base=path.parent)
    except NatriumError as err:
        raise type(err)(f"{path.name}: {err}") from err


def design_from_dict(data: dict[str, Any], *, base: Path = Path(".")) -> CellDesign:
    """Build a design from the parsed TOML of a design file."""
    _reject_unknown("", data, _TOP_TEXT + _TOP_NUMBERS + _TOP_TABLES)
    materials = _table(data, "materials")
    _reject_unknown("materials.", materials, ("files",))
    files = materials.get("files", [])
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        raise DataFileError(f"materials.files = {files!r} must be a list of file names")
    for extra in files:
        load_material_file(base / extra)
    fmt = _text(data, "format", "")
    if fmt not in FORMATS:
        raise DataFileError(
            f"format = {fmt!r} is not a cell format; valid: {', '.join(FORMATS)}"
        )
    spec = FORMATS[fmt]
    units = spec.units
    geometry_in = _table(data, "geometry")
    _reject_unknown("geometry.", geometry_in, tuple(units))
    geometry = {
        k: _number(f"geometry.{k}", v, units[k]) for k, v in geometry_in.items()
    }
    cell_in = dict(_table(data, "cell"))
    window = _voltage_window(cell_in)
    cell_keys = tuple(k for k in CELL if k not in _TOP_NUMBERS)
    _reject_unknown("cell.", cell_in, cell_keys)
    cell = {k: _number(f"cell.{k}", v, CELL[k].si_unit) for k, v in cell_in.items()}
    cell.update(window)
    size = data.get("size")
    design = CellDesign(
        name=_text(data, "name", "unnamed design"),
        description=_text(data, "description", ""),
        cathode=_electrode("cathode", _table(data, "cathode")),
        anode=_electrode("anode", _table(data, "anode")),
        format=fmt,
        size=str(size) if size is not None else None,
        np_ratio=_optional_number(data, "np_ratio"),
        first_cycle_loss=_optional_number(data, "first_cycle_loss"),
        separator=_text(data, "separator", "pe-16"),
        electrolyte=_text(data, "electrolyte", "napf6-ec-pc"),
        casing=str(data["casing"]) if "casing" in data else None,
        geometry=geometry,
        cell=cell,
    )
    if "ratings" not in data:
        return design
    return replace(design, ratings=_ratings(_table(data, "ratings"), design))


def _voltage_window(cell: dict[str, Any]) -> dict[str, float]:
    """``cell.voltage_window = ["2.0 V", "3.95 V"]`` (taken out of ``cell``)
    as ``voltage_min`` and ``voltage_max`` [V]."""
    if "voltage_window" not in cell:
        return {}
    given = cell.pop("voltage_window")
    if "voltage_min" in cell or "voltage_max" in cell:
        raise DataFileError(
            "cell: give voltage_window or voltage_min and voltage_max, not both"
        )
    if not isinstance(given, list) or len(given) != 2:
        raise DataFileError(
            f"cell.voltage_window = {given!r} must be two voltages, e.g. "
            '["2.0 V", "3.95 V"]'
        )
    low, high = (
        _number(f"cell.voltage_window[{i}]", v, "V") for i, v in enumerate(given)
    )
    return {"voltage_min": low, "voltage_max": high}


def _ratings(table: dict[str, Any], design: CellDesign) -> Ratings:
    """The ``[ratings]`` table in SI; C-rates become amps with the capacity
    that natrium computes for the design."""
    _reject_unknown("ratings.", table, _RATING_KEYS)
    if "max_continuous_discharge" not in table:
        raise DataFileError("ratings.max_continuous_discharge is missing")
    amps: dict[str, float] = {}
    given: dict[str, Any] = {}
    capacity_ah: float | None = None
    for key in _RATING_CURRENTS:
        if key not in table:
            continue
        raw = _rating_value(f"ratings.{key}", table[key])
        given[key] = raw
        rate = _c_rate(raw)
        if rate is None:
            amps[key] = _number(f"ratings.{key}", raw, "A")
            continue
        if capacity_ah is None:
            from natrium.cell import evaluate

            capacity_ah = evaluate(design).capacity / 3600.0
        amps[key] = rate * capacity_ah
    for key, value in amps.items():
        if not value > 0:
            raise ParameterError(
                f"ratings.{key} = {given[key]!r} is outside (0, inf) [A, or a "
                "C-rate such as '3C']"
            )
    other = {
        k: _number(f"ratings.{k}", _rating_value(f"ratings.{k}", table[k]), u)
        for k, u in _RATING_OTHERS.items()
        if k in table
    }
    windows: dict[str, tuple[float, float] | None] = {}
    for kind in ("discharge", "charge"):
        lo, hi = f"{kind}_temperature_min", f"{kind}_temperature_max"
        if (lo in other) != (hi in other):
            raise DataFileError(f"ratings: give {lo} and {hi} together")
        windows[kind] = (other[lo], other[hi]) if lo in other else None
    source = table.get("source", "")
    if not isinstance(source, str):
        raise DataFileError(f"ratings.source = {source!r} must be text")
    return Ratings(
        continuous_discharge=amps["max_continuous_discharge"],
        peak_discharge=amps.get("max_peak_discharge"),
        peak_duration=other.get("peak_duration"),
        continuous_charge=amps.get("max_continuous_charge"),
        discharge_temperature=windows["discharge"],
        charge_temperature=windows["charge"],
        source=source,
    )


def _rating_value(field: str, value: Any) -> Any:
    """A rating as a unit string (``"50 A"``, ``"3C"``, ``"-20 degC"``) or a
    ``{ value, unit, ref, note }`` table."""
    if not isinstance(value, dict):
        return value
    _reject_unknown(f"{field}.", value, ("value", "unit", "ref", "note"))
    if "value" not in value or "unit" not in value:
        raise DataFileError(f"{field} needs value and unit")
    number = value["value"]
    if isinstance(number, bool) or not isinstance(number, int | float):
        raise DataFileError(f"{field}.value = {number!r} is not a number")
    return f"{number} {value['unit']}"


def _c_rate(value: Any) -> float | None:
    """The C-rate of ``"3C"`` / ``"0.5 C"`` (C here is the rate, not the
    coulomb), or ``None`` for anything else."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text.endswith("C") or text.endswith("degC"):
        return None
    try:
        return float(text[:-1].strip())
    except ValueError:
        return None


def _electrode(label: str, table: dict[str, Any]) -> ElectrodeSpec:
    allowed = _ELECTRODE_TEXT + tuple(ELECTRODE) + ("loading", "density")
    _reject_unknown(f"{label}.", table, allowed)
    table = dict(table)
    if "density" in table:
        table["porosity"] = _porosity_from_density(label, table)
    numbers: dict[str, float] = {}
    for key, value in table.items():
        if key in _ELECTRODE_TEXT:
            continue
        if key == "loading":
            key = _loading_kind(f"{label}.loading", value)
            if key in table:
                raise DataFileError(f"{label}: give loading or {key}, not both")
        numbers[key] = _number(f"{label}.{key}", value, ELECTRODE[key].si_unit)
    for required in (
        "active",
        "active_fraction",
        "binder_fraction",
        "conductive_fraction",
        "porosity",
    ):
        if required not in table:
            raise DataFileError(f"{label}.{required} is missing")
    texts = {k: str(table[k]) for k in _ELECTRODE_TEXT if k in table}
    texts.setdefault("binder", "pvdf")
    texts.setdefault("conductive", "carbon-black")
    return ElectrodeSpec(**texts, **numbers)  # type: ignore[arg-type]


def _porosity_from_density(label: str, table: dict[str, Any]) -> float:
    """The porosity of a coating given by its calendered density, as makers
    state it: 1 - density / the density of its solids mixed by mass
    (:func:`natrium.cell.electrode.coating_density` at zero porosity). The
    density is taken out of ``table``."""
    from natrium.cell.electrode import coating_density
    from natrium.materials import get_active, get_component

    density = _number(f"{label}.density", table.pop("density"), "kg/m^3")
    if "porosity" in table:
        raise DataFileError(f"{label}: give density or porosity, not both")
    keys = ("active_fraction", "binder_fraction", "conductive_fraction")
    missing = [k for k in (*keys, "active") if k not in table]
    if missing:
        raise DataFileError(f"{label}.{missing[0]} is missing")
    fractions = tuple(_number(f"{label}.{k}", table[k], "") for k in keys)
    densities = (
        get_active(str(table["active"])).density.value,
        get_component("binder", str(table.get("binder", "pvdf")))["density"],
        get_component(
            "conductive_additive", str(table.get("conductive", "carbon-black"))
        )["density"],
    )
    solid = float(coating_density(fractions, densities, 0.0))
    porosity = 1.0 - density / solid
    if not 0.0 < porosity < 1.0:
        raise ParameterError(
            f"{label}.density = {density / 1e3:g} g/cm^3 is outside (0, "
            f"{solid / 1e3:.3f}) [g/cm^3]: the solids of this recipe are "
            f"{solid / 1e3:.3f} g/cm^3"
        )
    return porosity


def _loading_kind(field: str, value: Any) -> str:
    q = registry().Quantity(1.0)
    try:
        q = registry().Quantity(str(value))
    except Exception as err:  # pint raises many kinds on garbage
        raise UnitError(f"{field} = {value!r} could not be read as a quantity") from err
    kind = _LOADING_BY_DIMENSION.get(str(getattr(q, "dimensionality", "")))
    if kind is None:
        raise UnitError(
            f"{field} = {value!r} has the wrong unit: expected areal "
            "capacity (mAh/cm^2), areal mass (mg/cm^2) or thickness (um)"
        )
    return kind


def _number(field: str, value: Any, si_unit: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise DataFileError(f"{field} = {value!r} is not a number or a quantity")
    return to_si(field, value, si_unit or "dimensionless")


def _optional_number(data: dict[str, Any], key: str) -> float | None:
    return _number(key, data[key], "") if key in data else None


def _text(data: dict[str, Any], key: str, default: str) -> str:
    value = data.get(key, default)
    if not isinstance(value, str):
        raise DataFileError(f"{key} = {value!r} must be text")
    return value


def _table(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise DataFileError(f"[{key}] must be a table")
    return value


def _reject_unknown(
    prefix: str, table: dict[str, Any], allowed: tuple[str, ...]
) -> None:
    for key in table:
        if key not in allowed:
            raise DataFileError(
                f"unknown key {prefix}{key}; valid: {', '.join(allowed)}"
            )


# ----------------------------------------------------------------------- writing


def design_to_dict(design: CellDesign) -> dict[str, Any]:
    """The TOML-ready form of a design (SI values with their units)."""
    out: dict[str, Any] = {"name": design.name, "format": design.format}
    if design.description:
        out["description"] = design.description
    if design.size is not None:
        out["size"] = design.size
    out["separator"] = design.separator
    out["electrolyte"] = design.electrolyte
    if design.casing is not None:
        out["casing"] = design.casing
    if design.np_ratio is not None:
        out["np_ratio"] = design.np_ratio
    if design.first_cycle_loss is not None:
        out["first_cycle_loss"] = design.first_cycle_loss
    for label, e in (("cathode", design.cathode), ("anode", design.anode)):
        table: dict[str, Any] = {k: getattr(e, k) for k in _ELECTRODE_TEXT}
        for key, param in ELECTRODE.items():
            value = getattr(e, key)
            if value is not None:
                table[key] = _with_unit(value, param.si_unit)
        out[label] = table
    spec = FORMATS[design.format]
    units = spec.units
    if design.geometry:
        out["geometry"] = {
            k: _with_unit(v, units[k]) for k, v in design.geometry.items()
        }
    if design.cell:
        cell: dict[str, Any] = {
            k: _with_unit(v, CELL[k].si_unit) for k, v in design.cell.items()
        }
        if "voltage_min" in cell and "voltage_max" in cell:
            cell["voltage_window"] = [cell.pop("voltage_min"), cell.pop("voltage_max")]
        out["cell"] = cell
    if design.ratings is not None:
        out["ratings"] = _ratings_to_dict(design.ratings)
    return out


def _ratings_to_dict(r: Ratings) -> dict[str, Any]:
    out: dict[str, Any] = {
        "max_continuous_discharge": _with_unit(r.continuous_discharge, "A")
    }
    if r.peak_discharge is not None and r.peak_duration is not None:
        out["max_peak_discharge"] = _with_unit(r.peak_discharge, "A")
        out["peak_duration"] = _with_unit(r.peak_duration, "s")
    if r.continuous_charge is not None:
        out["max_continuous_charge"] = _with_unit(r.continuous_charge, "A")
    for kind, window in (
        ("discharge", r.discharge_temperature),
        ("charge", r.charge_temperature),
    ):
        if window is not None:
            out[f"{kind}_temperature_min"] = _with_unit(window[0], "K")
            out[f"{kind}_temperature_max"] = _with_unit(window[1], "K")
    if r.source:
        out["source"] = r.source
    return out


def _with_unit(value: float, si_unit: str) -> float | str:
    return float(value) if not si_unit else f"{float(value)!r} {si_unit}"


def write_design(design: CellDesign, path: str | Path) -> Path:
    """Write a design file that :func:`read_design` reads back unchanged."""
    path = Path(path)
    path.write_text(tomli_w.dumps(design_to_dict(design)), encoding="utf-8")
    return path


# ---------------------------------------------------------------------- examples


def _examples_dir() -> Path:
    for folder in (_EXAMPLES_IN_PACKAGE, _EXAMPLES_IN_REPO):
        if folder.is_dir():
            return folder
    raise DataFileError("natrium's example designs are not installed")


def example_paths() -> dict[str, Path]:
    """The shipped example design files, by name (file stem)."""
    return {p.stem: p for p in sorted(_examples_dir().glob("*.toml"))}


def example_path(name: str) -> Path:
    paths = example_paths()
    if name not in paths:
        raise DataFileError(f"unknown example {name!r}; valid: {', '.join(paths)}")
    return paths[name]


def load_example(name: str = "pw_hc_pouch") -> CellDesign:
    """A shipped example design, e.g. the Prussian white / hard carbon pouch cell."""
    return read_design(example_path(name))


def default_design_for_cathode(cathode: str) -> CellDesign:
    """A shipped example built on ``cathode``, or else the Prussian white pouch
    with its cathode swapped (:func:`natrium.cell.pairing.swap_cathode`), so
    every library cathode has a cell to go into."""
    for path in example_paths().values():
        design = read_design(path)
        if design.cathode.active == cathode:
            return design
    return swap_cathode(load_example("pw_hc_pouch"), cathode)
