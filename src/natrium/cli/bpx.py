"""``natrium bpx export`` and ``natrium bpx run``: the BPX parameter format."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from natrium.cli import render
from natrium.cli.common import (
    JsonOption,
    MaterialsOption,
    ModelOption,
    SetOption,
    app,
    check_model,
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

        return payload, lambda: render.bpx_written(payload)

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

        name = check_model(model)
        quiet_pybamm()
        cell = read_bpx(file)
        if not cell.validation:
            raise usage_error(f"{file.name}: the file has no Validation section")
        runs = run_validation(cell, model=name, names=experiment)
        payload = {
            "file": str(file),
            "title": cell.title,
            "model": name,
            "capacity_Ah": cell.capacity_Ah,
            "experiments": [r.summary() for r in runs],
        }

        title = f"{cell.title} ({name}) against its validation"
        return payload, lambda: render.bpx_validation(title, runs)

    run_command(as_json, work)
