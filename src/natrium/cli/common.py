"""What every ``natrium`` command shares: the app, options, running a command
body, strict JSON, and reading options at the edge (units through
:mod:`natrium.units`). No model logic: commands call :class:`natrium.Chain`.
"""

from __future__ import annotations

import json
import math
import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from natrium import NatriumError
from natrium._json import strict
from natrium.materials import load_material_file
from natrium.units import convert, to_si, to_si_per_year

app = typer.Typer(
    name="natrium",
    help="Sodium-ion battery engineering: materials, cells, plants and systems.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Help texts carry units in brackets ("[kW]"): rich markup would eat them.
    rich_markup_mode=None,
)
OUT = Console()
ERR = Console(stderr=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]
MaterialsOption = Annotated[
    list[Path] | None,
    typer.Option("--materials", help="Extra material TOML file(s) to load first."),
]
PricesOption = Annotated[
    str | None,
    typer.Option(
        "--prices",
        help="Cost assumptions: a TOML file (material and factor prices, step "
        "yields, plant size) or a preset (china, us).",
    ),
]


# library fields set by an option of the same name on every command that has it
SHARED_OPTIONS = {"prices": "--prices"}


def run_command(
    as_json: bool,
    work: Callable[[], tuple[dict[str, Any], Callable[[], None]]],
    options: dict[str, str] | None = None,
) -> None:
    """Run a command body; print JSON or the human view; map errors to exit 2.

    ``options`` maps the library's field names to the options that set them
    (``{"inverter_efficiency": "--efficiency"}``), so that a rule the library
    checks is reported under the option the user typed. Only fields whose
    unit the option shares belong here: the value is shown as the library has
    it."""
    try:
        payload, show = work()
    except (NatriumError, OSError) as err:
        # an OSError here is the user's file system refusing a write or read
        fail(as_json, as_typed(str(err), SHARED_OPTIONS | (options or {})))
    if as_json:
        nulls: dict[str, str] = {}
        cleaned = strict_json(payload, nulls)
        if nulls:
            cleaned["nulls"] = nulls
        sys.stdout.write(json.dumps(cleaned, allow_nan=False) + "\n")
    else:
        show()


def as_typed(message: str, options: dict[str, str]) -> str:
    """A library message that starts with a field name, under its option."""
    for field in sorted(options, key=len, reverse=True):
        if re.match(rf"{re.escape(field)}\b(?!_)", message):
            return options[field] + message[len(field) :]
    return message


def fail(as_json: bool, message: str) -> None:
    """One error line on stderr (and one JSON object with --json), exit 2."""
    if as_json:
        sys.stdout.write(json.dumps({"error": message}) + "\n")
    ERR.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code=2) from None


def strict_json(value: Any, nulls: dict[str, str] | None = None, at: str = "") -> Any:
    """The payload as strict JSON: a number without a value is null, and
    ``nulls`` records why at its path (NaN: not defined for that row, such as
    the theoretical capacity of a material without a formula or the mean
    voltage of a rest; infinite: unbounded)."""
    return strict(value, nulls, at)


def load_materials(files: list[Path] | None) -> None:
    for path in files or []:
        load_material_file(path)


SetOption = Annotated[
    str | None,
    typer.Option(
        "--set",
        help="Simulation parameter set; default: the one made for the design's "
        "materials.",
    ),
]
ModelOption = Annotated[str, typer.Option(help="SPM, SPMe or DFN.")]
TemperatureOption = Annotated[
    str | None,
    typer.Option(
        "--temperature-c",
        help="Ambient temperature [degC], or e.g. '253 K'; default the set's 25 degC.",
    ),
]
SohOption = Annotated[
    str, typer.Option("--soh", help="State of health [-], e.g. 0.8 or '80 %'.")
]
DesignFile = Annotated[Path, typer.Argument(help="Design file (TOML).")]
DesignFiles = Annotated[
    list[Path] | None, typer.Argument(help="Design file(s) (TOML).", show_default=False)
]


def alias(*names: str) -> Any:
    """A hidden old spelling of the design-file argument (--cell, --design)."""
    return typer.Option(*names, hidden=True)


def one_design(
    file: Path | None, old: Path | None, required: bool = True
) -> Path | None:
    """The design file, given as the argument (or, as before, as --cell or
    --design): once, and where the command needs one."""
    if file is not None and old is not None:
        raise usage_error("give the design file once: as the argument")
    if required and file is None and old is None:
        raise usage_error("give a design file (TOML) as the argument")
    return file if file is not None else old


def check_model(model: str, thermal: str | None = None) -> str:
    """--model (in any case: dfn, DFN) and --thermal against the models natrium
    runs, before PyBaMM; the model's own spelling."""
    from natrium.sim.simulation import MODELS, THERMAL

    named = {m.lower(): m for m in MODELS}.get(model.lower())
    if named is None:
        raise usage_error(f"--model = {model!r} is not one of {', '.join(MODELS)}")
    if thermal is not None and thermal not in THERMAL:
        raise usage_error(f"--thermal = {thermal!r} is not one of {', '.join(THERMAL)}")
    return named


