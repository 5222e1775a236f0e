"""Study files: the designs, sets, prices and steps of one whole question.

A study is TOML::

    [study]
    name = "seed"
    title = "Prussian white from cathode plant to UPS"

    [designs]
    pw = "example:pw_hc_pouch"          # a shipped example, or a design file
    lfp = "../lfp_graphite_prismatic.toml"   # relative to the study file
    [designs.thin]                      # or a design inline (the design-file schema)
    ...

    [parameter_sets]                    # optional, per design
    pw = "PrussianWhite_HC"

    prices = "my_prices.toml"           # optional cost assumptions (or a preset)

    [[steps]]
    kind = "cost"
    designs = ["pw", "lfp"]             # default: every design
    output = "1 GWh"                    # options in units pint reads

Everything is checked when the file is read, before anything runs: an unknown
key, a wrong unit or a missing design is one error naming the file, the line
and the key.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from natrium.cell import CellDesign
from natrium.exceptions import DataFileError, NatriumError
from natrium.units import to_si, to_si_per_year

#: Where the shipped studies live (beside the example designs).
STUDIES = "studies"


class StudyError(DataFileError):
    """A study file that cannot be run, named with its line and key."""


# ------------------------------------------------------------------ options
# Each step kind's options: name -> reader of the typed value into SI.


def _positive(name: str, value: Any, number: float, unit: str) -> float:
    if not (number > 0 and math.isfinite(number)):
        raise StudyError(f"{name} = {value!r} is outside (0, inf) [{unit}]")
    return number


def _quantity(unit: str, default_unit: str) -> Callable[[str, Any], float]:
    def read(name: str, value: Any) -> float:
        number = to_si(name, value, unit, default_unit=default_unit)
        return _positive(name, value, number, default_unit)

    return read


def _per_year(unit: str, default_unit: str) -> Callable[[str, Any], float]:
    def read(name: str, value: Any) -> float:
        number = to_si_per_year(name, value, unit, default_unit=default_unit)
        return _positive(name, value, number, f"{default_unit}/yr")

    return read


def _celsius(name: str, value: Any) -> float:
    return to_si(name, value, "K", default_unit="degC")


def _text(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise StudyError(f"{name} = {value!r} must be text")
    return value


def _texts(name: str, value: Any) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
        raise StudyError(f"{name} = {value!r} must be text or a list of text")
    return tuple(items)


def _flag(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise StudyError(f"{name} = {value!r} must be true or false")
    return value


def _fraction(name: str, value: Any) -> float:
    number = to_si(name, value, "", default_unit="")
    if not 0 < number <= 1:
        raise StudyError(f"{name} = {value!r} is outside (0, 1] [-]")
    return number


def _plant_or(
    unit: str, default_unit: str, names: tuple[str, ...]
) -> Callable[[str, Any], float | str]:
    """A named plant (``"ferrum"``) or an amount a year."""

    def read(name: str, value: Any) -> float | str:
        if isinstance(value, str) and value.strip().lower() in names:
            return value.strip().lower()
        number = to_si_per_year(name, value, unit, default_unit=default_unit)
        return _positive(name, value, number, f"{default_unit}/yr")

    return read


_TEMPERATURE: dict[str, Callable[[str, Any], Any]] = {"temperature": _celsius}
STEP_OPTIONS: dict[str, dict[str, Callable[[str, Any], Any]]] = {
    "datasheet": {},
    "simulate": {
        "experiment": _texts,
        "state_of_health": _fraction,
        **_TEMPERATURE,
    },
    "rate": {"state_of_health": _fraction, **_TEMPERATURE},
    "cost": {"output": _per_year("J", "GWh")},
    "plant": {
        # a cathode plant: a named one or tonnes a year
        "cathode": _plant_or("kg", "t", ("ferrum",)),
        # a cell plant: a named one, energy a year (GWh) or power a year (MW)
        "cells": _plant_or("J", "GWh", ("meadowbrook",)),
        "power": _per_year("W", "MW"),
    },
    "ups": {
        "load": _quantity("W", "kW"),
        "runtime": _quantity("s", "min"),
        "state_of_health": _fraction,
        "compare": _flag,
        **_TEMPERATURE,
    },
    "tray": {},
    "telecom": {"load": _quantity("W", "W"), "runtime": _quantity("s", "h")},
    "grid": _TEMPERATURE,
    "ev": {"range": _quantity("m", "km"), "cold": _celsius},
}
#: Options a step kind cannot run without.
REQUIRED = {
    "ups": ("load", "runtime"),
    "telecom": ("load", "runtime"),
    "ev": ("range",),
}


@dataclass(frozen=True)
class Step:
    """One step of a study on some of its designs, options in SI."""

    kind: str
    designs: tuple[str, ...]
    options: Mapping[str, Any] = field(default_factory=dict)
    #: the options as typed, for the store and the report
    typed: Mapping[str, Any] = field(default_factory=dict)
    #: the step's name in the store: its kind, numbered when the study has
    #: several of that kind ("ups-1", "ups-2")
    label: str = ""


@dataclass(frozen=True)
class Study:
    """A study read and checked: its designs by id, sets, prices and steps."""

    name: str
    title: str
    designs: Mapping[str, CellDesign]
    steps: tuple[Step, ...]
    parameter_sets: Mapping[str, str] = field(default_factory=dict)
    prices: str | None = None
    sweep: Any = None  # natrium.study.sweep.SweepSpec
    path: Path | None = None


# ------------------------------------------------------------- line finder


class _Lines:
    """Line numbers of a TOML text's tables and keys, for the error messages."""

    _HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?")
    _KEY = re.compile(r'^\s*"?([A-Za-z0-9_.\-]+)"?\s*=')

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def of(self, table: str, index: int | None = None, key: str | None = None) -> int:
        """1-based line of ``key`` in ``table`` (the ``index``-th of an array of
        tables); the table's header line without a key; 0 when not found."""
        seen = -1
        inside = table == ""
        header_line = 0
        for number, line in enumerate(self.lines, start=1):
            head = self._HEADER.match(line)
            if head:
                name = head.group(2).strip()
                if key is not None and table == "" and name.split(".")[0] == key:
                    return number  # a top-level key that is a table
                inside = name == table
                if inside:
                    seen += 1
                    inside = index is None or seen == index
                    if inside:
                        header_line = number
                continue
            if inside and key is not None:
                match = self._KEY.match(line)
                if match and match.group(1) == key:
                    return number
        return header_line


