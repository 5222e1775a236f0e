"""Application commands: ``ups``, ``telecom``, ``grid`` and ``ev``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from natrium.chain import Chain
from natrium.cli import render
from natrium.cli.common import (
    DesignFiles,
    JsonOption,
    MaterialsOption,
    SetOption,
    alias,
    app,
    load_materials,
    one_design,
    parameter_set_option,
    progress,
    quantity,
    quiet_pybamm,
    run_command,
    state_of_health,
    temperature,
    usage_error,
)
from natrium.io import read_design
from natrium.units import convert

CellFile = Annotated[
    Path | None, typer.Argument(help="Cell design file (TOML).", show_default=False)
]
OldCell = Annotated[Path | None, alias("--cell")]
# Duty's fields and the ups options that set them, in the same units
DUTY_OPTIONS = {
    "inverter_efficiency": "--efficiency",
    "dc_window minimum": "--dc-min",
    "dc_window maximum": "--dc-max",
    "dc_window": "--dc-min/--dc-max",
    "temperature": "--temperature-c",
}
EndOfLife = Annotated[
    str | None,
    typer.Option("--soh", help="End-of-life state of health [-]; default 0.8."),
]


@app.command()
def ups(
    load_kw: Annotated[
        str, typer.Option(help="UPS output load, e.g. 2000 or '2 MW' [kW].")
    ],
    runtime_min: Annotated[
        str, typer.Option(help="Runtime at that load, e.g. 5 or '300 s' [min].")
    ],
    file: Annotated[
        Path | None,
        typer.Argument(
            help="Cell design file (TOML); or give --chemistry vrla.",
            show_default=False,
        ),
    ] = None,
    cell: OldCell = None,
    chemistry: Annotated[
        str | None,
        typer.Option(help="vrla: a published VRLA block instead of a design file."),
    ] = None,
    set_name: SetOption = None,
    temperature_c: Annotated[
        str | None,
        typer.Option(
            "--temperature-c",
            help="Battery temperature [degC]; default the 25 degC rating temperature.",
        ),
    ] = None,
    soh: EndOfLife = None,
    efficiency: Annotated[
        str | None, typer.Option(help="Inverter efficiency [-]; default 0.95.")
    ] = None,
    dc_min: Annotated[str | None, typer.Option(help="DC bus minimum [V].")] = None,
    dc_max: Annotated[str | None, typer.Option(help="DC bus maximum [V].")] = None,
    compare: Annotated[
        bool,
        typer.Option(
            help="Also size the shipped Na-ion and LFP cells and VRLA for the duty, "
            "with their safety figures."
        ),
    ] = False,
    room_m3: Annotated[
        str | None,
        typer.Option(
            help="Battery room volume for --compare's vent-gas screening [m3]; "
            "default 200."
        ),
    ] = None,
    as_json: JsonOption = False,
    extra: MaterialsOption = None,
) -> None:
    """Size a critical-power (UPS) battery by the constant-power method."""

    def work() -> tuple[dict[str, Any], Callable[[], None]]:
        from natrium.apps.ups import Duty, comparison, size_vrla

        load = quantity("--load-kw", load_kw, "kW", "W")
        runtime = quantity("--runtime-min", runtime_min, "min", "s")
        window = (
            quantity("--dc-min", dc_min, "V", "V"),
            quantity("--dc-max", dc_max, "V", "V"),
        )
        assert load is not None
        assert runtime is not None
        duty = Duty.default(
            load=load,
            runtime=runtime,
            inverter_efficiency=quantity("--efficiency", efficiency, "", ""),
            dc_window=window,
            temperature=temperature("--temperature-c", temperature_c),
        )
        health = state_of_health("--soh", soh)
        path = one_design(file, cell, required=False)
        if path is None and chemistry != "vrla":
            raise usage_error(
                "give a cell design file (TOML), or --chemistry vrla for a "
                "published VRLA block"
                if chemistry is None
                else f"--chemistry {chemistry!r}: only vrla (a published block); a "
                "natrium cell is given as a design file, its chemistry from its "
                "materials"
            )
        if path is not None and chemistry is not None:
            raise usage_error(
                "--chemistry with a design file: the cell's chemistry comes from "
                "its materials; give --chemistry vrla alone for a VRLA battery"
            )
        load_materials(extra)
        with progress(as_json, "sizing", total=2 if compare else 1) as step:
            if path is None:
                system = size_vrla(duty)
            else:
                design = read_design(path)
                step(f"sizing {design.name}")
                chain = Chain(design, parameter_set_option(set_name, design))
                system = chain.ups(duty, state_of_health=health).value
            payload = system.to_dict()
            table = None
            room = None
            if compare:
                step("sizing the comparison cells")
                quiet_pybamm()
                from natrium.apps.safety import default_room_volume

                given = quantity("--room-m3", room_m3, "m^3", "m^3")
                room = default_room_volume() if given is None else given
                table = comparison(duty, state_of_health=health, room_volume=room)
                payload["comparison"] = table.reset_index().to_dict(orient="records")
        title = (
            f"UPS battery: {convert(load, 'W', 'kW'):g} kW for "
            f"{convert(runtime, 's', 'min'):g} min "
            f"({escape(system.cell_name)})"
        )
        return payload, lambda: render.ups(title, system, table, room)

    # the duty's rules are the library's (Duty), reported under the options
    run_command(as_json, work, DUTY_OPTIONS)


@app.command()
def telecom(
    load_w: Annotated[
        str, typer.Option(help="DC load of the -48 V plant, e.g. 3000 or '3 kW' [W].")
    ],
    hours: Annotated[str, typer.Option(help="Backup time, e.g. 4 or '240 min' [h].")],
    file: CellFile = None,
    cell: OldCell = None,
    set_name: SetOption = None,
    soh: EndOfLife = None,
    as_json: JsonOption = False,
    extra: MaterialsOption = None,
) -> None:
    """A -48 V telecom battery over an outdoor temperature range (-20 to +45 C)."""

    def work() -> tuple[dict[str, Any], Callable[[], None]]:
        load = quantity("--load-w", load_w, "W", "W")
        runtime = quantity("--hours", hours, "h", "s")
        health = state_of_health("--soh", soh)
        path = one_design(file, cell)
        assert load is not None
        assert runtime is not None
        assert path is not None
        load_materials(extra)
        design = read_design(path)
        with progress(as_json, f"sizing {design.name} over temperature") as step:
            step(f"sizing {design.name} over temperature")
            chain = Chain(design, parameter_set_option(set_name, design))
            table = chain.telecom(load, runtime, state_of_health=health).value
        payload = {
            "load_W": load,
            "hours": convert(runtime, "s", "h"),
            "table": table.reset_index().to_dict(orient="records"),
        }
        title = f"-48 V plant, {load_w} W for {hours} h: {escape(design.name)}"
        return payload, lambda: render.telecom(title, table)

    run_command(as_json, work)


@app.command()
def grid(
    files: DesignFiles = None,
    cell: Annotated[list[Path] | None, alias("--cell")] = None,
    set_name: SetOption = None,
    temperature_c: Annotated[
        str, typer.Option("--temperature-c", help="Battery temperature [degC].")
    ] = "25",
    as_json: JsonOption = False,
    extra: MaterialsOption = None,
) -> None:
    """Daily 2 h and 4 h grid duty: efficiency, years to end of life, LCOS.
    Default: the shipped LFP, PW/HC and NFM/HC cells."""

    def work() -> tuple[dict[str, Any], Callable[[], None]]:
        from natrium.apps.grid import grid_table

        if files and cell:
            raise usage_error("give the design files once: as arguments")
        kelvin = temperature("--temperature-c", temperature_c)
        paths = files or cell
        if set_name is not None and not paths:
            raise usage_error("--set needs the design file(s) it is for")
        load_materials(extra)
        quiet_pybamm()
        cells = None
        if paths:
            designs = [read_design(path) for path in paths]
            cells = [(d, parameter_set_option(set_name, d)) for d in designs]
        with progress(as_json, "grid duty") as step:
            step("daily grid duty, 2 h and 4 h")
            table = grid_table(cells, temperature=kelvin)
        payload = {
            "table": table.drop(columns="breakdown_usd_per_MWh").to_dict(
                orient="records"
            )
        }
        title = f"Daily grid duty at {temperature_c} degC"
        return payload, lambda: render.grid(title, payload["table"])

    run_command(as_json, work)


@app.command()
def ev(
    range_km: Annotated[
        str, typer.Option(help="Range target over WLTC class 3b, e.g. 300 [km].")
    ],
    file: CellFile = None,
    cell: OldCell = None,
    set_name: SetOption = None,
    cold_c: Annotated[
        str, typer.Option(help="Cold temperature for the range loss [degC].")
    ] = "-20",
    as_json: JsonOption = False,
    extra: MaterialsOption = None,
) -> None:
    """A small-car pack for a range target, with the cold-weather range loss."""

    def work() -> tuple[dict[str, Any], Callable[[], None]]:
        distance = quantity("--range-km", range_km, "km", "m")
        cold = temperature("--cold-c", cold_c)
        path = one_design(file, cell)
        assert distance is not None
        assert cold is not None
        assert path is not None
        load_materials(extra)
        design = read_design(path)
        with progress(as_json, "EV pack") as step:
            step(f"sizing a pack of {design.name}")
            chain = Chain(design, parameter_set_option(set_name, design))
            payload = chain.ev(distance, cold=cold).to_dict()
        title = f"EV pack: {range_km} km WLTC, {escape(design.name)}"
        cold_shown = convert(cold, "K", "degC")
        return payload, lambda: render.ev(title, payload, cold_shown)

    run_command(as_json, work)


@app.command()
def safety(
    load_kw: Annotated[
        str | None,
        typer.Option(help="Also screen a UPS of this load, e.g. '2 MW' [kW]."),
    ] = None,
    runtime_min: Annotated[str, typer.Option(help="Its runtime, e.g. 5 [min].")] = "5",
    room_m3: Annotated[str, typer.Option(help="Battery room volume [m3].")] = "200",
    as_json: JsonOption = False,
) -> None:
    """Published abuse figures per cell chemistry: thermal runaway, vent gas
    per Ah and its lower flammability limit; with --load-kw, the gas of one
    venting module of each sized UPS in the room against 25 % of the LFL."""

    def work() -> tuple[dict[str, Any], Callable[[], None]]:
        from natrium.apps.safety import default_room_volume, safety_table
        from natrium.apps.ups import Duty, comparison

        given = quantity("--room-m3", room_m3, "m^3", "m^3")
        room = default_room_volume() if given is None else given
        load = quantity("--load-kw", load_kw, "kW", "W")
        runtime = quantity("--runtime-min", runtime_min, "min", "s")
        assert runtime is not None
        rows = [c.to_dict() for c in safety_table()]
        payload: dict[str, Any] = {
            "chemistries": {r["chemistry"]: r for r in rows},
            "room_m3": room,
        }
        table = None
        if load is not None:
            quiet_pybamm()
            with progress(as_json, "sizing the UPS chemistries") as step:
                step("sizing Na-ion, LFP and VRLA")
                duty = Duty.default(load=load, runtime=runtime)
                table = comparison(duty, room_volume=room)
            payload["ups"] = table.reset_index().to_dict(orient="records")

        def show() -> None:
            render.safety_rows(rows)
            if table is not None:
                render.safety_rows(table.reset_index().to_dict(orient="records"), room)

        return payload, show

    run_command(as_json, work, DUTY_OPTIONS)
