"""Cell design from materials: electrodes, formats, bill of materials, metrics."""

from natrium.cell.design import (
    CellDesign,
    CellReport,
    ElectrodeSpec,
    compute_arrays,
    evaluate,
    evaluate_designs,
)
from natrium.cell.formats import FORMATS, sizes
from natrium.cell.ratings import Ratings, RatingWarning

__all__ = [
    "FORMATS",
    "CellDesign",
    "CellReport",
    "ElectrodeSpec",
    "RatingWarning",
    "Ratings",
    "compute_arrays",
    "evaluate",
    "evaluate_designs",
    "sizes",
]