@dataclass
class _Reader:
    """Raises errors that name the study file, the line and the key."""

    path: Path
    lines: _Lines

    def fail(
        self,
        message: str,
        table: str = "",
        index: int | None = None,
        key: str | None = None,
    ) -> StudyError:
        line = self.lines.of(table, index, key)
        where = f"{self.path.name}:{line}" if line else self.path.name
        return StudyError(f"{where}: {message}")

    def check_keys(
        self,
        given: Mapping[str, Any],
        valid: tuple[str, ...] | Mapping[str, Any],
        what: str,
        table: str,
        index: int | None = None,
    ) -> None:
        for key in given:
            if key not in valid:
                raise self.fail(
                    f"{what}: unknown key {key!r}; valid: {', '.join(valid)}",
                    table,
                    index,
                    key,
                )


_TOP = ("study", "designs", "parameter_sets", "prices", "steps", "sweep")


def read_study(path: str | Path) -> Study:
    """Read and check a study file; nothing runs."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise StudyError(f"cannot read study {path}: {err.strerror}") from err
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise StudyError(f"{path.name}: malformed TOML: {err}") from err
    reader = _Reader(path, _Lines(text))
    reader.check_keys(data, _TOP, "study file", "")
    head = data.get("study", {})
    if not isinstance(head, dict):
        raise reader.fail("[study] must be a table", key="study")
    reader.check_keys(head, ("name", "title"), "[study]", "study")
    for key in ("name", "title"):
        if key in head and not isinstance(head[key], str):
            raise reader.fail(
                f"[study]: {key} = {head[key]!r} must be text", "study", key=key
            )
    designs = _designs(reader, data.get("designs"))
    sets = data.get("parameter_sets", {})
    if not isinstance(sets, dict) or not all(isinstance(v, str) for v in sets.values()):
        raise reader.fail(
            "[parameter_sets] maps design names to set names (text)",
            "parameter_sets",
        )
    from natrium.sim import resolve

    for key, name in sets.items():
        if key not in designs:
            continue  # named below
        try:
            resolve(name, designs[key])  # a set made for the design's materials
        except NatriumError as err:
            raise reader.fail(
                f"[parameter_sets]: {key} = {name!r}: {err}", "parameter_sets", key=key
            ) from err
    for key in sets:
        if key not in designs:
            raise reader.fail(
                f"[parameter_sets]: {key!r} is not a design of the study; "
                f"valid: {', '.join(designs)}",
                "parameter_sets",
                key=key,
            )
    prices = data.get("prices")
    if prices is not None:
        prices = _prices(reader, prices)
    given = data.get("steps", [])
    if not isinstance(given, list):
        raise reader.fail("steps must be [[steps]] tables", key="steps")
    steps = _labelled(
        [_step(reader, i, table, designs) for i, table in enumerate(given)]
    )
    sweep = None
    if "sweep" in data:
        from natrium.study.sweep import read_sweep

        sweep = read_sweep(reader, data["sweep"], designs)
    if not steps and sweep is None:
        raise reader.fail("no [[steps]] and no [sweep]: nothing to run")
    return Study(
        name=str(head.get("name", path.stem)),
        title=str(head.get("title", head.get("name", path.stem))),
        designs=designs,
        steps=steps,
        parameter_sets={str(k): str(v) for k, v in sets.items()},
        prices=prices,
        sweep=sweep,
        path=path,
    )


def _labelled(steps: list[Step]) -> tuple[Step, ...]:
    """Each step with its label: its kind, numbered when it repeats."""
    from dataclasses import replace

    total = {k: sum(s.kind == k for s in steps) for k in {s.kind for s in steps}}
    seen: dict[str, int] = {}
    out = []
    for step in steps:
        seen[step.kind] = seen.get(step.kind, 0) + 1
        label = step.kind if total[step.kind] == 1 else f"{step.kind}-{seen[step.kind]}"
        out.append(replace(step, label=label))
    return tuple(out)


def _designs(reader: _Reader, table: Any) -> dict[str, CellDesign]:
    from natrium.io import design_from_dict, example_path, read_design

    if table is None or table == {}:
        raise reader.fail("[designs] is missing: name at least one design", "designs")
    if not isinstance(table, dict):
        raise reader.fail(
            f"designs = {table!r} must be a [designs] table of names", key="designs"
        )
    out = {}
    for name, given in table.items():
        try:
            if isinstance(given, str) and given.startswith("example:"):
                out[name] = read_design(example_path(given.removeprefix("example:")))
            elif isinstance(given, str):
                file = (reader.path.parent / given).resolve()
                if not file.is_file():
                    raise StudyError(f"no design file {given!r} ({file})")
                out[name] = read_design(file)
            elif isinstance(given, dict):
                out[name] = design_from_dict(given, base=reader.path.parent)
            else:
                raise StudyError(
                    f"{given!r} is not a design: give a file, 'example:NAME' or a table"
                )
        except NatriumError as err:
            table_name = f"designs.{name}" if isinstance(given, dict) else "designs"
            key = None if isinstance(given, dict) else name
            raise reader.fail(f"design {name!r}: {err}", table_name, key=key) from err
    return out


def _prices(reader: _Reader, given: Any) -> str:
    from natrium.cost import read_assumptions

    if not isinstance(given, str):
        raise reader.fail(
            f"prices = {given!r} must be a file or a preset", key="prices"
        )
    file = reader.path.parent / given
    target = str(file.resolve()) if file.suffix == ".toml" else given
    try:
        read_assumptions(target)
    except NatriumError as err:
        raise reader.fail(f"prices = {given!r}: {err}", key="prices") from err
    return target


def _step(
    reader: _Reader, index: int, table: Any, designs: Mapping[str, CellDesign]
) -> Step:
    if not isinstance(table, dict) or "kind" not in table:
        raise reader.fail(
            f"step {index + 1} has no kind; valid: {', '.join(STEP_OPTIONS)}",
            "steps",
            index,
        )
    kind = table["kind"]
    if not isinstance(kind, str) or kind not in STEP_OPTIONS:
        raise reader.fail(
            f"step {index + 1}: kind = {kind!r} is unknown; valid: "
            f"{', '.join(STEP_OPTIONS)}",
            "steps",
            index,
            "kind",
        )
    valid = STEP_OPTIONS[kind]
    options = {k: v for k, v in table.items() if k not in ("kind", "designs")}
    reader.check_keys(
        options, (*valid, "designs"), f"step {index + 1} ({kind})", "steps", index
    )
    chosen_given = table.get("designs", list(designs))
    if not isinstance(chosen_given, list) or not all(
        isinstance(d, str) for d in chosen_given
    ):
        raise reader.fail(
            f"step {index + 1} ({kind}): designs = {chosen_given!r} must be a list "
            "of the study's design names",
            "steps",
            index,
            "designs",
        )
    chosen = tuple(chosen_given)
    for name in chosen:
        if name not in designs:
            raise reader.fail(
                f"step {index + 1} ({kind}): design {name!r} is not in [designs]; "
                f"valid: {', '.join(designs)}",
                "steps",
                index,
                "designs",
            )
    checked = {}
    for key, value in options.items():
        try:
            checked[key] = valid[key](key, value)
        except NatriumError as err:
            raise reader.fail(
                f"step {index + 1} ({kind}): {err}", "steps", index, key
            ) from err
    for key in REQUIRED.get(kind, ()):
        if key not in checked:
            raise reader.fail(
                f"step {index + 1} ({kind}) needs {key}", "steps", index, "kind"
            )
    return Step(kind, chosen, checked, options)


def shipped_study(name: str) -> Path:
    """A study shipped with natrium (``examples/studies/NAME.toml``)."""
    from natrium.io import example_paths

    folder = _studies_folder(example_paths())
    paths = {p.stem: p for p in sorted(folder.glob("*.toml"))}
    if name not in paths:
        raise StudyError(f"unknown shipped study {name!r}; valid: {', '.join(paths)}")
    return paths[name]


def _studies_folder(examples: Mapping[str, Path]) -> Path:
    first = next(iter(examples.values()))
    return first.parent / STUDIES
