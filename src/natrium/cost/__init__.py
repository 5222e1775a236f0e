"""Cost of cells per kWh from materials and process steps (after BatPaC)."""

from natrium.cost.assumptions import CostAssumptions, read_assumptions
from natrium.cost.model import CellCost, cell_cost, default_prices, price_ranges

__all__ = [
    "CellCost",
    "CostAssumptions",
    "cell_cost",
    "default_prices",
    "price_ranges",
    "read_assumptions",
]
