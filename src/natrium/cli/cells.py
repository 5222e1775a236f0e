"""Cell commands: ``materials``, ``design``, ``demo``, ``simulate`` and ``rate``."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from natrium.chain import Chain
from natrium.cli import render
from natrium.cli.common import (
    DesignFile,
    JsonOption,
    MaterialsOption,
    ModelOption,
    SetOption,
    SohOption,
    TemperatureOption,
    app,
    check_model,
    load_materials,
    output_file,
    parameter_set_option,
    progress,
    run_command,
    state_of_health,
    temperature,
    write_table,
)
from natrium.io import read_design
from natrium.materials import active_table, component_table


@app.command()
def materials(as_json: JsonOption = False, extra: MaterialsOption = None) -> None:
    """List the active materials and components (electrolytes, separators,
    foils, binders, casings) with their sources."""

    def work() -> tuple[dict[str, Any], Callable[[], None]]:
        load_materials(extra)
        table = active_table()
        components = component_table()
        payload = {
            "materials": table.reset_index().to_dict(orient="records"),
            "components": components.to_dict(orient="records"),
        }
        return payload, lambda: render.materials(table, components)

    run_command(as_json, work)


@app.command()
def design(
    files: Annotated[
        list[Path], typer.Argument(help="Design file(s) (TOML); several side by side.")
    ],
    as_json: JsonOption = False,
    extra: MaterialsOption = None,
) -> None:
    """Evaluate design files: datasheet figures and bill of materials; several
    files are shown side by side."""

    def work() -> tuple[dict[str, Any], Callable[[], None]]:
        load_materials(extra)
        results = [Chain(read_design(file)).datasheet() for file in files]
        reports = [r.value for r in results]
        if len(results) == 1:
            return results[0].to_dict(), lambda: render.datasheet(reports[0])
        payload = {"designs": [r.to_dict() for r in results]}
        return payload, lambda: render.datasheets(reports)

    run_command(as_json, work)


ThermalOption = Annotated[str, typer.Option(help="isothermal or lumped.")]
OutOption = Annotated[
    Path | None,
    typer.Option(help="Write the time series to a .csv or .parquet file."),
]


@app.command()
def simulate(
    file: DesignFile,
    experiment: Annotated[
        list[str] | None,
        typer.Option(
            help="PyBaMM experiment step, repeatable, e.g. "
            "'Discharge at 1C until 2.0 V'; default a 1C discharge to the "
            "set's cut-off."
        ),
    ] = None,
    model: ModelOption = "DFN",
    thermal: ThermalOption = "isothermal",
    set_name: SetOption = None,
    temperature_c: TemperatureOption = None,
    soh: SohOption = "1",
    out: OutOption = None,
    as_json: JsonOption = False,
    extra: MaterialsOption = None,
) -> None:
    """Simulate a design on PyBaMM and summarise it, step by step."""

    def work() -> tuple[dict[str, Any], Callable[[], None]]:
        from natrium.sim.simulation import SimulationError

        # everything a user typed is checked before PyBaMM is imported
        path = output_file("--out", out)
        name = check_model(model, thermal)
        kelvin = temperature("--temperature-c", temperature_c)
        health = state_of_health("--soh", soh)
        assert health is not None
        load_materials(extra)
        cell = read_design(file)
        with progress(as_json, "simulating") as step:
            step(f"simulating {cell.name} ({name})")
            pset = parameter_set_option(set_name, cell)
            chain = Chain(cell, pset, model=name, thermal=thermal)
            steps = experiment or [
                f"Discharge at 1C until {cell.voltage_window[0]:g} V"
            ]
            try:
                with warnings.catch_warnings():
                    # the model's warnings are in the result, shown once
                    warnings.simplefilter("ignore")
                    run = chain.simulate(
                        steps, temperature=kelvin, state_of_health=health
                    )
            except SimulationError as err:
                if err.partial is not None and path is not None:
                    write_table(err.partial.data, path)
                    raise SimulationError(
                        f"{err} (the {len(err.partial.data)} rows computed "
                        f"before it are in {path})"
                    ) from err
                raise
        result = run.value
        if path is not None:
            write_table(result.data, path)
        payload = {**run.to_dict(), "model": name, "parameter_set": pset.name}
        return payload, lambda: render.simulation(
            cell.name, steps, name, pset.name, result, path
        )

    run_command(as_json, work)


@app.command()
def rate(
    file: DesignFile,
    model: ModelOption = "DFN",
    set_name: SetOption = None,
    temperature_c: TemperatureOption = None,
    soh: SohOption = "1",
    as_json: JsonOption = False,
    extra: MaterialsOption = None,
) -> None:
    """Rate capability and constant-power (watts per cell vs runtime) tables."""

    def work() -> tuple[dict[str, Any], Callable[[], None]]:
        name = check_model(model)
        kelvin = temperature("--temperature-c", temperature_c)
        health = state_of_health("--soh", soh)
        assert health is not None
        load_materials(extra)
        cell = read_design(file)
        with progress(as_json, "rate tables", total=2) as step:
            step("rate capability")
            chain = Chain(cell, parameter_set_option(set_name, cell), model=name)
            rates = chain.rate_table(temperature=kelvin, state_of_health=health).value
            step("constant-power table")
            power = chain.constant_power_table(
                temperature=kelvin, state_of_health=health
            ).value
        pset = chain.simulation_set
        payload = {
            "parameter_set": pset.name,
            "model": name,
            "rate_table": rates.reset_index().to_dict(orient="records"),
            "constant_power_table": power.reset_index().to_dict(orient="records"),
            "cutoff_V": power.attrs["cutoff_V"],
        }
        return payload, lambda: render.rate_tables(
            cell.name, name, pset.name, health, rates, power
        )

    run_command(as_json, work)
