r"""A cell production line as a chain of steps: capacity, bottleneck, scaling.

A line is a sequence of process steps (mixing, coating, ..., formation,
ageing, grading), each with its own unit (slurry batches, metres of electrode
web, electrode sheets, cells), nameplate rate, parallel machines, lot size,
yield, failure data and the buffer in front of it. :func:`load_line` reads one
from a TOML file (``data/cell_line.toml`` by default) and converts everything
to one currency: cells per second, with lots and buffers counted in
cell-equivalents.

The static model: step :math:`i` accepts at most

.. math:: C_i = n_i \, r_i \, A_i \, H, \qquad A_i = \frac{MTBF_i}{MTBF_i + MTTR_i}

cells a year (:math:`n_i` machines of rate :math:`r_i` cells s⁻¹, operating
time :math:`H`); of those, :math:`\prod_{j \ge i} y_j` leave the line as good
cells. The line makes :math:`\min_i C_i \prod_{j \ge i} y_j` good cells a year,
and the step that sets the minimum is the bottleneck.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from natrium import citations
from natrium._data import Sourced, read_value
from natrium._toml import read_toml
from natrium._validation import check_fraction, check_positive, check_range
from natrium.cell import CellDesign, compute_arrays, evaluate
from natrium.constants import SECONDS_PER_HOUR
from natrium.cost.manufacturing import Manufacturing, manufacturing
from natrium.exceptions import DataFileError, NatriumError, OptionError

_DATA = Path(__file__).with_name("data")
DEFAULT_LINE = _DATA / "cell_line.toml"

#: What a step can count, and how many of them a cell takes (see Line.per_cell).
UNITS = ("batch", "m", "sheet", "cell")
_STEP_KEYS = frozenset(
    {
        "key",
        "name",
        "unit",
        "width",
        "rate",
        "cycle_time",
        "machines",
        "batch",
        "yield",
        "mtbf",
        "mttr",
        "availability",
        "buffer",
    }
)
_LINE_KEYS = frozenset({"line", "cell", "step"})


@dataclass(frozen=True)
class Step:
    """One process step, in SI units and in its own unit of material.

    Attributes
    ----------
    key, name : str
        Identifier and readable name.
    unit : str
        What the step counts: ``"batch"``, ``"m"``, ``"sheet"`` or ``"cell"``.
    units_per_cell : float
        Units of the step's material that one cell takes. [unit cell⁻¹]
    rate : float
        Nameplate rate of one machine. [unit s⁻¹]
    machines : int
        Parallel machines.
    batch : float
        Units processed and moved together (a lot). [unit]
    yield_fraction : float
        Share of the input that passes. [-]
    mtbf, mttr : float
        Mean operating time between failures and mean time to repair; ``inf``
        and 0 for a step that does not fail. [s]
    buffer : int
        Lots of this step that fit in the buffer before it. [-]
    refs : tuple of str
        Citation keys behind the step's numbers.
    """

    key: str
    name: str
    unit: str
    units_per_cell: float
    rate: float
    machines: int
    batch: float
    yield_fraction: float
    mtbf: float = math.inf
    mttr: float = 0.0
    buffer: int = 0
    refs: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        where = f"step {self.key!r}"
        if self.unit not in UNITS:
            raise OptionError(
                f"{where}: unit {self.unit!r} unknown; valid: {', '.join(UNITS)}"
            )
        check_positive(f"{where}.units_per_cell", self.units_per_cell)
        check_positive(f"{where}.rate", self.rate, unit=f"{self.unit} s⁻¹")
        check_positive(f"{where}.batch", self.batch, unit=self.unit)
        check_fraction(f"{where}.yield", self.yield_fraction, open_low=True)
        check_positive(f"{where}.mtbf", self.mtbf if self.mtbf != math.inf else 1.0)
        check_range(f"{where}.mttr", self.mttr, low=0.0, high=np.inf, unit="s")
        if self.mtbf == math.inf and self.mttr != 0.0:
            raise NatriumError(f"{where}: a step without failures has mttr = 0")
        _check_count(f"{where}.machines", self.machines, low=1)
        _check_count(f"{where}.buffer", self.buffer, low=0)

    @property
    def availability(self) -> float:
        """Share of time the machines can run, MTBF / (MTBF + MTTR). [-]"""
        if self.mtbf == math.inf:
            return 1.0
        return self.mtbf / (self.mtbf + self.mttr)

    @property
    def cell_rate(self) -> float:
        """Nameplate rate of one machine in cells. [cell s⁻¹]"""
        return self.rate / self.units_per_cell

    @property
    def lot_cells(self) -> int:
        """A lot in whole cell-equivalents (at least one). [cell]"""
        return max(1, round(self.batch / self.units_per_cell))

    @property
    def lot_time(self) -> float:
        """Processing time of one lot on one machine. [s]"""
        return self.lot_cells / self.cell_rate


def _check_count(field: str, value: Any, *, low: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise NatriumError(f"{field} = {value!r} must be a whole number")
    if value < low:
        raise NatriumError(f"{field} = {value} is outside [{low}, inf) [-]")


@dataclass(frozen=True)
class Line:
    """A production line: steps in order, the cell it makes, its operating time.

    Attributes
    ----------
    name : str
    steps : tuple of Step
        In process order.
    hours_per_year : float
        Operating hours a year. [h]
    cell_name : str
    cell_capacity, cell_energy : float
        Capacity [C] and energy [J] of one cell.
    citations : tuple of str
        Every citation key the line's numbers use.
    """

    name: str
    steps: tuple[Step, ...]
    hours_per_year: float
    cell_name: str = ""
    cell_capacity: float = math.nan
    cell_energy: float = math.nan
    citations: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.steps:
            raise DataFileError(f"line {self.name!r} has no steps")
        keys = [s.key for s in self.steps]
        dup = sorted({k for k in keys if keys.count(k) > 1})
        if dup:
            raise DataFileError(f"line {self.name!r}: step keys repeated: {dup}")
        check_positive("hours_per_year", self.hours_per_year, unit="h")

    def check_buffers(self) -> None:
        """Raise when a buffer cannot hold the lots passed into it: the
        discrete-event model (:mod:`natrium.plant.des`) needs this, the static
        capacity model does not."""
        for up, down in zip(self.steps, self.steps[1:], strict=False):
            cap = down.buffer * down.lot_cells
            need = max(up.lot_cells, down.lot_cells)
            if cap < need:
                raise NatriumError(
                    f"step {down.key!r}: buffer of {down.buffer} lots "
                    f"({cap} cells) cannot hold a lot of {need} cells from "
                    f"{up.key!r} or for itself; raise buffer to at least "
                    f"{math.ceil(need / down.lot_cells)}"
                )

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(s.key for s in self.steps)

    def step(self, key: str) -> Step:
        """The step called ``key``; :class:`OptionError` naming the valid keys."""
        for s in self.steps:
            if s.key == key:
                return s
        raise OptionError(f"unknown step {key!r}; valid: {', '.join(self.keys)}")

    def downstream_yield(self) -> np.ndarray:
        """For each step, the share of its input that leaves the line good. [-]"""
        y = np.array([s.yield_fraction for s in self.steps])
        return np.cumprod(y[::-1])[::-1]

    def with_machines(self, machines: dict[str, int]) -> Line:
        """A copy with some steps' machine counts replaced."""
        for key in machines:
            self.step(key)
        steps = tuple(
            dataclasses.replace(s, machines=int(machines[s.key]))
            if s.key in machines
            else s
            for s in self.steps
        )
        return dataclasses.replace(self, steps=steps)


