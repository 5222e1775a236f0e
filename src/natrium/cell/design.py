"""Cell design from materials: the bill of materials and datasheet figures.

A :class:`CellDesign` names its materials and format and holds its numbers in
SI. :func:`evaluate` turns it into a :class:`CellReport` (metrics, bill of
materials, kg of each material per kWh); :func:`evaluate_designs` does the same
for arrays of designs in one vectorised call, replacing any named parameter
(``"cathode.porosity"``, ``"cell.np_ratio"``, ``"geometry.cathode_layers"``) by
an array.

The electrochemistry is that of a balanced cell at low rate:

* The cathode's reversible capacity is its active mass times the material's
  practical capacity. On the first charge it gives up ``1/ICE`` of that.
* The anode loses sodium (lithium) irreversibly on its first charge, in
  proportion to its own mass: ``(1/ICE_anode - 1)`` of its reversible capacity
  (SEI and trapping). Unless ``first_cycle_loss`` overrides it.
* The cell capacity is the least of the cathode's reversible capacity, the
  cyclable inventory left after the first charge, and the anode's reversible
  capacity opposite the cathode.
* At the top of charge the cathode sits at the charged end of its window and
  the anode holds the cyclable inventory above its empty end; the nominal
  voltage is the capacity-weighted mean of U_cathode - U_anode over the
  discharge, integrated exactly from the OCP tables.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from natrium import citations
from natrium.cell.electrode import (
    active_areal_mass_from_capacity,
    coating_density,
    coating_thickness,
)
from natrium.cell.formats import (
    FORMATS,
    Stack,
    design_defaults,
    family_voltage_window,
    format_defaults,
    format_table,
)
from natrium.cell.parameters import CELL, ELECTRODE, LOADING_KEYS, spec_for
from natrium.cell.ratings import Ratings
from natrium.exceptions import OptionError, ParameterError
from natrium.materials import (
    FAMILIES,
    ActiveMaterial,
    Component,
    get_active,
    get_component,
)
from natrium.units import AH, KWH, LITRE, MAH_PER_CM2, WH

Array = NDArray[np.float64]

#: Relative tolerance on mass fractions summing to one.
FRACTION_SUM_TOLERANCE = 1e-6
#: Sodium beyond the anode's capacity that counts as rounding, not plating [-].
OVERFILL_TOLERANCE = 1e-6
#: Overfill of a can that counts as rounding [m].
FIT_TOLERANCE = 1e-9


@dataclass(frozen=True)
class ElectrodeSpec:
    """One electrode: its coating recipe, loading and foil (SI units).

    Give exactly one of ``areal_capacity`` [C m⁻²] (reversible capacity of the
    active material per coated side), ``areal_mass`` [kg m⁻²] (whole coating
    per side) or ``thickness`` [m] (coating per side); an anode may give none
    when the cell sets an N/P ratio.
    """

    active: str
    active_fraction: float
    binder: str
    binder_fraction: float
    conductive: str
    conductive_fraction: float
    porosity: float
    areal_capacity: float | None = None
    areal_mass: float | None = None
    thickness: float | None = None
    foil: str = "aluminium"
    foil_thickness: float | None = None

    def loading(self) -> dict[str, float]:
        return {k: v for k in LOADING_KEYS if (v := getattr(self, k)) is not None}


@dataclass(frozen=True)
class CellDesign:
    """A complete cell design. Validated on creation.

    ``geometry`` holds the format's parameters in SI (``electrode_width``,
    ``cathode_layers`` for a pouch; ``width``, ``height``, ``thickness`` for a
    prismatic can); anything not given comes from the format's size in
    ``cell/data/formats.toml``. ``cell`` overrides the conventions of
    ``cell/data/defaults.toml`` (``anode_overhang``, ``electrolyte_fill`` ...).
    ``ratings`` holds the datasheet currents and temperature windows of the
    cell's class (SI), which the applications size within.
    """

    name: str
    cathode: ElectrodeSpec
    anode: ElectrodeSpec
    format: str
    size: str | None = None
    np_ratio: float | None = None
    separator: str = "pe-16"
    electrolyte: str = "napf6-ec-pc"
    geometry: Mapping[str, float] = field(default_factory=dict)
    cell: Mapping[str, float] = field(default_factory=dict)
    first_cycle_loss: float | None = None
    description: str = ""
    #: The housing's material (a casing_material key, a pouch_laminate key for
    #: a pouch); default the one ``formats.toml`` gives the format's size.
    casing: str | None = None
    #: Datasheet current and temperature ratings (:class:`Ratings`), if known.
    ratings: Ratings | None = None

    def __post_init__(self) -> None:
        _validate(self)

    def parameters(self) -> dict[str, float]:
        """Every numeric parameter, flattened to SI floats (defaults filled in)."""
        return _flatten(self)

    @property
    def voltage_window(self) -> tuple[float, float]:
        """The operating window [V]: end-of-discharge and charge voltages, the
        design's ``cell.voltage_window`` or its chemistry family's default
        (``cell/data/defaults.toml``). Capacity and energy are counted inside
        it, and simulations cut off at it."""
        p = self.parameters()
        return p["cell.voltage_min"], p["cell.voltage_max"]

    @property
    def chemistry(self) -> str:
        """The cell's chemistry family: its cathode material's ``family``
        (``natrium.materials.FAMILIES``, e.g. ``"na-pba"``, ``"li-lfp"``).

        Every application and plant figure is looked up by it; a cathode whose
        data give no family is an error here, never a guess.
        """
        material = get_active(self.cathode.active)
        if material.family is None:
            raise OptionError(
                f"cathode material {material.key!r} has no chemistry family in its "
                f"data; add family = one of {', '.join(FAMILIES)} to its table"
            )
        return material.family

    def chemistry_key(self, groups: Mapping[str, Any], what: str) -> str:
        """The key under which a data file of ``what`` holds this cell's
        chemistry: ``groups`` maps each key to the families it covers (for
        example ``{"na_ion": ["na-pba", ...], "lfp": ["li-lfp"]}``). A family
        with no key is an :class:`OptionError`, never a substitute."""
        family = self.chemistry
        for key, families in groups.items():
            if family in families:
                return str(key)
        covered = sorted({f for fams in groups.values() for f in fams})
        raise OptionError(
            f"{what} has no data for the chemistry family {family!r} of "
            f"{self.name!r} (cathode {self.cathode.active!r}); valid: "
            f"{', '.join(covered)}"
        )


@dataclass(frozen=True)
class _Materials:
    cathode: ActiveMaterial
    anode: ActiveMaterial
    binders: tuple[Component, Component]
    conductives: tuple[Component, Component]
    foils: tuple[Component, Component]
    separator: Component
    electrolyte: Component
    casing: Component
    tabs: tuple[Component, Component]
    insulation: Component


def _materials(d: CellDesign) -> _Materials:
    cathode, anode = get_active(d.cathode.active), get_active(d.anode.active)
    fmt_size, table = format_table(d.format, d.size)
    casing_key = d.casing or str(table.get(FORMATS[d.format].casing, ""))
    casing_category = "pouch_laminate" if d.format == "pouch" else "casing_material"
    anode_tab = "aluminium" if d.anode.foil == "aluminium" else "nickel"
    del fmt_size
    return _Materials(
        cathode=cathode,
        anode=anode,
        binders=(
            get_component("binder", d.cathode.binder),
            get_component("binder", d.anode.binder),
        ),
        conductives=(
            get_component("conductive_additive", d.cathode.conductive),
            get_component("conductive_additive", d.anode.conductive),
        ),
        foils=(
            get_component("foil", d.cathode.foil),
            get_component("foil", d.anode.foil),
        ),
        separator=get_component("separator", d.separator),
        electrolyte=get_component("electrolyte", d.electrolyte),
        casing=_casing(d, casing_category, casing_key),
        tabs=(get_component("tab", "aluminium"), get_component("tab", anode_tab)),
        insulation=get_component("insulation", "pet-film"),
    )


def _casing(d: CellDesign, category: str, key: str) -> Component:
    """The housing's material, named by the design's ``casing`` when given."""
    try:
        return get_component(category, key)
    except OptionError as err:
        if d.casing is None:
            raise
        valid = str(err).partition("; valid: ")[2]
        kind = "pouch laminate" if d.format == "pouch" else "can material"
        raise OptionError(
            f"casing = {d.casing!r} is not a known {kind} for a {d.format} cell; "
            f"valid: {valid}"
        ) from err


def _validate(d: CellDesign) -> None:
    """Check names, roles and every number; raise with field, value, range, unit."""
    m = _materials(d)
    for label, electrode, material in (
        ("cathode", d.cathode, m.cathode),
        ("anode", d.anode, m.anode),
    ):
        if material.role != label:
            raise ParameterError(
                f"{label}.active = {electrode.active!r} is a "
                f"{material.role} material; choose a {label} material"
            )
        given = electrode.loading()
        if len(given) > 1:
            raise ParameterError(
                f"{label}: give one of {', '.join(LOADING_KEYS)}, "
                f"not {', '.join(given)}"
            )
    if m.cathode.ion != m.anode.ion:
        raise ParameterError(
            f"cathode {m.cathode.key!r} shuttles {m.cathode.ion} but "
            f"anode {m.anode.key!r} shuttles {m.anode.ion}"
        )
    if not d.cathode.loading():
        raise ParameterError(
            "cathode: give its loading as areal_capacity (mAh/cm^2), "
            "areal_mass (mg/cm^2) or thickness (um)"
        )
    if bool(d.anode.loading()) == (d.np_ratio is not None):
        raise ParameterError(
            "anode: give either np_ratio for the cell or one anode "
            "loading (areal_capacity, areal_mass or thickness), "
            "not both and not neither"
        )
    _check_required_geometry(d)
    _check_known_names(d)
    params = _check_numbers(d.parameters())
    low, high = params["cell.voltage_min"], params["cell.voltage_max"]
    if np.any(low >= high):
        raise ParameterError(
            f"cell.voltage_window = [{float(low):g} V, {float(high):g} V]: the "
            "minimum must be below the maximum (valid: each in (0, 10) V)"
        )
    if "electrolyte_fill" in d.cell and "electrolyte_per_capacity" in d.cell:
        raise ParameterError(
            "cell: give electrolyte_fill (x pore volume) or electrolyte_per_capacity "
            "(g/Ah), not both"
        )
    if d.format == "coin":
        _check_coin(d, params)


def _check_required_geometry(d: CellDesign) -> None:
    missing = [k for k in FORMATS[d.format].required if k not in d.geometry]
    if missing:
        raise ParameterError(f"{d.format} cell needs geometry {', '.join(missing)}")


def _check_coin(d: CellDesign, p: Mapping[str, Array]) -> None:
    """Discs nest: cathode <= anode <= separator <= case; the fill is fixed."""
    order = (
        "cathode_disc_diameter",
        "anode_disc_diameter",
        "separator_disc_diameter",
        "diameter",
    )
    sizes = [float(p[f"geometry.{k}"]) for k in order]
    for (small, a), (large, b) in zip(
        zip(order, sizes, strict=True),
        zip(order[1:], sizes[1:], strict=True),
        strict=False,
    ):
        if a > b:
            raise ParameterError(
                f"geometry.{small} = {a * 1e3:g} mm is larger than "
                f"geometry.{large} = {b * 1e3:g} mm; valid: at most "
                f"{b * 1e3:g} mm"
            )
    if "electrolyte_fill" in d.cell or "electrolyte_per_capacity" in d.cell:
        raise OptionError(
            "cell.electrolyte_fill and electrolyte_per_capacity do not apply to a "
            "coin cell; set "
            "geometry.electrolyte_volume instead"
        )


#: Cell conventions that only a stack of sheets has.
_STACKED_ONLY = ("outer_cathodes", "outer_double_sided", "separator_z_fold")


def _check_known_names(d: CellDesign) -> None:
    spec = FORMATS[d.format]
    known = set(spec.units)
    for key in d.geometry:
        if key not in known:
            raise OptionError(
                f"geometry.{key} is not a {d.format} parameter; valid: "
                f"{', '.join(sorted(known))}"
            )
    for key in d.cell:
        if key == "outer_anodes_double_sided":
            raise OptionError(
                "cell.outer_anodes_double_sided is now cell.outer_double_sided "
                "(it applies to whichever electrode is outermost)"
            )
        if key in _STACKED_ONLY and d.format not in ("pouch", "prismatic"):
            raise OptionError(
                f"cell.{key} applies to stacked cells (pouch, prismatic), not a "
                f"{d.format} cell"
            )
        if key not in CELL or key in ("np_ratio", "first_cycle_loss"):
            valid = sorted(set(CELL) - {"np_ratio", "first_cycle_loss"})
            raise OptionError(
                f"cell.{key} is not a cell convention; valid: {', '.join(valid)}"
            )


def _check_numbers(params: Mapping[str, ArrayLike]) -> dict[str, Array]:
    """Range-check every parameter and the sums of mass fractions."""
    checked = {name: _spec(name).check(name, value) for name, value in params.items()}
    for name in (
        "geometry.cathode_layers",
        "geometry.assemblies",
        "cell.outer_separator_wraps",
        "cell.electrolyte_fills_separator",
        "cell.outer_cathodes",
        "cell.outer_double_sided",
        "cell.separator_z_fold",
    ):
        if name in checked:
            value = checked[name]
            fractional = value != np.round(value)
            if np.any(fractional):
                shown = (
                    float(np.asarray(value)[fractional].flat[0])
                    if np.ndim(value)
                    else float(value)
                )
                raise ParameterError(f"{name} = {shown:g} is not a whole number [-]")
    for label in ("cathode", "anode"):
        total = sum(
            checked[f"{label}.{k}_fraction"] for k in ("active", "binder", "conductive")
        )
        bad = np.abs(np.asarray(total) - 1.0) > FRACTION_SUM_TOLERANCE
        if np.any(bad):
            shown = (
                float(np.asarray(total)[bad].flat[0])
                if np.ndim(total)
                else float(total)
            )
            raise ParameterError(
                f"{label} mass fractions (active + binder + conductive) "
                f"sum to {shown:g}; they must sum to 1 [-]"
            )
    return checked


def _spec(name: str) -> Any:
    try:
        return spec_for(name, _GEOMETRY_UNITS.get(name))
    except KeyError as err:
        raise OptionError(f"unknown design parameter {name!r}") from err


_GEOMETRY_UNITS: dict[str, str] = {
    f"geometry.{k}": u for spec in FORMATS.values() for k, u in spec.units.items()
}


def _flatten(d: CellDesign) -> dict[str, float]:
    out: dict[str, float] = {}
    for label, e in (("cathode", d.cathode), ("anode", d.anode)):
        foil = get_component("foil", e.foil)
        for key in (
            "active_fraction",
            "binder_fraction",
            "conductive_fraction",
            "porosity",
        ):
            out[f"{label}.{key}"] = float(getattr(e, key))
        for key, value in e.loading().items():
            out[f"{label}.{key}"] = float(value)
        out[f"{label}.foil_thickness"] = float(
            e.foil_thickness if e.foil_thickness is not None else foil["thickness"]
        )
    conventions = {k: v.value for k, v in design_defaults().items()}
    if "voltage_min" not in d.cell or "voltage_max" not in d.cell:
        low, high = family_voltage_window(d.chemistry)
        conventions.update(voltage_min=low.value, voltage_max=high.value)
    conventions.update(d.cell)
    for key, value in conventions.items():
        out[f"cell.{key}"] = float(value)
    if d.np_ratio is not None:
        out["cell.np_ratio"] = float(d.np_ratio)
    if d.first_cycle_loss is not None:
        out["cell.first_cycle_loss"] = float(d.first_cycle_loss)
    geometry = {k: v.value for k, v in format_defaults(d.format, d.size).items()}
    geometry.update(d.geometry)
    for key, value in geometry.items():
        out[f"geometry.{key}"] = float(value)
    return out


# --------------------------------------------------------------------- the core


def _compute(d: CellDesign, p: Mapping[str, Array]) -> dict[str, Array]:
    """Vectorised design arithmetic on checked SI parameter arrays."""
    m = _materials(d)
    electrodes = {}
    for i, (label, active) in enumerate((("cathode", m.cathode), ("anode", m.anode))):
        electrodes[label] = _coating(label, active, m.binders[i], m.conductives[i], p)
    cat, an = electrodes["cathode"], electrodes["anode"]

    # Anode loading from the N/P ratio when the cell sets it.
    if "cell.np_ratio" in p:
        an["active_areal_mass"] = (
            p["cell.np_ratio"]
            * cat["active_areal_mass"]
            * m.cathode.practical_capacity.value
            / m.anode.practical_capacity.value
        )
        _finish_coating(an, p["anode.active_fraction"])
    np_ratio = (
        an["active_areal_mass"]
        * m.anode.practical_capacity.value
        / (cat["active_areal_mass"] * m.cathode.practical_capacity.value)
    )

    stack = Stack(
        cathode_foil=p["cathode.foil_thickness"],
        cathode_coating=cat["thickness"],
        anode_foil=p["anode.foil_thickness"],
        anode_coating=an["thickness"],
        separator=np.asarray(m.separator["thickness"]),
        anode_overhang=p["cell.anode_overhang"],
        separator_overhang=p["cell.separator_overhang"],
        anode_overhang_height=p.get("cell.anode_overhang_height"),
        separator_overhang_height=p.get("cell.separator_overhang_height"),
        outer_cathodes=p["cell.outer_cathodes"],
        outer_double_sided=p["cell.outer_double_sided"],
        foil_tab_area=p["cell.foil_tab_area"],
        separator_z_fold=p["cell.separator_z_fold"],
        outer_separator_wraps=p["cell.outer_separator_wraps"],
    )
    geometry = {
        k.removeprefix("geometry."): v
        for k, v in p.items()
        if k.startswith("geometry.")
    }
    geometry.update(_housing_properties(m))
    geometry["winding_clearance"] = p["cell.winding_clearance"]
    g = FORMATS[d.format].function(stack, geometry)
    _check_geometry(d, g)

    chemistry = _electrochemistry(m, p, cat, an, g)
    out = _masses(m, p, cat, an, g, chemistry["capacity"])
    out.update(chemistry)
    out["voltage_min"] = p["cell.voltage_min"]
    out["voltage_max"] = p["cell.voltage_max"]
    # compute_arrays broadcasts every output to the sweep's shape at the end.
    extra = {
        "np_ratio": np_ratio,
        "cathode_coating_thickness": cat["thickness"],
        "cathode_coating_density": cat["density"],
        "anode_coating_density": an["density"],
        "anode_coating_thickness": an["thickness"],
        "cathode_areal_capacity": cat["active_areal_mass"]
        * m.cathode.practical_capacity.value,
        "cathode_active_volume_fraction": cat["active_volume_fraction"],
        "anode_active_volume_fraction": an["active_volume_fraction"],
        "cathode_layers": g["cathode_layers"],
        "electrode_sheets": g["electrode_sheets"],
        "facing_area": g["facing_area"],
        "cathode_coated_area": g["cathode_coated_area"],
        "cathode_foil_area": g["cathode_foil_area"],
        "anode_foil_area": g["anode_foil_area"],
        "external_volume": g["external_volume"],
        "external_area": g["external_area"],
        "fit_margin": g.get("fit_margin", np.zeros_like(g["external_volume"])),
    }
    for fit in ("needed", "available"):
        for dimension in ("thickness", "width", "height"):
            key = f"{fit}_{dimension}"
            extra[key] = g.get(key, np.zeros(()))
    out.update({k: np.asarray(v, dtype=float) for k, v in extra.items()})
    return out


def _coating(
    label: str,
    active: ActiveMaterial,
    binder: Component,
    conductive: Component,
    p: Mapping[str, Array],
) -> dict[str, Array]:
    fractions = tuple(
        p[f"{label}.{k}_fraction"] for k in ("active", "binder", "conductive")
    )
    densities = (active.density.value, binder["density"], conductive["density"])
    rho = coating_density(fractions, densities, p[f"{label}.porosity"])
    c: dict[str, Array] = {
        "density": rho,
        "active_density": np.asarray(active.density.value),
    }
    w_active = p[f"{label}.active_fraction"]
    if f"{label}.areal_capacity" in p:
        c["active_areal_mass"] = active_areal_mass_from_capacity(
            p[f"{label}.areal_capacity"], active.practical_capacity.value
        )
    elif f"{label}.areal_mass" in p:
        c["active_areal_mass"] = p[f"{label}.areal_mass"] * w_active
    elif f"{label}.thickness" in p:
        c["active_areal_mass"] = p[f"{label}.thickness"] * rho * w_active
    else:  # the anode of an N/P-balanced cell, filled in by the caller
        return c
    _finish_coating(c, w_active)
    return c


def _finish_coating(c: dict[str, Array], active_fraction: Array) -> None:
    c["areal_mass"] = c["active_areal_mass"] / active_fraction
    c["thickness"] = coating_thickness(c["areal_mass"], c["density"])
    c["active_volume_fraction"] = c["density"] * active_fraction / c["active_density"]


def _housing_properties(m: _Materials) -> dict[str, Array]:
    props: dict[str, float] = {
        "cathode_tab_density": m.tabs[0]["density"],
        "anode_tab_density": m.tabs[1]["density"],
    }
    if m.casing.category == "pouch_laminate":
        props["laminate_thickness"] = m.casing["thickness"]
        props["laminate_areal_density"] = m.casing["areal_density"]
    else:
        props["can_density"] = m.casing["density"]
    return {k: np.asarray(v) for k, v in props.items()}


def _check_geometry(d: CellDesign, g: Mapping[str, Array]) -> None:
    if d.cell.get("outer_cathodes") and np.any(g["facing_area"] <= 0):
        raise ParameterError(
            "cell.outer_cathodes = 1 needs at least 2 cathode layers per assembly "
            "(n cathodes face n - 1 anodes); geometry.cathode_layers is 1"
        )
    if np.any(g["facing_area"] <= 0) or np.any(g["cathode_layers"] <= 0):
        raise ParameterError(
            f"the {d.format} housing leaves no room for an electrode: check its "
            "dimensions against the coating thicknesses (geometry.* in mm, loadings)"
        )


def _masses(
    m: _Materials,
    p: Mapping[str, Array],
    cat: Mapping[str, Array],
    an: Mapping[str, Array],
    g: Mapping[str, Array],
    capacity: Array,
) -> dict[str, Array]:
    out: dict[str, Array] = {}
    for label, c, area, foil_area, foil in (
        ("cathode", cat, g["cathode_coated_area"], g["cathode_foil_area"], m.foils[0]),
        ("anode", an, g["anode_coated_area"], g["anode_foil_area"], m.foils[1]),
    ):
        coating = area * c["areal_mass"]
        out[f"mass.{label}_active"] = area * c["active_areal_mass"]
        out[f"mass.{label}_binder"] = coating * p[f"{label}.binder_fraction"]
        out[f"mass.{label}_conductive"] = coating * p[f"{label}.conductive_fraction"]
        out[f"mass.{label}_foil"] = (
            foil_area * p[f"{label}.foil_thickness"] * foil["density"]
        )
        out[f"pores.{label}"] = area * c["thickness"] * p[f"{label}.porosity"]
    out["mass.separator"] = g["separator_area"] * m.separator.separator_areal_density
    sep_pores = g["separator_area"] * m.separator["thickness"] * m.separator["porosity"]
    pore_volume = (
        out.pop("pores.cathode")
        + out.pop("pores.anode")
        + p["cell.electrolyte_fills_separator"] * sep_pores
    )
    if "cell.electrolyte_per_capacity" in p:
        # a fill given as a maker does, in grams per amp-hour of the cell
        per_pores = (
            p["cell.electrolyte_per_capacity"] * capacity / m.electrolyte["density"]
        )
    else:
        per_pores = p["cell.electrolyte_fill"] * pore_volume
    volume = g.get("electrolyte_volume", per_pores)
    out["electrolyte_volume"] = volume
    out["mass.electrolyte"] = volume * m.electrolyte["density"]
    out["mass.casing"] = g["casing_mass"]
    out["mass.lid"] = g.get("lid_mass", np.zeros_like(g["casing_mass"]))
    out["mass.terminals"] = g.get("terminal_mass", np.zeros_like(g["casing_mass"]))
    out["mass.hardware"] = g["hardware_mass"]
    out["mass.insulation"] = (
        p["cell.insulation_area"] * m.insulation["thickness"] * m.insulation["density"]
    )
    out["mass.cathode_tab"] = g["cathode_tab_mass"]
    out["mass.anode_tab"] = g["anode_tab_mass"]
    out["mass"] = functools.reduce(
        np.add, [v for k, v in out.items() if k.startswith("mass.")]
    )
    return out


def _electrochemistry(
    m: _Materials,
    p: Mapping[str, Array],
    cat: Mapping[str, Array],
    an: Mapping[str, Array],
    g: Mapping[str, Array],
) -> dict[str, Array]:
    q_c, q_a = m.cathode.practical_capacity.value, m.anode.practical_capacity.value
    # only the cathode faces across a separator from an anode cycle
    cathode_rev = g["facing_area"] * cat["active_areal_mass"] * q_c
    anode_facing = g["facing_area"] * an["active_areal_mass"] * q_a
    anode_total = g["anode_coated_area"] * an["active_areal_mass"] * q_a
    first_charge = cathode_rev / m.cathode.first_cycle_efficiency.value
    if "cell.first_cycle_loss" in p:
        lost = p["cell.first_cycle_loss"] * first_charge
    else:
        lost = anode_total * (1.0 / m.anode.first_cycle_efficiency.value - 1.0)
    inventory = first_charge - lost
    if np.any(inventory <= 0):
        raise ParameterError(
            "the first-cycle loss consumes all cyclable sodium (lithium): lower "
            "cell.np_ratio or cell.first_cycle_loss"
        )
    # Sodium (lithium) in the anode above its empty end, at the top of charge and
    # at the end of discharge: charging stops when the cathode reaches its charged
    # end or the anode is full; discharging when the anode is empty or the
    # cathode full. What the cathode cannot take back stays in the anode.
    anode_top = np.minimum(inventory, anode_facing)
    anode_bottom = np.maximum(inventory - cathode_rev, 0.0)
    capacity = anode_top - anode_bottom
    limit = np.where(
        inventory > anode_facing, 2, np.where(inventory > cathode_rev, 0, 1)
    )

    c_lo, c_hi = m.cathode.window
    a_lo, a_hi = m.anode.window
    per_sto_c = cathode_rev / (c_hi - c_lo)
    per_sto_a = anode_facing / (a_hi - a_lo)
    cathode_ocp, anode_ocp = m.cathode.ocp, m.anode.ocp

    # The discharge path from the electrodes' top of charge: q [C] moved from
    # the anode to the cathode. The datasheet's cell cycles on it between the
    # window's voltages, or between the electrodes' ends where they come first.
    def cathode_x(q: Array) -> Array:
        return c_lo + (inventory - anode_top + q) / per_sto_c

    def anode_x(q: Array) -> Array:
        return a_lo + (anode_top - q) / per_sto_a

    def ocv(q: Array) -> Array:
        return cathode_ocp(cathode_x(q)) - anode_ocp(anode_x(q))

    full = anode_top - anode_bottom
    v_min, v_max = p["cell.voltage_min"], p["cell.voltage_max"]
    start = _first_below(ocv, v_max, full)
    stop = _first_below(ocv, v_min, full)
    capacity = stop - start
    x_c_top, x_c_end = cathode_x(start), cathode_x(stop)
    x_a_top, x_a_end = anode_x(start), anode_x(stop)
    energy = per_sto_c * (
        cathode_ocp.integral(x_c_end) - cathode_ocp.integral(x_c_top)
    ) - per_sto_a * (anode_ocp.integral(x_a_top) - anode_ocp.integral(x_a_end))
    return {
        "capacity": capacity,
        "energy": energy,
        "nominal_voltage": energy / np.where(capacity > 0, capacity, np.nan),
        "cathode_capacity": cathode_rev,
        "electrode_capacity": full,
        "first_cycle_loss": lost / first_charge,
        "limited_by": limit.astype(float),
        "anode_overfill": np.maximum(inventory - anode_facing, 0.0) / anode_facing,
        "cathode_top_stoichiometry": x_c_top,
        "cathode_end_stoichiometry": x_c_end,
        "anode_top_stoichiometry": x_a_top,
        "anode_end_stoichiometry": x_a_end,
        # the open-circuit voltages at the electrodes' own ends, and whether
        # the window (rather than an electrode) ends the charge and discharge
        "ocv_electrode_top": ocv(np.zeros_like(full)),
        "ocv_electrode_end": ocv(full),
        "ocv_top": ocv(start),
        "ocv_end": ocv(stop),
        "top_by_window": (start > 0).astype(float),
        "end_by_window": (stop < full).astype(float),
    }


#: Bisection steps for the window's ends: 2^-60 of the capacity.
_BISECTION_STEPS = 60


def _first_below(ocv: Any, voltage: Array, full: Array) -> Array:
    """The charge [C] along the discharge path at which the open-circuit
    voltage first falls to ``voltage``: 0 when it starts below, ``full`` when
    it never reaches it. The OCV falls monotonically along the path (both
    tables are monotone), so bisection finds the one crossing."""
    low = np.zeros(np.broadcast_shapes(np.shape(voltage), np.shape(full)))
    high = np.broadcast_to(full, low.shape).astype(float)
    for _ in range(_BISECTION_STEPS):
        middle = 0.5 * (low + high)
        above = ocv(middle) > voltage
        low = np.where(above, middle, low)
        high = np.where(above, high, middle)
    starts_below = ocv(np.zeros_like(high)) <= voltage
    never = ocv(np.broadcast_to(full, low.shape)) > voltage
    return np.where(starts_below, 0.0, np.where(never, full, 0.5 * (low + high)))


# ------------------------------------------------------------------ public API

#: Names of the bill-of-materials rows and where their material comes from.
_BOM_ROWS = (
    ("cathode active", "mass.cathode_active", "cathode"),
    ("cathode binder", "mass.cathode_binder", "binder0"),
    ("cathode conductive additive", "mass.cathode_conductive", "conductive0"),
    ("cathode foil", "mass.cathode_foil", "foil0"),
    ("anode active", "mass.anode_active", "anode"),
    ("anode binder", "mass.anode_binder", "binder1"),
    ("anode conductive additive", "mass.anode_conductive", "conductive1"),
    ("anode foil", "mass.anode_foil", "foil1"),
    ("separator", "mass.separator", "separator"),
    ("electrolyte", "mass.electrolyte", "electrolyte"),
    ("casing", "mass.casing", "casing"),
    ("lid", "mass.lid", "casing"),
    ("terminals", "mass.terminals", "tab0"),
    ("hardware (cap, vent, spacers, tape)", "mass.hardware", "casing"),
    ("insulation", "mass.insulation", "insulation"),
    ("cathode tab", "mass.cathode_tab", "tab0"),
    ("anode tab", "mass.anode_tab", "tab1"),
)


def _row_material(m: _Materials, which: str) -> tuple[str, float]:
    """Material key and density [kg m⁻³] of a BOM row."""
    lookup: dict[str, ActiveMaterial | Component] = {
        "cathode": m.cathode,
        "anode": m.anode,
        "binder0": m.binders[0],
        "binder1": m.binders[1],
        "conductive0": m.conductives[0],
        "conductive1": m.conductives[1],
        "foil0": m.foils[0],
        "foil1": m.foils[1],
        "separator": m.separator,
        "electrolyte": m.electrolyte,
        "casing": m.casing,
        "tab0": m.tabs[0],
        "tab1": m.tabs[1],
        "insulation": m.insulation,
    }
    item = lookup[which]
    if isinstance(item, ActiveMaterial):
        return item.key, item.density.value
    if item.category == "separator":
        # the film's solid volume: its pores hold electrolyte, counted there
        solid = item.get("density")
        if solid is None:
            solid = item.separator_areal_density / (
                item["thickness"] * (1.0 - item["porosity"])
            )
        return item.key, solid
    if item.category == "pouch_laminate":
        return item.key, item["areal_density"] / item["thickness"]
    return item.key, item["density"]


@dataclass(frozen=True)
class CellReport:
    """What a design gives: datasheet figures and its bill of materials.

    The attributes are SI (``capacity`` [C], ``energy`` [J], ``mass`` [kg],
    ``volume`` [m³], ``cathode_active_mass`` [kg], ``nominal_voltage`` [V]); the
    layers above read these. :attr:`metrics`, :attr:`bom` and
    :attr:`materials_per_kwh` are the same figures in battery units for people
    (the datasheet), and :meth:`to_dict` prints them.
    """

    design: CellDesign
    metrics: pd.Series
    bom: pd.DataFrame
    materials_per_kwh: pd.Series
    citations: tuple[str, ...]
    capacity: float = 0.0  # [C]
    energy: float = 0.0  # [J]
    nominal_voltage: float = 0.0  # [V]
    mass: float = 0.0  # [kg]
    volume: float = 0.0  # external [m³]
    component_mass: Mapping[str, float] = field(default_factory=dict)  # [kg]

    def mass_of(self, row: str) -> float:
        """Mass of one bill-of-materials row, e.g. ``"cathode active"`` [kg]."""
        if row not in self.component_mass:
            raise OptionError(
                f"no bill-of-materials row {row!r}; valid: "
                f"{', '.join(self.component_mass)}"
            )
        return self.component_mass[row]

    def mass_per_energy(self, material: str) -> float:
        """Mass of a material per unit of cell energy [kg J⁻¹]."""
        rows = self.bom.index[self.bom["material"] == material]
        if len(rows) == 0:
            raise OptionError(
                f"{self.design.name} holds no {material!r}; valid: "
                f"{', '.join(dict.fromkeys(self.bom['material']))}"
            )
        return sum(self.component_mass[str(r)] for r in rows) / self.energy

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dictionary (battery units, as in :attr:`metrics`)."""
        out: dict[str, Any] = {"name": self.design.name}
        out.update({str(k): _plain(v) for k, v in self.metrics.items()})
        out["bom"] = [
            {k: _plain(v) for k, v in row.items()}
            for row in self.bom.reset_index().to_dict(orient="records")
        ]
        out["materials_kg_per_kWh"] = {
            k: float(v) for k, v in self.materials_per_kwh.items()
        }
        out["citations"] = list(self.citations)
        return out


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    return value


