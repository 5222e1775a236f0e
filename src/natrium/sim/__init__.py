"""Simulation on PyBaMM: cell designs become pybamm.ParameterValues."""

from natrium.sim.bridge import BridgeResult, to_pybamm
from natrium.sim.parameter_sets import (
    ParameterSet,
    builtin_sets,
    default_set_for,
    get_parameter_set,
    load_parameter_set,
    resolve,
)

__all__ = [
    "BridgeResult",
    "ParameterSet",
    "builtin_sets",
    "default_set_for",
    "get_parameter_set",
    "load_parameter_set",
    "resolve",
    "to_pybamm",
]

# Heavier modules (they import PyBaMM when used): natrium.sim.simulation,
# natrium.sim.tables, natrium.sim.sweep, natrium.sim.runner, natrium.sim.thermal.
