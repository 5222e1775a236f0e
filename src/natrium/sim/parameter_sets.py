"""Simulation parameter sets: the kinetics and transport PyBaMM needs.

A cell design (``natrium.cell``) fixes geometry, loadings and balance; a
parameter set adds what a design file does not hold: particle radii, solid
and electrolyte transport, reaction rates, Bruggeman exponents, cut-offs and
their temperature dependence. Each set is a folder under ``sim/sets/`` with a
``set.toml`` (every number sourced, as in the material library), the CSV
tables it names, and optionally the published cell it came with
(``design.toml``) and the materials that cell is made of.

A property is a constant ``{ value, unit, ref }`` or a table
``{ table = "file.csv", x = "concentration" | "stoichiometry", ref }`` whose
first line is a header and whose ``#`` lines carry its source; a table may
carry ``scale`` (with a ``note`` saying why) to transfer a published shape to
another material. Optional
``*_activation_energy`` entries [J mol⁻¹] give Arrhenius temperature
dependence about ``reference_temperature``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from natrium import citations
from natrium._data import Sourced, read_optional, read_value
from natrium._toml import read_toml
from natrium.exceptions import DataFileError, OptionError, ParameterError
from natrium.materials import load_material_file
from natrium.sim.adjustments import check_value, get_adjustment

SETS_DIR = Path(__file__).with_name("sets")

#: Reference temperature of every built-in set (25 °C) [K].
DEFAULT_REFERENCE_TEMPERATURE = 298.15


@dataclass(frozen=True, eq=False)
class Property:
    """A constant, or a table against concentration [mol m⁻³] or stoichiometry."""

    value: float | None = None
    x: NDArray[np.float64] | None = None
    y: NDArray[np.float64] | None = None
    against: Literal["concentration", "stoichiometry", ""] = ""
    ref: str = ""
    name: str = ""
    #: A fitted form of (concentration, temperature), natrium.sim.electrolytes.
    form: str = ""
    coefficients: tuple[float, ...] = ()
    scale: float = 1.0
    temperature_range: tuple[float, float] | None = None

    @property
    def is_table(self) -> bool:
        return self.x is not None

    @property
    def is_form(self) -> bool:
        return bool(self.form)


@dataclass(frozen=True, eq=False)
class ElectrodeKinetics:
    """Per-electrode kinetics and transport, SI units."""

    particle_radius: float
    conductivity: float
    bruggeman_electrolyte: float
    bruggeman_electrode: float
    charge_transfer_coefficient: float
    diffusivity: Property
    rate_constant: Property
    maximum_concentration: float | None = None
    ocp: Property | None = None
    diffusivity_activation_energy: float = 0.0
    rate_activation_energy: float = 0.0


@dataclass(frozen=True, eq=False)
class ElectrolyteTransport:
    conductivity: Property
    diffusivity: Property
    transference_number: float
    thermodynamic_factor: float | Property
    initial_concentration: float
    separator_bruggeman: float
    conductivity_activation_energy: float = 0.0
    diffusivity_activation_energy: float = 0.0


@dataclass(frozen=True, eq=False)
class ParameterSet:
    """A named simulation parameter set with its sources."""

    name: str
    description: str
    folder: Path
    negative: ElectrodeKinetics
    positive: ElectrodeKinetics
    electrolyte: ElectrolyteTransport
    #: the window of the set's own cell (its paper's, or a BPX file's); a
    #: design's simulations cut off at the design's ``voltage_window``
    lower_voltage_cutoff: float
    upper_voltage_cutoff: float
    contact_resistance: float
    negative_material: str
    positive_material: str
    electrolyte_key: str
    reference_temperature: float = DEFAULT_REFERENCE_TEMPERATURE
    design_file: Path | None = None
    assumptions: tuple[str, ...] = ()
    sources: tuple[str, ...] = field(default_factory=tuple)
    #: Calibrated changes to the published values (natrium.sim.adjustments),
    #: with the reason for each.
    adjustments: dict[str, float] = field(default_factory=dict)
    adjustment_notes: dict[str, str] = field(default_factory=dict)

    def register_citations(self) -> None:
        citations.register(self.sources)


def _table(path: Path, label: str) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    try:
        data = np.loadtxt(path, delimiter=",", skiprows=1, comments="#", ndmin=2)
    except (OSError, ValueError) as err:
        raise DataFileError(f"{label}: cannot read table {path.name}: {err}") from err
    if data.shape[1] != 2 or data.shape[0] < 2:
        raise DataFileError(f"{label}: table {path.name} needs two columns, >= 2 rows")
    order = np.argsort(data[:, 0], kind="stable")
    return data[order, 0].copy(), data[order, 1].copy()


#: Electrolyte transport models that several sets share (``use = "name"``).
ELECTROLYTES_DIR = Path(__file__).with_name("data") / "electrolytes"


def _shared_electrolyte(
    name: str, el: dict[str, Any]
) -> tuple[dict[str, Any], str, Path]:
    """The shared electrolyte a set's ``[electrolyte] use = "..."`` names."""
    if set(el) != {"use"}:
        raise DataFileError(
            f"{name}: [electrolyte] with 'use' takes nothing else, got "
            f"{', '.join(sorted(set(el) - {'use'}))}"
        )
    key = str(el["use"])
    path = ELECTROLYTES_DIR / f"{key}.toml"
    known = sorted(p.stem for p in ELECTROLYTES_DIR.glob("*.toml"))
    if not path.is_file():
        raise DataFileError(
            f"{name}: electrolyte use = {key!r}; valid: {', '.join(known)}"
        )
    return read_toml(path, "electrolyte data"), f"electrolyte {key}", ELECTROLYTES_DIR


