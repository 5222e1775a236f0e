"""A model built and discretised once, then solved for many currents or powers.

Rate tables, constant-power tables and sweeps ask the same cell many questions;
the :class:`Runner` passes the varied quantities as PyBaMM input parameters so
the model is processed once (PyBaMM's ``[input]`` mechanism) and each question
costs one solve.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from natrium.cell import CellDesign
from natrium.exceptions import OptionError, ParameterError
from natrium.sim import adjustments
from natrium.sim.bridge import BridgeResult, to_pybamm
from natrium.sim.parameter_sets import ParameterSet
from natrium.sim.simulation import (
    SimulationError,
    build_model,
    has_contact_resistance,
    idaklu_solver,
    interval_energy,
)
from natrium.units import AH, WH

Mode = Literal["current", "power"]
_CONTROL = {"current": "Current function [A]", "power": "Power function [W]"}


@dataclass(frozen=True)
class Discharge:
    """What one constant-current or constant-power discharge delivered."""

    capacity_Ah: float
    energy_Wh: float
    duration_s: float
    mean_voltage_V: float
    reached_cutoff: bool


class Runner:
    """Solve one design again and again at different currents or powers.

    Parameters
    ----------
    design, parameter_set
        The cell and its kinetics.
    mode : "current" or "power"
        What the discharges hold constant.
    inputs : sequence of str
        Further PyBaMM parameter names to pass as inputs on each solve.
    adjustable : sequence of str
        Adjustments (:mod:`natrium.sim.adjustments`) to pass as inputs, by
        their natrium names: a calibration varies them without rebuilding.
    """

    def __init__(
        self,
        design: CellDesign,
        parameter_set: ParameterSet,
        *,
        model: str = "DFN",
        thermal: str = "isothermal",
        mode: Mode = "current",
        temperature: float | None = None,
        state_of_health: float = 1.0,
        inputs: Sequence[str] = (),
        adjustable: Sequence[str] = (),
        bridge: BridgeResult | None = None,
        var_pts: dict[str, int] | None = None,
        cutoff: float | None = None,
    ) -> None:
        import pybamm

        if mode not in _CONTROL:
            raise OptionError(f"unknown mode {mode!r}; valid: current, power")
        self.bridge = bridge or to_pybamm(
            design,
            parameter_set,
            temperature=temperature,
            state_of_health=state_of_health,
        )
        self.design = design
        self.parameter_set = parameter_set
        self.mode = mode
        pv = self.bridge.parameter_values.copy()
        if cutoff is not None:
            # An application's end-of-discharge voltage (a UPS DC window per cell)
            # may sit above the design's window; it must not sit below it.
            floor = design.voltage_window[0]
            if cutoff < floor:
                raise ParameterError(
                    f"cutoff = {cutoff:g} V is below the design's voltage_window "
                    f"minimum {floor:g} V; valid: >= {floor:g} V"
                )
            pv["Lower voltage cut-off [V]"] = float(cutoff)
        if thermal == "lumped":
            from natrium.sim.thermal import add_thermal_parameters

            add_thermal_parameters(pv, design, self.bridge)
        for name in (_CONTROL[mode], *inputs):
            pv[name] = "[input]"
        adjustments.apply(pv, {a: pybamm.InputParameter(a) for a in adjustable})
        # PyBaMM's "power" mode solves for the current algebraically and often
        # fails to find consistent initial conditions (seen at 90 W on the
        # high-power pouch, not at 94 W); "explicit power" sets I = P / V and
        # holds the power exactly, robustly.
        options = {"operating mode": "explicit power"} if mode == "power" else {}
        self.inputs = tuple(inputs)

        def simulation(options: dict[str, str]) -> Any:
            contact = has_contact_resistance(pv)
            return pybamm.Simulation(
                build_model(model, thermal, options, contact_resistance=contact),
                parameter_values=pv,
                var_pts=var_pts,
                solver=idaklu_solver(),
            )

        self._sim = simulation(options)
        # Explicit power in turn fails on IDAKLU's first step at scattered powers
        # (IDA_BAD_K: the pw_hc pouch at -20 degC fails at 18.5 and 23 W and solves
        # at 18 and 19 W); the algebraic form then solves the same problem.
        self._fallback = (
            functools.cache(lambda: simulation({"operating mode": "power"}))
            if mode == "power"
            else None
        )
        self.cutoff = float(pv["Lower voltage cut-off [V]"])

    @property
    def capacity_Ah(self) -> float:
        return self.bridge.capacity_Ah

    def solve(
        self, value: float, t_end: float, inputs: Mapping[str, float] | None = None
    ) -> Any:
        """PyBaMM's solution of a discharge at ``value`` (A or W) [s]."""
        all_inputs = {_CONTROL[self.mode]: float(value), **(inputs or {})}
        try:
            return self._solve(self._sim, t_end, all_inputs)
        except Exception as err:  # PyBaMM's SolverError and friends
            if self._fallback is not None:
                try:
                    return self._solve(self._fallback(), t_end, all_inputs)
                except Exception:
                    pass
            raise SimulationError(
                f"the solver failed at {self.mode} = {value:g}: {err}"
            ) from err

    @staticmethod
    def _solve(sim: Any, t_end: float, inputs: Mapping[str, float]) -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # PyBaMM's extrapolation chatter
            return sim.solve([0.0, float(t_end)], inputs=dict(inputs))

    def discharge(
        self, value: float, t_end: float, inputs: Mapping[str, float] | None = None
    ) -> Discharge:
        """Discharge at ``value`` (A or W) until the cut-off or ``t_end`` [s]."""
        sol = self.solve(value, t_end, inputs)
        t = np.asarray(sol.t, dtype=float)
        v = np.asarray(sol["Voltage [V]"].entries, dtype=float)
        i = np.asarray(sol["Current [A]"].entries, dtype=float)
        q = np.asarray(sol["Discharge capacity [A.h]"].entries, dtype=float)
        energy = float(np.sum(interval_energy(t, v, i))) / WH  # 0 for one sample
        capacity = float(q[-1])
        return Discharge(
            capacity_Ah=capacity,
            energy_Wh=energy,
            duration_s=float(t[-1]),
            mean_voltage_V=energy / capacity if capacity > 0 else float("nan"),
            reached_cutoff="event" in str(sol.termination),
        )

    def c_rate_current(self, c_rate: float) -> float:
        """The current of a C-rate, from the design's capacity [A]."""
        return c_rate * self.capacity_Ah

    def nominal_hours(self, c_rate: float) -> float:
        return 1.0 / c_rate

    def time_limit(self, c_rate: float, margin: float = 1.5) -> float:
        """A horizon long enough for a full discharge at ``c_rate`` [s]."""
        return margin * AH / c_rate
