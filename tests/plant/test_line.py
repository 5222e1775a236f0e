"""Static model of a cell line: units, capacity, bottleneck, scaling, errors."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from natrium import DataFileError, NatriumError, OptionError, ParameterError, citations
from natrium.cell import evaluate
from natrium.io import load_example
from natrium.plant.line import (
    DEFAULT_LINE,
    Line,
    Step,
    bottleneck,
    load_line,
    scale_line,
    static_throughput,
    step_capacity,
)

KEYS = (
    "mixing",
    "coating",
    "calendering",
    "slitting",
    "vacuum_drying",
    "notching",
    "stacking",
    "tab_welding",
    "enclosing",
    "filling",
    "wetting",
    "formation",
    "ageing",
    "grading",
)


@pytest.fixture(scope="module")
def line() -> Line:
    return load_line()


def test_reference_line_has_the_process_chain_in_order(line):
    assert line.keys == KEYS
    assert line.hours_per_year == pytest.approx(320 * 24)  # BatPaC, BatPaCv5
    # the line's cell is the example it names, evaluated, not a copy of it
    assert line.cell_energy == evaluate(load_example("pw_hc_pouch")).energy
    for key in line.citations:
        assert citations.is_known(key)
    assert "BatPaCv5" in line.citations


def test_units_convert_to_cells_per_hour(line):
    # coating: 40 m/min of a 0.6 m web; a cell takes 30 cathode sheets of
    # 100 x 200 mm and 31 anode sheets of 101 x 204 mm (the example's overhangs)
    # = 1.2387 m2 of coated footprint -> 2.0645 m of web per cell
    area = 30 * 0.100 * 0.200 + 31 * 0.101 * 0.204
    coating = line.step("coating")
    assert coating.units_per_cell == pytest.approx(area / 0.6)
    assert coating.cell_rate * 3600 == pytest.approx(2400 / (area / 0.6))
    # stacking: 300 sheets/min, 61 sheets a cell -> 295.08 cells/h per stacker
    stacking = line.step("stacking")
    assert stacking.cell_rate * 3600 == pytest.approx(18000 / 61)
    assert stacking.lot_cells == 200  # 12,200 sheets / 61
    assert stacking.availability == pytest.approx(30 / 31.5)
    # mixing: a 4 h batch coats 2,500 m2 = 2018 cells' worth
    mixing = line.step("mixing")
    assert mixing.lot_cells == int(2500 / area)
    assert mixing.cell_rate * 3600 == pytest.approx(2500 / area / 4)
    # formation: a 256-cell rack for 24 h
    assert line.step("formation").cell_rate * 3600 == pytest.approx(256 / 24)
    # ageing: passive shelves do not fail
    assert line.step("ageing").availability == 1.0


def test_stacking_capacity_is_derivable(line):
    cap = step_capacity(line)
    y = {s.key: s.yield_fraction for s in line.steps}
    after = np.prod([y[k] for k in KEYS[KEYS.index("stacking") :]])
    # 6 stackers x 295.08 cells/h x 30/31.5 x 7680 h x downstream yield
    expected = 6 * 18000 / 61 * (30 / 31.5) * 7680 * after
    assert cap.loc["stacking", "good_cells_per_year"] == pytest.approx(expected)
    assert cap.loc["stacking", "load"] == pytest.approx(1.0)
    assert static_throughput(line) == pytest.approx(expected)
    assert bottleneck(line) == "stacking"


def test_downstream_yield_is_the_product_of_later_yields(line):
    cap = step_capacity(line)
    ys = cap["yield"].to_numpy()
    assert cap["downstream_yield"].iloc[0] == pytest.approx(np.prod(ys))
    assert cap["downstream_yield"].iloc[-1] == pytest.approx(ys[-1])
    # ~9 % scrap overall: inside 5-12 % of steady-state plants (PorscheConsulting2025)
    assert 0.05 < 1 - np.prod(ys) < 0.12


def test_reference_line_makes_about_one_gwh(line):
    gwh = static_throughput(line) * line.cell_energy / 3.6e12
    assert gwh == pytest.approx(1.09, abs=0.01)
    # without failures the nameplate figure is higher by 1 / availability
    ratio = static_throughput(line, with_failures=False) / static_throughput(line)
    assert ratio == pytest.approx(31.5 / 30)


def test_throughput_scales_with_hours(line):
    assert static_throughput(line, 3840) == pytest.approx(static_throughput(line) / 2)


def test_scale_line_reaches_target_with_fewest_machines(line):
    target = 2.5 * static_throughput(line)
    big = scale_line(line, target)
    assert static_throughput(big) >= target * (1 - 1e-12)
    cap = step_capacity(big)
    for s in big.steps:
        per_machine = cap.loc[s.key, "good_cells_per_year"] / s.machines
        assert (s.machines - 1) * per_machine < target  # one fewer falls short
        assert s.buffer >= line.step(s.key).buffer


def test_scale_line_to_one_gwh(line):
    cells = 1e9 * 3600 / line.cell_energy  # 11.24 million 89 Wh cells
    one = scale_line(line, cells)
    assert static_throughput(one) >= cells
    assert static_throughput(one) < 1.2 * cells


def test_with_machines_and_unknown_step(line):
    more = line.with_machines({"stacking": 7})
    assert more.step("stacking").machines == 7
    assert bottleneck(more) != "stacking"
    with pytest.raises(OptionError, match=r"unknown step 'stackng'; valid: mixing"):
        line.step("stackng")
    with pytest.raises(KeyError):
        line.with_machines({"nope": 1})


# --- bad input ------------------------------------------------------------------


def _edit(tmp_path: Path, old: str, new: str) -> Path:
    text = DEFAULT_LINE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "line.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "match"),
    [
        (
            'rate = { value = 40, unit = "m/min"',
            'rate = { value = -40, unit = "m/min"',
            r"step 'coating'\.rate = -40 m/min must be > 0",
        ),
        (
            'key = "mixing"',
            'key = "mixing"\nyield = { value = 1.2, unit = "", ref = "BatPaCv5" }',
            r"step 'mixing'\.yield = 1\.2 is outside \(0, 1\]",
        ),
        (
            'rate = { value = 40, unit = "m/min"',
            'rat = { value = 40, unit = "m/min"',
            r"step 'coating': unknown field\(s\) rat; valid:",
        ),
        (
            'unit = "sheet"',
            'unit = "sheets"',
            r"unit 'sheets' unknown; valid: batch, m, sheet, cell",
        ),
        (
            'rate = { value = 40, unit = "m/min", ref = "estimate"',
            'rate = { value = 40, unit = "m/min", ref = "Nobody1999"',
            r"unknown citation key 'Nobody1999'",
        ),
        (
            'rate = { value = 40, unit = "m/min"',
            'rate = { value = 40, unit = "kg"',
            r"step 'coating'\.rate = '40 kg' has the wrong unit",
        ),
        (
            'machines = { value = 6, unit = ""',
            'machines = { value = 5.5, unit = ""',
            r"step 'stacking'\.machines = 5\.5 must be a whole number",
        ),
        (
            'buffer = { value = 40, unit = ""',
            'buffer = { value = 1, unit = ""',
            r"step 'notching': buffer of 1 lots \(200 cells\) cannot hold",
        ),
        ('key = "grading"', 'key = "ageing"', r"step keys repeated: \['ageing'\]"),
        ("[line]", "[lines]", r"unknown table\(s\) lines"),
    ],
)
def test_bad_line_files_give_one_line_errors(tmp_path, old, new, match):
    path = _edit(tmp_path, old, new)
    with pytest.raises(DataFileError, match=match) as info:
        load_line(path)
    assert isinstance(info.value, ValueError)
    assert "\n" not in str(info.value)


def test_malformed_toml(tmp_path):
    path = _edit(tmp_path, "[line]", "[line")
    with pytest.raises(DataFileError, match=r"line\.toml: malformed TOML") as info:
        load_line(path)
    assert "\n" not in str(info.value)
    with pytest.raises(DataFileError, match="cannot read production line"):
        load_line(tmp_path / "missing.toml")


def test_both_rate_and_cycle_time_is_an_error(tmp_path):
    path = _edit(
        tmp_path,
        'cycle_time = { value = 4, unit = "h"',
        'rate = { value = 1, unit = "1/h", ref = "estimate" }\n'
        'cycle_time = { value = 4, unit = "h"',
    )
    with pytest.raises(DataFileError, match="exactly one of 'rate' and 'cycle_time'"):
        load_line(path)


def test_step_validates_on_creation():
    good = {
        "key": "x",
        "name": "x",
        "unit": "cell",
        "units_per_cell": 1.0,
        "rate": 1.0,
        "machines": 1,
        "batch": 10.0,
        "yield_fraction": 0.9,
    }
    Step(**good)
    with pytest.raises(ParameterError, match=r"step 'x'\.rate = -1 is outside"):
        Step(**{**good, "rate": -1.0})
    with pytest.raises(ParameterError, match=r"step 'x'\.yield = 1\.5 is outside"):
        Step(**{**good, "yield_fraction": 1.5})
    with pytest.raises(NatriumError, match=r"step 'x'\.machines = 0 is outside"):
        Step(**{**good, "machines": 0})
    with pytest.raises(ParameterError, match="hours_per_year"):
        Line("l", (Step(**good),), hours_per_year=-1.0)
    with pytest.raises(ParameterError, match="cells_per_year"):
        scale_line(Line("l", (Step(**good),), hours_per_year=1.0), 0.0)
    assert math.isinf(Step(**good).mtbf)
