"""Calibrate a parameter set to measured discharge curves.

``calibrate(design, parameter_set, curves, {"negative_diffusivity_scale": (0.1,
100), ...})`` fits the chosen adjustments (:mod:`natrium.sim.adjustments`)
with SciPy's bounded trust-region least squares (``scipy.optimize.least_squares``,
Virtanen et al. 2020), solving the model built once with the adjustments as
PyBaMM input parameters.

The residuals are the voltage errors at the measured points, each curve
weighted by one over the square root of its point count (so a densely
digitised curve does not outvote a sparse one), plus the relative capacity
error of each curve times ``capacity_weight`` [V], both capacities taken at
the voltage where the measured curve ends. A point the simulation does
not reach (it hit the cut-off early) is compared with the simulation's last
voltage, so an early end costs what it should.

Scale factors are fitted as base-10 logarithms, other values as they are;
both through a map of their bounds onto [0, 1]. The uncertainty is the
linearised covariance ``s^2 (J^T J)^-1`` at the optimum (``s^2`` the
residual variance): a 1-sigma standard deviation and a 95 % interval per
parameter. It assumes independent, equal voltage errors; digitised curves
have correlated errors, so treat it as a lower bound there. An interval is
clipped to the parameter's bounds (``interval_clipped`` says where): the
fit cannot say more than the search allowed.

A fit *succeeds* only if the optimiser converged, the final cost is not
above the starting one, and no fitted parameter ended on (within 0.1 % of)
a bound of its search. Otherwise ``CalibrationResult.success`` is False and
``reason`` says why in one line; the fitted values are still reported.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import tomli_w
from numpy.typing import NDArray

from natrium import citations
from natrium.cell import CellDesign
from natrium.exceptions import DataFileError, ParameterError
from natrium.sim.adjustments import (
    check_active_fraction,
    check_value,
    get_adjustment,
)
from natrium.sim.measured import MeasuredCurve
from natrium.sim.parameter_sets import ParameterSet, builtin_sets
from natrium.sim.runner import Runner
from natrium.sim.simulation import SimulationError
from natrium.sim.validation import (
    ValidationReport,
    capacity_at,
    compare,
    discharge_curve,
    one_c_capacity,
)

#: Weight of a curve's relative capacity error against its voltage error [V]:
#: 1 % of capacity costs as much as 10 mV RMS of voltage.
DEFAULT_CAPACITY_WEIGHT = 1.0

#: How far inside its bounds (as a fraction of the range) a fit starts, and
#: how close to one a fitted value counts as sitting on it.
_MARGIN = 0.01

#: A Jacobian column this small against the largest marks a parameter the
#: curves do not constrain.
_IDENTIFIABLE = 1e-9

#: How close to a bound a fitted value counts as sitting on it: within this
#: fraction of the search range (in the fit's coordinates, the finite-difference
#: step of the search) or within this relative distance of the bound's value.
_AT_BOUND = 1e-3

_CLIPPED = ", clipped to the bounds"

#: Two-sided 95 % quantile of the normal distribution.
_Z95 = 1.959963984540054


@dataclass(frozen=True)
class FitParameter:
    """An adjustment to fit, its bounds and optionally its starting value."""

    name: str
    lower: float
    upper: float
    initial: float | None = None

    def __post_init__(self) -> None:
        check_value(self.name, self.lower)
        check_value(self.name, self.upper)
        if not self.lower < self.upper:
            raise ParameterError(
                f"{self.name}: bounds [{self.lower:g}, {self.upper:g}] are empty; "
                "give lower < upper"
            )
        if self.initial is not None and not self.lower <= self.initial <= self.upper:
            raise ParameterError(
                f"{self.name}: initial = {self.initial:g} is outside its bounds "
                f"[{self.lower:g}, {self.upper:g}]"
            )

    @property
    def logarithmic(self) -> bool:
        return get_adjustment(self.name).kind == "scale"

    def _t(self, x: float) -> float:
        return math.log10(x) if self.logarithmic else x

    def to_unit(self, x: float) -> float:
        lo, hi = self._t(self.lower), self._t(self.upper)
        return (self._t(x) - lo) / (hi - lo)

    def from_unit(self, u: float) -> float:
        lo, hi = self._t(self.lower), self._t(self.upper)
        t = lo + u * (hi - lo)
        return 10.0**t if self.logarithmic else t

    def start(self, default: float) -> float:
        if self.initial is not None:
            return self.initial
        if self.lower <= default <= self.upper:
            return default
        return self.from_unit(0.5)


@dataclass(frozen=True)
class BoundHit:
    """A fitted parameter that ended on a bound of its search."""

    parameter: str
    side: str  # "lower" or "upper"
    bound: float  # the bound as given to the fit
    value: float  # the fitted value, in the same terms as ``bound``

    def describe(self) -> str:
        return (
            f"{self.parameter} = {self.value:.4g} ended at its {self.side} "
            f"bound {self.bound:g}"
        )


@dataclass(frozen=True)
class CalibrationResult:
    """Fitted adjustments, their uncertainty, and how well they fit.

    ``values`` are absolute: a scale fitted on a set that already carries one
    is reported (and written) as the product, a factor on the published table.
    ``at_bounds`` names the parameters that ended on a bound of the search
    (widen the bound, or the data want something the model cannot give);
    ``bound_hits`` says which bound.

    ``success`` is the verdict on the fit: False if the optimiser did not
    converge, if the fit ended with a higher cost than it started with, or if
    any parameter ended on a bound. ``reason`` says why in one line (empty on
    success); ``message`` is the optimiser's own. ``initial_rms_V`` and
    ``final_rms_V`` are the voltage part of the objective at the start and the
    end: the root mean square over the curves of each curve's mean square
    voltage error [V]; ``initial_cost`` and ``final_cost`` the whole objective
    (half the sum of squared residuals, voltage and capacity) [V²].
    ``interval_clipped`` marks the 95 % intervals clipped to the bounds.
    """

    base: str
    values: dict[str, float]
    std: dict[str, float]
    interval95: dict[str, tuple[float, float]]
    fitted_on: tuple[str, ...]
    report: ValidationReport
    evaluations: int
    success: bool
    message: str
    correlation: pd.DataFrame = field(repr=False)
    at_bounds: tuple[str, ...] = ()
    reason: str = ""
    initial_rms_V: float = math.nan
    final_rms_V: float = math.nan
    initial_cost: float = math.nan
    final_cost: float = math.nan
    bound_hits: tuple[BoundHit, ...] = ()
    interval_clipped: dict[str, bool] = field(default_factory=dict)

    def table(self) -> pd.DataFrame:
        return pd.DataFrame(
            [
                {
                    "parameter": k,
                    "value": v,
                    "std": self.std[k],
                    "low95": self.interval95[k][0],
                    "high95": self.interval95[k][1],
                    "interval_clipped": self.interval_clipped.get(k, False),
                    "at_bound": k in self.at_bounds,
                }
                for k, v in self.values.items()
            ]
        )

    def summary(self) -> dict[str, Any]:
        return {
            "base": self.base,
            "converged": self.success,
            "success": self.success,
            "reason": self.reason,
            "fitted_on": list(self.fitted_on),
            "parameters": self.table().to_dict(orient="records"),
            "fit": self.report.summary(),
            "initial_rms_mV": self.initial_rms_V * 1e3,
            "final_rms_mV": self.final_rms_V * 1e3,
            "initial_cost": self.initial_cost,
            "final_cost": self.final_cost,
            "evaluations": self.evaluations,
            "at_bounds": list(self.at_bounds),
            "bound_hits": [
                {
                    "parameter": h.parameter,
                    "side": h.side,
                    "bound": h.bound,
                    "value": h.value,
                }
                for h in self.bound_hits
            ],
            "message": self.message,
        }

    def write_set(self, folder: str | Path, *, name: str | None = None) -> Path:
        """Write the fitted set: a folder whose ``set.toml`` extends the base."""
        folder = Path(folder)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as err:  # a file of that name, or no permission
            raise DataFileError(
                f"out = {str(folder)!r}: cannot make a set folder there ({err})"
            ) from err
        fitted_on = ", ".join(self.fitted_on)
        # A failed fit is still written (the work is not lost), but says so in
        # its name, its description and every value's note.
        failed = "" if self.success else f"FAILED FIT ({self.reason}): "
        table: dict[str, Any] = {
            "name": name
            or f"{self.base} calibrated" + ("" if self.success else " (failed fit)"),
            "description": f"{failed}{self.base}, calibrated by natrium on {fitted_on}",
            "extends": self.base,
            "calibration": {
                k: {
                    "value": v,
                    "unit": get_adjustment(k).unit,
                    "ref": "derived",
                    "note": (
                        f"{failed}fitted to {fitted_on} (std {self.std[k]:.3g}, 95 % "
                        f"{self.interval95[k][0]:.3g} to {self.interval95[k][1]:.3g}"
                        f"{_CLIPPED if self.interval_clipped.get(k) else ''})"
                    ),
                }
                for k, v in self.values.items()
            },
        }
        path = folder / "set.toml"
        path.write_bytes(tomli_w.dumps(table).encode("utf-8"))
        return path


class _Objective:
    """Residuals of a set of adjustments against the measured curves."""

    def __init__(
        self,
        runner: Runner,
        curves: Sequence[MeasuredCurve],
        parameters: Sequence[FitParameter],
        nominal_capacity_Ah: float,
        capacity_weight: float,
    ) -> None:
        self.runner, self.curves, self.parameters = runner, curves, parameters
        self.nominal = nominal_capacity_Ah
        self.capacity_weight = capacity_weight
        self.evaluations = 0
        #: The residuals of the first evaluation: the start of the search.
        self.initial: NDArray[np.float64] | None = None

    def voltage_rms(self, residuals: NDArray[np.float64]) -> float:
        """The voltage part of ``residuals`` as one RMS over the curves [V].

        Each curve contributes its points (weighted by one over the square
        root of their count, so their squares sum to its mean square error)
        and then its capacity residual, which is left out here.
        """
        start, squares = 0, []
        for curve in self.curves:
            n = curve.capacity_Ah.size
            part = residuals[start : start + n]
            squares.append(float(part @ part))
            start += n + 1
        return math.sqrt(sum(squares) / len(squares))

    def inputs(self, u: NDArray[np.float64]) -> dict[str, float]:
        return {
            p.name: p.from_unit(float(x))
            for p, x in zip(self.parameters, u, strict=True)
        }

    def __call__(self, u: NDArray[np.float64]) -> NDArray[np.float64]:
        self.evaluations += 1
        inputs = self.inputs(u)
        parts = []
        for curve in self.curves:
            try:
                q, v = discharge_curve(self.runner, curve, self.nominal, inputs)
            except SimulationError:
                # A failed solve is a bad fit, not the end of the search.
                q, v = np.array([0.0, 1e-12]), np.full(2, self.runner.cutoff)
            v_at = np.interp(curve.capacity_Ah, q, v, right=v[-1])
            weight = 1.0 / math.sqrt(curve.capacity_Ah.size)
            parts.append((v_at - curve.voltage_V) * weight)
            reached = capacity_at(q, v, float(curve.voltage_V[-1]))
            parts.append(
                np.array([self.capacity_weight * (reached / curve.capacity - 1.0)])
            )
        residuals = np.concatenate(parts)
        if self.initial is None:
            self.initial = residuals
        return residuals


def _uncertainty(
    parameters: Sequence[FitParameter],
    u: NDArray[np.float64],
    jac: NDArray[np.float64],
    residuals: NDArray[np.float64],
) -> tuple[
    dict[str, float], dict[str, tuple[float, float]], dict[str, bool], pd.DataFrame
]:
    """1-sigma and 95 % bounds from the linearised covariance at the optimum.

    A parameter the residuals do not depend on (a zero column of the
    Jacobian, or one in a rank-deficient group) is not identified: its
    standard deviation is infinite, not the zero a pseudo-inverse would give,
    and its interval is the whole search range. Every interval is clipped to
    the parameter's bounds; the third dict says which were.
    """
    m, n = jac.shape
    s2 = float(residuals @ residuals) / max(m - n, 1)
    column = np.linalg.norm(jac, axis=0)
    identified = column > _IDENTIFIABLE * max(float(column.max()), 1e-300)
    cov = np.full((n, n), np.nan)
    sub = jac[:, identified]
    if sub.shape[1] and np.linalg.matrix_rank(sub) == sub.shape[1]:
        cov[np.ix_(identified, identified)] = s2 * np.linalg.inv(sub.T @ sub)
    else:
        identified[:] = False
    sigma_u = np.where(identified, np.sqrt(np.abs(np.diag(cov))), np.inf)
    std: dict[str, float] = {}
    interval: dict[str, tuple[float, float]] = {}
    clipped: dict[str, bool] = {}
    for p, x, s in zip(parameters, u, sigma_u, strict=True):
        value = p.from_unit(float(x))
        lo_t, hi_t = p._t(p.lower), p._t(p.upper)
        sigma_t = s * (hi_t - lo_t)  # in log10 units for a scale
        std[p.name] = value * math.log(10) * sigma_t if p.logarithmic else sigma_t
        t = p._t(value)
        ends = (t - _Z95 * sigma_t, t + _Z95 * sigma_t)
        if not math.isfinite(sigma_t):
            ends = (-math.inf, math.inf)
        lo_c, hi_c = float(max(ends[0], lo_t)), float(min(ends[1], hi_t))
        clipped[p.name] = bool(lo_c > ends[0] or hi_c < ends[1])
        if p.logarithmic:  # the bounds themselves, not 10**log10(bound)
            lo_c = p.lower if lo_c == lo_t else 10.0**lo_c
            hi_c = p.upper if hi_c == hi_t else 10.0**hi_c
        interval[p.name] = (lo_c, hi_c)
    d = np.sqrt(np.abs(np.diag(cov)))
    names = [p.name for p in parameters]
    corr = pd.DataFrame(cov / np.outer(d, d), index=names, columns=names)
    return std, interval, clipped, corr


def _bound_hits(
    parameters: Sequence[FitParameter], u: NDArray[np.float64]
) -> tuple[BoundHit, ...]:
    """The parameters whose fitted value sits on a bound (see ``_AT_BOUND``)."""
    hits = []
    for p, x in zip(parameters, u, strict=True):
        value = p.from_unit(float(x))
        for side, bound, distance in (
            ("lower", p.lower, float(x)),
            ("upper", p.upper, 1.0 - float(x)),
        ):
            near = bound != 0.0 and abs(value / bound - 1.0) <= _AT_BOUND
            if distance <= _AT_BOUND or near:
                hits.append(BoundHit(p.name, side, bound, value))
                break
    return tuple(hits)


def _verdict(
    status: int,
    message: str,
    initial_cost: float,
    final_cost: float,
    initial_rms: float,
    final_rms: float,
    hits: Sequence[BoundHit],
) -> str:
    """Why a fit did not succeed, in one line; empty if it did."""
    reasons = []
    if status <= 0:  # 0: evaluation budget spent; < 0: the optimiser failed
        reasons.append(f"the optimiser did not converge ({message.rstrip('.')})")
    if final_cost > initial_cost * (1.0 + 1e-9):
        reasons.append(
            f"it ended worse than it started (cost {final_cost:.3g} > "
            f"{initial_cost:.3g} V², voltage RMS {final_rms * 1e3:.1f} mV, "
            f"{initial_rms * 1e3:.1f} mV at the start)"
        )
    reasons.extend(h.describe() for h in hits)
    return "; ".join(reasons)


def _as_parameters(
    parameters: Mapping[str, tuple[float, ...]] | Sequence[FitParameter],
) -> list[FitParameter]:
    if isinstance(parameters, Mapping):
        return [FitParameter(k, *map(float, v)) for k, v in parameters.items()]
    return list(parameters)


def _defaults(runner: Runner) -> dict[str, float]:
    """Where each adjustment stands before the fit (1 for a scale)."""
    pv = runner.bridge.parameter_values
    return {
        "contact_resistance": float(pv["Contact resistance [Ohm]"]),
        "positive_initial_stoichiometry": runner.bridge.initial_stoichiometry[
            "positive"
        ],
        "negative_initial_stoichiometry": runner.bridge.initial_stoichiometry[
            "negative"
        ],
    }


def calibrate(
    design: CellDesign,
    parameter_set: ParameterSet,
    curves: Sequence[MeasuredCurve],
    parameters: Mapping[str, tuple[float, ...]] | Sequence[FitParameter],
    *,
    nominal_capacity_Ah: float | None = None,
    model: str = "DFN",
    var_pts: dict[str, int] | None = None,
    capacity_weight: float = DEFAULT_CAPACITY_WEIGHT,
    max_evaluations: int = 200,
) -> CalibrationResult:
    """Fit adjustments of ``parameter_set`` to ``curves``; see the module docstring."""
    from scipy.optimize import least_squares

    fit = _as_parameters(parameters)
    if not fit:
        raise ParameterError("parameters: name at least one adjustment to fit")
    if not curves:
        raise ParameterError("curves: give at least one measured curve to fit")
    names = [p.name for p in fit]
    if len(set(names)) != len(names):
        twice = sorted({n for n in names if names.count(n) > 1})
        raise ParameterError(f"fit: {', '.join(twice)} named more than once")
    runner = Runner(
        design, parameter_set, model=model, var_pts=var_pts, adjustable=names
    )
    for p in fit:
        if p.name.endswith("active_fraction_scale"):
            check_active_fraction(runner.bridge.parameter_values, p.name, p.upper)
    nominal = one_c_capacity(nominal_capacity_Ah, runner.capacity_Ah)
    objective = _Objective(runner, curves, fit, nominal, capacity_weight)
    defaults = _defaults(runner)
    # Start inside the box: on a bound the finite-difference Jacobian of the
    # trust-region method has no room and the search never moves.
    u0 = np.array([p.to_unit(p.start(defaults.get(p.name, 1.0))) for p in fit])
    u0 = np.clip(u0, _MARGIN, 1.0 - _MARGIN)
    citations.register(["Virtanen2020"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        solution = least_squares(
            objective,
            u0,
            bounds=(0.0, 1.0),
            x_scale="jac",
            diff_step=1e-3,
            max_nfev=max_evaluations,
        )
    std, interval, clipped, corr = _uncertainty(
        fit, solution.x, solution.jac, solution.fun
    )
    initial = objective.initial if objective.initial is not None else solution.fun
    initial_cost = 0.5 * float(initial @ initial)
    final_cost = 0.5 * float(solution.fun @ solution.fun)
    initial_rms = objective.voltage_rms(initial)
    final_rms = objective.voltage_rms(solution.fun)
    hits = _bound_hits(fit, solution.x)
    reason = _verdict(
        int(solution.status),
        str(solution.message),
        initial_cost,
        final_cost,
        initial_rms,
        final_rms,
        hits,
    )
    values = objective.inputs(solution.x)  # relative to the set's own
    comparisons = tuple(
        compare(curve, *discharge_curve(runner, curve, nominal, values))
        for curve in curves
    )
    factor = {
        p.name: parameter_set.adjustments.get(p.name, 1.0) if p.logarithmic else 1.0
        for p in fit
    }
    builtin = builtin_sets().get(parameter_set.folder.name) == parameter_set.folder
    return CalibrationResult(
        base=parameter_set.folder.name
        if builtin
        else str(parameter_set.folder.resolve()),
        values={k: v * factor[k] for k, v in values.items()},
        std={k: v * factor[k] for k, v in std.items()},
        interval95={
            k: (lo * factor[k], hi * factor[k]) for k, (lo, hi) in interval.items()
        },
        fitted_on=tuple(c.label for c in curves),
        report=ValidationReport(f"{parameter_set.name} (fitted)", model, comparisons),
        evaluations=objective.evaluations,
        success=not reason,
        message=str(solution.message),
        correlation=corr,
        at_bounds=tuple(h.parameter for h in hits),
        reason=reason,
        initial_rms_V=initial_rms,
        final_rms_V=final_rms,
        initial_cost=initial_cost,
        final_cost=final_cost,
        bound_hits=hits,
        interval_clipped=clipped,
    )


def parse_fit(spec: str) -> FitParameter:
    """``"name=lower:upper"`` or ``"name=lower:upper:initial"`` as a FitParameter."""
    name, _, bounds = spec.partition("=")
    parts = bounds.split(":")
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        numbers = []
    if not name or len(numbers) not in (2, 3):
        raise ParameterError(
            f"fit = {spec!r}: give name=lower:upper or name=lower:upper:initial, "
            "e.g. negative_rate_scale=0.1:100"
        )
    get_adjustment(name.strip())
    return FitParameter(name.strip(), *numbers)


@dataclass(frozen=True)
class FitPlan:
    """What a calibration fits and to which curves (a set's ``fit.toml``)."""

    parameters: tuple[FitParameter, ...]
    measured: str
    role: str


def read_fit_plan(path: str | Path) -> FitPlan:
    """Read a ``fit.toml``: ``measured``, ``role``, and ``[fit]`` bounds."""
    from natrium._toml import read_toml

    data = read_toml(Path(path), "fit plan")
    table = data.get("fit", {})
    if not isinstance(table, dict) or not table:
        raise ParameterError(
            f"{Path(path).name}: [fit] must name at least one adjustment"
        )
    parameters = []
    for name, entry in table.items():
        if not isinstance(entry, dict) or not {"lower", "upper"} <= set(entry):
            raise ParameterError(f"{Path(path).name}: fit.{name} needs lower and upper")
        numbers = [entry.get(k) for k in ("lower", "upper", "initial")]
        if not all(isinstance(x, int | float) for x in numbers if x is not None):
            raise ParameterError(
                f"{Path(path).name}: fit.{name} bounds and initial must be numbers"
            )
        get_adjustment(name)
        parameters.append(FitParameter(name, *numbers))  # type: ignore[arg-type]
    return FitPlan(
        tuple(parameters),
        str(data.get("measured", "")),
        str(data.get("role", "calibration")),
    )
