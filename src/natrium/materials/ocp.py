"""Open-circuit potential (OCP) curves of insertion materials.

A curve is a table of potential against stoichiometry (the fraction of the
host's maximum Na or Li content, 0 to 1) with the window its practical
capacity spans. Between points it is linear, as PyBaMM interpolates tables.
The cumulative integral is precomputed once, so the energy of a full cell is
four table look-ups per design, whatever the number of designs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike, NDArray

from natrium.exceptions import DataFileError

_WINDOW = re.compile(
    r"#\s*window:\s*(\w+)\s*=\s*([0-9.eE+-]+)\s+(\w+)\s*=\s*([0-9.eE+-]+)"
)
_SOURCE = re.compile(r"#\s*source:\s*(\S+)")


#: The largest rise of potential between two table rows taken as noise [V].
RISE_TOLERANCE = 5e-3


@dataclass(frozen=True, eq=False)
class OCPCurve:
    """Potential [V] against stoichiometry [-], with the practical window.

    ``window`` is ``(low, high)`` in stoichiometry: for a cathode, the charged
    (desodiated) and discharged (sodiated) ends; for an anode, the empty and
    full ends. ``sources`` are the citation keys of the table.
    """

    stoichiometry: NDArray[np.float64]
    potential: NDArray[np.float64]
    window: tuple[float, float]
    sources: tuple[str, ...] = ()
    name: str = ""
    _cumulative: NDArray[np.float64] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        x, u = self.stoichiometry, self.potential
        what = self.name or "OCP table"
        if x.ndim != 1 or x.shape != u.shape or x.size < 2:
            raise DataFileError(f"{what}: needs two equal columns of at least 2 rows")
        if not (np.all(np.isfinite(x)) and np.all(np.isfinite(u))):
            raise DataFileError(f"{what}: holds non-finite values")
        if np.any(np.diff(x) <= 0):
            raise DataFileError(f"{what}: stoichiometry must increase strictly")
        if x[0] < 0 or x[-1] > 1:
            raise DataFileError(f"{what}: stoichiometry must lie in [0, 1]")
        if np.any(np.diff(u) > RISE_TOLERANCE):
            # a cell's voltage window is found on the discharge path by
            # bisection, which needs each electrode's potential to fall as it
            # fills; digitised tables keep a few mV of noise (PyBaMM's
            # Chayambuka NVPF table rises 3.2 mV at x = 0.60, mid-plateau), which
            # can move a window's end only where the window's voltage falls
            # within those mV of the bump
            rises = int(np.argmax(np.diff(u) > RISE_TOLERANCE))
            raise DataFileError(
                f"{what}: potential rises from {u[rises]:.4f} V to "
                f"{u[rises + 1]:.4f} V at stoichiometry {x[rises]:.4f}; valid: "
                f"non-increasing with stoichiometry (within {RISE_TOLERANCE * 1e3:g} "
                "mV of noise)"
            )
        lo, hi = self.window
        if not 0 <= lo < hi <= 1:
            raise DataFileError(
                f"{what}: window {self.window} must satisfy 0 <= low < high <= 1"
            )
        steps = 0.5 * (u[1:] + u[:-1]) * np.diff(x)  # trapezoids, exact for linear
        object.__setattr__(
            self, "_cumulative", np.concatenate(([0.0], np.cumsum(steps)))
        )

    @classmethod
    def from_csv(cls, path: Path, *, name: str = "") -> OCPCurve:
        """Read a ``stoichiometry,ocp_V`` table whose ``#`` lines give the window
        (``# window: x_charged=0.1 x_discharged=0.98``) and sources
        (``# source: Key``)."""
        label = name or path.name
        try:
            text = path.read_text(encoding="utf-8")
            table = np.loadtxt(path, delimiter=",", skiprows=1, comments="#", ndmin=2)
        except (OSError, ValueError) as err:
            raise DataFileError(
                f"{label}: cannot read OCP table {path}: {err}"
            ) from err
        windows = _WINDOW.findall(text)
        if len(windows) != 1:
            raise DataFileError(f"{label}: needs one '# window: a=.. b=..' line")
        _, lo_text, _, hi_text = windows[0]
        try:
            lo, hi = float(lo_text), float(hi_text)
        except ValueError as err:
            raise DataFileError(
                f"{label}: window ends {lo_text!r}, {hi_text!r} are not numbers"
            ) from err
        sources = tuple(dict.fromkeys(_SOURCE.findall(text)))
        if table.shape[1] != 2:
            raise DataFileError(f"{label}: expected 2 columns, got {table.shape[1]}")
        return cls(
            table[:, 0].copy(),
            table[:, 1].copy(),
            (lo, hi),
            sources,
            label,
        )

    def __call__(self, stoichiometry: ArrayLike) -> NDArray[np.float64]:
        """Potential [V]; held constant beyond the ends of the table."""
        x = np.asarray(stoichiometry, dtype=float)
        return np.interp(x, self.stoichiometry, self.potential)

    def integral(self, stoichiometry: ArrayLike) -> NDArray[np.float64]:
        """∫ U dx from the first table point to ``stoichiometry`` [V]."""
        x = np.asarray(stoichiometry, dtype=float)
        nodes, u = self.stoichiometry, self.potential
        # The table is linear between nodes, so the integral is the cumulative
        # sum up to the node below plus a partial trapezoid; beyond the ends the
        # potential is held constant, as in __call__.
        idx = np.clip(np.searchsorted(nodes, x, side="right") - 1, 0, nodes.size - 2)
        slope = (u[idx + 1] - u[idx]) / (nodes[idx + 1] - nodes[idx])
        dx = np.clip(x, nodes[0], nodes[-1]) - nodes[idx]
        exact = self._cumulative[idx] + u[idx] * dx + 0.5 * slope * dx * dx
        below = np.minimum(x - nodes[0], 0.0) * u[0]
        above = np.maximum(x - nodes[-1], 0.0) * u[-1]
        return exact + below + above

    def mean_potential(self, low: ArrayLike, high: ArrayLike) -> NDArray[np.float64]:
        """Mean potential between two stoichiometries [V]."""
        lo, hi = np.asarray(low, dtype=float), np.asarray(high, dtype=float)
        return (self.integral(hi) - self.integral(lo)) / (hi - lo)

    @property
    def window_mean_potential(self) -> float:
        """Mean potential over the practical window [V]."""
        return float(self.mean_potential(*self.window))
