r"""A discrete-event model of a cell production line (SimPy).

Each step of a :class:`~natrium.plant.line.Line` is a pool of ``machines``
identical machines. A machine takes one lot (the step's ``batch``, counted in
whole cell-equivalents) from the finite buffer in front of it, processes it for
``lot / rate``, scraps part of it and puts the good part into the next buffer,
waiting while that buffer is full (blocking) or the one before it is empty
(starving). The first step never runs short of raw material; good cells out of
the last step leave the line.

Material moves in lots, never cell by cell: a 1 GWh/yr line makes over ten
million cells a year, and a lot of a few hundred cells keeps a simulated year
to a few million events.

Failures are operation-dependent: each machine fails after an exponentially
distributed processing time (mean MTBF) and is repaired in an exponentially
distributed time (mean MTTR), so a machine that is never starved or blocked is
up MTBF / (MTBF + MTTR) of the time, the availability of the static model
(:mod:`natrium.plant.line`). Scrap is binomial on each lot (or, with
``random_scrap=False``, the expected share, carried over between lots so no
fraction is lost).
"""

from __future__ import annotations

import math
import time
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import simpy

from natrium import citations
from natrium._validation import check_positive, check_range
from natrium.plant.line import SECONDS_PER_HOUR, Line
from natrium.units import GWH


@dataclass(frozen=True)
class LineResult:
    """What a simulated line made, step by step.

    Attributes
    ----------
    by_step : pandas.DataFrame
        Indexed by step key, over the measured window: ``cells_in`` and
        ``units_in`` (lots started, in cells and in the step's own unit),
        ``good_out`` and ``scrapped`` (cells, lots finished), ``scrap_share``,
        ``busy_fraction`` (processing time over machine time),
        ``down_fraction`` and ``down_h`` (repair time, all machines),
        ``utilisation`` (busy or under repair: 1 at a step that is never
        starved or blocked) and ``mean_wip`` (cells in the buffer before the
        step, time-averaged).
    good_cells : int
        Good cells out of the line in the measured window. [cell]
    good_cells_per_year : float
        The same, scaled to the line's operating hours a year. [cell yr⁻¹]
    gwh_per_year : float
        Energy of those cells. [GWh yr⁻¹]
    bottleneck : str
        Step with the highest utilisation.
    events : int
        SimPy events processed.
    wall_time_s : float
        Wall-clock time of the run. [s]
    hours, warmup_hours : float
        Measured window, after a warm-up that is not counted. [h]
    seed : int
    citations : tuple of str
    """

    by_step: pd.DataFrame
    good_cells: int
    good_cells_per_year: float
    gwh_per_year: float
    bottleneck: str
    events: int
    wall_time_s: float
    hours: float
    warmup_hours: float
    seed: int
    citations: tuple[str, ...] = ()


def simulate_line(
    line: Line,
    *,
    hours: float | None = None,
    warmup_hours: float = 0.0,
    failures: bool = True,
    random_scrap: bool = True,
    seed: int = 0,
) -> LineResult:
    """Simulate the line, starting empty, and report what it made.

    Parameters
    ----------
    line : Line
    hours : float, optional
        Length of the measured window; by default the line's operating hours a
        year (7,680 h for the reference line). [h]
    warmup_hours : float, default 0
        Time simulated before the window and not counted, so that the line
        (above all the two-week ageing shelves) can fill. [h]
    failures : bool, default True
        Random failures and repairs; without them every machine is always up.
    random_scrap : bool, default True
        Binomial scrap per lot; ``False`` scraps the expected share.
    seed : int, default 0
        Seed of the :class:`numpy.random.Generator`.

    Returns
    -------
    LineResult

    Raises
    ------
    ParameterError
        If ``hours`` is not positive or ``warmup_hours`` is negative.

    Examples
    --------
    >>> from natrium.plant.line import load_line
    >>> r = simulate_line(load_line(), hours=200, warmup_hours=400, seed=1)
    >>> r.bottleneck
    'stacking'
    """
    line.check_buffers()
    window = line.hours_per_year if hours is None else hours
    window = float(check_positive("hours", window, unit="h"))
    warm = float(check_range("warmup_hours", warmup_hours, low=0.0, unit="h"))
    citations.register(line.citations)
    start_wall = time.perf_counter()
    sim = _Simulation(line, window, warm, failures, random_scrap, seed)
    events = sim.run()
    wall = time.perf_counter() - start_wall
    by_step = sim.table()
    good = int(by_step["good_out"].iloc[-1])
    per_year = good * line.hours_per_year / window
    return LineResult(
        by_step=by_step,
        good_cells=good,
        good_cells_per_year=per_year,
        gwh_per_year=per_year * line.cell_energy / GWH,
        bottleneck=str(by_step["utilisation"].idxmax()),
        events=events,
        wall_time_s=wall,
        hours=window,
        warmup_hours=warm,
        seed=seed,
        citations=line.citations,
    )


