"""Simulation on PyBaMM: cell designs become pybamm.ParameterValues."""

from natrium.sim.bridge import BridgeResult, to_pybamm
from natrium.sim.parameter_sets import (
    ParameterSet,
    builtin_sets,
    get_parameter_set,
    load_parameter_set,
)

__all__ = [
    "BridgeResult",
    "ParameterSet",
    "builtin_sets",
    "get_parameter_set",
    "load_parameter_set",
    "to_pybamm",
]