_LIMITS = ("cathode", "sodium inventory", "anode")


def _assumptions(
    design: CellDesign, m: _Materials, r: Mapping[str, float]
) -> dict[str, Any]:
    """What the datasheet assumed: the window and where it came from, what
    ends the charge and the discharge, the housing, the stack, the fill."""
    given = "voltage_min" in design.cell and "voltage_max" in design.cell
    source = (
        "design file"
        if given
        else "default of the chemistry family "
        + design.chemistry
        + " ("
        + ", ".join(
            dict.fromkeys(v.ref for v in family_voltage_window(design.chemistry))
        )
        + ")"
    )
    p = design.parameters()
    return {
        "voltage_min_V": r["voltage_min"],
        "voltage_max_V": r["voltage_max"],
        "voltage_window_from": source,
        "charge_ends_at": "voltage_max" if r["top_by_window"] else "electrodes",
        "discharge_ends_at": "voltage_min" if r["end_by_window"] else "electrodes",
        "electrode_capacity_Ah": r["electrode_capacity"] / AH,
        "casing_material": m.casing.key,
        "assemblies": p.get("geometry.assemblies", 1.0),
        "stack": "given layers"
        if "cathode_layers" in design.geometry
        else "fills the housing"
        if design.format == "prismatic"
        else "wound"
        if design.format == "cylindrical"
        else design.format,
        "outer_electrodes": "cathodes" if p["cell.outer_cathodes"] else "anodes",
        "outer_double_sided": bool(p["cell.outer_double_sided"]),
        "separator": "z-fold" if p["cell.separator_z_fold"] else "sheets",
        "foil_tab_area_mm2": p["cell.foil_tab_area"] * 1e6,
        "insulation_area_cm2": p["cell.insulation_area"] * 1e4,
        "ocv_charged_V": r["ocv_top"],
        "ocv_discharged_V": r["ocv_end"],
        "electrolyte_fill": None
        if design.format == "coin" or "cell.electrolyte_per_capacity" in p
        else p["cell.electrolyte_fill"],
        "electrolyte_fills_separator": bool(p["cell.electrolyte_fills_separator"]),
        "electrolyte_g_per_Ah": r["mass.electrolyte"] * 1e3 / (r["capacity"] / AH),
    }