def parameter_set_option(name: str | None, cell: Any) -> Any:
    """The set ``--set`` names, resolved by :func:`natrium.sim.resolve`."""
    from natrium.sim import resolve

    quiet_pybamm()
    return resolve(name, cell)


def quiet_pybamm() -> None:
    """PyBaMM logs solver trouble itself; the command reports it once, as one
    line (a face's choice of what to print, not a model's)."""
    import pybamm

    pybamm.set_logging_level("CRITICAL")


def plant_output(option: str, text: str | None) -> float | None:
    """A plant output option ('10', '10 GWh', '500 MWh/yr') in J/yr."""
    if text is None:
        return None
    return yearly_amount(option, text, "J", "GWh")


def yearly_amount(option: str, text: Any, si_unit: str, unit: str) -> float:
    """A yearly amount option in SI, refused at the edge, in the user's own
    words, unless it is positive."""
    value = to_si_per_year(option, text, si_unit, default_unit=unit)
    if not value > 0:
        raise usage_error(f"{option} = {text} is outside (0, inf) [{unit}/yr]")
    return value


TABLE_FORMATS = (".csv", ".parquet")
PLOT_FORMATS = (".png", ".svg", ".pdf")


def output_file(
    option: str, path: Path | None, formats: tuple[str, ...] = TABLE_FORMATS
) -> Path | None:
    """An output file, checked before any work is done: its format follows
    its extension, and its folder exists and can be written."""
    if path is None:
        return None
    if path.suffix.lower() not in formats:
        raise usage_error(
            f"{option} = {path}: the format follows the extension; valid: "
            f"{', '.join(formats)}"
        )
    if path.is_dir():
        raise usage_error(f"{option} = {path} is a folder; give a file name")
    folder = path.parent
    if not folder.is_dir():
        raise usage_error(f"{option} = {path}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise usage_error(f"{option} = {path}: folder {folder} cannot be written")
    return path


def output_folder(option: str, path: Path | None) -> Path | None:
    """An output folder, checked before any work: it may be new, but its
    parent must exist (natrium creates one folder, never a chain of them)."""
    if path is None:
        return None
    if path.exists() and not path.is_dir():
        raise usage_error(f"{option} = {path} is a file; give a folder")
    if not path.parent.is_dir():
        raise usage_error(f"{option} = {path}: folder {path.parent} does not exist")
    return path


def write_table(frame: Any, path: Path) -> None:
    """A table in the format its (checked) extension names."""
    if path.suffix.lower() == ".parquet":
        frame.to_parquet(path, index=False)
    else:
        frame.to_csv(path, index=False)


# ------------------------------------------------------------ quantity options


def quantity(
    option: str,
    text: str | None,
    unit: str,
    si: str,
    *,
    low: float = 0.0,
    high: float = math.inf,
    closed: tuple[bool, bool] = (False, True),
) -> float | None:
    """A quantity option in SI: a bare number in ``unit`` (the unit in its
    help) or a unit string ('2 MW', '5 min'), parsed once through
    :mod:`natrium.units`; refused, as typed and in ``unit``, outside the
    valid range [low, high] (``closed`` says which ends belong to it)."""
    if text is None:
        return None
    # read in the user's unit, so that a wrong unit is named in it too
    shown = to_si(option, text, unit, default_unit=unit)
    value = convert(shown, unit, si)
    above = shown >= low if closed[0] else shown > low
    below = shown <= high if closed[1] else shown < high
    if not (above and below):
        span = (
            f"{'[' if closed[0] else '('}{low:g}, "
            f"{high:g}{']' if closed[1] and math.isfinite(high) else ')'}"
        )
        raise usage_error(f"{option} = {text} is outside {span} [{unit or '-'}]")
    return value


def temperature(option: str, text: str | None) -> float | None:
    """A temperature option [K]: degC by default, or '253 K', '-20 degC';
    within the range the simulations hold (model_validity.toml)."""
    from natrium.sim.bridge import temperature_range

    lowest, highest = (convert(t, "K", "degC") for t in temperature_range())
    return quantity(
        option, text, "degC", "K", low=lowest, high=highest, closed=(True, True)
    )


def state_of_health(option: str, text: str | None) -> float | None:
    """A state of health [-], in (0, 1]; '80 %' works too."""
    return quantity(option, text, "", "", high=1.0)


# -------------------------------------------------------------------- progress


@contextmanager
def progress(
    as_json: bool, what: str, total: int | None = None
) -> Iterator[Callable[[str], None]]:
    """A progress bar on stderr for a person at a terminal (never with
    --json, never into a pipe); yields ``step(description)``, called as each
    part of the work starts."""
    if as_json or not ERR.is_terminal:
        yield lambda description: None
        return
    from rich.progress import (
        BarColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=ERR, transient=True) as bar:
        task = bar.add_task(what, total=total)
        started = False

        def step(description: str) -> None:
            nonlocal started
            bar.update(task, description=description, advance=1 if started else 0)
            started = True

        yield step


class UsageError(NatriumError, ValueError):
    pass


def usage_error(message: str) -> UsageError:
    return UsageError(message)
