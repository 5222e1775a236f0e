"""Cathode-material plants: tonnes a year, and the cells they enable.

The energy a supply of cathode material makes comes from
:mod:`natrium.plant.tonnage` (ideal, central and range); a named plant's facts
(tonnes, floor area, announced GWh) come from ``plants.toml`` with their sources.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from natrium.cell import CellDesign
from natrium.cost.manufacturing import Manufacturing
from natrium.exceptions import OptionError
from natrium.plant.cell_plant import PLANTS
from natrium.plant.tonnage import TonnageResult, energy_from_cathode
from natrium.units import GWH


@dataclass(frozen=True)
class CathodePlant:
    """A cathode plant: its supply [kg yr⁻¹], facts, and the cells it enables.

    ``floor_area`` [m²] and ``announced_energy`` [J yr⁻¹] are the named plant's
    published facts, or None.
    """

    name: str
    material: str
    cathode_mass_per_year: float
    floor_area: float | None
    announced_energy: float | None
    tonnage: TonnageResult

    def to_dict(self) -> dict[str, Any]:
        out = self.tonnage.to_dict()
        out.update(
            {
                "plant": self.name,
                "floor_area_m2": self.floor_area,
                "announced_gwh_per_year": None
                if self.announced_energy is None
                else self.announced_energy / GWH,
            }
        )
        return out


def cathode_plant(
    design: CellDesign,
    cathode_mass_per_year: float,
    *,
    name: str = "cathode plant",
    floor_area: float | None = None,
    announced_energy: float | None = None,
    plant: Manufacturing | None = None,
) -> CathodePlant:
    """A plant making ``cathode_mass_per_year`` [kg yr⁻¹] of the design's cathode."""
    return CathodePlant(
        name=name,
        material=design.cathode.active,
        cathode_mass_per_year=cathode_mass_per_year,
        floor_area=floor_area,
        announced_energy=announced_energy,
        tonnage=energy_from_cathode(cathode_mass_per_year, design, plant=plant),
    )


def named_cathode_plants() -> tuple[str, ...]:
    return tuple(PLANTS.table("cathode_plants"))


def named_cathode_plant(
    key: str, design: CellDesign, *, plant: Manufacturing | None = None
) -> CathodePlant:
    """A cathode plant of the sources (``plants.toml``), making ``design``'s cells."""
    if key not in named_cathode_plants():
        raise OptionError(
            f"unknown cathode plant {key!r}; valid: {', '.join(named_cathode_plants())}"
        )
    section = f"cathode_plants.{key}"
    facts = PLANTS.table(section)
    if facts.get("material") != design.cathode.active:
        raise OptionError(
            f"{facts.get('name', key)} makes {facts.get('material')!r}, but the "
            f"design's cathode is {design.cathode.active!r}"
        )
    return cathode_plant(
        design,
        PLANTS.value(section, "tonnes", "kg/yr"),
        name=str(facts["name"]),
        floor_area=PLANTS.value(section, "floor_area", "m^2"),
        announced_energy=PLANTS.value(section, "announced_gwh", "J/yr"),
        plant=plant,
    )


def ferrum(design: CellDesign) -> CathodePlant:
    """Altris' Ferrum plant (2,000 t a year of Prussian white) in ``design``."""
    return named_cathode_plant("ferrum", design)