def _tdf(
    where: str, el: dict[str, Any], folder: Path, refs: list[str]
) -> float | Property:
    """The thermodynamic factor: a number, or a fitted form of (c, T)."""
    entry = el.get("thermodynamic_factor")
    if isinstance(entry, dict) and "form" in entry:
        return _form_property(f"{where}.thermodynamic_factor", entry, refs)
    return _number(where, el, "thermodynamic_factor", "", refs)


def _form_property(where: str, entry: dict[str, Any], refs: list[str]) -> Property:
    """A property given as a fitted form of concentration and temperature."""
    from natrium.sim.electrolytes import FORMS

    form = entry.get("form")
    if form not in FORMS:
        raise DataFileError(f"{where}.form = {form!r}; valid: {', '.join(FORMS)}")
    coefficients = entry.get("coefficients")
    count = FORMS[str(form)][1]
    if (
        not isinstance(coefficients, list)
        or len(coefficients) != count
        or not all(isinstance(c, int | float) for c in coefficients)
    ):
        raise DataFileError(f"{where}.coefficients: {form} takes {count} numbers")
    ref = str(entry.get("ref", ""))
    if not citations.is_known(ref):
        raise DataFileError(f"{where}: unknown or missing ref {ref!r}")
    refs.append(ref)
    scale = entry.get("scale", 1.0)
    if not isinstance(scale, int | float) or scale <= 0:
        raise DataFileError(f"{where}.scale = {scale!r} must be a number > 0")
    if scale != 1.0 and not entry.get("note"):
        raise DataFileError(f"{where}: a scaled form needs a note saying why")
    span = entry.get("temperature_range")
    t_range = None
    if span is not None:
        if (
            not isinstance(span, list)
            or len(span) != 2
            or not 0 < float(span[0]) < float(span[1])
        ):
            raise DataFileError(
                f"{where}.temperature_range = {span!r}: give [low, high] in K"
            )
        t_range = (float(span[0]), float(span[1]))
    return Property(
        ref=ref,
        name=where,
        form=str(form),
        coefficients=tuple(float(c) for c in coefficients),
        scale=float(scale),
        temperature_range=t_range,
    )


def _property(
    where: str,
    table: dict[str, Any],
    key: str,
    si_unit: str,
    folder: Path,
    refs: list[str],
) -> Property:
    entry = table.get(key)
    if isinstance(entry, dict) and "form" in entry:
        return _form_property(f"{where}.{key}", entry, refs)
    if isinstance(entry, dict) and "table" in entry:
        against = entry.get("x", "")
        if against not in ("concentration", "stoichiometry"):
            raise DataFileError(
                f"{where}.{key}.x = {against!r}; valid: concentration, stoichiometry"
            )
        ref = str(entry.get("ref", ""))
        if not citations.is_known(ref):
            raise DataFileError(f"{where}.{key}: unknown or missing ref {ref!r}")
        refs.append(ref)
        x, y = _table(folder / str(entry["table"]), f"{where}.{key}")
        scale = entry.get("scale", 1.0)
        if not isinstance(scale, int | float) or scale <= 0:
            raise DataFileError(f"{where}.{key}.scale = {scale!r} must be a number > 0")
        if scale != 1.0 and not entry.get("note"):
            raise DataFileError(
                f"{where}.{key}: a scaled table needs a note saying why"
            )
        return Property(
            x=x, y=y * float(scale), against=against, ref=ref, name=f"{where}.{key}"
        )
    value = read_value(where, table, key, si_unit)
    refs.append(value.ref)
    return Property(value=value.value, ref=value.ref, name=f"{where}.{key}")


def _number(
    where: str, table: dict[str, Any], key: str, unit: str, refs: list[str]
) -> float:
    value = read_value(where, table, key, unit)
    refs.append(value.ref)
    return value.value