# --- reading ------------------------------------------------------------------


def _per_cell(
    where: str, unit: str, step: dict[str, Any], cell: dict[str, float]
) -> float:
    if unit == "cell":
        return 1.0
    if unit == "sheet":
        return cell["sheets"]
    if unit == "batch":
        return cell["electrode_area"] / cell["slurry_batch_area"]
    width = read_value(where, step, "width", "m").value
    check_positive(f"{where}.width", width, unit="m")
    return cell["electrode_area"] / width


def _read_step(
    i: int,
    table: Any,
    cell: dict[str, float],
    refs: dict[str, None],
    plant: Manufacturing,
) -> Step:
    if not isinstance(table, dict):
        raise DataFileError(f"step {i + 1}: not a table")
    key = table.get("key")
    if not isinstance(key, str) or not key:
        raise DataFileError(f"step {i + 1}: needs a 'key' (text)")
    where = f"cell_line: step {key!r}"
    unknown = sorted(set(table) - _STEP_KEYS)
    if unknown:
        raise DataFileError(
            f"{where}: unknown field(s) {', '.join(unknown)}; valid: "
            f"{', '.join(sorted(_STEP_KEYS))}"
        )
    unit = table.get("unit")
    if unit not in UNITS:
        raise DataFileError(
            f"{where}: unit {unit!r} unknown; valid: {', '.join(UNITS)}"
        )
    used: list[Sourced] = []

    def value(name: str, si: str, *, positive: bool = False) -> float:
        v = read_value(where, table, name, si)
        used.append(v)
        if positive and not v.value > 0:
            entry = table[name]
            raise DataFileError(
                f"{where}.{name} = {entry.get('value')} {entry.get('unit', '')}"
                " must be > 0".replace("  ", " ")
            )
        return v.value

    try:
        si_amount = "m" if unit == "m" else ""
        batch = value("batch", si_amount, positive=True)
        if ("rate" in table) == ("cycle_time" in table):
            raise DataFileError(f"{where}: give exactly one of 'rate' and 'cycle_time'")
        if "rate" in table:
            rate_unit = f"{si_amount}/s" if si_amount else "1/s"
            rate = value("rate", rate_unit, positive=True)
        else:
            rate = batch / value("cycle_time", "s", positive=True)
        mtbf, mttr = _failures(where, table, value)
        machines = _whole(where, "machines", value("machines", ""))
        buffer = _whole(where, "buffer", value("buffer", ""))
        # A line file may state a step's yield; natrium's own line takes every
        # yield from the one manufacturing model.
        if "yield" in table:
            yield_fraction = value("yield", "")
        else:
            yield_fraction = plant.step_yield(key)
            ref = next(s.ref for s in plant.steps if s.key == key)
            used.append(Sourced(yield_fraction, ref))
        per_cell = _per_cell(where, unit, table, cell)
        step = Step(
            key=key,
            name=str(table.get("name", key)),
            unit=unit,
            units_per_cell=per_cell,
            rate=rate,
            machines=machines,
            batch=batch,
            yield_fraction=yield_fraction,
            mtbf=mtbf,
            mttr=mttr,
            buffer=buffer,
            refs=tuple(dict.fromkeys(v.ref for v in used)),
        )
    except DataFileError:
        raise
    except NatriumError as err:
        raise DataFileError(f"cell_line: {err}") from err
    for v in used:
        refs[v.ref] = None
    return step