class _Simulation:
    """The SimPy model; counters are per step, indexed like ``line.steps``."""

    def __init__(
        self,
        line: Line,
        hours: float,
        warmup: float,
        failures: bool,
        random_scrap: bool,
        seed: int,
    ) -> None:
        self.line = line
        self.env = simpy.Environment()
        self.rng = np.random.default_rng(seed)
        self.failures = failures
        self.random_scrap = random_scrap
        self.t0 = warmup * SECONDS_PER_HOUR
        self.t1 = (warmup + hours) * SECONDS_PER_HOUR
        n = len(line.steps)
        self.cells_in = [0] * n
        self.good = [0] * n
        self.scrap = [0] * n
        self.busy = [0.0] * n
        self.down = [0.0] * n
        self.carry = [0.0] * n  # expected scrap not yet taken (deterministic mode)
        # buffer i sits before step i; step 0 draws on an endless supply
        self.buffers: list[simpy.Container | None] = [None] + [
            simpy.Container(self.env, capacity=s.buffer * s.lot_cells)
            for s in line.steps[1:]
        ]
        self.level = [0] * n
        self.level_area = [0.0] * n  # integral of level over the window [cell s]
        self.level_time = [0.0] * n

    def _overlap(self, a: float, b: float) -> float:
        return max(0.0, min(b, self.t1) - max(a, self.t0))

    def _change_level(self, i: int, delta: int) -> None:
        now = self.env.now
        self.level_area[i] += self.level[i] * self._overlap(self.level_time[i], now)
        self.level[i] += delta
        self.level_time[i] = now

    def _machine(self, i: int) -> Generator[Any, Any, None]:
        step = self.line.steps[i]
        env, rng = self.env, self.rng
        lot, t_lot = step.lot_cells, step.lot_time
        y = step.yield_fraction
        mtbf, mttr = step.mtbf, step.mttr
        fails = self.failures and math.isfinite(mtbf)
        ttf = rng.exponential(mtbf) if fails else math.inf
        buf_in = self.buffers[i]
        last = i == len(self.buffers) - 1
        buf_out = None if last else self.buffers[i + 1]
        while True:
            if buf_in is not None:
                yield buf_in.get(lot)
                self._change_level(i, -lot)
            if env.now >= self.t0:
                self.cells_in[i] += lot
            remaining = t_lot
            while remaining > 0.0:
                start = env.now
                if ttf >= remaining:
                    # counted when it starts: a lot still running at the end of
                    # the window keeps its machine busy up to the end
                    self.busy[i] += self._overlap(start, start + remaining)
                    yield env.timeout(remaining)
                    ttf -= remaining
                    remaining = 0.0
                else:
                    self.busy[i] += self._overlap(start, start + ttf)
                    yield env.timeout(ttf)
                    remaining -= ttf
                    repair = rng.exponential(mttr)
                    start = env.now
                    self.down[i] += self._overlap(start, start + repair)
                    yield env.timeout(repair)
                    ttf = rng.exponential(mtbf)
            if y >= 1.0:
                good = lot
            elif self.random_scrap:
                good = int(rng.binomial(lot, y))
            else:
                self.carry[i] += lot * (1.0 - y)
                lost = math.floor(self.carry[i] + 1e-9)
                self.carry[i] -= lost
                good = lot - lost
            if env.now >= self.t0:
                self.good[i] += good
                self.scrap[i] += lot - good
            if buf_out is not None and good > 0:
                yield buf_out.put(good)
                self._change_level(i + 1, good)

    def run(self) -> int:
        env = self.env
        for i, s in enumerate(self.line.steps):
            for _ in range(s.machines):
                env.process(self._machine(i))
        events = 0
        step, peek, end = env.step, env.peek, self.t1
        while peek() < end:
            step()
            events += 1
        for i in range(1, len(self.line.steps)):
            self.level_area[i] += self.level[i] * self._overlap(self.level_time[i], end)
            self.level_time[i] = end
        return events

    def table(self) -> pd.DataFrame:
        span = self.t1 - self.t0
        rows = []
        for i, s in enumerate(self.line.steps):
            machine_time = s.machines * span
            done = self.good[i] + self.scrap[i]
            rows.append(
                {
                    "step": s.key,
                    "unit": s.unit,
                    "machines": s.machines,
                    "cells_in": self.cells_in[i],
                    "units_in": self.cells_in[i] * s.units_per_cell,
                    "good_out": self.good[i],
                    "scrapped": self.scrap[i],
                    "scrap_share": self.scrap[i] / done if done else math.nan,
                    "busy_fraction": self.busy[i] / machine_time,
                    "down_fraction": self.down[i] / machine_time,
                    "down_h": self.down[i] / SECONDS_PER_HOUR,
                    "utilisation": (self.busy[i] + self.down[i]) / machine_time,
                    "mean_wip": self.level_area[i] / span if i else math.nan,
                }
            )
        return pd.DataFrame(rows).set_index("step")
