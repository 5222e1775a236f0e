"""Plants: cathode-material plants and cell plants (tonnes <-> GWh, and more)."""

from natrium.plant.tonnage import (
    TonnageResult,
    cathode_tonnes_to_gwh,
    gwh_to_cathode_tonnes,
)

__all__ = ["TonnageResult", "cathode_tonnes_to_gwh", "gwh_to_cathode_tonnes"]
