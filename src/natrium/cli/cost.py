"""``natrium cost``: a cell's cost per kWh, bottom-up after BatPaC."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from natrium.chain import Chain
from natrium.cli import render
from natrium.cli.common import (
    PLOT_FORMATS,
    DesignFile,
    JsonOption,
    MaterialsOption,
    PricesOption,
    app,
    load_materials,
    output_file,
    plant_output,
    progress,
    run_command,
    usage_error,
)
from natrium.io import read_design


@app.command()
def cost(
    file: DesignFile,
    plant_gwh: Annotated[
        str | None,
        typer.Option(
            help="Plant output, e.g. 10 or '500 MWh' [GWh/yr]; default the "
            "manufacturing model's plant size (10 GWh/yr)."
        ),
    ] = None,
    sensitivity: Annotated[
        bool, typer.Option(help="Add the tornado and Monte Carlo price bands.")
    ] = False,
    against: Annotated[
        Path | None,
        typer.Option(
            help="A lithium cell's design file: both cells' cost against the "
            "lithium carbonate price, and the break-even price."
        ),
    ] = None,
    plot: Annotated[
        Path | None,
        typer.Option(help="Save the --against scenarios as a .png, .svg or .pdf."),
    ] = None,
    prices: PricesOption = None,
    as_json: JsonOption = False,
    extra: MaterialsOption = None,
) -> None:
    """Cell cost per kWh, bottom-up after BatPaC, with its breakdown."""

    def work() -> tuple[dict[str, Any], Callable[[], None]]:
        figure = output_file("--plot", plot, PLOT_FORMATS)
        if figure is not None and against is None:
            raise usage_error("--plot needs --against (a lithium cell to compare)")
        output = plant_output("--plant-gwh", plant_gwh)
        load_materials(extra)
        cell = read_design(file)
        lithium_cell = read_design(against) if against is not None else None
        chain = Chain(cell, prices=prices)
        with progress(as_json, "cost", total=3 if sensitivity else 1) as step:
            step("cost")
            payload = chain.cost(output).to_dict()
            if sensitivity:
                step("tornado")
                spread = chain.tornado(output).value
                step("Monte Carlo")
                bands = chain.monte_carlo(output).value
                payload["tornado"] = spread.to_dict(orient="records")
                payload["monte_carlo"] = {k: float(v) for k, v in bands.items()}
        if lithium_cell is not None:
            lithium = chain.lithium_scenarios(lithium_cell, output).value
            payload["lithium_design"] = lithium.attrs["lithium"]
            payload["lithium_scenarios"] = lithium.reset_index().to_dict(
                orient="records"
            )
            payload["break_even_li2co3_usd_per_kg"] = lithium.attrs[
                "break_even_li2co3_usd_per_kg"
            ]
            if figure is not None:
                render.lithium_plot(lithium, figure)
        return payload, lambda: render.cost(cell.name, payload)

    run_command(as_json, work)
