"""``natrium bpx export`` and ``natrium bpx run``: the BPX parameter format."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from natrium.cli.common import (
    OUT,
    JsonOption,
    MaterialsOption,
    ModelOption,
    SetOption,
    app,
    load_materials,
    output_file,
    parameter_set_option,
    quiet_pybamm,
    run_command,
    usage_error,
)
from natrium.io import read_design

bpx_app = typer.Typer(
    help="BPX (Battery Parameter eXchange) files: export a design, run a file's "
    "validation data.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(bpx_app, name="bpx")


@bpx_app.command("export")
def bpx_export(
    file: Annotated[Path, typer.Argument(help="Design file (TOML).")],
    out: Annotated[Path, typer.Option("-o", "--out", help="BPX JSON file to write.")],
    set_name: SetOption = None,
    as_json: JsonOption = False,
    extra: MaterialsOption = None,
) -> None:
    """Write a design and its parameter set as a BPX JSON file."""

    def work() -> tuple[dict[str, Any], Callable[[], None]]:
        from natrium.sim.bpx import BPX_VERSION, write_bpx

        output_file("--out", out, (".json",))
        load_materials(extra)
        cell = read_design(file)
        pset = parameter_set_option(set_name, cell)
        path = write_bpx(cell, pset, out)
        payload = {
            "file": str(path),
            "design": cell.name,
            "parameter_set": pset.name,
            "bpx_version": BPX_VERSION,
        }

        def show() -> None:
            OUT.print(
                f"{escape(cell.name)} with set {escape(pset.name)} written to "
                f"{escape(str(path))} (BPX {BPX_VERSION})",
                highlight=False,
            )

        return payload, show

    run_command(as_json, work)


@bpx_app.command("run")
def bpx_run(
    file: Annotated[Path, typer.Argument(help="BPX JSON file.")],
    model: ModelOption = "DFN",
    experiment: Annotated[
        list[str] | None,
        typer.Option(
            "--experiment",
            help="A validation experiment by name, repeatable; default all.",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Run a BPX file's validation experiments; RMS voltage error of each [mV]."""

    def work() -> tuple[dict[str, Any], Callable[[], None]]:
        from natrium.sim.bpx import read_bpx, run_validation

        quiet_pybamm()
        cell = read_bpx(file)
        if not cell.validation:
            raise usage_error(f"{file.name}: the file has no Validation section")
        runs = run_validation(cell, model=model, names=experiment)
        payload = {
            "file": str(file),
            "title": cell.title,
            "model": model,
            "capacity_Ah": cell.capacity_Ah,
            "experiments": [r.summary() for r in runs],
        }

        def show() -> None:
            t = Table(title=escape(f"{cell.title} ({model}) against its validation"))
            for col in ("experiment", "RMS mV", "max mV", "points"):
                t.add_column(col, justify="right")
            for r in runs:
                t.add_row(
                    escape(r.name),
                    f"{r.rms_mV:.1f}",
                    f"{r.max_mV:.0f}",
                    f"{r.points_compared}/{r.points}",
                )
            OUT.print(t)

        return payload, show

    run_command(as_json, work)