def _optional(
    where: str,
    table: dict[str, Any],
    key: str,
    unit: str,
    refs: list[str],
    default: float,
) -> float:
    value: Sourced | None = read_optional(where, table, key, unit)
    if value is None:
        return default
    refs.append(value.ref)
    return value.value


def _electrode(
    where: str, t: dict[str, Any], folder: Path, refs: list[str]
) -> ElectrodeKinetics:
    c_max = read_optional(where, t, "maximum_concentration", "mol/m^3")
    if c_max is not None:
        refs.append(c_max.ref)
    return ElectrodeKinetics(
        particle_radius=_number(where, t, "particle_radius", "m", refs),
        conductivity=_number(where, t, "conductivity", "S/m", refs),
        bruggeman_electrolyte=_number(where, t, "bruggeman_electrolyte", "", refs),
        bruggeman_electrode=_number(where, t, "bruggeman_electrode", "", refs),
        charge_transfer_coefficient=_number(
            where, t, "charge_transfer_coefficient", "", refs
        ),
        diffusivity=_property(where, t, "diffusivity", "m^2/s", folder, refs),
        rate_constant=_property(where, t, "rate_constant", "m/s", folder, refs),
        maximum_concentration=None if c_max is None else c_max.value,
        ocp=_property(where, t, "ocp", "V", folder, refs) if "ocp" in t else None,
        diffusivity_activation_energy=_optional(
            where, t, "diffusivity_activation_energy", "J/mol", refs, 0.0
        ),
        rate_activation_energy=_optional(
            where, t, "rate_activation_energy", "J/mol", refs, 0.0
        ),
    )


def _calibration(
    name: str, data: dict[str, Any], refs: list[str]
) -> tuple[dict[str, float], dict[str, str]]:
    """The ``[calibration]`` table: adjustments, each with a value and a reason."""
    table = data.get("calibration", {})
    if not isinstance(table, dict):
        raise DataFileError(f"{name}: [calibration] must be a table")
    values: dict[str, float] = {}
    notes: dict[str, str] = {}
    for key in table:
        adj = get_adjustment(key)
        entry = table[key]
        if not isinstance(entry, dict) or not entry.get("note"):
            raise DataFileError(
                f"{name}: calibration.{key} needs a value and a note saying why"
            )
        value = read_value(f"{name}: calibration", table, key, adj.unit)
        refs.append(value.ref)
        values[key] = check_value(key, value.value)
        notes[key] = str(entry["note"])
    return values, notes


def _extending(folder: Path, data: dict[str, Any]) -> ParameterSet:
    """A set that is another set plus a calibration.

    ``extends`` names a built-in set or a set folder (relative to this one).
    """
    parent = str(data["extends"])
    if parent.lower() in builtin_sets():
        base = get_parameter_set(parent)
    elif (folder / parent).resolve() == folder.resolve():
        raise DataFileError(f"{folder.name}/set.toml: extends = {parent!r} is itself")
    else:
        base = load_parameter_set(folder / parent)
    name = str(data.get("name", folder.name))
    refs: list[str] = [str(c) for c in data.get("citations", [])]
    values, notes = _calibration(name, data, refs)
    own = tuple(dict.fromkeys(r for r in refs if r not in citations.NON_SOURCES))
    return replace(
        base,
        name=name,
        description=str(data.get("description", base.description)),
        folder=folder,
        assumptions=base.assumptions
        + tuple(str(a) for a in data.get("assumptions", [])),
        sources=tuple(dict.fromkeys(base.sources + own)),
        adjustments={**base.adjustments, **values},
        adjustment_notes={**base.adjustment_notes, **notes},
    )