def _failures(where: str, table: dict[str, Any], value: Any) -> tuple[float, float]:
    has_mtbf, has_avail = "mtbf" in table, "availability" in table
    if has_mtbf == has_avail:
        raise DataFileError(
            f"{where}: give either 'mtbf' and 'mttr', or 'availability' (with "
            "'mttr' when it is below 1)"
        )
    if has_mtbf:
        mtbf = value("mtbf", "s", positive=True)
        if "mttr" not in table:
            raise DataFileError(f"{where}: 'mtbf' needs 'mttr'")
        return mtbf, float(check_range(f"{where}.mttr", value("mttr", "s"), low=0.0))
    avail = float(
        check_fraction(
            f"{where}.availability", value("availability", ""), open_low=True
        )
    )
    if avail == 1.0:
        return math.inf, 0.0
    if "mttr" not in table:
        raise DataFileError(f"{where}: availability below 1 needs 'mttr'")
    mttr = value("mttr", "s", positive=True)
    return mttr * avail / (1.0 - avail), mttr


def _whole(where: str, name: str, x: float) -> int:
    if not float(x).is_integer():
        raise DataFileError(f"{where}.{name} = {x:g} must be a whole number")
    return int(x)


def load_line(
    path: str | Path | None = None,
    design: CellDesign | None = None,
    *,
    plant: Manufacturing | None = None,
) -> Line:
    """Read a production line from a TOML file.

    Parameters
    ----------
    path : str or Path, optional
        The file; by default natrium's reference sodium-ion pouch-cell line
        (``natrium/plant/data/cell_line.toml``, about 1 GWh/yr).
    design : CellDesign, optional
        The cell the line makes: its energy, electrode area and sheet count set
        how much of each step's material one cell takes. By default the example
        the file's ``[cell] example`` names, or the numbers its ``[cell]`` gives.
    plant : Manufacturing, optional
        Operating hours and the yields of steps the file gives none for; default
        :func:`natrium.cost.manufacturing.manufacturing`.

    Raises
    ------
    DataFileError
        If the file is unreadable or malformed, a number lacks its source or
        unit, a field is unknown, or a value is out of range.
    """
    plant = plant or manufacturing()
    file = Path(path) if path is not None else DEFAULT_LINE
    data = read_toml(file, "production line")
    unknown = sorted(set(data) - _LINE_KEYS)
    if unknown:
        raise DataFileError(
            f"{file.name}: unknown table(s) {', '.join(unknown)}; valid: "
            f"{', '.join(sorted(_LINE_KEYS))}"
        )
    line_t, cell_t, steps_t = data.get("line"), data.get("cell"), data.get("step")
    if not isinstance(line_t, dict) or not isinstance(cell_t, dict):
        raise DataFileError(f"{file.name}: needs [line] and [cell] tables")
    if not isinstance(steps_t, list) or not steps_t:
        raise DataFileError(f"{file.name}: needs at least one [[step]]")
    refs: dict[str, None] = {}
    if "hours_per_year" in line_t:
        hours = read_value("cell_line: line", line_t, "hours_per_year", "s")
        refs[hours.ref] = None
        operating = hours.value
    else:
        operating = plant.operating_time
        refs["BatPaCv5"] = None
    cell, cell_name = _line_cell(file, cell_t, design, refs)
    steps = tuple(_read_step(i, t, cell, refs, plant) for i, t in enumerate(steps_t))
    try:
        line = Line(
            name=str(line_t.get("name", file.stem)),
            steps=steps,
            hours_per_year=operating / SECONDS_PER_HOUR,
            cell_name=cell_name,
            cell_capacity=cell["capacity"],
            cell_energy=cell["energy"],
            citations=tuple(refs),
        )
        if design is None:  # the file's own cell: its lots must fit its buffers
            line.check_buffers()
        return line
    except DataFileError:
        raise
    except NatriumError as err:
        raise DataFileError(f"{file.name}: {err}") from err


