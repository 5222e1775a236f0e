"""How close a parameter set comes to measurement.

``validate(design, parameter_set, curves)`` discharges the cell at each
measured curve's current and compares voltage against discharged capacity:

* ``rms_mV`` and ``max_mV``: the voltage error at the measured points, over
  the capacity both curves cover (digitised points are not evenly spaced, so
  each point counts once, as digitised);
* ``capacity_error_pct``: ``100 (Q_sim / Q_meas - 1)``, the simulated
  capacity taken where the simulation falls to the voltage the measured curve
  ends at (a measured curve may stop above the model's cut-off);
* ``points_compared``: the fraction of measured points inside the simulated
  capacity (those beyond it show in the capacity error instead).

A curve whose measured capacity is far from the simulated one (more than
:data:`CAPACITY_MISMATCH`, relative) gets a warning in
``ValidationReport.warnings``: the data probably belong to another cell, or
the nominal capacity or the capacity unit is wrong.

The model is built and discretised once (:class:`natrium.sim.runner.Runner`)
and solved once per curve. Results are tidy tables; :meth:`ValidationReport.plot`
draws measured and simulated curves side by side.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from natrium._data import DataFile
from natrium._validation import check_positive
from natrium.cell import CellDesign
from natrium.exceptions import DataFileError, ParameterError
from natrium.sim.measured import MeasuredCurve
from natrium.sim.parameter_sets import ParameterSet
from natrium.sim.runner import Runner
from natrium.units import AH

#: Horizon of a simulated discharge, in nominal durations (1/C-rate): long
#: enough for a calibration that moves the capacity up by half.
_HORIZON = 2.0

#: Relative difference between a curve's measured capacity and the simulated
#: one (same current, same end voltage) above which ``validate`` warns that
#: the data may not belong to the cell (model_validity.toml [validation], with
#: its reasoning).
CAPACITY_MISMATCH = DataFile(
    Path(__file__).with_name("data") / "model_validity.toml", "model validity data"
).value("validation", "capacity_mismatch")


@dataclass(frozen=True)
class CurveComparison:
    """One measured curve against its simulation."""

    label: str
    c_rate: float
    rms_mV: float
    max_mV: float
    capacity_error_pct: float
    measured_Ah: float
    simulated_Ah: float
    measured: pd.DataFrame  # capacity_Ah, voltage_V
    simulated: pd.DataFrame  # capacity_Ah, voltage_V
    coverage: float = 1.0  # fraction of measured points the RMS covers

    def summary(self) -> dict[str, Any]:
        return {
            "curve": self.label,
            "c_rate": self.c_rate,
            "rms_mV": self.rms_mV,
            "max_mV": self.max_mV,
            "capacity_error_pct": self.capacity_error_pct,
            "measured_mAh": self.measured_Ah * 1e3,
            "simulated_mAh": self.simulated_Ah * 1e3,
            "points_compared": self.coverage,
        }


def capacity_at(
    q: NDArray[np.float64], v: NDArray[np.float64], voltage: float
) -> float:
    """Capacity at which a discharge first falls to ``voltage`` [A h].

    A measured curve may stop above the model's cut-off (the digitised ones end
    near 2.03 V, a trimmed export anywhere): its capacity is compared with the
    simulation's at the same voltage, or the simulation's end if it never gets
    there.
    """
    below = np.nonzero(v <= voltage)[0]
    if below.size == 0:
        return float(q[-1])
    i = int(below[0])
    if i == 0:
        return float(q[0])
    # Linear between the last point above and the first at or below.
    f = (v[i - 1] - voltage) / (v[i - 1] - v[i])
    return float(q[i - 1] + f * (q[i] - q[i - 1]))


def compare(
    measured: MeasuredCurve,
    q_sim: NDArray[np.float64],
    v_sim: NDArray[np.float64],
) -> CurveComparison:
    """Voltage and capacity errors of a simulated discharge against a measured one."""
    q_meas, v_meas = measured.capacity_Ah, measured.voltage_V
    shared = q_meas <= q_sim[-1]
    if shared.sum() < 2:
        raise ParameterError(
            f"curve {measured.label}: the simulation delivered "
            f"{q_sim[-1] * 1e3:.3g} mAh, too little to compare with any "
            "measured point [mAh]"
        )
    error = np.interp(q_meas[shared], q_sim, v_sim) - v_meas[shared]
    v_end = float(v_meas[-1])
    return CurveComparison(
        label=measured.label,
        c_rate=measured.c_rate,
        rms_mV=float(np.sqrt(np.mean(error**2)) * 1e3),
        max_mV=float(np.max(np.abs(error)) * 1e3),
        capacity_error_pct=float(
            100.0 * (capacity_at(q_sim, v_sim, v_end) / measured.capacity - 1.0)
        ),
        coverage=float(shared.mean()),
        measured_Ah=measured.capacity,
        simulated_Ah=float(q_sim[-1]),
        measured=measured.to_frame(),
        simulated=pd.DataFrame({"capacity_Ah": q_sim, "voltage_V": v_sim}),
    )


def discharge_curve(
    runner: Runner,
    curve: MeasuredCurve,
    nominal_capacity_Ah: float,
    inputs: Mapping[str, float] | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Simulated capacity [A h] and voltage [V] of one measured discharge."""
    current = curve.current(nominal_capacity_Ah)
    t_end = _HORIZON * nominal_capacity_Ah * AH / current
    sol = runner.solve(current, t_end, inputs)
    q = np.asarray(sol["Discharge capacity [A.h]"].entries, dtype=float)
    v = np.asarray(sol["Voltage [V]"].entries, dtype=float)
    return q, v


