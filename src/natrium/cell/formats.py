"""Cell formats: how electrodes fill a coin, pouch, prismatic can or cylinder.

Each format is a vectorised function of the electrode stack (layer
thicknesses) and its own geometry, returning the coated areas, the housing's
mass and the external volume. Default geometry (can walls, cap assemblies,
seals, mandrels) lives in ``cell/data/formats.toml`` with its sources.

Conventions, the same for every format: the anode is larger than the cathode
by ``anode_overhang`` on every edge and the separator larger than the anode by
``separator_overhang``; in stacks the outermost electrodes are anodes coated on
their inner side only, so every coated cathode face faces a coated anode face,
unless the design says otherwise (outer cathodes, outer coatings). Only the
cathode area that faces an anode (``facing_area``) cycles; coatings facing
nothing are counted as mass.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from natrium import citations
from natrium._data import Sourced, read_value
from natrium._toml import read_toml
from natrium.exceptions import OptionError

Array = NDArray[np.float64]
_DATA = Path(__file__).with_name("data")


@dataclass(frozen=True)
class Stack:
    """Layer thicknesses [m] (coatings per side) and overhangs of a cell stack."""

    cathode_foil: Array
    cathode_coating: Array
    anode_foil: Array
    anode_coating: Array
    separator: Array
    anode_overhang: Array
    separator_overhang: Array
    outer_separator_wraps: Array
    #: overhangs on the top and bottom edges, where they differ from the sides'
    anode_overhang_height: Array | None = None
    separator_overhang_height: Array | None = None
    #: 1 when the outermost electrodes of a stack are cathodes (n cathodes,
    #: n - 1 anodes), 0 when they are anodes (n cathodes, n + 1 anodes)
    outer_cathodes: Array | float = 0.0
    #: 1 when the outermost electrodes are coated on both sides (the outer
    #: coating faces nothing), 0 when on their inner side only
    outer_double_sided: Array | float = 0.0
    #: uncoated foil each electrode sheet keeps for its tab (punched foils) [m²]
    foil_tab_area: Array | float = 0.0
    #: 1 for one z-folded separator strip (it wraps each electrode's edge),
    #: 0 for cut sheets
    separator_z_fold: Array | float = 0.0

    @property
    def repeat(self) -> Array:
        """Thickness of one cathode, one anode and two separators [m]."""
        return (
            self.cathode_foil
            + 2 * self.cathode_coating
            + self.anode_foil
            + 2 * self.anode_coating
            + 2 * self.separator
        )

    @property
    def outer_layers(self) -> Array:
        """What an assembly's ends add to its repeats [m] (negative with outer
        cathodes, which leave one anode and two separators out): with outer
        anodes, the last anode's foil (and its outer coating where the outer
        electrodes are double-sided); with outer cathodes, less one anode, two
        separators and the two uncoated outer faces; and the wraps."""
        c, double = self.outer_cathodes, self.outer_double_sided
        extra_anode = self.anode_foil + double * 2 * self.anode_coating
        missing = (
            self.anode_foil
            + 2 * self.anode_coating
            + 2 * self.separator
            + (1 - double) * 2 * self.cathode_coating
        )
        return (
            (1 - c) * extra_anode
            - c * missing
            + self.outer_separator_wraps * self.separator
        )

    def sheet_margins(self) -> tuple[Array, Array]:
        """Extra width of anode and separator over the cathode [m]."""
        anode = 2 * self.anode_overhang
        return anode, anode + 2 * self.separator_overhang

    def height_margins(self) -> tuple[Array, Array]:
        """Extra height of anode and separator over the cathode [m]: the
        top and bottom edges' overhangs, the sides' unless given."""
        anode = 2 * _given(self.anode_overhang_height, self.anode_overhang)
        separator = _given(self.separator_overhang_height, self.separator_overhang)
        return anode, anode + 2 * separator


def _given(value: Array | None, default: Array) -> Array:
    return default if value is None else value


#: What a format function returns: areas [m²], masses [kg], volumes [m³].
Geometry = dict[str, Array]


def _stacked(
    stack: Stack,
    width: Array,
    height: Array,
    layers: Array,
    assemblies: Array | float = 1.0,
) -> Geometry:
    """Areas of ``assemblies`` flat stacks of ``layers`` cathodes each;
    ``stack_thickness`` is one assembly's.

    Per assembly, with c = 1 for outer cathodes and d = 1 for double-sided
    outer electrodes: layers + 1 - 2c anodes; 2 layers - 2c cathode faces
    facing an anode; 2c(1 - d) cathode faces and 2(1 - c)(1 - d) anode faces
    left uncoated; 2(layers - c) separators between electrodes plus the wraps.
    A z-folded separator also wraps one edge of every electrode, which adds
    the stack's thickness to its length.
    """
    da, ds = stack.sheet_margins()
    da_h, ds_h = stack.height_margins()
    c, double = stack.outer_cathodes, stack.outer_double_sided
    cathode_sheet = width * height
    anode_sheet = (width + da) * (height + da_h)
    sep_sheet = (width + ds) * (height + ds_h)
    tab = stack.foil_tab_area
    thickness = layers * stack.repeat + stack.outer_layers
    anodes = layers + 1 - 2 * c
    separators = 2 * (layers - c) + stack.outer_separator_wraps
    fold = stack.separator_z_fold * thickness * (height + ds_h)
    return {
        "facing_area": 2 * (layers - c) * assemblies * cathode_sheet,
        "cathode_coated_area": (2 * layers - 2 * c * (1 - double))
        * assemblies
        * cathode_sheet,
        "anode_coated_area": (2 * anodes - 2 * (1 - c) * (1 - double))
        * assemblies
        * anode_sheet,
        "cathode_foil_area": layers * assemblies * (cathode_sheet + tab),
        "anode_foil_area": anodes * assemblies * (anode_sheet + tab),
        "separator_area": (separators * sep_sheet + fold) * assemblies,
        "stack_thickness": thickness,
        "cathode_layers": layers * assemblies,
        "electrode_sheets": (layers + anodes) * assemblies,
    }


def pouch(stack: Stack, g: Mapping[str, Array]) -> Geometry:
    """Stacked pouch cell: cathode sheet size and layers per assembly are
    given; ``assemblies`` stacks (one unless given) lie on each other.

    The tabs (``tab_*``) are the leads welded to the electrodes' foil tabs and
    sealed through the pouch; ``foil_tab_area`` is the bare foil of each sheet
    bundled under them, so the two are different metal, counted once each.
    """
    w, h, n = g["electrode_width"], g["electrode_height"], g["cathode_layers"]
    assemblies = g.get("assemblies", np.ones_like(n))
    out = _stacked(stack, w, h, n, assemblies)
    _, ds = stack.sheet_margins()
    _, ds_h = stack.height_margins()
    outer_w = w + ds + 2 * g["seal_width_side"]
    outer_h = h + ds_h + g["seal_width_side"] + g["seal_width_top"] + g["tab_headroom"]
    out["needed_thickness"] = assemblies * out["stack_thickness"]
    outer_t = out["needed_thickness"] + 2 * g["laminate_thickness"]
    laminate_area = 2 * outer_w * outer_h + 2 * outer_t * (outer_w + outer_h)
    tab_length = g["tab_protrusion"] + g["seal_width_top"] + g["tab_headroom"]
    tab_volume = g["tab_width"] * g["tab_thickness"] * tab_length
    out.update(
        {
            "casing_mass": laminate_area * g["laminate_areal_density"],
            "casing_area": laminate_area,
            "hardware_mass": g["extra_mass"],
            "cathode_tab_mass": tab_volume * g["cathode_tab_density"],
            "anode_tab_mass": tab_volume * g["anode_tab_density"],
            "external_volume": outer_w * outer_h * outer_t,
            "external_area": 2 * (outer_w * outer_h + outer_t * (outer_w + outer_h)),
        }
    )
    return out


#: The dimensions a prismatic can's contents must fit in.
_FIT = ("thickness", "width", "height")


def prismatic(stack: Stack, g: Mapping[str, Array]) -> Geometry:
    """Prismatic can holding ``assemblies`` flat stacks (or flattened rolls).

    Two ways to say what is inside: fill the cavity (the default: as many
    layers as its thickness holds, on electrodes as large as it allows), or
    give ``cathode_layers`` per assembly (and optionally ``electrode_width``
    and ``electrode_height``), as a maker specifies it; ``fit_margin`` [m] is
    then the thickness (or width or height) left over, negative when the
    assemblies do not fit.
    """
    wall = g["can_wall_thickness"]
    _, ds = stack.sheet_margins()
    _, ds_h = stack.height_margins()
    inner_t = g["thickness"] - 2 * wall
    inner_w = g["width"] - 2 * wall
    inner_h = g["height"] - wall - g["headspace_height"]
    width = g.get("electrode_width", inner_w - ds)
    height = g.get("electrode_height", inner_h - ds_h)
    assemblies = g.get("assemblies", np.ones_like(inner_t))
    # each assembly has its own outer anode and separator wraps
    room = inner_t - g["internal_clearance_thickness"]
    per_assembly = room / assemblies - stack.outer_layers
    layers = g.get(
        "cathode_layers", np.floor(np.maximum(per_assembly, 0.0) / stack.repeat)
    )
    out = _stacked(stack, width, height, layers, assemblies)
    out["available_thickness"] = room
    out["needed_thickness"] = assemblies * out["stack_thickness"]
    # the separator sheets' size against the cavity's: width, then height
    out["needed_width"], out["available_width"] = width + ds, inner_w
    out["needed_height"], out["available_height"] = height + ds_h, inner_h
    out["fit_margin"] = functools.reduce(
        np.minimum, [out[f"available_{d}"] - out[f"needed_{d}"] for d in _FIT]
    )
    outer = g["width"] * g["height"] * g["thickness"]
    inner = inner_w * (g["height"] - 2 * wall) * inner_t
    top_wall = inner_w * inner_t * wall  # the lid stands in for it
    lid = g["width"] * g["thickness"] * g["lid_thickness"]
    out.update(
        {
            "casing_mass": (outer - inner - top_wall) * g["can_density"],
            "lid_mass": lid * g["can_density"],
            "terminal_mass": g["terminal_mass"],
            "hardware_mass": g["hardware_mass"],
            "cathode_tab_mass": np.zeros_like(outer),
            "anode_tab_mass": np.zeros_like(outer),
            "external_volume": outer,
            "external_area": 2
            * (g["width"] * g["height"] + g["thickness"] * (g["width"] + g["height"])),
        }
    )
    return out


def cylindrical(stack: Stack, g: Mapping[str, Array]) -> Geometry:
    """Cylindrical can with a jelly roll wound on a mandrel.

    The roll's annular cross-section equals the wound length times the
    thickness of one turn (cathode, anode and two separators); a roll of less
    than one turn has no length. ``headspace_height`` is measured to the
    anode's edge (as Chen 2020's 65 mm electrodes in a 70 mm 21700 can); the
    separator's overhang lies within it.
    """
    radius = 0.5 * g["outer_diameter"]
    wall = g["can_wall_thickness"]
    roll_radius = (
        radius
        - wall
        - g["winding_clearance"]
        - stack.outer_separator_wraps * stack.separator
    )
    core_radius = 0.5 * g["mandrel_diameter"]
    length = np.where(
        roll_radius - core_radius >= stack.repeat,
        np.pi
        * (np.maximum(roll_radius, core_radius) ** 2 - core_radius**2)
        / stack.repeat,
        0.0,
    )
    da, ds = stack.height_margins()  # a roll's overhangs are at its ends
    anode_h = g["height"] - g["headspace_height"]
    cathode_h = anode_h - da
    sep_h = cathode_h + ds
    wall_volume = (
        np.pi
        * (radius**2 - (radius - wall) ** 2)
        * (g["height"] - g["can_bottom_thickness"])
    )
    bottom_volume = np.pi * radius**2 * g["can_bottom_thickness"]
    return {
        "facing_area": 2 * length * cathode_h,
        "cathode_coated_area": 2 * length * cathode_h,
        "anode_coated_area": 2 * length * anode_h,
        "cathode_foil_area": length * cathode_h,
        "anode_foil_area": length * anode_h,
        # two separators per turn, plus the outer wraps around the roll
        "separator_area": (
            2 * length + 2 * np.pi * roll_radius * stack.outer_separator_wraps
        )
        * sep_h,
        "casing_mass": (wall_volume + bottom_volume) * g["can_density"],
        "hardware_mass": g["cap_assembly_mass"] + g["tab_insulator_mass"],
        "cathode_tab_mass": np.zeros_like(length),
        "anode_tab_mass": np.zeros_like(length),
        "external_volume": np.pi * radius**2 * g["height"],
        "external_area": 2 * np.pi * radius * (radius + g["height"]),
        "cathode_layers": length,  # wound length [m] in place of a layer count
        "electrode_sheets": np.full_like(length, 2.0),
    }


def coin(stack: Stack, g: Mapping[str, Array]) -> Geometry:
    """Coin cell: one single-sided cathode disc facing one anode disc."""
    area = np.pi / 4
    cathode = area * g["cathode_disc_diameter"] ** 2
    anode = area * g["anode_disc_diameter"] ** 2
    hardware = g["spacer_mass"] + g["spring_mass"] + g["gasket_mass"]
    return {
        "facing_area": cathode,
        "cathode_coated_area": cathode,
        "anode_coated_area": anode,
        "cathode_foil_area": cathode,
        "anode_foil_area": anode,
        "separator_area": area * g["separator_disc_diameter"] ** 2,
        "casing_mass": g["case_and_cap_mass"],
        "hardware_mass": hardware,
        "cathode_tab_mass": np.zeros_like(cathode),
        "anode_tab_mass": np.zeros_like(cathode),
        "external_volume": area * g["diameter"] ** 2 * g["height"],
        "external_area": 2 * area * g["diameter"] ** 2
        + np.pi * g["diameter"] * g["height"],
        "electrolyte_volume": g["electrolyte_volume"],
        "cathode_layers": np.ones_like(cathode),
        "electrode_sheets": np.full_like(cathode, 2.0),
    }


@dataclass(frozen=True)
class FormatSpec:
    """A format's geometry function and the geometry parameters it reads.

    ``required`` are given by the design (no sensible default), ``defaults``
    come from ``formats.toml`` for the chosen size and may be overridden,
    ``optional`` may be given and change what the format does; all map
    parameter names to SI units. ``casing`` names the housing's material
    entry in the format's data table.
    """

    function: Callable[[Stack, Mapping[str, Array]], Geometry]
    required: Mapping[str, str]
    defaults: Mapping[str, str]
    casing: str
    #: parameters a design may give, without a default (a mode of the format)
    optional: Mapping[str, str] = field(default_factory=dict)

    @property
    def units(self) -> dict[str, str]:
        """Every geometry parameter a design may give, with its SI unit."""
        return {**self.required, **self.defaults, **self.optional}


FORMATS: dict[str, FormatSpec] = {
    "coin": FormatSpec(
        coin,
        {},
        {
            "diameter": "m",
            "height": "m",
            "case_and_cap_mass": "kg",
            "spacer_mass": "kg",
            "spring_mass": "kg",
            "gasket_mass": "kg",
            "cathode_disc_diameter": "m",
            "anode_disc_diameter": "m",
            "separator_disc_diameter": "m",
            "electrolyte_volume": "m^3",
        },
        "case_material",
    ),
    "pouch": FormatSpec(
        pouch,
        {"electrode_width": "m", "electrode_height": "m", "cathode_layers": ""},
        {
            "seal_width_side": "m",
            "seal_width_top": "m",
            "tab_headroom": "m",
            "tab_protrusion": "m",
            "tab_width": "m",
            "tab_thickness": "m",
            "extra_mass": "kg",
        },
        "laminate",
        optional={"assemblies": ""},
    ),
    "prismatic": FormatSpec(
        prismatic,
        {"width": "m", "height": "m", "thickness": "m"},
        {
            "can_wall_thickness": "m",
            "lid_thickness": "m",
            "terminal_mass": "kg",
            "hardware_mass": "kg",
            "internal_clearance_thickness": "m",
            "headspace_height": "m",
        },
        "can_material",
        optional={
            "cathode_layers": "",
            "assemblies": "",
            "electrode_width": "m",
            "electrode_height": "m",
        },
    ),
    "cylindrical": FormatSpec(
        cylindrical,
        {},
        {
            "outer_diameter": "m",
            "height": "m",
            "can_wall_thickness": "m",
            "can_bottom_thickness": "m",
            "headspace_height": "m",
            "mandrel_diameter": "m",
            "cap_assembly_mass": "kg",
            "tab_insulator_mass": "kg",
        },
        "can_material",
    ),
}

#: The size used when a design names a format but no size.
DEFAULT_SIZE = {"coin": "cr2032", "pouch": "default", "prismatic": "default"}


@cache
def _format_tables() -> dict[str, dict[str, dict[str, object]]]:
    tables: dict[str, dict[str, dict[str, object]]] = {}
    for name in ("formats.toml", "defaults.toml"):
        tables.update(read_toml(_DATA / name, "cell format data"))
    return tables


def sizes(fmt: str) -> list[str]:
    """Sizes with default geometry for a format, e.g. ``["18650", ...]``."""
    return sorted(
        k
        for k, v in _format_tables().get(fmt, {}).items()
        if isinstance(v, dict) and not k.startswith("example")
    )


def format_table(fmt: str, size: str | None) -> tuple[str, dict[str, object]]:
    """The data table of a format's size, checking both names."""
    if fmt not in FORMATS:
        raise OptionError(f"unknown cell format {fmt!r}; valid: {', '.join(FORMATS)}")
    size = size or DEFAULT_SIZE.get(fmt)
    if size is None:
        raise OptionError(
            f"format {fmt!r} needs a size; valid: {', '.join(sizes(fmt))}"
        )
    table = _format_tables()[fmt].get(size)
    if not isinstance(table, dict):
        raise OptionError(
            f"unknown {fmt} size {size!r}; valid: {', '.join(sizes(fmt))}"
        )
    return size, table


