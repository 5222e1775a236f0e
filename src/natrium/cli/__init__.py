"""The ``natrium`` command: a face on the public API, holding no model logic.

Every command takes ``--json`` and then prints one JSON object on stdout and
nothing else there. Bad input exits with status 2 and a one-line message that
names the field, value, valid range and unit; never a traceback.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from natrium import NatriumError, __version__
from natrium.cell import CellReport, evaluate
from natrium.io import (
    default_design_for_cathode,
    example_path,
    load_example,
    read_design,
)
from natrium.materials import active_table, load_material_file
from natrium.plant import TonnageResult, cathode_tonnes_to_gwh, gwh_to_cathode_tonnes
from natrium.plant.tonnage import TONNE
from natrium.units import GWH, to_si_per_year

app = typer.Typer(
    name="natrium",
    help="Sodium-ion battery engineering: materials, cells, plants and systems.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
_out = Console()
_err = Console(stderr=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]
MaterialsOption = Annotated[
    list[Path] | None,
    typer.Option("--materials", help="Extra material TOML file(s) to load first."),
]


def _run(
    as_json: bool, work: Callable[[], tuple[dict[str, Any], Callable[[], None]]]
) -> None:
    """Run a command body; print JSON or the human view; map errors to exit 2."""
    try:
        payload, show = work()
    except NatriumError as err:
        message = str(err)
        if as_json:
            sys.stdout.write(json.dumps({"error": message}) + "\n")
        _err.print(
            f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True
        )
        raise typer.Exit(code=2) from None
    if as_json:
        sys.stdout.write(json.dumps(payload) + "\n")
    else:
        show()


def _load_materials(files: list[Path] | None) -> None:
    for path in files or []:
        load_material_file(path)


@app.command()
def materials(as_json: JsonOption = False, extra: MaterialsOption = None) -> None:
    """List the active-material library with sources."""

    def work() -> tuple[dict[str, Any], Callable[[], None]]:
        _load_materials(extra)
        table = active_table()
        payload = {"materials": table.reset_index().to_dict(orient="records")}

        def show() -> None:
            t = Table(
                title="Active materials (capacities from Faraday's law and sources)"
            )
            for col in (
                "key",
                "formula",
                "role",
                "ion",
                "theor.\nmAh/g",
                "pract.\nmAh/g",
                "avg V",
                "ICE",
                "density\ng/cm3",
                "USD/kg",
            ):
                t.add_column(
                    col, justify="left" if col in ("key", "formula") else "right"
                )
            for key, r in table.iterrows():
                theo = r["theoretical_mAh_per_g"]
                t.add_row(
                    str(key),
                    r["formula"] or "-",
                    r["role"],
                    r["ion"],
                    "-" if theo != theo else f"{theo:.1f}",
                    f"{r['practical_mAh_per_g']:.0f}",
                    f"{r['average_potential_V']:.2f}",
                    f"{r['first_cycle_efficiency']:.2f}",
                    f"{r['density_g_per_cm3']:.2f}",
                    f"{r['price_low_USD_per_kg']:g}-{r['price_high_USD_per_kg']:g}",
                )
            _out.print(t)
            _out.print("Sources per property: natrium materials --json")

        return payload, show

    _run(as_json, work)


@app.command()
def design(
    file: Annotated[Path, typer.Argument(help="Design file (TOML).")],
    as_json: JsonOption = False,
    extra: MaterialsOption = None,
) -> None:
    """Evaluate a cell design file: datasheet figures and bill of materials."""

    def work() -> tuple[dict[str, Any], Callable[[], None]]:
        _load_materials(extra)
        report = evaluate(read_design(file))
        return report.to_dict(), lambda: _show_report(report)

    _run(as_json, work)


@app.command()
def capacity(
    cathode: Annotated[
        str | None,
        typer.Option(
            help="Cathode material key; default the design's, or prussian-white."
        ),
    ] = None,
    tonnes: Annotated[
        str | None,
        typer.Option(help="Cathode material a year, e.g. 2000 or '2 kt' [t/yr]."),
    ] = None,
    gwh: Annotated[
        str | None,
        typer.Option(
            help="Cells a year instead, e.g. 1 or '500 MWh' [GWh/yr]: gives tonnes."
        ),
    ] = None,
    design_file: Annotated[
        Path | None,
        typer.Option("--design", help="Cell design file; default: a shipped example."),
    ] = None,
    as_json: JsonOption = False,
    extra: MaterialsOption = None,
) -> None:
    """Cathode tonnes <-> GWh of cells a year, ideal and realistic."""

    def work() -> tuple[dict[str, Any], Callable[[], None]]:
        _load_materials(extra)
        if (tonnes is None) == (gwh is None):
            raise _usage("give exactly one of --tonnes or --gwh")
        if design_file:
            cell = read_design(design_file)
        else:
            cell = default_design_for_cathode(cathode or "prussian-white")
        if cathode is not None and cell.cathode.active != cathode:
            raise _usage(
                f"--cathode {cathode!r} differs from the design's cathode "
                f"{cell.cathode.active!r}"
            )
        if tonnes is not None:
            kg = to_si_per_year("--tonnes", tonnes, "kg", default_unit="t")
            result = cathode_tonnes_to_gwh(kg / TONNE, cell)
        else:
            joules = to_si_per_year("--gwh", gwh, "J", default_unit="GWh")
            result = gwh_to_cathode_tonnes(joules / GWH, cell)
        return result.to_dict(), lambda: _show_tonnage(result)

    _run(as_json, work)


@app.command()
def demo(as_json: JsonOption = False) -> None:
    """The main job: the example Prussian white cell and 2,000 t of cathode."""

    def work() -> tuple[dict[str, Any], Callable[[], None]]:
        cell = load_example("pw_hc_pouch")
        report = evaluate(cell)
        tonnage = cathode_tonnes_to_gwh(2000.0, cell)
        payload = {"design": report.to_dict(), "capacity": tonnage.to_dict()}

        def show() -> None:
            _show_report(report)
            _out.print()
            _show_tonnage(tonnage)

        return payload, show

    _run(as_json, work)


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


def _parameter_set(name: str | None, cell: Any) -> Any:
    import pybamm

    from natrium.sim import default_set_for, get_parameter_set, load_parameter_set

    # PyBaMM logs solver trouble itself; natrium reports it once, as one line.
    pybamm.set_logging_level("CRITICAL")

    if name is None:
        return default_set_for(cell)
    if Path(name).is_dir():
        return load_parameter_set(name)
    return get_parameter_set(name)


def _kelvin(celsius: float | None) -> float | None:
    return None if celsius is None else celsius + 273.15


@app.command()
def simulate(
    file: Annotated[Path, typer.Argument(help="Design file (TOML).")],
    experiment: Annotated[
        list[str] | None,
        typer.Option(
            help="PyBaMM experiment step, repeatable, e.g. "
            "'Discharge at 1C until 2.0 V'; default a 1C discharge to the "
            "set's cut-off."
        ),
    ] = None,
    model: ModelOption = "DFN",
    thermal: Annotated[str, typer.Option(help="isothermal or lumped.")] = "isothermal",
    set_name: SetOption = None,
    temperature_c: TemperatureOption = None,
    soh: SohOption = 1.0,
    out: Annotated[
        Path | None, typer.Option(help="Write the time series to .csv or .parquet.")
    ] = None,
    as_json: JsonOption = False,
    extra: MaterialsOption = None,
) -> None:
    """Simulate a design on PyBaMM and summarise the discharge."""

    def work() -> tuple[dict[str, Any], Callable[[], None]]:
        import warnings

        from natrium.sim.simulation import SimulationError
        from natrium.sim.simulation import simulate as run

        _load_materials(extra)
        cell = read_design(file)
        pset = _parameter_set(set_name, cell)
        steps = experiment or [f"Discharge at 1C until {pset.lower_voltage_cutoff:g} V"]
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result = run(
                    cell,
                    pset,
                    steps,
                    model=model,
                    thermal=thermal,
                    temperature=_kelvin(temperature_c),
                    state_of_health=soh,
                )
        except SimulationError as err:
            if err.partial is not None and out is not None:
                _write(err.partial.data, out)
                raise SimulationError(
                    f"{err} (the {len(err.partial.data)} rows computed "
                    f"before it are in {out})"
                ) from err
            raise
        if out is not None:
            _write(result.data, out)
        payload = {
            **result.summary,
            "model": model,
            "parameter_set": pset.name,
            "warnings": list(result.warnings),
            "citations": list(result.citations),
        }

        def show() -> None:
            t = Table(
                title=f"{escape(cell.name)}: {escape('; '.join(steps))}",
                show_header=False,
            )
            t.add_column("quantity")
            t.add_column("value", justify="right")
            sm = result.summary
            for label, value in (
                ("Model / set", f"{model} / {pset.name}"),
                ("Discharged capacity", f"{sm['discharge_capacity_Ah']:.4g} Ah"),
                ("Discharged energy", f"{sm['discharge_energy_Wh']:.4g} Wh"),
                ("Mean voltage", f"{sm['mean_voltage_V']:.3f} V"),
                ("Duration", f"{sm['duration_s']:.0f} s"),
                ("Ended by", escape(sm["termination"])),
            ):
                t.add_row(label, value)
            _out.print(t)
            for note in result.warnings:
                _err.print(f"[yellow]warning:[/] {escape(note)}")
            if out is not None:
                _out.print(f"time series written to {escape(str(out))}")

        return payload, show

    _run(as_json, work)


@app.command()
def rate(
    file: Annotated[Path, typer.Argument(help="Design file (TOML).")],
    model: ModelOption = "DFN",
    set_name: SetOption = None,
    temperature_c: TemperatureOption = None,
    soh: SohOption = 1.0,
    as_json: JsonOption = False,
    extra: MaterialsOption = None,
) -> None:
    """Rate capability and constant-power (watts per cell vs runtime) tables."""

    def work() -> tuple[dict[str, Any], Callable[[], None]]:
        from natrium.sim.tables import constant_power_table, rate_table

        _load_materials(extra)
        cell = read_design(file)
        pset = _parameter_set(set_name, cell)
        kelvin = _kelvin(temperature_c)
        rates = rate_table(
            cell, pset, model=model, temperature=kelvin, state_of_health=soh
        )
        power = constant_power_table(
            cell, pset, model=model, temperature=kelvin, state_of_health=soh
        )
        payload = {
            "parameter_set": pset.name,
            "model": model,
            "rate_table": rates.reset_index().to_dict(orient="records"),
            "constant_power_table": power.reset_index().to_dict(orient="records"),
            "cutoff_V": power.attrs["cutoff_V"],
        }

        def show() -> None:
            t = Table(
                title=f"{escape(cell.name)}: rate capability ({model}, {pset.name})"
            )
            for col in ("C-rate", "Ah", "Wh", "mean V", "% of design Ah"):
                t.add_column(col, justify="right")
            for c, r in rates.iterrows():
                t.add_row(
                    f"{c:g}",
                    f"{r['capacity_Ah']:.4g}",
                    f"{r['energy_Wh']:.4g}",
                    f"{r['mean_voltage_V']:.3f}",
                    f"{100 * r['capacity_fraction']:.1f}",
                )
            _out.print(t)
            t = Table(
                title=f"Constant power to {power.attrs['cutoff_V']:g} V (SOH {soh:g})"
            )
            for col in ("runtime min", "W per cell", "Wh", "mean V"):
                t.add_column(col, justify="right")
            for minutes, r in power.iterrows():
                t.add_row(
                    f"{minutes:g}",
                    f"{r['power_W']:.4g}",
                    f"{r['energy_Wh']:.4g}",
                    f"{r['mean_voltage_V']:.3f}",
                )
            _out.print(t)

        return payload, show

    _run(as_json, work)


@app.command()
def cost(
    file: Annotated[Path, typer.Argument(help="Design file (TOML).")],
    plant_gwh: Annotated[float, typer.Option(help="Plant output [GWh/yr].")] = 10.0,
    sensitivity: Annotated[
        bool, typer.Option(help="Add the tornado and Monte Carlo price bands.")
    ] = False,
    as_json: JsonOption = False,
    extra: MaterialsOption = None,
) -> None:
    """Cell cost per kWh, bottom-up after BatPaC, with its breakdown."""

    def work() -> tuple[dict[str, Any], Callable[[], None]]:
        from natrium.cost import cell_cost
        from natrium.cost.sensitivity import monte_carlo, tornado

        _load_materials(extra)
        cell = read_design(file)
        result = cell_cost(cell, plant_gwh)
        payload = result.to_dict()
        spread = tornado(cell, plant_gwh) if sensitivity else None
        bands = monte_carlo(cell, plant_gwh) if sensitivity else None
        if spread is not None and bands is not None:
            payload["tornado"] = spread.to_dict(orient="records")
            payload["monte_carlo"] = {k: float(v) for k, v in bands.items()}

        def show() -> None:
            t = Table(
                title=f"{escape(cell.name)}: {payload['usd_per_kWh']:.1f} USD/kWh "
                f"at {plant_gwh:g} GWh/yr"
            )
            t.add_column("item")
            t.add_column("USD/kWh", justify="right")
            for row in payload["breakdown"]:
                t.add_row(row["item"], f"{row['usd_per_kWh']:.2f}")
            _out.print(t)
            _out.print(
                f"capital {result.capex_usd / 1e6:,.0f} M USD; "
                f"direct staff {result.staff:,.0f}"
            )
            if spread is not None and bands is not None:
                s = Table(title="Tornado (USD/kWh)")
                for col in ("input", "low", "high", "at low", "at high"):
                    s.add_column(col, justify="left" if col == "input" else "right")
                for r in spread.to_dict(orient="records"):
                    s.add_row(
                        r["input"],
                        f"{r['low']:g}",
                        f"{r['high']:g}",
                        f"{r['usd_per_kWh_low']:.1f}",
                        f"{r['usd_per_kWh_high']:.1f}",
                    )
                _out.print(s)
                _out.print(
                    "Monte Carlo on material prices: "
                    + ", ".join(f"{k} {v:.1f}" for k, v in bands.items())
                )

        return payload, show

    _run(as_json, work)


#: Runtimes a critical-power plant is shown at (issue 4: 1 to 15 minutes) [min].
RUNTIMES_MIN = (1.0, 1.5, 2.0, 5.0, 10.0, 15.0)

plant_app = typer.Typer(
    help="Cathode-material plants and cell plants.", no_args_is_help=True
)
app.add_typer(plant_app, name="plant")


@plant_app.command("cathode")
def plant_cathode(
    material: Annotated[
        str, typer.Option(help="Cathode material key.")
    ] = "prussian-white",
    tonnes: Annotated[
        str, typer.Option(help="Material a year, e.g. 2000 or '2 kt' [t/yr].")
    ] = "2000",
    design_file: Annotated[
        Path | None,
        typer.Option("--design", help="Cell design file; default: a shipped example."),
    ] = None,
    as_json: JsonOption = False,
    extra: MaterialsOption = None,
) -> None:
    """A cathode-material plant: tonnes a year as GWh of cells."""

    def work() -> tuple[dict[str, Any], Callable[[], None]]:
        from natrium.plant.cathode_plant import cathode_plant

        _load_materials(extra)
        cell = (
            read_design(design_file)
            if design_file
            else default_design_for_cathode(material)
        )
        if cell.cathode.active != material:
            raise _usage(
                f"--material {material!r} differs from the design's cathode "
                f"{cell.cathode.active!r}"
            )
        kg = to_si_per_year("--tonnes", tonnes, "kg", default_unit="t")
        plant = cathode_plant(cell, kg / TONNE, name=f"{material} plant")
        return plant.to_dict(), lambda: _show_tonnage(plant.tonnage)

    _run(as_json, work)


@plant_app.command("cells")
def plant_cells(
    mw: Annotated[
        float | None, typer.Option(help="Rated power made a year [MW/yr].")
    ] = None,
    runtime_min: Annotated[
        float | None, typer.Option(help="Runtime at rated power [min], with --mw.")
    ] = None,
    c_rate: Annotated[
        float | None, typer.Option(help="C-rate of the rated power [1/h], with --mw.")
    ] = None,
    gwh: Annotated[
        float | None, typer.Option(help="Or: cells a year [GWh/yr].")
    ] = None,
    design_file: Annotated[
        Path | None,
        typer.Option(
            "--design", help="Cell design file; default: the high-power PW/HC pouch."
        ),
    ] = None,
    as_json: JsonOption = False,
    extra: MaterialsOption = None,
) -> None:
    """A cell plant: MW (with a runtime) or GWh a year as MWh, cells, tonnes, money."""

    def work() -> tuple[dict[str, Any], Callable[[], None]]:
        from natrium.cost import cell_cost
        from natrium.plant.cell_plant import (
            cell_plant,
            energy_from_power,
            runtime_table,
        )

        _load_materials(extra)
        if (mw is None) == (gwh is None):
            raise _usage(
                "give exactly one of --mw (with --runtime-min or --c-rate) or --gwh"
            )
        cell = (
            read_design(design_file)
            if design_file
            else load_example("pw_hc_power_pouch")
        )
        if mw is not None:
            mwh = float(energy_from_power(mw, runtime_min=runtime_min, c_rate=c_rate))
        else:
            mwh = float(gwh) * 1e3  # type: ignore[arg-type]
        plant = cell_plant(cell, mwh)
        money = cell_cost(cell, mwh / 1e3)
        payload = plant.to_dict()
        annual = money.breakdown["usd_per_year"].map(float)
        payload.update(
            {
                "capex_usd": money.capex_usd,
                "opex_usd_per_year": float(
                    annual.sum() - annual["depreciation"] - annual["profit"]
                ),
                "direct_staff": money.staff,
                "usd_per_kWh": float(money.usd_per_kwh),
            }
        )
        runtimes = None
        if mw is not None:
            runtimes = runtime_table(cell, mw, RUNTIMES_MIN)
            payload["runtime_table"] = runtimes.reset_index().to_dict(orient="records")

        def show() -> None:
            t = Table(title=f"Cell plant: {escape(cell.name)}", show_header=False)
            t.add_column("quantity")
            t.add_column("value", justify="right")
            for label, value in (
                ("Cells made", f"{payload['mwh_per_year']:,.1f} MWh/yr"),
                (
                    "Cells",
                    f"{payload['cells_per_year']:,.0f} per year "
                    f"({payload['cell_energy_Wh']:.1f} Wh each)",
                ),
                ("Lines", f"{payload['lines']}"),
                (
                    "Cathode material",
                    f"{payload['cathode_tonnes_per_year']:,.1f} t/yr of "
                    f"{payload['cathode_material']}",
                ),
                ("Steady-state scrap", f"{100 * payload['steady_scrap']:.0f} %"),
                (
                    "Plant energy",
                    f"{payload['energy_kwh_per_kwh_low']:g}-"
                    f"{payload['energy_kwh_per_kwh_high']:g} kWh per kWh",
                ),
                ("Capital", f"{payload['capex_usd'] / 1e6:,.1f} M USD"),
                ("Running cost", f"{payload['opex_usd_per_year'] / 1e6:,.1f} M USD/yr"),
                ("Direct staff", f"{payload['direct_staff']:,.0f}"),
                ("Cell cost", f"{payload['usd_per_kWh']:.0f} USD/kWh"),
            ):
                t.add_row(label, value)
            _out.print(t)
            if runtimes is not None:
                rt = Table(title=f"{mw:g} MW a year at other runtimes")
                for col in ("runtime min", "MWh/yr", "cells/yr", "cathode t/yr"):
                    rt.add_column(col, justify="right")
                for minutes, row in runtimes.iterrows():
                    rt.add_row(
                        f"{minutes:g}",
                        f"{row['mwh_per_year']:,.1f}",
                        f"{row['cells_per_year']:,.0f}",
                        f"{row['cathode_tonnes_per_year']:,.1f}",
                    )
                _out.print(rt)
            a = Table(title="Assumptions")
            for col in ("assumption", "value", "unit", "source"):
                a.add_column(col)
            for row in payload["assumptions"]:
                a.add_row(
                    row["assumption"],
                    f"{row['value']:.4g}",
                    row["unit"],
                    escape(str(row["source"])),
                )
            _out.print(a)
            r = Table(title="Ramp-up")
            for col in ("year", "scrap %", "good output vs steady"):
                r.add_column(col, justify="right")
            for row in payload["ramp_up"]:
                r.add_row(
                    f"{row['year']:.0f}",
                    f"{100 * row['scrap']:.1f}",
                    f"{row['good_output_share']:.2f}",
                )
            _out.print(r)

        return payload, show

    _run(as_json, work)


@app.command()
def ups(
    load_kw: Annotated[float, typer.Option(help="UPS output load [kW].")],
    runtime_min: Annotated[float, typer.Option(help="Runtime at that load [min].")],
    cell: Annotated[
        Path | None,
        typer.Option(help="Cell design file (TOML); or give --chemistry vrla."),
    ] = None,
    chemistry: Annotated[
        str | None,
        typer.Option(help="vrla (a published block), or na_ion / lfp for --cell."),
    ] = None,
    set_name: SetOption = None,
    temperature_c: Annotated[
        float, typer.Option("--temperature-c", help="Battery temperature [degC].")
    ] = 25.0,
    soh: Annotated[
        float | None,
        typer.Option("--soh", help="End-of-life state of health [-]; default 0.8."),
    ] = None,
    efficiency: Annotated[
        float | None, typer.Option(help="Inverter efficiency [-]; default 0.95.")
    ] = None,
    dc_min: Annotated[float | None, typer.Option(help="DC bus minimum [V].")] = None,
    dc_max: Annotated[float | None, typer.Option(help="DC bus maximum [V].")] = None,
    compare: Annotated[
        bool,
        typer.Option(
            help="Also size the shipped Na-ion and LFP cells and VRLA for the duty."
        ),
    ] = False,
    as_json: JsonOption = False,
    extra: MaterialsOption = None,
) -> None:
    """Size a critical-power (UPS) battery by the constant-power method."""

    def work() -> tuple[dict[str, Any], Callable[[], None]]:
        from natrium.apps.ups import Duty, size_cell, size_vrla, ups_value

        _load_materials(extra)
        duty = Duty(
            load=load_kw * 1e3,
            runtime=runtime_min * 60.0,
            inverter_efficiency=efficiency
            if efficiency is not None
            else ups_value("sizing", "inverter_efficiency"),
            dc_window=(
                dc_min
                if dc_min is not None
                else ups_value("dc_bus", "window_min", "V"),
                dc_max
                if dc_max is not None
                else ups_value("dc_bus", "window_max", "V"),
            ),
            temperature=temperature_c + 273.15,
        )
        if cell is None:
            if chemistry not in (None, "vrla"):
                raise _usage(f"--chemistry {chemistry} needs --cell FILE.toml")
            system = size_vrla(duty)
        else:
            design = read_design(cell)
            pset = _parameter_set(set_name, design)
            kind = chemistry or ("lfp" if design.cathode.active == "lfp" else "na_ion")
            if kind not in ("na_ion", "lfp"):
                raise _usage(f"--chemistry {kind!r} with --cell; valid: na_ion, lfp")
            system = size_cell(
                duty,
                design,
                pset,
                chemistry=kind,  # type: ignore[arg-type]
                state_of_health=soh,
            )
        payload = system.to_dict()
        table = None
        if compare:
            from natrium.apps.ups import comparison
            from natrium.sim import get_parameter_set

            table = comparison(
                duty,
                {
                    "na_ion": (
                        load_example("pw_hc_power_pouch"),
                        get_parameter_set("pw_hc"),
                    ),
                    "lfp": (
                        load_example("lfp_graphite_prismatic"),
                        get_parameter_set("lfp_graphite"),
                    ),
                },
                state_of_health=soh,
            )
            payload["comparison"] = table.reset_index().to_dict(orient="records")

        def show() -> None:
            t = Table(
                title=f"UPS battery: {load_kw:g} kW for {runtime_min:g} min "
                f"({escape(system.cell_name)})",
                show_header=False,
            )
            t.add_column("quantity")
            t.add_column("value", justify="right")
            for label, value in (
                (
                    "Cells in series x strings",
                    f"{system.cells_in_series} x "
                    f"{system.strings} = {system.total_cells}",
                ),
                ("End voltage per cell", f"{system.end_voltage_per_cell:.3f} V"),
                ("Power per cell (capability)", f"{system.cell_power:.1f} W"),
                ("Factors", ", ".join(f"{k} {v:g}" for k, v in system.factors.items())),
                ("Nameplate energy", f"{system.nameplate_kwh:,.0f} kWh"),
                ("Mass", f"{system.mass_kg / 1e3:,.2f} t"),
                ("Volume", f"{system.volume_l / 1e3:,.2f} m3"),
                (
                    "Cabinets / floor",
                    f"{system.cabinets} / {system.floor_area_m2:.1f} m2",
                ),
                ("Capital", f"{system.capex_usd:,.0f} USD"),
                (
                    "Replacements / TCO",
                    f"{system.replacements} / {system.tco_usd:,.0f} USD",
                ),
            ):
                t.add_row(label, value)
            _out.print(t)
            for note in system.notes:
                _out.print(f"note: {escape(note)}")
            if table is not None:
                c = Table(title="The same duty, three chemistries")
                cols = (
                    "cells",
                    "strings",
                    "t",
                    "m3",
                    "m2",
                    "kWh",
                    "capex USD",
                    "TCO USD",
                )
                c.add_column("chemistry")
                for col in cols:
                    c.add_column(col, justify="right")
                for chem, r in table.iterrows():
                    c.add_row(
                        str(chem),
                        f"{r['total_cells']:,.0f}",
                        f"{r['strings']:.0f}",
                        f"{r['mass_kg'] / 1e3:.2f}",
                        f"{r['volume_L'] / 1e3:.2f}",
                        f"{r['floor_area_m2']:.1f}",
                        f"{r['nameplate_kWh']:,.0f}",
                        f"{r['capex_usd']:,.0f}",
                        f"{r['tco_usd']:,.0f}",
                    )
                _out.print(c)

        return payload, show

    _run(as_json, work)


@app.command()
def telecom(
    cell: Annotated[Path, typer.Option(help="Cell design file (TOML).")],
    load_w: Annotated[float, typer.Option(help="DC load of the -48 V plant [W].")],
    hours: Annotated[float, typer.Option(help="Backup time [h].")],
    set_name: SetOption = None,
    soh: Annotated[
        float | None,
        typer.Option("--soh", help="End-of-life state of health [-]; default 0.8."),
    ] = None,
    as_json: JsonOption = False,
    extra: MaterialsOption = None,
) -> None:
    """A -48 V telecom battery over an outdoor temperature range (-20 to +45 C)."""

    def work() -> tuple[dict[str, Any], Callable[[], None]]:
        from natrium.apps.telecom import telecom_table

        _load_materials(extra)
        design = read_design(cell)
        pset = _parameter_set(set_name, design)
        kind = "lfp" if design.cathode.active == "lfp" else "na_ion"
        table = telecom_table(
            design,
            pset,
            load_w=load_w,
            hours=hours,
            chemistry=kind,
            state_of_health=soh,
        )
        payload = {
            "load_W": load_w,
            "hours": hours,
            "table": table.reset_index().to_dict(orient="records"),
        }

        def show() -> None:
            t = Table(
                title=f"-48 V plant, {load_w:g} W for {hours:g} h: "
                f"{escape(design.name)}"
            )
            for col in ("degC", "series", "strings", "cells", "W/cell", "kg", "kWh"):
                t.add_column(col, justify="right")
            for temp, r in table.iterrows():
                t.add_row(
                    f"{temp:g}",
                    f"{r['cells_in_series']:.0f}",
                    f"{r['strings']:.0f}",
                    f"{r['total_cells']:.0f}",
                    f"{r['cell_power_W']:.1f}",
                    f"{r['mass_kg']:.0f}",
                    f"{r['nameplate_kWh']:.1f}",
                )
            _out.print(t)

        return payload, show

    _run(as_json, work)


@app.command()
def grid(
    cell: Annotated[
        list[Path] | None,
        typer.Option(
            help="Cell design file(s); default: the shipped LFP, PW/HC, NFM/HC cells."
        ),
    ] = None,
    temperature_c: Annotated[
        float, typer.Option("--temperature-c", help="Battery temperature [degC].")
    ] = 25.0,
    as_json: JsonOption = False,
    extra: MaterialsOption = None,
) -> None:
    """Daily 2 h and 4 h grid duty: efficiency, years to end of life, LCOS."""

    def work() -> tuple[dict[str, Any], Callable[[], None]]:
        from natrium.apps.grid import grid_table
        from natrium.sim import default_set_for

        _load_materials(extra)
        paths = cell or [
            example_path(n)
            for n in ("lfp_graphite_prismatic", "pw_hc_pouch", "nfm_hc_18650")
        ]
        cells = {}
        for path in paths:
            design = read_design(path)
            cells[_grid_chemistry(design)] = (design, default_set_for(design))
        table = grid_table(cells, temperature=temperature_c + 273.15)
        payload = {
            "table": table.drop(columns="breakdown_usd_per_MWh").to_dict(
                orient="records"
            )
        }

        def show() -> None:
            t = Table(title=f"Daily grid duty at {temperature_c:g} degC")
            for col in (
                "chemistry",
                "h",
                "DC RTE",
                "AC RTE",
                "years to 80 %",
                "LCOS USD/MWh",
            ):
                t.add_column(col, justify="left" if col == "chemistry" else "right")
            for r in payload["table"]:
                t.add_row(
                    r["chemistry"],
                    f"{r['hours']:g}",
                    f"{r['dc_rte']:.3f}",
                    f"{r['ac_rte']:.3f}",
                    f"{r['years_to_eol']:.1f}",
                    f"{r['lcos_usd_per_MWh']:.0f}",
                )
            _out.print(t)

        return payload, show

    _run(as_json, work)


def _grid_chemistry(design: Any) -> str:
    keys = {"lfp": "lfp", "prussian-white": "na_pw_hc", "nfm111": "na_nfm_hc"}
    if design.cathode.active not in keys:
        raise _usage(
            f"no ageing model for cathode {design.cathode.active!r}; valid: "
            f"{', '.join(keys)}"
        )
    return keys[design.cathode.active]


@app.command()
def ev(
    cell: Annotated[Path, typer.Option(help="Cell design file (TOML).")],
    range_km: Annotated[
        float, typer.Option(help="Range target over WLTC class 3b [km].")
    ],
    set_name: SetOption = None,
    cold_c: Annotated[
        float, typer.Option(help="Cold temperature for the range loss [degC].")
    ] = -20.0,
    as_json: JsonOption = False,
    extra: MaterialsOption = None,
) -> None:
    """A small-car pack for a range target, with the cold-weather range loss."""

    def work() -> tuple[dict[str, Any], Callable[[], None]]:
        from natrium.apps.ev import size_pack

        _load_materials(extra)
        design = read_design(cell)
        pset = _parameter_set(set_name, design)
        pack = size_pack(design, range_km, parameter_set=pset, cold=cold_c + 273.15)
        payload = pack.to_dict()

        def show() -> None:
            t = Table(
                title=f"EV pack: {range_km:g} km WLTC, {escape(design.name)}",
                show_header=False,
            )
            t.add_column("quantity")
            t.add_column("value", justify="right")
            loss = payload["cold_range_loss"]
            for label, value in (
                ("Pack energy", f"{payload['pack_energy_kWh']:.1f} kWh"),
                ("Cells", f"{payload['cells']:,}"),
                ("Pack mass", f"{payload['pack_mass_kg']:.0f} kg"),
                ("Consumption", f"{payload['consumption_Wh_per_km']:.0f} Wh/km"),
                ("Pack cost", f"{payload['pack_cost_usd']:,.0f} USD"),
                (f"Range lost at {cold_c:g} degC", f"{100 * loss:.0f} %"),
            ):
                t.add_row(label, value)
            _out.print(t)

        return payload, show

    _run(as_json, work)


def _write(frame: Any, path: Path) -> None:
    if path.suffix == ".parquet":
        frame.to_parquet(path, index=False)
    else:
        frame.to_csv(path, index=False)


@app.command()
def version() -> None:
    """Print natrium's version."""
    _out.print(__version__)


