"""Plants: cathode-material plants and cell plants (material <-> energy, and more)."""

from natrium.plant.cathode_plant import CathodePlant, cathode_plant, ferrum
from natrium.plant.cell_plant import CellPlant, cell_plant
from natrium.plant.tonnage import (
    TonnageResult,
    cathode_energy_per_mass,
    cathode_for_energy,
    energy_from_cathode,
)

__all__ = [
    "CathodePlant",
    "CellPlant",
    "TonnageResult",
    "cathode_energy_per_mass",
    "cathode_for_energy",
    "cathode_plant",
    "cell_plant",
    "energy_from_cathode",
    "ferrum",
]
