"""Plant commands: ``plant cathode`` (also ``capacity``) and ``plant cells``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from natrium.chain import Chain
from natrium.cli import render
from natrium.cli.common import (
    JsonOption,
    MaterialsOption,
    PricesOption,
    alias,
    app,
    load_materials,
    one_design,
    plant_output,
    quantity,
    run_command,
    usage_error,
    yearly_amount,
)
from natrium.io import default_design_for_cathode, read_design

plant_app = typer.Typer(
    help="Cathode-material plants and cell plants.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(plant_app, name="plant")

GwhOption = Annotated[
    str | None,
    typer.Option(
        "--gwh", help="Cells a year, e.g. 1 or '500 MWh' [GWh/yr].", show_default=False
    ),
]
OptionalDesign = Annotated[
    Path | None,
    typer.Argument(
        help="Cell design file (TOML); default: a shipped example.", show_default=False
    ),
]


def cathode_plant(
    file: OptionalDesign = None,
    cathode: Annotated[
        str | None,
        typer.Option(
            "--cathode",
            "--material",
            help="Cathode material key; default the design's, or prussian-white.",
        ),
    ] = None,
    tonnes: Annotated[
        str | None,
        typer.Option(help="Cathode material a year, e.g. 2000 or '2 kt' [t/yr]."),
    ] = None,
    gwh: GwhOption = None,
    named: Annotated[
        str | None,
        typer.Option("--plant", help="Or a plant of the sources, e.g. 'ferrum'."),
    ] = None,
    design_file: Annotated[Path | None, alias("--design")] = None,
    prices: PricesOption = None,
    as_json: JsonOption = False,
    extra: MaterialsOption = None,
) -> None:
    """A cathode-material plant: tonnes a year (or a named plant) as GWh of
    cells, or GWh of cells as the tonnes they need."""

    def work() -> tuple[dict[str, Any], Callable[[], None]]:
        given = [
            n
            for n, v in (("--tonnes", tonnes), ("--gwh", gwh), ("--plant", named))
            if v
        ]
        if len(given) != 1:
            raise usage_error(
                "give exactly one of --tonnes, --gwh or --plant (e.g. ferrum)"
            )
        kg = None if tonnes is None else yearly_amount("--tonnes", tonnes, "kg", "t")
        joules = plant_output("--gwh", gwh)
        load_materials(extra)
        path = one_design(file, design_file, required=False)
        cell = (
            read_design(path)
            if path is not None
            else default_design_for_cathode(cathode or "prussian-white")
        )
        if cathode is not None and cell.cathode.active != cathode:
            raise usage_error(
                f"--cathode {cathode!r} differs from the design's cathode "
                f"{cell.cathode.active!r}"
            )
        chain = Chain(cell, prices=prices)
        if joules is not None:
            result = chain.cathode_for_energy(joules)
            return result.to_dict(), lambda: render.tonnage(result.value)
        plant = (
            chain.cathode_plant(kg)
            if kg is not None
            else chain.cathode_plant(name=named)
        )
        return plant.to_dict(), lambda: render.tonnage(plant.tonnage)

    run_command(as_json, work)


plant_app.command("cathode")(cathode_plant)
# the same command under its first name, kept for the scripts that use it
app.command("capacity", help="The same as 'natrium plant cathode'.")(cathode_plant)


@plant_app.command("cells")
def plant_cells(
    file: Annotated[
        Path | None,
        typer.Argument(
            help="Cell design file (TOML); default: the high-power PW/HC pouch.",
            show_default=False,
        ),
    ] = None,
    mw: Annotated[
        str | None, typer.Option(help="Rated power made a year, e.g. 600 [MW/yr].")
    ] = None,
    runtime_min: Annotated[
        str | None,
        typer.Option(help="Runtime at rated power, e.g. 1.5 or '90 s' [min]."),
    ] = None,
    c_rate: Annotated[
        str | None,
        typer.Option(help="C-rate of the rated power, e.g. 4 [1/h], with --mw."),
    ] = None,
    gwh: GwhOption = None,
    design_file: Annotated[Path | None, alias("--design")] = None,
    prices: PricesOption = None,
    as_json: JsonOption = False,
    extra: MaterialsOption = None,
) -> None:
    """A cell plant: MW (with a runtime) or GWh a year as MWh, cells, tonnes, money."""

    def work() -> tuple[dict[str, Any], Callable[[], None]]:
        from natrium.plant.cell_plant import critical_power_design, energy_from_power

        if (mw is None) == (gwh is None):
            raise usage_error(
                "give exactly one of --mw (with --runtime-min or --c-rate) or --gwh"
            )
        per_power = [
            n for n, v in (("--runtime-min", runtime_min), ("--c-rate", c_rate)) if v
        ]
        if mw is not None and len(per_power) != 1:
            raise usage_error("--mw needs exactly one of --runtime-min or --c-rate")
        if gwh is not None and per_power:
            raise usage_error(f"{per_power[0]} goes with --mw, not with --gwh")
        power = None if mw is None else yearly_amount("--mw", mw, "W", "MW")
        runtime = quantity("--runtime-min", runtime_min, "min", "s")
        rate = quantity("--c-rate", c_rate, "1/h", "1/s")
        load_materials(extra)
        path = one_design(file, design_file, required=False)
        design = critical_power_design() if path is None else read_design(path)
        chain = Chain(design, prices=prices)
        if power is not None:
            energy = float(energy_from_power(power, runtime=runtime, c_rate=rate))
        else:
            energy = plant_output("--gwh", gwh) or 0.0
        payload = chain.cell_plant(energy).to_dict()
        if power is not None:
            runtimes = chain.runtime_table(power).value
            payload["power_MW_per_year"] = power / 1e6
            payload["runtime_table"] = runtimes.reset_index().to_dict(orient="records")
        return payload, lambda: render.cell_plant(chain.design.name, payload)

    run_command(as_json, work)