def load_parameter_set(folder: str | Path) -> ParameterSet:
    """Read a parameter set folder (its ``set.toml`` and tables)."""
    folder = Path(folder)
    path = folder / "set.toml"
    data = read_toml(path, "parameter set")
    if "extends" in data:
        return _extending(folder, data)
    name = str(data.get("name", folder.name))
    if "materials" in data:
        load_material_file(folder / str(data["materials"]))
    refs: list[str] = [str(c) for c in data.get("citations", [])]
    el = data.get("electrolyte", {})
    if not isinstance(el, dict):
        raise DataFileError(f"{name}: [electrolyte] must be a table")
    where = f"{name}: electrolyte"
    el_folder = folder
    if "use" in el:
        el, where, el_folder = _shared_electrolyte(name, el)
    electrolyte = ElectrolyteTransport(
        conductivity=_property(where, el, "conductivity", "S/m", el_folder, refs),
        diffusivity=_property(where, el, "diffusivity", "m^2/s", el_folder, refs),
        transference_number=_number(where, el, "transference_number", "", refs),
        thermodynamic_factor=_tdf(where, el, el_folder, refs),
        initial_concentration=_number(
            where, el, "initial_concentration", "mol/m^3", refs
        ),
        separator_bruggeman=_number(where, el, "separator_bruggeman", "", refs),
        conductivity_activation_energy=_optional(
            where, el, "conductivity_activation_energy", "J/mol", refs, 0.0
        ),
        diffusivity_activation_energy=_optional(
            where, el, "diffusivity_activation_energy", "J/mol", refs, 0.0
        ),
    )
    cell = data.get("cell", {})
    where = f"{name}: cell"
    design = data.get("design")
    adjustments, adjustment_notes = _calibration(name, data, refs)
    return ParameterSet(
        name=name,
        description=str(data.get("description", "")),
        folder=folder,
        negative=_electrode(
            f"{name}: negative", data.get("negative", {}), folder, refs
        ),
        positive=_electrode(
            f"{name}: positive", data.get("positive", {}), folder, refs
        ),
        electrolyte=electrolyte,
        lower_voltage_cutoff=_number(where, cell, "lower_voltage_cutoff", "V", refs),
        upper_voltage_cutoff=_number(where, cell, "upper_voltage_cutoff", "V", refs),
        contact_resistance=_number(where, cell, "contact_resistance", "ohm", refs),
        negative_material=str(data.get("negative_material", "")),
        positive_material=str(data.get("positive_material", "")),
        electrolyte_key=str(data.get("electrolyte_material", "")),
        reference_temperature=_optional(
            name,
            data,
            "reference_temperature",
            "K",
            refs,
            DEFAULT_REFERENCE_TEMPERATURE,
        ),
        design_file=folder / str(design) if design else None,
        assumptions=tuple(str(a) for a in data.get("assumptions", [])),
        sources=tuple(dict.fromkeys(r for r in refs if r not in citations.NON_SOURCES)),
        adjustments=adjustments,
        adjustment_notes=adjustment_notes,
    )


def builtin_sets() -> dict[str, Path]:
    """Built-in parameter sets by name (folder)."""
    return {p.parent.name: p.parent for p in sorted(SETS_DIR.glob("*/set.toml"))}


@cache
def _cached(folder: Path) -> ParameterSet:
    return load_parameter_set(folder)


def get_parameter_set(name: str) -> ParameterSet:
    """A built-in parameter set by folder name, e.g. ``"chayambuka2022"``."""
    sets = builtin_sets()
    key = name.lower()
    if key not in sets:
        raise OptionError(f"unknown parameter set {name!r}; valid: {', '.join(sets)}")
    return _cached(sets[key])


def default_set_for(design: Any) -> ParameterSet:
    """The built-in set made for the design's cathode and anode materials."""
    for folder in builtin_sets().values():
        pset = _cached(folder)
        if (
            pset.positive_material == design.cathode.active
            and pset.negative_material == design.anode.active
        ):
            return pset
    pairs = ", ".join(
        f"{name} ({_cached(f).positive_material} / {_cached(f).negative_material})"
        for name, f in builtin_sets().items()
    )
    raise OptionError(
        f"no built-in parameter set for {design.cathode.active} / "
        f"{design.anode.active}; give one with --set (valid: {pairs})"
    )


def resolve(
    parameter_set: ParameterSet | str | Path | None, design: Any
) -> ParameterSet:
    """The parameter set a caller means: a set itself, a built-in set's name, a
    set folder, or ``None`` for the set made for the design's materials
    (:func:`default_set_for`).

    Raises
    ------
    ParameterError
        If the set names active materials and they are not the design's
        (:func:`check_materials`).
    """
    if parameter_set is None:
        return default_set_for(design)
    if isinstance(parameter_set, ParameterSet):
        pset = parameter_set
    elif Path(parameter_set).is_dir():
        pset = load_parameter_set(parameter_set)
    else:
        pset = get_parameter_set(str(parameter_set))
    if design is not None:
        check_materials(pset, design)
    return pset


def check_materials(parameter_set: ParameterSet, design: Any) -> None:
    """Refuse a set made for other active materials than the design's.

    A set's kinetics and transport belong to its ``positive_material`` and
    ``negative_material``; on another material they would run silently with
    borrowed numbers. A set that names no material (an empty key) is not
    checked, for that side.
    """
    wanted = (parameter_set.positive_material, parameter_set.negative_material)
    used = (design.cathode.active, design.anode.active)
    if all(not w or w == u for w, u in zip(wanted, used, strict=True)):
        return
    made_for = " / ".join(w or "any" for w in wanted)
    fits = [
        name
        for name, folder in builtin_sets().items()
        if (_cached(folder).positive_material, _cached(folder).negative_material)
        == used
    ]
    hint = (
        f"pick a set made for these materials ({', '.join(fits)})"
        if fits
        else "no built-in set is made for these materials; give a set folder "
        "made for them"
    )
    raise ParameterError(
        f"parameter set {parameter_set.name!r} is for {made_for}; the design "
        f"uses {used[0]} / {used[1]}: {hint}"
    )
