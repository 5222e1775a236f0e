"""Cathode-material plants: tonnes a year, and the cells they enable.

The energy a tonne enables comes from :mod:`natrium.plant.tonnage` (ideal and
realistic); a named plant's facts (tonnes, floor area, announced GWh) come
from ``cell_plant.toml`` with their sources.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from natrium import citations
from natrium.cell import CellDesign
from natrium.exceptions import OptionError
from natrium.materials import read_value
from natrium.plant.cell_plant import _table
from natrium.plant.tonnage import TonnageResult, cathode_tonnes_to_gwh


@dataclass(frozen=True)
class CathodePlant:
    name: str
    material: str
    tonnes_per_year: float
    floor_area_m2: float | None
    announced_gwh: float | None
    tonnage: TonnageResult

    def to_dict(self) -> dict[str, Any]:
        out = self.tonnage.to_dict()
        out.update(
            {
                "plant": self.name,
                "floor_area_m2": self.floor_area_m2,
                "announced_gwh_per_year": self.announced_gwh,
            }
        )
        return out


def named_cathode_plant(key: str) -> dict[str, Any]:
    plants = _table().get("cathode_plants", {})
    if key not in plants:
        raise OptionError(f"unknown cathode plant {key!r}; valid: {', '.join(plants)}")
    return dict(plants[key])


def cathode_plant(
    design: CellDesign,
    tonnes_per_year: float,
    *,
    name: str = "cathode plant",
    floor_area_m2: float | None = None,
    announced_gwh: float | None = None,
) -> CathodePlant:
    """A plant making ``tonnes_per_year`` of the design's cathode material."""
    return CathodePlant(
        name=name,
        material=design.cathode.active,
        tonnes_per_year=tonnes_per_year,
        floor_area_m2=floor_area_m2,
        announced_gwh=announced_gwh,
        tonnage=cathode_tonnes_to_gwh(tonnes_per_year, design),
    )


def ferrum(design: CellDesign) -> CathodePlant:
    """Altris' Ferrum plant (2,000 t a year of Prussian white) in ``design``."""
    facts = named_cathode_plant("ferrum")
    where = "cell_plant.toml: cathode_plants.ferrum"
    tonnes = read_value(where, facts, "tonnes", "t/yr")
    area = read_value(where, facts, "floor_area", "m^2")
    announced = read_value(where, facts, "announced_gwh", "GWh/yr")
    citations.register([tonnes.ref, area.ref, announced.ref])
    return cathode_plant(
        design,
        tonnes.value,
        name=str(facts["name"]),
        floor_area_m2=area.value,
        announced_gwh=announced.value,
    )