def evaluate(design: CellDesign) -> CellReport:
    """Bill of materials and datasheet figures of one design."""
    with citations.collect() as used:
        return _evaluate(design, used)


def _evaluate(design: CellDesign, used: Mapping[str, None]) -> CellReport:
    params = _check_numbers(design.parameters())
    m = _materials(design)
    r = {k: float(v) for k, v in _compute(design, params).items()}
    check_plating(design, r["anode_overfill"], r["np_ratio"])
    check_window(design, r)
    check_fit(design, r)
    energy_wh = r["energy"] / WH
    volume_l = r["external_volume"] / LITRE
    inventory_word = (
        "lithium inventory" if m.cathode.ion == "Li" else "sodium inventory"
    )
    limits = (_LIMITS[0], inventory_word, _LIMITS[2])
    metrics = pd.Series(
        {
            "capacity_Ah": r["capacity"] / AH,
            "nominal_voltage_V": r["nominal_voltage"],
            "energy_Wh": energy_wh,
            "mass_kg": r["mass"],
            "volume_L": volume_l,
            "specific_energy_Wh_per_kg": energy_wh / r["mass"],
            "energy_density_Wh_per_L": energy_wh / volume_l,
            "cathode_areal_capacity_mAh_per_cm2": r["cathode_areal_capacity"]
            / MAH_PER_CM2,
            "cell_areal_capacity_mAh_per_cm2": r["capacity"]
            / r["facing_area"]
            / MAH_PER_CM2,
            "cathode_coating_thickness_um": r["cathode_coating_thickness"] * 1e6,
            "cathode_coating_density_g_per_cm3": r["cathode_coating_density"] / 1e3,
            "anode_coating_density_g_per_cm3": r["anode_coating_density"] / 1e3,
            "anode_coating_thickness_um": r["anode_coating_thickness"] * 1e6,
            "np_ratio": r["np_ratio"],
            "first_cycle_loss": r["first_cycle_loss"],
            "capacity_limited_by": limits[int(r["limited_by"])],
            "cathode_layers_or_wound_length": r["cathode_layers"],
            "electrolyte_volume_mL": r["electrolyte_volume"] * 1e6,
            **_assumptions(design, m, r),
        }
    )
    rows = []
    for name, key, which in _BOM_ROWS:
        material, density = _row_material(m, which)
        mass = r[key]
        if mass <= 0:
            continue
        volume = (
            r["electrolyte_volume"] if key == "mass.electrolyte" else mass / density
        )
        rows.append(
            {
                "name": name,
                "material": material,
                "mass_kg": mass,
                "volume_L": volume / LITRE,
                "mass_fraction": mass / r["mass"],
            }
        )
    bom = pd.DataFrame(rows).set_index("name")
    per_kwh = bom.groupby("material", sort=False)["mass_kg"].sum() / (r["energy"] / KWH)
    per_kwh.name = "kg_per_kWh"
    return CellReport(
        design,
        metrics,
        bom,
        per_kwh,
        tuple(used),
        capacity=r["capacity"],
        energy=r["energy"],
        nominal_voltage=r["nominal_voltage"],
        mass=r["mass"],
        volume=r["external_volume"],
        component_mass={str(k): float(v) for k, v in bom["mass_kg"].items()},
    )


