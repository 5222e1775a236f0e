"""Cell-safety screening: the published abuse behaviour of each chemistry, the
flammability of its vent gas, and the gas a sized battery puts into its room.

For each cell chemistry, a cathode family with an anode family
(``apps/data/safety.toml [cells]``; a Prussian blue analogue against hard
carbon is not the PBA/PBA cell): whether cells go into
thermal runaway, the vent gas per amp-hour and its composition where a test
measured them, and the lower flammability limit (LFL) of that gas by Le
Chatelier's rule,

    LFL_mix = 1 / sum_i (y_i / LFL_i)

over the combustible species i with mole fractions y_i of the whole gas
(inert species count in the total but not in the sum; species a source names
without an amount are left out, so the figure is an upper bound). For a sized
system in a room, the concentration after one cell or one module vents (the
gas an ideal gas at the room's temperature, mixed into the room's volume, no
ventilation: the conservative case) is set against 25 % of the LFL, the
criterion NFPA 855 practice uses for explosion prevention.

No lumped thermal-abuse (Hatchard/Kim) model is used: no sodium-ion
parameterisation of it is published.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from natrium import citations
from natrium._data import DataFile
from natrium.constants import GAS_CONSTANT, STANDARD_ATMOSPHERE, ZERO_CELSIUS
from natrium.exceptions import OptionError

if TYPE_CHECKING:
    from natrium.cell import CellDesign

_DATA = DataFile(Path(__file__).with_name("data") / "safety.toml", "safety data")


@dataclass(frozen=True)
class ChemistrySafety:
    """What is published of one cell chemistry's abuse behaviour (SI)."""

    key: str
    name: str
    thermal_runaway: str
    vent_gas_per_charge: float | None  # [mol C⁻¹]; None: not published
    vent_gas_temperature: float | None  # [K]
    composition: dict[str, float] = field(default_factory=dict)  # mole fractions
    lfl: float | None = None  # volume fraction of the mixture in air
    sources: tuple[str, ...] = ()
    note: str = ""
    #: species whose single-gas limit in the LFL is an estimate, not a source
    lfl_estimated: tuple[str, ...] = ()

    @property
    def vent_gas_mol_per_ah(self) -> float | None:
        return (
            None
            if self.vent_gas_per_charge is None
            else self.vent_gas_per_charge * 3600.0
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "chemistry": self.key,
            "name": self.name,
            "thermal_runaway": self.thermal_runaway,
            "vent_gas_mol_per_Ah": self.vent_gas_mol_per_ah,
            "vent_gas_temperature_C": None
            if self.vent_gas_temperature is None
            else self.vent_gas_temperature - ZERO_CELSIUS,
            "composition_mol_fraction": dict(self.composition),
            "lfl_vol_fraction": self.lfl,
            "lfl_estimated_species": list(self.lfl_estimated),
            "sources": list(self.sources),
            "note": self.note,
        }


def lower_flammability_limit(composition: dict[str, float]) -> float | None:
    """Le Chatelier's LFL [volume fraction] of a gas of mole fractions
    ``composition`` (species of ``safety.toml [gases]``); None when it holds
    nothing combustible."""
    gases = _DATA.table("gases")
    total = 0.0
    for species, share in composition.items():
        if species not in gases:
            raise OptionError(
                f"gas {species!r} has no flammability limit in safety.toml; valid: "
                f"{', '.join(gases)}"
            )
        limit = _DATA.value("gases", species) / 100.0
        if limit > 0:
            total += share / limit
    return 1.0 / total if total > 0 else None


@cache
def _cells() -> tuple[str, ...]:
    return tuple(_DATA.table("cells"))