def cell_numbers(design: CellDesign) -> dict[str, float]:
    """What one cell of ``design`` takes through a line, in SI: its capacity [C]
    and energy [J], the electrode foil area of both electrodes [m²] and its
    electrode sheets (two per wound cell)."""
    report = evaluate(design)
    g = compute_arrays(design)
    return {
        "capacity": report.capacity,
        "energy": report.energy,
        "electrode_area": float(g["cathode_foil_area"] + g["anode_foil_area"]),
        "sheets": float(g["electrode_sheets"]),
    }


def _line_cell(
    file: Path,
    cell_t: dict[str, Any],
    design: CellDesign | None,
    refs: dict[str, None],
) -> tuple[dict[str, float], str]:
    batch = read_value("cell_line: cell", cell_t, "slurry_batch_area", "m^2")
    check_positive("cell.slurry_batch_area", batch.value, unit="m^2")
    refs[batch.ref] = None
    if design is None and "example" in cell_t:
        from natrium.io import load_example

        design = load_example(str(cell_t["example"]))
    if design is not None:
        return (
            {**cell_numbers(design), "slurry_batch_area": batch.value},
            design.name,
        )
    cell: dict[str, float] = {"slurry_batch_area": batch.value}
    for name, si in (
        ("capacity", "C"),
        ("energy", "J"),
        ("electrode_area", "m^2"),
        ("sheets", ""),
    ):
        v = read_value("cell_line: cell", cell_t, name, si)
        check_positive(f"cell.{name}", v.value)
        cell[name] = v.value
        refs[v.ref] = None
    return cell, str(cell_t.get("name", ""))


# --- static model -------------------------------------------------------------


