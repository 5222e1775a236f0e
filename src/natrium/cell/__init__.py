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

__all__ = [
    "FORMATS",
    "CellDesign",
    "CellReport",
    "ElectrodeSpec",
    "compute_arrays",
    "evaluate",
    "evaluate_designs",
    "sizes",
]