def chemistry_safety(key: str) -> ChemistrySafety:
    """The published abuse figures of a cell chemistry (``safety.toml [cells]``)."""
    if key not in _cells():
        raise OptionError(
            f"no safety data for the cell chemistry {key!r}; valid: "
            f"{', '.join(_cells())}"
        )
    section = f"cells.{key}"
    table = _DATA.table(section)
    with citations.collect() as used:
        per_charge = (
            _DATA.value(section, "vent_gas", "mol/C") if "vent_gas" in table else None
        )
        temperature = (
            _DATA.value(section, "vent_gas_temperature", "K")
            if "vent_gas_temperature" in table
            else None
        )
        composition = {k: v / 100.0 for k, v in table.get("composition", {}).items()}
        lfl = lower_flammability_limit(composition) if composition else None
        for ref in ("composition_ref", "thermal_runaway_ref", "reactivity_ref"):
            if ref in table:
                citations.register(table[ref])
    return ChemistrySafety(
        key=key,
        name=str(table["name"]),
        thermal_runaway=str(table["thermal_runaway"]),
        vent_gas_per_charge=per_charge,
        vent_gas_temperature=temperature,
        composition=composition,
        lfl=lfl,
        sources=tuple(sorted(used)),
        note=str(table.get("note", "")),
        lfl_estimated=tuple(
            k for k in composition if _DATA.table("gases")[k].get("ref") == "estimate"
        ),
    )


def cell_chemistry(design: CellDesign) -> str:
    """The safety data's key for a design: its cathode's and anode's families."""
    from natrium.materials import get_active

    pair = (
        get_active(design.cathode.active).family,
        get_active(design.anode.active).family,
    )
    for key in _cells():
        table = _DATA.table(f"cells.{key}")
        if (table["cathode_family"], table["anode_family"]) == pair:
            return key
    raise OptionError(
        f"no safety data for a {pair[0]} cathode against a {pair[1]} anode; "
        f"valid: {', '.join(_cells())}"
    )


def safety_table() -> list[ChemistrySafety]:
    """Every cell chemistry with safety data, in the file's order."""
    return [chemistry_safety(k) for k in _cells()]


@dataclass(frozen=True)
class RoomScreening:
    """The gas of one venting cell or module in a room, against 25 % of its LFL."""

    chemistry: str
    room_volume: float  # [m³]
    cell_capacity: float  # [C]
    cells_per_module: int
    cell_concentration: float | None  # volume fraction in the room
    module_concentration: float | None
    limit: float | None  # 25 % of the LFL, volume fraction
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        def share(value: float | None) -> float | None:
            return None if value is None or self.limit is None else value / self.limit

        return {
            "chemistry": self.chemistry,
            "room_m3": self.room_volume,
            "cell_Ah": self.cell_capacity / 3600.0,
            "cells_per_module": self.cells_per_module,
            "one_cell_vol_fraction": self.cell_concentration,
            "one_module_vol_fraction": self.module_concentration,
            "limit_vol_fraction": self.limit,
            "one_cell_share_of_limit": share(self.cell_concentration),
            "one_module_share_of_limit": share(self.module_concentration),
            "reason": self.reason,
        }


def default_room_volume() -> float:
    """The battery room assumed when none is given [m³] (safety.toml)."""
    return _DATA.value("screening", "room_volume", "m^3")


def room_screening(
    chemistry: str, cell_capacity: float, cells_per_module: int, room_volume: float
) -> RoomScreening:
    """Concentration in a room of ``room_volume`` [m³] after one cell of
    ``cell_capacity`` [C], and one module of ``cells_per_module`` such cells,
    vent (ideal gas at the room's temperature, fully mixed, no ventilation)."""
    if not room_volume > 0:
        raise OptionError(f"room volume = {room_volume:g} m^3 must be above 0")
    data = chemistry_safety(chemistry)
    if data.vent_gas_per_charge is None or data.lfl is None:
        return RoomScreening(
            chemistry,
            room_volume,
            cell_capacity,
            cells_per_module,
            None,
            None,
            None,
            reason=f"no vent-gas amount published for {data.name}",
        )
    temperature = _DATA.value("screening", "temperature", "K")
    molar_volume = GAS_CONSTANT * temperature / STANDARD_ATMOSPHERE  # [m³ mol⁻¹]
    cell_gas = data.vent_gas_per_charge * cell_capacity * molar_volume
    limit = _DATA.value("screening", "lfl_share") * data.lfl
    return RoomScreening(
        chemistry,
        room_volume,
        cell_capacity,
        cells_per_module,
        cell_gas / room_volume,
        cells_per_module * cell_gas / room_volume,
        limit,
    )