def _hours(line: Line, hours_per_year: float | None) -> float:
    h = line.hours_per_year if hours_per_year is None else hours_per_year
    return float(check_positive("hours_per_year", h, unit="h"))


def step_capacity(
    line: Line, hours_per_year: float | None = None, *, with_failures: bool = True
) -> pd.DataFrame:
    """What each step could pass in a year, alone, in cells.

    Parameters
    ----------
    line : Line
    hours_per_year : float, optional
        Operating hours a year; the line's own by default. [h]
    with_failures : bool, default True
        Multiply the nameplate by each step's availability.

    Returns
    -------
    pandas.DataFrame
        Indexed by step key: ``unit``, ``machines``, ``rate_cells_per_h`` (one
        machine, nameplate), ``availability``, ``yield``, ``downstream_yield``
        (share of the step's input that leaves the line good),
        ``input_cells_per_year`` (cells the step can take in),
        ``good_cells_per_year`` (good cells out of the line if this step were
        the only limit) and ``load`` (the line's throughput over that figure;
        1 at the bottleneck).
    """
    citations.register(line.citations)
    hours = _hours(line, hours_per_year)
    down = line.downstream_yield()
    rows = []
    for s, dy in zip(line.steps, down, strict=True):
        a = s.availability if with_failures else 1.0
        cap_in = s.machines * s.cell_rate * a * hours * SECONDS_PER_HOUR
        rows.append(
            {
                "step": s.key,
                "unit": s.unit,
                "machines": s.machines,
                "rate_cells_per_h": s.cell_rate * SECONDS_PER_HOUR,
                "availability": s.availability,
                "yield": s.yield_fraction,
                "downstream_yield": dy,
                "input_cells_per_year": cap_in,
                "good_cells_per_year": cap_in * dy,
            }
        )
    df = pd.DataFrame(rows).set_index("step")
    df["load"] = df["good_cells_per_year"].min() / df["good_cells_per_year"]
    return df


def static_throughput(
    line: Line, hours_per_year: float | None = None, with_failures: bool = True
) -> float:
    """Good cells a year out of the line's bottleneck. [cell yr⁻¹]

    >>> line = load_line()
    >>> round(static_throughput(line) / 1e6, 2)  # million good cells a year
    12.25
    """
    cap = step_capacity(line, hours_per_year, with_failures=with_failures)
    return float(cap["good_cells_per_year"].min())


def bottleneck(line: Line, *, with_failures: bool = True) -> str:
    """Key of the step that limits the line's good output.

    >>> bottleneck(load_line())
    'stacking'
    """
    cap = step_capacity(line, with_failures=with_failures)
    return str(cap["good_cells_per_year"].idxmin())


def scale_line(
    line: Line,
    cells_per_year: float,
    hours_per_year: float | None = None,
    *,
    with_failures: bool = True,
) -> Line:
    """The line with the fewest machines per step that make ``cells_per_year``.

    Each step gets :math:`\\lceil N / (r A H \\prod_{j \\ge i} y_j) \\rceil`
    machines, for ``N`` good cells a year out of the line. Buffers grow with
    the machines they feed (never below the original, nor below one lot from
    upstream).

    Parameters
    ----------
    line : Line
    cells_per_year : float
        Target of good cells a year. [cell yr⁻¹]
    hours_per_year : float, optional
        Operating hours; the line's own by default. [h]
    with_failures : bool, default True
        Size for availability as well as nameplate.

    Returns
    -------
    Line
    """
    target = float(check_positive("cells_per_year", cells_per_year, unit="cell yr⁻¹"))
    cap = step_capacity(line, hours_per_year, with_failures=with_failures)
    per_machine = cap["good_cells_per_year"] / cap["machines"]
    steps: list[Step] = []
    prev: Step | None = None
    for s in line.steps:
        n = max(1, math.ceil(target / float(per_machine[s.key]) - 1e-9))
        buf = max(s.buffer, math.ceil(s.buffer * n / s.machines))
        if prev is not None:
            need = max(prev.lot_cells, s.lot_cells)
            buf = max(buf, math.ceil(need / s.lot_cells))
        new = dataclasses.replace(s, machines=n, buffer=buf)
        steps.append(new)
        prev = new
    return dataclasses.replace(line, steps=tuple(steps))
