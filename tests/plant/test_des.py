"""Discrete-event model of a cell line against the static model and probability."""

from __future__ import annotations

import math

import numpy as np
import pytest

from natrium import ParameterError
from natrium.plant.des import LineResult, simulate_line
from natrium.plant.line import (
    Line,
    Step,
    bottleneck,
    load_line,
    static_throughput,
)

# The reference line starts empty; its two-week ageing shelves fill in ~400 h.
WARMUP = 600.0
WINDOW = 2000.0


@pytest.fixture(scope="module")
def line() -> Line:
    return load_line()


@pytest.fixture(scope="module")
def steady(line) -> LineResult:
    """No failures, expected (not random) scrap: the static model's assumptions."""
    return simulate_line(
        line, hours=WINDOW, warmup_hours=WARMUP, failures=False, random_scrap=False
    )


@pytest.fixture(scope="module")
def with_failures(line) -> LineResult:
    return simulate_line(line, hours=WINDOW, warmup_hours=WARMUP, seed=3)


def _one_step(**kw) -> Line:
    args = {
        "key": "only",
        "name": "only",
        "unit": "cell",
        "units_per_cell": 1.0,
        "rate": 100.0 / 3600,  # 100 cells/h
        "machines": 1,
        "batch": 100.0,
        "yield_fraction": 1.0,
    }
    args.update(kw)
    return Line("one step", (Step(**args),), hours_per_year=8760.0)


def test_steady_state_agrees_with_static_model(line, steady):
    # Issue requirement: without failures and with deterministic yield, the DES
    # throughput agrees with the static capacity model within 2 %.
    static = static_throughput(line, with_failures=False)
    assert steady.good_cells_per_year == pytest.approx(static, rel=0.02)
    # the bottleneck is never starved nor blocked; stacking, as in the static model
    assert steady.bottleneck == bottleneck(line, with_failures=False) == "stacking"
    assert steady.by_step.loc["stacking", "utilisation"] == pytest.approx(1, abs=0.01)


def test_every_step_carries_the_bottleneck_flow(line, steady):
    # In steady state each step's utilisation is the line's flow over its own
    # capacity (static "load" scaled to the step's input), within 3 %.
    from natrium.plant.line import step_capacity

    cap = step_capacity(line, with_failures=False)
    util = steady.by_step["utilisation"]
    np.testing.assert_allclose(util, cap["load"], rtol=0.03)


def test_failures_cost_throughput_and_keep_the_bottleneck(line, steady, with_failures):
    assert with_failures.good_cells < steady.good_cells
    assert with_failures.bottleneck == bottleneck(line) == "stacking"
    # With failures the stackers are up 30/31.5 of the time: the static figure
    # holds within a few % (random repairs over 2,000 h).
    assert with_failures.good_cells_per_year == pytest.approx(
        static_throughput(line), rel=0.03
    )
    st = with_failures.by_step.loc["stacking"]
    assert st["down_fraction"] == pytest.approx(1.5 / 31.5, rel=0.3)
    # repair hours of all stackers over the window: the same share of their time
    assert st["down_h"] == pytest.approx(1.5 / 31.5 * st["machines"] * WINDOW, rel=0.3)
    assert with_failures.by_step.loc["ageing", "down_h"] == 0


def test_scrap_by_step_is_binomial_on_the_yields(line, with_failures):
    df = with_failures.by_step
    for s in line.steps:
        n = df.loc[s.key, "good_out"] + df.loc[s.key, "scrapped"]
        p = 1 - s.yield_fraction
        sd = math.sqrt(n * p * (1 - p))
        # sum of per-lot binomials is binomial(n, p): within 4 sigma
        assert abs(df.loc[s.key, "scrapped"] - n * p) <= 4 * sd + 1e-9, s.key


def test_deterministic_scrap_is_the_expected_share(line, steady):
    df = steady.by_step
    for s in line.steps:
        n = df.loc[s.key, "good_out"] + df.loc[s.key, "scrapped"]
        assert df.loc[s.key, "scrapped"] == pytest.approx(
            n * (1 - s.yield_fraction), abs=1.0
        ), s.key


def test_report_columns_and_totals(line, with_failures):
    df = with_failures.by_step
    assert list(df.index) == list(line.keys)
    for col in (
        "cells_in",
        "units_in",
        "good_out",
        "scrapped",
        "busy_fraction",
        "utilisation",
        "down_h",
        "mean_wip",
    ):
        assert col in df.columns
    assert with_failures.good_cells == df["good_out"].iloc[-1]
    assert with_failures.events > 100_000
    assert (df["busy_fraction"] <= 1).all()
    assert (df["utilisation"] <= 1 + 1e-9).all()
    # units in the step's own unit: stacking counts 61 sheets per cell
    assert df.loc["stacking", "units_in"] == pytest.approx(
        61 * df.loc["stacking", "cells_in"]
    )
    # WIP before a step never exceeds its buffer
    for s in line.steps[1:]:
        assert 0 <= df.loc[s.key, "mean_wip"] <= s.buffer * s.lot_cells
    gwh = with_failures.good_cells_per_year * line.cell_energy / 3.6e12
    assert with_failures.gwh_per_year == pytest.approx(gwh)


def test_single_step_without_failures_is_exact():
    # 100 cells/h in lots of 100: one lot an hour, 100 lots in 100 h (the lot
    # finishing exactly at the end of the window is not counted).
    r = simulate_line(_one_step(), hours=100.0, failures=False)
    assert r.good_cells in (9900, 10000)
    assert r.by_step.loc["only", "busy_fraction"] == pytest.approx(1.0)


def test_single_step_availability_matches_mtbf_mttr():
    # MTBF 9 h, MTTR 1 h: up 90 % of the time. Over 20,000 h (~1,800 failures)
    # the random error of the uptime is ~0.3 %; allow 2 %.
    line = _one_step(mtbf=9 * 3600.0, mttr=3600.0)
    r = simulate_line(line, hours=20_000.0, seed=11)
    assert r.good_cells == pytest.approx(0.9 * 100 * 20_000, rel=0.02)
    assert r.by_step.loc["only", "down_fraction"] == pytest.approx(0.1, rel=0.1)


def test_seeded_runs_repeat(line):
    a = simulate_line(line, hours=100.0, warmup_hours=0.0, seed=5)
    b = simulate_line(line, hours=100.0, warmup_hours=0.0, seed=5)
    c = simulate_line(line, hours=100.0, warmup_hours=0.0, seed=6)
    assert a.by_step.equals(b.by_step)
    assert not a.by_step.equals(c.by_step)
    # starting empty, nothing has left ageing after 100 h
    assert a.good_cells == 0


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"hours": 0.0}, r"hours = 0 is outside \(0, inf\) \[h\]"),
        ({"hours": -5.0}, r"hours = -5 is outside"),
        ({"warmup_hours": -1.0}, r"warmup_hours = -1 is outside \[0, inf\)"),
    ],
)
def test_bad_run_parameters(kwargs, match):
    with pytest.raises(ParameterError, match=match):
        simulate_line(_one_step(), **kwargs)


@pytest.mark.slow
def test_one_year_with_failures_agrees_with_static(line):
    r = simulate_line(line, warmup_hours=WARMUP, seed=0)
    assert r.good_cells_per_year == pytest.approx(static_throughput(line), rel=0.02)
    assert r.bottleneck == "stacking"