class _UsageError(NatriumError, ValueError):
    pass


def _usage(message: str) -> _UsageError:
    return _UsageError(message)


def _show_report(report: CellReport) -> None:
    m = report.metrics
    t = Table(title=f"{escape(report.design.name)}: datasheet", show_header=False)
    t.add_column("quantity")
    t.add_column("value", justify="right")
    rows = [
        ("Capacity", f"{m['capacity_Ah']:.3f} Ah"),
        ("Nominal voltage", f"{m['nominal_voltage_V']:.3f} V"),
        ("Energy", f"{m['energy_Wh']:.2f} Wh"),
        ("Mass", f"{m['mass_kg'] * 1e3:.1f} g"),
        ("Volume", f"{m['volume_L'] * 1e3:.1f} mL"),
        ("Specific energy", f"{m['specific_energy_Wh_per_kg']:.1f} Wh/kg"),
        ("Energy density", f"{m['energy_density_Wh_per_L']:.1f} Wh/L"),
        (
            "Cathode loading",
            f"{m['cathode_areal_capacity_mAh_per_cm2']:.2f} mAh/cm2 per side",
        ),
        (
            "Coatings (cathode / anode)",
            f"{m['cathode_coating_thickness_um']:.0f} / "
            f"{m['anode_coating_thickness_um']:.0f} um",
        ),
        ("N/P ratio", f"{m['np_ratio']:.2f}"),
        ("First-cycle loss", f"{m['first_cycle_loss'] * 100:.1f} % of first charge"),
        ("Capacity limited by", str(m["capacity_limited_by"])),
    ]
    for row in rows:
        t.add_row(*row)
    _out.print(t)
    bom = Table(title="Bill of materials")
    for col in ("component", "material", "g", "mL", "% mass", "kg/kWh"):
        bom.add_column(
            col, justify="left" if col in ("component", "material") else "right"
        )
    for name, r in report.bom.iterrows():
        share = r["mass_kg"] / report.metrics["energy_Wh"] * 1e3
        bom.add_row(
            str(name),
            str(r["material"]),
            f"{r['mass_kg'] * 1e3:.2f}",
            f"{r['volume_L'] * 1e3:.2f}",
            f"{r['mass_fraction'] * 100:.1f}",
            f"{share:.3f}",
        )
    _out.print(bom)


def _show_tonnage(result: TonnageResult) -> None:
    d = result.to_dict()
    _out.print(
        f"[bold]{d['tonnes_per_year']:,.0f} t/yr of {result.cathode}[/] "
        f"in '{result.design_name}':"
    )
    _out.print(
        f"  ideal     {d['gwh_per_year_ideal']:.3f} GWh/yr "
        "(theoretical capacity x average potential vs the metal, no losses)"
    )
    _out.print(
        f"  realistic {d['gwh_per_year_low']:.3f} - {d['gwh_per_year_high']:.3f} GWh/yr"
    )
    t = Table(title="Assumptions")
    for col in ("assumption", "low case", "high case", "unit", "source"):
        t.add_column(col, justify="right" if "case" in col else "left")
    for a in result.assumptions:
        t.add_row(a.name, f"{a.low:.4g}", f"{a.high:.4g}", a.unit, escape(a.source))
    _out.print(t)


# The measurement commands live beside this module and register on ``app``.
from natrium.cli import measure as _measure  # noqa: E402, F401


def main() -> None:
    app()