def format_defaults(fmt: str, size: str | None) -> dict[str, Sourced]:
    """Default geometry of a format's size, SI, with sources."""
    values = dict(_read_format_defaults(fmt, size))
    citations.register(v.ref for v in values.values())
    return values


@cache
def _read_format_defaults(
    fmt: str, size: str | None
) -> tuple[tuple[str, Sourced], ...]:
    # read once: parsing each value's unit with pint is most of a datasheet's time
    size, table = format_table(fmt, size)
    spec = FORMATS[fmt]
    where = f"formats.toml: {fmt}.{size}"
    return tuple(
        (name, read_value(where, table, name, unit))
        for name, unit in spec.defaults.items()
    )


def design_defaults() -> dict[str, Sourced]:
    """Overhangs, winding clearance, separator wraps and electrolyte fill, SI."""
    values = dict(_read_design_defaults())
    citations.register(v.ref for v in values.values())
    return values


@cache
def _read_design_defaults() -> tuple[tuple[str, Sourced], ...]:
    table = _format_tables()["defaults"]
    where = "defaults.toml: defaults"
    return tuple(
        (k, read_value(where, table, k, u)) for k, u in DESIGN_DEFAULT_UNITS.items()
    )


def family_voltage_window(family: str) -> tuple[Sourced, Sourced]:
    """The default operating window of a chemistry family [V]: the charge and
    end-of-discharge voltages datasheets of its commercial cells print
    (``defaults.toml [voltage_window.*]``)."""
    windows = _format_tables()["voltage_window"]
    if family not in windows:
        raise OptionError(
            f"no default voltage window for the chemistry family {family!r}; give "
            f"cell.voltage_window (valid families: {', '.join(windows)})"
        )
    where = f"defaults.toml: voltage_window.{family}"
    table = windows[family]
    assert isinstance(table, dict)
    window = (
        read_value(where, table, "min", "V"),
        read_value(where, table, "max", "V"),
    )
    citations.register(v.ref for v in window)
    return window


DESIGN_DEFAULT_UNITS = {
    "anode_overhang": "m",
    "separator_overhang": "m",
    "winding_clearance": "m",
    "outer_separator_wraps": "",
    "outer_cathodes": "",
    "outer_double_sided": "",
    "separator_z_fold": "",
    "foil_tab_area": "m^2",
    "insulation_area": "m^2",
    "electrolyte_fill": "",
    "electrolyte_fills_separator": "",
}
