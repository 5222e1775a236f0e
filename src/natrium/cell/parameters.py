"""The numeric parameters of a cell design: names, units and valid ranges.

A design flattens into named SI parameters (``"cathode.porosity"``,
``"geometry.cathode_layers"``); sweeps replace any of them by arrays. Every
parameter is checked here, with an error that names it, quotes the value in
the unit users write, and gives the valid range.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from natrium._validation import check_range
from natrium.exceptions import ParameterError


@dataclass(frozen=True)
class ParameterSpec:
    """SI unit, the unit shown to users (with its SI factor) and the valid range."""

    si_unit: str
    display_unit: str
    factor: float  # SI value = display value x factor
    low: float
    high: float
    low_inclusive: bool = True
    high_inclusive: bool = True

    def check(self, name: str, value: ArrayLike) -> NDArray[np.float64]:
        """``value`` in SI, or a ParameterError quoting it in the display unit."""
        try:
            arr = np.asarray(value, dtype=float)
        except (TypeError, ValueError) as err:
            raise ParameterError(
                f"{name} = {value!r} is not a number [{self.display_unit or '-'}]"
            ) from err
        check_range(
            name,
            arr / self.factor,
            low=self.low / self.factor,
            high=self.high / self.factor,
            unit=self.display_unit,
            low_inclusive=self.low_inclusive,
            high_inclusive=self.high_inclusive,
        )
        return arr


_INF = np.inf
_FRACTION = ParameterSpec("", "", 1.0, 0.0, 1.0)
_OPEN_FRACTION = ParameterSpec("", "", 1.0, 0.0, 1.0, False, False)
_LENGTH_UM = ParameterSpec("m", "um", 1e-6, 0.0, _INF, False, False)
_LENGTH_MM = ParameterSpec("m", "mm", 1e-3, 0.0, _INF, False, False)
_GAP_MM = ParameterSpec("m", "mm", 1e-3, 0.0, _INF, True, False)
_MASS_G = ParameterSpec("kg", "g", 1e-3, 0.0, _INF, True, False)

#: Electrode parameters, prefixed with "cathode." or "anode.".
ELECTRODE: dict[str, ParameterSpec] = {
    "active_fraction": ParameterSpec("", "", 1.0, 0.0, 1.0, False, True),
    "binder_fraction": _FRACTION,
    "conductive_fraction": _FRACTION,
    "porosity": _OPEN_FRACTION,
    "areal_capacity": ParameterSpec(
        "C/m^2", "mAh/cm^2", 36000.0, 0.0, _INF, False, False
    ),
    "areal_mass": ParameterSpec("kg/m^2", "mg/cm^2", 0.01, 0.0, _INF, False, False),
    "thickness": _LENGTH_UM,
    "foil_thickness": _LENGTH_UM,
}
#: Loading may be given in one of these ways; exactly one per electrode.
LOADING_KEYS = ("areal_capacity", "areal_mass", "thickness")

CELL: dict[str, ParameterSpec] = {
    "np_ratio": ParameterSpec("", "", 1.0, 0.0, 10.0, False, True),
    "electrolyte_fill": ParameterSpec("", "", 1.0, 0.0, 5.0, False, True),
    # or the fill as a maker states it, per amp-hour [kg/C] shown in g/Ah
    "electrolyte_per_capacity": ParameterSpec(
        "kg/C", "g/Ah", 1e-3 / 3600.0, 0.0, 20e-3 / 3600.0, False, True
    ),
    # 1: the fill covers the separator's pores too; 0: the coatings' only
    "electrolyte_fills_separator": ParameterSpec("", "", 1.0, 0.0, 1.0),
    "first_cycle_loss": ParameterSpec("", "", 1.0, 0.0, 1.0, True, False),
    "anode_overhang": _GAP_MM,
    "separator_overhang": _GAP_MM,
    # the top and bottom edges' overhangs, where they differ from the sides'
    "anode_overhang_height": _GAP_MM,
    "separator_overhang_height": _GAP_MM,
    # 1: the outermost electrodes of a stack are cathodes; 0: anodes
    "outer_cathodes": ParameterSpec("", "", 1.0, 0.0, 1.0),
    # 1: outer electrodes coated on both sides (the outer coating faces nothing)
    "outer_double_sided": ParameterSpec("", "", 1.0, 0.0, 1.0),
    # 1: one z-folded separator strip; 0: cut separator sheets
    "separator_z_fold": ParameterSpec("", "", 1.0, 0.0, 1.0),
    # uncoated foil each electrode sheet keeps for its tab (punched foils)
    "foil_tab_area": ParameterSpec("m^2", "mm^2", 1e-6, 0.0, np.inf, True, False),
    # insulating film (wrap, tape, can liner) per cell
    "insulation_area": ParameterSpec("m^2", "cm^2", 1e-4, 0.0, np.inf, True, False),
    "winding_clearance": _GAP_MM,
    "outer_separator_wraps": ParameterSpec("", "", 1.0, 0.0, 100.0),
    # the operating window of the datasheet: capacity and energy are counted
    # between these open-circuit voltages, and simulations cut off at them
    "voltage_min": ParameterSpec("V", "V", 1.0, 0.0, 10.0, False, False),
    "voltage_max": ParameterSpec("V", "V", 1.0, 0.0, 10.0, False, False),
}

#: Geometry parameters, prefixed with "geometry."; unit decided by the SI unit.
GEOMETRY_BY_UNIT: dict[str, ParameterSpec] = {
    "m": _LENGTH_MM,
    "kg": _MASS_G,
    "m^3": ParameterSpec("m^3", "uL", 1e-9, 0.0, _INF, False, False),
    "": ParameterSpec("", "", 1.0, 1.0, 10_000.0),
}
#: Geometry lengths that may be zero (clearances, seals).
GEOMETRY_MAY_BE_ZERO = frozenset(
    {
        "internal_clearance_thickness",
        "headspace_height",
        "seal_width_side",
        "seal_width_top",
        "tab_headroom",
        "tab_protrusion",
        "mandrel_diameter",
    }
)


def spec_for(name: str, si_unit: str | None = None) -> ParameterSpec:
    """The spec of a flattened parameter name such as ``"cathode.porosity"``."""
    group, _, key = name.partition(".")
    if group in ("cathode", "anode") and key in ELECTRODE:
        return ELECTRODE[key]
    if group == "cell" and key in CELL:
        return CELL[key]
    if group == "geometry" and si_unit is not None:
        spec = GEOMETRY_BY_UNIT[si_unit]
        if si_unit == "m" and key in GEOMETRY_MAY_BE_ZERO:
            return _GAP_MM
        return spec
    raise KeyError(name)