def evaluate_designs(
    design: CellDesign, overrides: Mapping[str, ArrayLike] | None = None
) -> pd.DataFrame:
    """Evaluate many variants of ``design`` in one vectorised call.

    ``overrides`` maps flattened parameter names (see
    :meth:`CellDesign.parameters`) to arrays that broadcast together; the
    result has one row per variant (broadcast shapes are flattened in C order),
    the overridden parameters first, then the outputs in SI units with the
    component masses.

    Examples
    --------
    >>> import numpy as np
    >>> from natrium.io import load_example
    >>> df = evaluate_designs(load_example("pw_hc_pouch"),
    ...                       {"cathode.porosity": np.linspace(0.25, 0.40, 4)})
    >>> len(df)
    4
    """
    columns = compute_arrays(design, overrides)
    shape = next(iter(columns.values())).shape
    frame = {
        name: np.broadcast_to(np.asarray(value, dtype=float), shape).ravel()
        for name, value in (overrides or {}).items()
    }
    frame.update({name: value.ravel() for name, value in columns.items()})
    return pd.DataFrame(frame)


def compute_arrays(
    design: CellDesign, overrides: Mapping[str, ArrayLike] | None = None
) -> dict[str, Array]:
    """Like :func:`evaluate_designs` but returns a dict of broadcast arrays."""
    params: dict[str, ArrayLike] = dict(design.parameters())
    for name, value in (overrides or {}).items():
        if name not in params and not _is_loading_switch(name, params):
            raise OptionError(
                f"cannot override {name!r}: not a parameter of this "
                f"design; valid: {', '.join(sorted(params))}"
            )
        if _is_loading_switch(name, params):
            label = name.split(".")[0]
            for key in LOADING_KEYS:
                params.pop(f"{label}.{key}", None)
            if label == "anode":
                params.pop("cell.np_ratio", None)
        if name == "cell.np_ratio":
            for key in LOADING_KEYS:
                params.pop(f"anode.{key}", None)
        params[name] = value
    checked = _check_numbers(params)
    shape = np.broadcast_shapes(*(np.shape(v) for v in checked.values()))
    result = _compute(design, checked)
    # A variant whose anode cannot hold the cyclable sodium would plate, one
    # whose voltage window holds none of its capacity cycles nothing, and one
    # whose assemblies do not fit its can cannot be built: none has a valid
    # capacity, so it is NaN rather than an error for the sweep.
    plating = (
        (result["anode_overfill"] > OVERFILL_TOLERANCE)
        | ~(result["capacity"] > 0)
        | (result["fit_margin"] < -FIT_TOLERANCE)
    )
    if np.any(plating):
        for key in ("capacity", "energy", "nominal_voltage"):
            result[key] = np.where(plating, np.nan, result[key])
    energy = result["energy"]
    result["specific_energy"] = energy / result["mass"]
    result["energy_density"] = energy / result["external_volume"]
    return {k: np.broadcast_to(v, shape) for k, v in result.items()}


