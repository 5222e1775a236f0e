"""Run a cell design on PyBaMM: models, experiments, tidy results.

``simulate(design, parameter_set, experiment)`` builds PyBaMM's SPM, SPMe or
DFN (the ``lithium_ion`` classes are general insertion models and take sodium
parameters) with an isothermal or lumped-thermal option, runs a
``pybamm.Experiment`` (strings such as ``"Discharge at 1C until 2.0 V"``,
``"Discharge at 5 W for 10 minutes or until 2.0 V"``, ``"Rest for 1 hour"``,
``"Charge at 1C until 4.0 V"``, ``"Hold at 4.0 V until C/50"``, or a time
series of current or power) and returns a tidy table.

Solver failures and impossible experiments raise :class:`SimulationError`,
which keeps whatever was computed before the failure in ``.partial``.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from natrium import citations
from natrium._data import read_value
from natrium._toml import read_toml
from natrium.cell import CellDesign
from natrium.constants import FARADAY
from natrium.exceptions import NatriumError, OptionError
from natrium.sim.bridge import BridgeResult, to_pybamm
from natrium.sim.parameter_sets import ParameterSet
from natrium.units import WH

ModelName = Literal["SPM", "SPMe", "DFN"]
MODELS: tuple[str, ...] = ("SPM", "SPMe", "DFN")
THERMAL: tuple[str, ...] = ("isothermal", "lumped")
_DATA = Path(__file__).with_name("data")


class SimulationError(NatriumError, RuntimeError):
    """A simulation failed or was impossible; ``partial`` holds what was computed."""

    def __init__(self, message: str, partial: SimulationResult | None = None) -> None:
        super().__init__(message)
        self.partial = partial


@dataclass(frozen=True)
class SimulationResult:
    """A tidy time series and its summary."""

    data: pd.DataFrame
    summary: dict[str, Any]
    warnings: tuple[str, ...] = ()
    citations: tuple[str, ...] = field(default_factory=tuple)

    @property
    def steps(self) -> pd.DataFrame:
        """One row per experiment step: what it moved and how long it took."""
        return step_summary(self.data, self.descriptions)

    @property
    def descriptions(self) -> tuple[str, ...]:
        return tuple(self.summary.get("experiment", ()))

    def to_dict(self) -> dict[str, Any]:
        """The summary (battery units in its keys), one row per step, warnings
        and citations."""
        return {
            **self.summary,
            "steps": self.steps.to_dict(orient="records"),
            "warnings": list(self.warnings),
            "citations": list(self.citations),
        }

    def to_csv(self, path: str | Path) -> Path:
        path = Path(path)
        self.data.to_csv(path, index=False)
        return path

    def to_parquet(self, path: str | Path) -> Path:
        path = Path(path)
        self.data.to_parquet(path, index=False)
        return path


def _pybamm() -> Any:
    import pybamm

    return pybamm


def idaklu_solver() -> Any:
    """PyBaMM's IDAKLU solver, silent: a failed solve raises and natrium reports
    it in one line, so SUNDIALS' own messages on stderr are noise (a power
    search meets many expected failures)."""
    return _pybamm().IDAKLUSolver(options={"silence_sundials_errors": True})


def build_model(
    model: str = "DFN",
    thermal: str = "isothermal",
    options: dict[str, Any] | None = None,
    *,
    contact_resistance: bool = False,
) -> Any:
    """A PyBaMM insertion model by name, with natrium's thermal option.

    ``contact_resistance`` turns on PyBaMM's option of that name, without
    which it ignores "Contact resistance [Ohm]"; PyBaMM's explicit power mode
    does not support it.
    """
    pybamm = _pybamm()
    if model not in MODELS:
        raise OptionError(f"unknown model {model!r}; valid: {', '.join(MODELS)}")
    if thermal not in THERMAL:
        raise OptionError(
            f"unknown thermal option {thermal!r}; valid: {', '.join(THERMAL)}"
        )
    opts = dict(options or {})
    if contact_resistance:
        if opts.get("operating mode") == "explicit power":
            raise OptionError(
                "constant-power runs (PyBaMM's explicit power mode) cannot take "
                "a contact resistance; set contact_resistance = 0 ohm"
            )
        opts["contact resistance"] = "true"
    if thermal == "lumped":
        opts["thermal"] = "lumped"
    return getattr(pybamm.lithium_ion, model)(options=opts)


def has_contact_resistance(parameter_values: Any) -> bool:
    """Whether the parameter values carry a contact resistance to model."""
    value = parameter_values["Contact resistance [Ohm]"]
    return not isinstance(value, int | float) or value != 0


# ------------------------------------------------------------ validity of models


@cache
def _validity_limits() -> dict[str, float]:
    table = read_toml(_DATA / "model_validity.toml", "model validity data")
    where = "model_validity.toml"
    return {
        m: read_value(where, table["limiting_current_fraction"], m, "").value
        for m in ("SPM", "SPMe")
    }


def limiting_current(bridge: BridgeResult) -> float:
    r"""Electrolyte limiting current of the cell [A].

    The current at which the salt concentration would fall to zero at the
    current collector of a cell of thickness :math:`L` with effective salt
    diffusivity :math:`D_{eff}` (Newman and Thomas-Alyea, *Electrochemical
    Systems*, 3rd ed., 2004, the limiting current of a binary electrolyte):

    .. math:: I_{lim} = \frac{2 F D_{eff} c_0}{(1 - t_+) L} A

    with :math:`D_{eff}` the thickness-weighted harmonic mean of
    :math:`\varepsilon^{b} D(c_0)` through the three layers.
    """
    pv = bridge.parameter_values
    c0 = pv["Initial concentration in electrolyte [mol.m-3]"]
    d_e = pv["Electrolyte diffusivity [m2.s-1]"]
    t_ref = pv["Reference temperature [K]"]
    diffusivity = evaluate_function(d_e, c0, t_ref)
    layers = []
    for name, brug in (
        (
            "Negative electrode",
            "Negative electrode Bruggeman coefficient (electrolyte)",
        ),
        ("Separator", "Separator Bruggeman coefficient (electrolyte)"),
        (
            "Positive electrode",
            "Positive electrode Bruggeman coefficient (electrolyte)",
        ),
    ):
        thickness = pv[f"{name} thickness [m]"]
        porosity = pv[f"{name} porosity"]
        layers.append((thickness, porosity ** pv[brug] * diffusivity))
    total = sum(t for t, _ in layers)
    effective = total / sum(t / d for t, d in layers)
    t_plus = pv["Cation transference number"]
    area = bridge.electrode_area_m2
    return 2.0 * FARADAY * effective * c0 / ((1.0 - t_plus) * total) * area


def evaluate_function(function: Any, *args: float) -> float:
    """A PyBaMM parameter function (or constant) at numeric arguments."""
    if not callable(function):
        return float(function)
    pybamm = _pybamm()
    value = function(*(pybamm.Scalar(a) for a in args))
    if isinstance(value, pybamm.Symbol):
        value = value.evaluate()
    return float(np.asarray(value, dtype=float).item())


def initial_ocv(bridge: BridgeResult) -> float:
    """Open-circuit voltage of a bridged cell at its initial state [V]: the
    positive electrode's OCP less the negative's, at their initial
    stoichiometries."""
    pv, sto = bridge.parameter_values, bridge.initial_stoichiometry
    return evaluate_function(
        pv["Positive electrode OCP [V]"], sto["positive"]
    ) - evaluate_function(pv["Negative electrode OCP [V]"], sto["negative"])


def model_warnings(model: str, bridge: BridgeResult, peak_current: float) -> list[str]:
    """Say when a reduced model is run where it disagrees with the DFN."""
    if model == "DFN":
        return []
    i_lim = limiting_current(bridge)
    fraction = abs(peak_current) / i_lim
    limit = _validity_limits()[model]
    if fraction <= limit:
        return []
    agree_c = limit * i_lim / bridge.capacity_Ah
    return [
        f"{model} is outside its range: the current ({abs(peak_current):.4g} A) is "
        f"{fraction:.2f} of the electrolyte limiting current ({i_lim:.4g} A); {model} "
        f"agrees with the DFN only below {limit:g} of it (about {agree_c:.2g}C for "
        "this cell). Use model='DFN'."
    ]


# ----------------------------------------------------------------- experiments


def make_experiment(steps: str | Sequence[Any], *, period: str | None = None) -> Any:
    """A ``pybamm.Experiment`` from one string, a list of strings or PyBaMM steps."""
    pybamm = _pybamm()
    items = [steps] if isinstance(steps, str) else list(steps)
    try:
        return pybamm.Experiment(items, period=period)
    except Exception as err:  # PyBaMM raises ValueError/TypeError/its own on bad text
        bad, reason = _unreadable_step(pybamm, items, err)
        raise OptionError(
            f"experiment step {bad!r}: {reason}; e.g. 'Discharge at 1C until "
            "2.0 V', 'Charge at 0.5C for 2 hours', 'Rest for 10 minutes'"
        ) from err


def _unreadable_step(pybamm: Any, items: list[Any], err: Exception) -> tuple[Any, str]:
    """The first step PyBaMM cannot read and its reason, on one line: PyBaMM's
    message is its first paragraph (a list of examples follows it)."""
    for item in items:
        try:
            pybamm.Experiment([item])
        except Exception as step_err:  # as above
            err = step_err
            break
    else:
        item = items
    reason = " ".join(str(err).split("\n\n")[0].split())
    return item, reason.removesuffix(" For example:").rstrip(".:")


def time_series_step(
    times: Sequence[float],
    values: Sequence[float],
    *,
    kind: Literal["current", "power"] = "power",
    termination: str | None = None,
) -> Any:
    """A drive or duty profile: current [A] or power [W] against time [s]
    (discharge positive), for use in :func:`make_experiment`."""
    pybamm = _pybamm()
    data = np.column_stack([np.asarray(times, float), np.asarray(values, float)])
    if data.shape[0] < 2 or np.any(np.diff(data[:, 0]) <= 0):
        raise OptionError("a time series needs at least two rows with rising times")
    step = pybamm.step.current if kind == "current" else pybamm.step.power
    return step(data, termination=termination)


def cc_discharge(c_rate: float, cutoff: float) -> str:
    return f"Discharge at {c_rate:g}C until {cutoff:g} V"


def cp_discharge(watts: float, cutoff: float, minutes: float | None = None) -> str:
    if minutes is None:
        return f"Discharge at {watts:g} W until {cutoff:g} V"
    return f"Discharge at {watts:g} W for {minutes:g} minutes or until {cutoff:g} V"


def cccv_charge(c_rate: float, v_max: float, cutoff_c_rate: float = 0.05) -> list[str]:
    return [
        f"Charge at {c_rate:g}C until {v_max:g} V",
        f"Hold at {v_max:g} V until C/{1.0 / cutoff_c_rate:g}",
    ]


def pulses(
    c_rate: float, pulse_s: float, rest_s: float, count: int, cutoff: float
) -> list[str]:
    return [
        f"Discharge at {c_rate:g}C for {pulse_s:g} seconds or until {cutoff:g} V",
        f"Rest for {rest_s:g} seconds",
    ] * int(count)


# ------------------------------------------------------------------- simulate

_COLUMNS = {
    "time_s": "Time [s]",
    "voltage_V": "Voltage [V]",
    "current_A": "Current [A]",
    "discharge_capacity_Ah": "Discharge capacity [A.h]",
    "temperature_K": "Volume-averaged cell temperature [K]",
}


def interval_energy(
    time_s: ArrayLike, voltage_V: ArrayLike, current_A: ArrayLike
) -> np.ndarray:
    """Energy delivered between consecutive samples, by the trapezoid of V·I [J].

    Discharge is positive (PyBaMM's sign of current), so charging intervals
    come out negative. Sum it for a discharge's energy, ``cumsum`` it for the
    running total, or split it by sign for energy in and out.

    Parameters
    ----------
    time_s : array_like
        Sample times [s], rising.
    voltage_V : array_like
        Terminal voltage at each sample [V].
    current_A : array_like
        Current at each sample [A], discharge positive.

    Returns
    -------
    ndarray
        One value per interval (one fewer than the samples) [J].

    Examples
    --------
    >>> interval_energy([0.0, 10.0, 20.0], [3.0, 3.0, 2.0], [1.0, 1.0, 1.0]).tolist()
    [30.0, 25.0]
    """
    t = np.asarray(time_s, dtype=float)
    p = np.asarray(voltage_V, dtype=float) * np.asarray(current_A, dtype=float)
    return 0.5 * (p[1:] + p[:-1]) * np.diff(t)


def tidy(solution: Any) -> pd.DataFrame:
    """time, voltage, current, power, discharged capacity and energy, temperature."""
    frame = pd.DataFrame(
        {
            k: np.asarray(solution[v].entries, dtype=float).ravel()
            for k, v in _COLUMNS.items()
        }
    )
    frame["power_W"] = frame["voltage_V"] * frame["current_A"]
    steps = interval_energy(
        frame["time_s"].to_numpy(),
        frame["voltage_V"].to_numpy(),
        frame["current_A"].to_numpy(),
    )
    frame["discharge_energy_Wh"] = np.cumsum(np.concatenate(([0.0], steps))) / WH
    frame["step"] = _step_numbers(solution, frame["time_s"].to_numpy())
    return frame[
        [
            "time_s",
            "voltage_V",
            "current_A",
            "power_W",
            "discharge_capacity_Ah",
            "discharge_energy_Wh",
            "temperature_K",
            "step",
        ]
    ]


def _step_numbers(solution: Any, time_s: np.ndarray) -> np.ndarray:
    """The experiment step (from 0) each sample belongs to; a sample on the
    boundary of two steps ends the earlier one. 0 throughout without an
    experiment."""
    solved = [
        step
        for cycle in getattr(solution, "cycles", None) or []
        for step in cycle.steps
    ]
    if not solved:
        return np.zeros(len(time_s), dtype=int)
    ends = np.array([float(step.t[-1]) for step in solved])
    return np.minimum(np.searchsorted(ends, time_s, side="left"), len(ends) - 1)


def _mean_discharge_voltage(frame: pd.DataFrame) -> float | None:
    """Energy over charge of the discharging intervals [V]; None when nothing
    was discharged (a rest, a charge)."""
    charge = np.diff(frame["discharge_capacity_Ah"].to_numpy())
    energy = np.diff(frame["discharge_energy_Wh"].to_numpy())
    out = charge > 0
    return float(energy[out].sum() / charge[out].sum()) if out.any() else None


def step_summary(frame: pd.DataFrame, descriptions: Sequence[str] = ()) -> pd.DataFrame:
    """One row per experiment step: capacity and energy it moved (discharge
    positive), its mean discharge voltage (None for a rest or a charge), its
    duration and its end voltage and temperature."""
    rows = []
    numbers = frame["step"].to_numpy()
    for n in sorted({int(k) for k in numbers}):
        part = frame[numbers == n]
        # each step starts where the one before ended
        start = frame.loc[frame.index[max(part.index[0] - 1, 0)]]
        end = part.iloc[-1]
        rows.append(
            {
                "step": n + 1,
                "description": descriptions[n] if n < len(descriptions) else "",
                "capacity_Ah": float(
                    end["discharge_capacity_Ah"] - start["discharge_capacity_Ah"]
                ),
                "energy_Wh": float(
                    end["discharge_energy_Wh"] - start["discharge_energy_Wh"]
                ),
                "mean_voltage_V": _mean_discharge_voltage(
                    pd.concat([start.to_frame().T, part])
                ),
                "duration_s": float(end["time_s"] - start["time_s"]),
                "end_voltage_V": float(end["voltage_V"]),
                "max_temperature_K": float(part["temperature_K"].max()),
            }
        )
    return pd.DataFrame(rows)


def summarise(
    frame: pd.DataFrame, termination: str, steps: Sequence[str] = ()
) -> dict[str, Any]:
    """The whole run: net capacity and energy (discharge positive), the mean
    voltage of its discharging parts, duration, how it ended, the lowest
    voltage and the peak temperature; ``steps`` are the experiment's steps."""
    capacity = float(frame["discharge_capacity_Ah"].iloc[-1])
    energy = float(frame["discharge_energy_Wh"].iloc[-1])
    return {
        "discharge_capacity_Ah": capacity,
        "discharge_energy_Wh": energy,
        "mean_voltage_V": _mean_discharge_voltage(frame),
        "duration_s": float(frame["time_s"].iloc[-1] - frame["time_s"].iloc[0]),
        "termination": termination,
        "min_voltage_V": float(frame["voltage_V"].min()),
        "max_temperature_K": float(frame["temperature_K"].max()),
        "experiment": [str(step) for step in steps],
    }


def simulate(
    design: CellDesign,
    parameter_set: ParameterSet,
    experiment: str | Sequence[Any],
    *,
    model: str = "DFN",
    thermal: str = "isothermal",
    temperature: float | None = None,
    state_of_health: float = 1.0,
    var_pts: dict[str, int] | None = None,
    period: str | None = None,
) -> SimulationResult:
    """Simulate an experiment on a design with a parameter set.

    ``period`` (e.g. ``"30 seconds"``) samples the output evenly; by default the
    table holds the solver's own adaptive steps.

    Raises :class:`SimulationError` (with ``.partial``) when the solver fails or
    the experiment cannot start (a cut-off beyond the open-circuit voltage, a
    rate the cell cannot sustain for a single step).
    """
    with citations.collect() as used:
        return _simulate(
            design,
            parameter_set,
            experiment,
            model,
            thermal,
            temperature,
            state_of_health,
            var_pts,
            period,
            used,
        )


def _simulate(
    design: CellDesign,
    parameter_set: ParameterSet,
    experiment: str | Sequence[Any],
    model: str,
    thermal: str,
    temperature: float | None,
    state_of_health: float,
    var_pts: dict[str, int] | None,
    period: str | None,
    used: dict[str, None],
) -> SimulationResult:
    pybamm = _pybamm()
    build_model(model, thermal)  # checks the names first
    bridge = to_pybamm(
        design, parameter_set, temperature=temperature, state_of_health=state_of_health
    )
    pv = bridge.parameter_values
    model_class = build_model(
        model, thermal, contact_resistance=has_contact_resistance(pv)
    )
    if thermal == "lumped":
        from natrium.sim.thermal import add_thermal_parameters

        add_thermal_parameters(pv, design, bridge)
    exp = make_experiment(experiment, period=period)
    _check_cutoffs(exp, bridge, design)
    peak = _peak_current(exp, bridge)
    notes = model_warnings(model, bridge, peak)
    notes += rating_warnings(design, exp, bridge)
    for note in notes:
        warnings.warn(note, UserWarning, stacklevel=2)
    sim = pybamm.Simulation(
        model_class,
        parameter_values=pv,
        experiment=exp,
        var_pts=var_pts,
        solver=idaklu_solver(),
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # PyBaMM's extrapolation chatter
            solution = sim.solve()
    except Exception as err:  # PyBaMM's SolverError and friends
        partial = _partial(sim, notes)
        finished = (
            0
            if sim.solution is None
            else sum(len(cycle.steps) for cycle in sim.solution.cycles)
        )
        step = exp.steps[min(finished, len(exp.steps) - 1)]
        raise SimulationError(
            f"the solver failed in step '{step}' ({err}); a step beyond what the "
            "cell can sustain fails this way; the steps before it are kept",
            partial,
        ) from err
    if solution is None or len(solution.t) < 2:
        raise SimulationError(
            _IMPOSSIBLE.format(step=exp.steps[0]), _partial(sim, notes)
        )
    frame = tidy(solution)
    termination = str(solution.termination)
    result = SimulationResult(
        frame, summarise(frame, termination, exp.steps), tuple(notes), tuple(used)
    )
    done = [step for cycle in solution.cycles for step in cycle.steps]
    for i, step in enumerate(exp.steps):
        if i >= len(done) or _impossible(step, done[i], bridge.capacity_Ah):
            raise SimulationError(_IMPOSSIBLE.format(step=step), result)
    return result


#: A step shorter than this reached its limit at once [s].
_INSTANT_S = 1e-3
#: A discharge to a voltage cut-off that delivers less than this share of the
#: cell's capacity is a rate the cell cannot sustain (a 100C step on a cell
#: made for 1C ends in about a second); natrium reports it rather than passing
#: it off as a normal short step [-].
UNSUSTAINABLE_FRACTION = 0.05
_IMPOSSIBLE = (
    "step '{step}' reached its limit at once: the cell cannot sustain it (too high "
    "a rate or power, or a cut-off at its present voltage); the steps before it "
    "are kept"
)


def _impossible(step: Any, solved: Any, capacity_ah: float) -> bool:
    t = np.asarray(solved.t, dtype=float)
    if t.size < 2 or t[-1] - t[0] < _INSTANT_S:
        return True
    if getattr(step, "direction", None) != "discharge" or "event" not in str(
        solved.termination
    ):
        return False
    q = np.asarray(solved["Discharge capacity [A.h]"].entries, dtype=float)
    return bool(q[-1] - q[0] < UNSUSTAINABLE_FRACTION * capacity_ah)


def _partial(sim: Any, notes: list[str]) -> SimulationResult | None:
    solution = getattr(sim, "solution", None)
    if solution is None or len(getattr(solution, "t", [])) < 2:
        return None
    frame = tidy(solution)
    return SimulationResult(frame, summarise(frame, "solver failure"), tuple(notes))


def _check_cutoffs(exp: Any, bridge: BridgeResult, design: CellDesign) -> None:
    """A discharge cut-off at or above the starting OCV can never run."""
    ocv = initial_ocv(bridge)
    for step in exp.steps:
        for term in getattr(step, "termination", []) or []:
            value = getattr(term, "value", None)
            if value is None or "Voltage" not in type(term).__name__:
                continue
            if _is_discharge(step) and value >= ocv:
                raise SimulationError(
                    f"cut-off {value:g} V is at or above the open-circuit voltage "
                    f"{ocv:.3f} V: a discharge to it cannot start (valid: below "
                    f"{ocv:.3f} V, at or above {design.voltage_window[0]:g} V)"
                )


def _is_discharge(step: Any) -> bool:
    value = getattr(step, "value", 0.0)
    try:
        return float(value) > 0.0 and type(step).__name__ in (
            "Current",
            "CRate",
            "Power",
        )
    except (TypeError, ValueError):
        return False


def rating_warnings(design: CellDesign, exp: Any, bridge: BridgeResult) -> list[str]:
    """Where the experiment leaves the design's datasheet ratings
    (:class:`natrium.cell.Ratings`): a discharge current above the largest
    rated one (peak, else continuous), a charge current above the continuous
    charge rating, an ambient temperature outside the (dis)charge window.
    Step currents are read as in :func:`_peak_current`; none when unrated."""
    ratings = design.ratings
    if ratings is None:
        return []
    v_min = bridge.parameter_values["Lower voltage cut-off [V]"]
    largest = {"discharge": 0.0, "charge": 0.0}
    for step in exp.steps:
        kind = type(step).__name__
        try:
            values = np.asarray(step.value, dtype=float)
        except (TypeError, ValueError):
            continue
        # a power step's current is highest at its own end voltage, if it has one
        v_end = max(
            [v_min]
            + [
                float(t.value)
                for t in getattr(step, "termination", None) or []
                if type(t).__name__ == "VoltageTermination"
            ]
        )
        scale = {"CRate": bridge.capacity_Ah, "Current": 1.0, "Power": 1.0 / v_end}
        if kind not in scale or values.size == 0:
            continue
        amps = values * scale[kind]
        largest["discharge"] = max(largest["discharge"], float(amps.max()))
        largest["charge"] = max(largest["charge"], float(-amps.min()))
    notes = []
    rated = max(ratings.continuous_discharge, ratings.peak_discharge or 0.0)
    if largest["discharge"] > rated * (1 + 1e-9):
        notes.append(
            f"the discharge current ({largest['discharge']:.4g} A) exceeds "
            f"{design.name}'s rated {rated:.4g} A ({ratings.source or 'ratings'})"
        )
    charge = ratings.continuous_charge
    if charge is not None and largest["charge"] > charge * (1 + 1e-9):
        notes.append(
            f"the charge current ({largest['charge']:.4g} A) exceeds "
            f"{design.name}'s rated {charge:.4g} A ({ratings.source or 'ratings'})"
        )
    ambient = float(bridge.parameter_values["Ambient temperature [K]"])
    for is_charge in (False, True):
        if largest["charge" if is_charge else "discharge"] > 0:
            problem = ratings.check_temperature(
                ambient, charge=is_charge, who=design.name
            )
            if problem is not None:
                notes.append(problem)
    return notes


def _peak_current(exp: Any, bridge: BridgeResult) -> float:
    """The largest current the experiment asks for [A] (power at the cut-off)."""
    peak = 0.0
    v_min = bridge.parameter_values["Lower voltage cut-off [V]"]
    for step in exp.steps:
        kind = type(step).__name__
        try:
            value = np.abs(np.asarray(step.value, dtype=float)).max()
        except (TypeError, ValueError):
            continue
        if kind == "CRate":
            peak = max(peak, value * bridge.capacity_Ah)
        elif kind == "Current":
            peak = max(peak, value)
        elif kind == "Power":
            peak = max(peak, value / v_min)
    return float(peak)


__all__ = [
    "MODELS",
    "THERMAL",
    "SimulationError",
    "SimulationResult",
    "build_model",
    "cc_discharge",
    "cccv_charge",
    "cp_discharge",
    "evaluate_function",
    "initial_ocv",
    "interval_energy",
    "limiting_current",
    "make_experiment",
    "model_warnings",
    "pulses",
    "rating_warnings",
    "simulate",
    "time_series_step",
]
