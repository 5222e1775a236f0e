"""What every ``natrium`` command shares: the app, options, running a command
body, strict JSON, and reading options at the edge (units through
:mod:`natrium.units`). No model logic: commands call :class:`natrium.Chain`.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from natrium import NatriumError
from natrium.materials import load_material_file
from natrium.units import to_si, to_si_per_year

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


def run_command(
    as_json: bool, work: Callable[[], tuple[dict[str, Any], Callable[[], None]]]
) -> None:
    """Run a command body; print JSON or the human view; map errors to exit 2."""
    try:
        payload, show = work()
    except NatriumError as err:
        message = str(err)
        if as_json:
            sys.stdout.write(json.dumps({"error": message}) + "\n")
        ERR.print(
            f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True
        )
        raise typer.Exit(code=2) from None
    if as_json:
        sys.stdout.write(json.dumps(strict_json(payload), allow_nan=False) + "\n")
    else:
        show()


def strict_json(value: Any) -> Any:
    """The payload as strict JSON: a NaN or infinite number (no value) is null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): strict_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [strict_json(v) for v in value]
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return strict_json(value.item())
    return value


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
    float | None,
    typer.Option(
        "--temperature-c", help="Ambient temperature [degC]; default the set's 25 degC."
    ),
]
SohOption = Annotated[float, typer.Option("--soh", help="State of health [-].")]


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


def kelvin_option(
    celsius: float | None, option: str = "--temperature-c"
) -> float | None:
    """A temperature option in degC as K, through natrium.units."""
    return None if celsius is None else to_si(option, f"{celsius} degC", "K")


def write_table(frame: Any, path: Path) -> None:
    if path.suffix == ".parquet":
        frame.to_parquet(path, index=False)
    else:
        frame.to_csv(path, index=False)


class UsageError(NatriumError, ValueError):
    pass


def usage_error(message: str) -> UsageError:
    return UsageError(message)