def check_fit(design: CellDesign, r: Mapping[str, float]) -> None:
    """Raise when the electrode assemblies a design specifies do not fit its
    can, naming the thickness they need and the thickness it has."""
    if r["fit_margin"] >= -FIT_TOLERANCE:
        return
    g = design.parameters()
    layers = g.get("geometry.cathode_layers")
    assemblies = g.get("geometry.assemblies", 1.0)
    what = (
        f"geometry.cathode_layers = {layers:g} in {assemblies:g} assemblies"
        if layers is not None
        else "the electrodes"
    )
    needed, available = r["needed_thickness"], r["available_thickness"]
    if needed > available + FIT_TOLERANCE:
        what = what.replace("in 1 assemblies", "in 1 assembly")
        raise ParameterError(
            f"{design.name}: {what} need {needed * 1e3:.2f} mm of the can's "
            f"thickness; {available * 1e3:.2f} mm is available inside the walls "
            "and clearance (valid: at most that; fewer layers or thinner coatings)"
        )
    for dimension in ("width", "height"):
        needed, available = r[f"needed_{dimension}"], r[f"available_{dimension}"]
        if needed > available + FIT_TOLERANCE:
            # only a given electrode size can outgrow the cavity
            given = g[f"geometry.electrode_{dimension}"]
            raise ParameterError(
                f"{design.name}: geometry.electrode_{dimension} = "
                f"{given * 1e3:.2f} mm with the anode's and separator's overhangs "
                f"needs {needed * 1e3:.2f} mm; the can's cavity is "
                f"{available * 1e3:.2f} mm (valid: at most "
                f"{(given + available - needed) * 1e3:.2f} mm)"
            )