@dataclass(frozen=True)
class ValidationReport:
    """A parameter set's errors against measured curves."""

    parameter_set: str
    model: str
    comparisons: tuple[CurveComparison, ...]
    warnings: tuple[str, ...] = ()

    def table(self) -> pd.DataFrame:
        return pd.DataFrame([c.summary() for c in self.comparisons])

    def summary(self) -> dict[str, Any]:
        """The worst of the curves, and each curve's figures."""
        return {
            "parameter_set": self.parameter_set,
            "model": self.model,
            "rms_mV": max(c.rms_mV for c in self.comparisons),
            "max_mV": max(c.max_mV for c in self.comparisons),
            "capacity_error_pct": max(
                (c.capacity_error_pct for c in self.comparisons), key=abs
            ),
            "curves": [c.summary() for c in self.comparisons],
            "warnings": list(self.warnings),
        }

    def plot(
        self, path: str | Path, *, others: Sequence[ValidationReport] = ()
    ) -> Path:
        """Measured (points) and simulated (lines) curves, saved to ``path``."""
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(7, 4.5))
        styles = ("-", "--", ":", "-.")
        for k, report in enumerate((self, *others)):
            for i, c in enumerate(report.comparisons):
                colour = f"C{i}"
                if k == 0:
                    ax.plot(
                        c.measured["capacity_Ah"] * 1e3,
                        c.measured["voltage_V"],
                        ".",
                        color=colour,
                        ms=3,
                        label=f"measured {c.label}",
                    )
                ax.plot(
                    c.simulated["capacity_Ah"] * 1e3,
                    c.simulated["voltage_V"],
                    styles[k % len(styles)],
                    color=colour,
                    label=(
                        f"{report.parameter_set} {c.c_rate:g}C ({c.rms_mV:.0f} mV RMS)"
                    ),
                )
        ax.set_xlabel("Discharged capacity [mAh]")
        ax.set_ylabel("Voltage [V]")
        ax.legend(fontsize=7)
        fig.tight_layout()
        path = Path(path)
        try:
            fig.savefig(path, dpi=120)
        except (OSError, ValueError) as err:  # no such folder, unknown format
            raise DataFileError(
                f"plot = {str(path)!r}: cannot write it ({err})"
            ) from err
        finally:
            plt.close(fig)
        return path


def one_c_capacity(given: float | None, design_capacity: float) -> float:
    """The capacity that defines 1C: the one given, else the design's [A h]."""
    if given is None:
        return design_capacity
    return float(check_positive("nominal_capacity", given, unit="A h"))


def capacity_warnings(
    comparisons: Sequence[CurveComparison],
    design_capacity_Ah: float,
    *,
    threshold: float = CAPACITY_MISMATCH,
) -> tuple[str, ...]:
    """A warning for each curve whose capacity is far from the simulated one.

    ``capacity_error_pct`` compares the two at the same current and end
    voltage, so rate losses and a measured curve that stops early do not
    count; a difference above ``threshold`` (relative) [-] means the data
    and the cell do not match.
    """
    return tuple(
        f"curve {c.label}: measured {c.measured_Ah * 1e3:.4g} mAh, simulated "
        f"{(1.0 + c.capacity_error_pct / 100.0) * c.measured_Ah * 1e3:.4g} mAh "
        f"({c.capacity_error_pct:+.1f} %, beyond ±{threshold * 100:g} %) for a "
        f"{design_capacity_Ah * 1e3:.4g} mAh cell: do the data belong to this "
        "cell, with the right nominal capacity and capacity unit?"
        for c in comparisons
        if abs(c.capacity_error_pct) > threshold * 100.0
    )


def validate(
    design: CellDesign,
    parameter_set: ParameterSet,
    curves: Sequence[MeasuredCurve],
    *,
    nominal_capacity_Ah: float | None = None,
    model: str = "DFN",
    var_pts: dict[str, int] | None = None,
) -> ValidationReport:
    """Compare a parameter set's simulations with measured discharges.

    ``nominal_capacity_Ah`` turns each curve's C-rate into a current (default:
    the design's capacity); a curve that states its current uses that.
    The report's ``warnings`` name the curves whose capacity differs from the
    simulated one by more than :data:`CAPACITY_MISMATCH`.
    """
    if not curves:
        raise ParameterError("curves: give at least one measured curve")
    runner = Runner(design, parameter_set, model=model, var_pts=var_pts)
    nominal = one_c_capacity(nominal_capacity_Ah, runner.capacity_Ah)
    comparisons = tuple(
        compare(curve, *discharge_curve(runner, curve, nominal)) for curve in curves
    )
    return ValidationReport(
        parameter_set.name,
        model,
        comparisons,
        capacity_warnings(comparisons, runner.capacity_Ah),
    )