def check_window(design: CellDesign, r: Mapping[str, float]) -> None:
    """Raise when the design's voltage window holds none of its capacity:
    upside down, above the open-circuit voltage of the fully charged
    electrodes, or below that of the fully discharged ones."""
    low, high = r["voltage_min"], r["voltage_max"]
    shown = f"cell.voltage_window = [{low:g} V, {high:g} V]"
    top, end = r["ocv_electrode_top"], r["ocv_electrode_end"]
    if top <= low or end >= high:
        raise ParameterError(
            f"{design.name}: {shown} holds none of the cell's capacity: its "
            f"open-circuit voltage runs from {top:.3f} V (electrodes full) to "
            f"{end:.3f} V (electrodes empty); valid: a window overlapping "
            f"{end:.3f}-{top:.3f} V"
        )


def check_plating(design: CellDesign, overfill: float, np_ratio: float) -> None:
    """Raise when the anode cannot take the cyclable sodium (it would plate)."""
    if overfill > OVERFILL_TOLERANCE:
        raise ParameterError(
            f"{design.name}: the anode cannot hold the cyclable sodium (lithium): "
            f"np_ratio = {np_ratio:.3g} leaves {overfill:.1%} too much, which would "
            "plate as metal; raise np_ratio (valid: the anode must hold the "
            "inventory) or the anode loading"
        )


def _is_loading_switch(name: str, params: Mapping[str, Any]) -> bool:
    label, _, key = name.partition(".")
    return label in ("cathode", "anode") and key in LOADING_KEYS and name not in params


__all__ = [
    "ELECTRODE",
    "CellDesign",
    "CellReport",
    "ElectrodeSpec",
    "check_fit",
    "check_plating",
    "check_window",
    "compute_arrays",
    "evaluate",
    "evaluate_designs",
]
