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
from rich.markup import escape
from rich.table import Table

from natrium import __version__
from natrium.cell import CellReport
from natrium.chain import Chain
from natrium.cli import (
    bpx,  # noqa: F401  (registers bpx export and bpx run)
    datasheet,  # noqa: F401  (registers validate-datasheet)
    measure,  # noqa: F401  (registers validate and calibrate)
)
from natrium.cli.common import (
    ERR,
    OUT,
    JsonOption,
    MaterialsOption,
    ModelOption,
    PricesOption,
    SetOption,
    SohOption,
    TemperatureOption,
    app,
    kelvin_option,
    load_materials,
    parameter_set_option,
    plant_output,
    quiet_pybamm,
    run_command,
    usage_error,
    write_table,
    yearly_amount,
)
from natrium.io import default_design_for_cathode, read_design
from natrium.materials import active_table
from natrium.plant import TonnageResult
from natrium.units import KWH, TONNE, to_si


@app.command()
def materials(as_json: JsonOption = False, extra: MaterialsOption = None) -> None:
    """List the active-material library with sources."""

    def work() -> tuple[dict[str, Any], Callable[[], None]]:
        load_materials(extra)
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
            OUT.print(t)
            OUT.print("Sources per property: natrium materials --json")

        return payload, show

    run_command(as_json, work)


@app.command()
def design(
    file: Annotated[Path, typer.Argument(help="Design file (TOML).")],
    as_json: JsonOption = False,
    extra: MaterialsOption = None,
) -> None:
    """Evaluate a cell design file: datasheet figures and bill of materials."""

    def work() -> tuple[dict[str, Any], Callable[[], None]]:
        load_materials(extra)
        report = Chain(read_design(file)).datasheet()
        return report.to_dict(), lambda: _show_report(report.value)

    run_command(as_json, work)


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
    prices: PricesOption = None,
    as_json: JsonOption = False,
    extra: MaterialsOption = None,
) -> None:
    """Cathode tonnes <-> GWh of cells a year, ideal and realistic."""

    def work() -> tuple[dict[str, Any], Callable[[], None]]:
        load_materials(extra)
        if (tonnes is None) == (gwh is None):
            raise usage_error("give exactly one of --tonnes or --gwh")
        if design_file:
            cell = read_design(design_file)
        else:
            cell = default_design_for_cathode(cathode or "prussian-white")
        if cathode is not None and cell.cathode.active != cathode:
            raise usage_error(
                f"--cathode {cathode!r} differs from the design's cathode "
                f"{cell.cathode.active!r}"
            )
        chain = Chain(cell, prices=prices)
        if tonnes is not None:
            kg = yearly_amount("--tonnes", tonnes, "kg", "t")
            result = chain.energy_from_cathode(kg)
        else:
            joules = yearly_amount("--gwh", gwh, "J", "GWh")
            result = chain.cathode_for_energy(joules)
        return result.to_dict(), lambda: _show_tonnage(result.value)

    run_command(as_json, work)


@app.command()
def demo(as_json: JsonOption = False) -> None:
    """The main job: the example Prussian white cell and 2,000 t of cathode."""

    def work() -> tuple[dict[str, Any], Callable[[], None]]:
        chain = Chain.from_example("pw_hc_pouch")
        report = chain.datasheet()
        ferrum = chain.cathode_plant(name="ferrum")
        payload = {"design": report.to_dict(), "capacity": ferrum.to_dict()}

        def show() -> None:
            _show_report(report.value)
            OUT.print()
            _show_tonnage(ferrum.tonnage)

        return payload, show

    run_command(as_json, work)


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

        load_materials(extra)
        cell = read_design(file)
        pset = parameter_set_option(set_name, cell)
        chain = Chain(cell, pset, model=model, thermal=thermal)
        steps = experiment or [f"Discharge at 1C until {pset.lower_voltage_cutoff:g} V"]
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                run = chain.simulate(
                    steps, temperature=kelvin_option(temperature_c), state_of_health=soh
                )
                result = run.value
        except SimulationError as err:
            if err.partial is not None and out is not None:
                write_table(err.partial.data, out)
                raise SimulationError(
                    f"{err} (the {len(err.partial.data)} rows computed "
                    f"before it are in {out})"
                ) from err
            raise
        if out is not None:
            write_table(result.data, out)
        payload = {**run.to_dict(), "model": model, "parameter_set": pset.name}

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
            OUT.print(t)
            for note in result.warnings:
                ERR.print(f"[yellow]warning:[/] {escape(note)}")
            if out is not None:
                OUT.print(f"time series written to {escape(str(out))}")

        return payload, show

    run_command(as_json, work)


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
        load_materials(extra)
        cell = read_design(file)
        chain = Chain(cell, parameter_set_option(set_name, cell), model=model)
        pset = chain.simulation_set
        kelvin = kelvin_option(temperature_c)
        rates = chain.rate_table(temperature=kelvin, state_of_health=soh).value
        power = chain.constant_power_table(
            temperature=kelvin, state_of_health=soh
        ).value
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
            OUT.print(t)
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
            OUT.print(t)

        return payload, show

    run_command(as_json, work)


@app.command()
def cost(
    file: Annotated[Path, typer.Argument(help="Design file (TOML).")],
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
        Path | None, typer.Option(help="Save the --against scenarios as a plot.")
    ] = None,
    prices: PricesOption = None,
    as_json: JsonOption = False,
    extra: MaterialsOption = None,
) -> None:
    """Cell cost per kWh, bottom-up after BatPaC, with its breakdown."""

    def work() -> tuple[dict[str, Any], Callable[[], None]]:
        load_materials(extra)
        cell = read_design(file)
        chain = Chain(cell, prices=prices)
        output = plant_output("--plant-gwh", plant_gwh)
        result = chain.cost(output)
        payload = result.to_dict()
        spread = chain.tornado(output).value if sensitivity else None
        bands = chain.monte_carlo(output).value if sensitivity else None
        if spread is not None and bands is not None:
            payload["tornado"] = spread.to_dict(orient="records")
            payload["monte_carlo"] = {k: float(v) for k, v in bands.items()}
        if plot is not None and against is None:
            raise usage_error("--plot needs --against (a lithium cell to compare)")
        lithium = chain.lithium_scenarios(against, output).value if against else None
        if lithium is not None:
            payload["lithium_scenarios"] = lithium.reset_index().to_dict(
                orient="records"
            )
            payload["break_even_li2co3_usd_per_kg"] = lithium.attrs[
                "break_even_li2co3_usd_per_kg"
            ]
            if plot is not None:
                _plot_lithium(lithium, plot)

        def show() -> None:
            t = Table(
                title=f"{escape(cell.name)}: {payload['usd_per_kWh']:.1f} USD/kWh "
                f"at {payload['plant_gwh_per_year']:g} GWh/yr"
            )
            t.add_column("item")
            t.add_column("USD/kWh", justify="right")
            for row in payload["breakdown"]:
                t.add_row(row["item"], f"{row['usd_per_kWh']:.2f}")
            OUT.print(t)
            b = Table(
                title=f"Bill of materials, priced with scrap: "
                f"{payload['materials_usd_per_kWh']:.1f} USD/kWh"
            )
            for col in ("row", "material", "g per cell", "t/yr", "USD/kg", "USD/kWh"):
                b.add_column(
                    col, justify="left" if col in ("row", "material") else "right"
                )
            for r in payload["bill_of_materials"]:
                b.add_row(
                    escape(r["row"]),
                    escape(r["material"]),
                    f"{1000 * r['kg_per_cell']:.4g}",
                    f"{r['tonnes_bought_per_year']:,.0f}",
                    f"{r['usd_per_kg']:.3g}",
                    f"{r['usd_per_kWh']:.2f}",
                )
            OUT.print(b)
            OUT.print(
                f"capital {result.capex_usd / 1e6:,.0f} M USD; running cost "
                f"{result.opex_usd_per_year / 1e6:,.1f} M USD/yr; direct staff "
                f"{result.staff:,.0f}; cathode bought "
                f"{payload['cathode_tonnes_per_year']:,.0f} t/yr; plant energy "
                f"{payload['plant_energy_kWh_per_kWh']:.1f} kWh per kWh"
            )
            for warning in payload["warnings"]:
                OUT.print(f"warning: {warning}")
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
                OUT.print(s)
                OUT.print(
                    "Monte Carlo on material prices: "
                    + ", ".join(f"{k} {v:.1f}" for k, v in bands.items())
                )
            if lithium is not None:
                li = Table(
                    title=f"Against {escape(lithium.attrs['lithium'])}: USD/kWh "
                    "against the lithium carbonate price"
                )
                for col in ("Li2CO3 USD/kg", "this cell", "lithium cell", "ratio"):
                    li.add_column(col, justify="right")
                for price, r in lithium.iterrows():
                    li.add_row(
                        f"{price:.1f}",
                        f"{r['sodium_usd_per_kWh']:.1f}",
                        f"{r['lithium_usd_per_kWh']:.1f}",
                        f"{r['ratio']:.2f}",
                    )
                OUT.print(li)
                OUT.print(
                    "break-even lithium carbonate price: "
                    f"{payload['break_even_li2co3_usd_per_kg']:.1f} USD/kg"
                )

        return payload, show

    run_command(as_json, work)


def _plot_lithium(table: Any, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (top, bottom) = plt.subplots(2, 1, sharex=True, figsize=(6, 6))
    x = table.index.to_numpy()
    top.plot(x, table["sodium_usd_per_kWh"], label=table.attrs["sodium"])
    top.plot(x, table["lithium_usd_per_kWh"], label=table.attrs["lithium"])
    top.set_ylabel("cell cost [USD/kWh]")
    top.legend(fontsize="small")
    bottom.plot(x, table["ratio"], color="k")
    bottom.axhline(1.0, color="grey", lw=0.8, ls="--")
    bottom.set_ylabel("sodium / lithium [-]")
    bottom.set_xlabel("lithium carbonate price [USD/kg]")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


plant_app = typer.Typer(
    help="Cathode-material plants and cell plants.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(plant_app, name="plant")


@plant_app.command("cathode")
def plant_cathode(
    material: Annotated[
        str, typer.Option(help="Cathode material key.")
    ] = "prussian-white",
    tonnes: Annotated[
        str | None,
        typer.Option(help="Material a year, e.g. 2000 or '2 kt' [t/yr]."),
    ] = None,
    named: Annotated[
        str | None,
        typer.Option("--plant", help="Or a plant of the sources, e.g. 'ferrum'."),
    ] = None,
    design_file: Annotated[
        Path | None,
        typer.Option("--design", help="Cell design file; default: a shipped example."),
    ] = None,
    as_json: JsonOption = False,
    extra: MaterialsOption = None,
) -> None:
    """A cathode-material plant: tonnes a year as GWh of cells."""

    def work() -> tuple[dict[str, Any], Callable[[], None]]:
        load_materials(extra)
        if (tonnes is None) == (named is None):
            raise usage_error("give exactly one of --tonnes or --plant (e.g. ferrum)")
        cell = (
            read_design(design_file)
            if design_file
            else default_design_for_cathode(material)
        )
        if cell.cathode.active != material:
            raise usage_error(
                f"--material {material!r} differs from the design's cathode "
                f"{cell.cathode.active!r}"
            )
        chain = Chain(cell)
        if named is not None:
            plant = chain.cathode_plant(name=named)
        else:
            kg = yearly_amount("--tonnes", tonnes, "kg", "t")
            plant = chain.cathode_plant(kg)
        return plant.to_dict(), lambda: _show_tonnage(plant.tonnage)

    run_command(as_json, work)


@plant_app.command("cells")
def plant_cells(
    mw: Annotated[
        str | None, typer.Option(help="Rated power made a year, e.g. 600 [MW/yr].")
    ] = None,
    runtime_min: Annotated[
        str | None,
        typer.Option(help="Runtime at rated power, e.g. 1.5 or '90 s' [min]."),
    ] = None,
    c_rate: Annotated[
        float | None, typer.Option(help="C-rate of the rated power [1/h], with --mw.")
    ] = None,
    gwh: Annotated[
        str | None, typer.Option(help="Or: cells a year, e.g. 1 or '500 MWh' [GWh/yr].")
    ] = None,
    design_file: Annotated[
        Path | None,
        typer.Option(
            "--design", help="Cell design file; default: the high-power PW/HC pouch."
        ),
    ] = None,
    prices: PricesOption = None,
    as_json: JsonOption = False,
    extra: MaterialsOption = None,
) -> None:
    """A cell plant: MW (with a runtime) or GWh a year as MWh, cells, tonnes, money."""

    def work() -> tuple[dict[str, Any], Callable[[], None]]:
        from natrium.plant.cell_plant import energy_from_power

        load_materials(extra)
        if (mw is None) == (gwh is None):
            raise usage_error(
                "give exactly one of --mw (with --runtime-min or --c-rate) or --gwh"
            )
        chain = (
            Chain(read_design(design_file), prices=prices)
            if design_file
            else Chain.from_example("pw_hc_power_pouch", prices=prices)
        )
        power = None
        if mw is not None:
            power = yearly_amount("--mw", mw, "W", "MW")
            runtime = (
                None
                if runtime_min is None
                else to_si("--runtime-min", runtime_min, "s", default_unit="min")
            )
            rate = None if c_rate is None else to_si("--c-rate", f"{c_rate} 1/h", "1/s")
            energy = float(energy_from_power(power, runtime=runtime, c_rate=rate))
        else:
            energy = yearly_amount("--gwh", gwh, "J", "GWh")
        plant = chain.cell_plant(energy)
        payload = plant.to_dict()
        runtimes = None
        if power is not None:
            runtimes = chain.runtime_table(power).value
            payload["runtime_table"] = runtimes.reset_index().to_dict(orient="records")

        def show() -> None:
            _show_cell_plant(chain.design.name, payload)
            if runtimes is not None and power is not None:
                rt = Table(title=f"{power / 1e6:g} MW a year at other runtimes")
                for col in ("runtime min", "MWh/yr", "cells/yr", "cathode t/yr"):
                    rt.add_column(col, justify="right")
                for minutes, row in runtimes.iterrows():
                    rt.add_row(
                        f"{minutes:g}",
                        f"{row['mwh_per_year']:,.1f}",
                        f"{row['cells_per_year']:,.0f}",
                        f"{row['cathode_tonnes_per_year']:,.1f}",
                    )
                OUT.print(rt)

        return payload, show

    run_command(as_json, work)


def _show_cell_plant(name: str, payload: dict[str, Any]) -> None:
    t = Table(title=f"Cell plant: {escape(name)}", show_header=False)
    t.add_column("quantity")
    t.add_column("value", justify="right")
    for label, value in (
        ("Cells made", f"{payload['mwh_per_year']:,.1f} MWh/yr"),
        (
            "Cells",
            f"{payload['cells_per_year']:,.0f} per year "
            f"({payload['cell_energy_Wh']:.1f} Wh each)",
        ),
        (
            "Lines",
            f"{payload['lines']} (one makes {payload['line_gwh_per_year']:.3g} GWh/yr)",
        ),
        (
            "Cathode material bought",
            f"{payload['cathode_tonnes_per_year']:,.1f} t/yr of "
            f"{payload['cathode_material']}",
        ),
        ("Steady-state scrap", f"{100 * payload['steady_scrap']:.1f} %"),
        (
            "Plant energy",
            f"{payload['plant_energy_kWh_per_kWh']:.1f} kWh per kWh "
            f"({payload['plant_energy_kWh_per_kWh_low']:g}-"
            f"{payload['plant_energy_kWh_per_kWh_high']:g})",
        ),
        ("Capital", _modelled(payload["capex_usd"] / 1e6, ",.1f", "M USD")),
        (
            "Running cost",
            _modelled(payload["opex_usd_per_year"] / 1e6, ",.1f", "M USD/yr"),
        ),
        ("Direct staff", _modelled(payload["direct_staff"], ",.0f", "")),
        ("Cell cost", _modelled(payload["usd_per_kWh"], ".0f", "USD/kWh")),
    ):
        t.add_row(label, value)
    OUT.print(t)
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
    OUT.print(a)
    r = Table(title="Ramp-up")
    for col in ("year", "scrap %", "good output vs steady"):
        r.add_column(col, justify="right")
    for row in payload["ramp_up"]:
        r.add_row(
            f"{row['year']:.0f}",
            f"{100 * row['scrap']:.1f}",
            f"{row['good_output_share']:.2f}",
        )
    OUT.print(r)
    for warning in payload["warnings"]:
        OUT.print(f"warning: {warning}")


def _modelled(value: float, spec: str, unit: str) -> str:
    """A number with its unit, or 'not modelled' for the NaN of a refused step."""
    if value != value:  # NaN
        return "not modelled (see warning)"
    return f"{value:{spec}} {unit}".strip()


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
        typer.Option(help="vrla: a published VRLA block instead of --cell."),
    ] = None,
    set_name: SetOption = None,
    temperature_c: Annotated[
        float | None,
        typer.Option(
            "--temperature-c",
            help="Battery temperature [degC]; default the 25 degC rating temperature.",
        ),
    ] = None,
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
        from natrium.apps.ups import Duty, comparison, size_vrla

        load_materials(extra)
        quiet_pybamm()
        duty = Duty.default(
            load=to_si("--load-kw", f"{load_kw} kW", "W"),
            runtime=to_si("--runtime-min", f"{runtime_min} min", "s"),
            inverter_efficiency=efficiency,
            dc_window=(dc_min, dc_max),
            temperature=kelvin_option(temperature_c),
        )
        if cell is None:
            if chemistry not in (None, "vrla"):
                raise usage_error(
                    f"--chemistry {chemistry!r}: only vrla (a published block); a "
                    "natrium cell is given with --cell, its chemistry from its "
                    "materials"
                )
            system = size_vrla(duty)
        else:
            if chemistry is not None:
                raise usage_error(
                    "--chemistry with --cell: the cell's chemistry comes from its "
                    "materials; give --chemistry vrla alone for a VRLA battery"
                )
            design = read_design(cell)
            chain = Chain(design, parameter_set_option(set_name, design))
            system = chain.ups(duty, state_of_health=soh).value
        payload = system.to_dict()
        table = None
        if compare:
            table = comparison(duty, state_of_health=soh)
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
                (
                    "Current per cell (rated)",
                    f"{system.cell_current:.1f} A ("
                    + (
                        "not rated"
                        if system.cell_rated_current is None
                        else f"{system.cell_rated_current:.1f} A"
                    )
                    + ")"
                    if system.cell_current is not None
                    else "-",
                ),
                ("Governing limit", system.governing_limit),
                ("Factors", ", ".join(f"{k} {v:g}" for k, v in system.factors.items())),
                ("Nameplate energy", f"{system.nameplate_energy / KWH:,.0f} kWh"),
                ("Mass", f"{system.mass / TONNE:,.2f} t"),
                ("Volume", f"{system.volume:,.2f} m3"),
                (
                    "Cabinets / floor",
                    f"{system.cabinets} / {system.floor_area:.1f} m2",
                ),
                ("Capital", f"{system.capex_usd:,.0f} USD"),
                (
                    "Replacements / TCO",
                    f"{system.replacements} / {system.tco_usd:,.0f} USD",
                ),
            ):
                t.add_row(label, value)
            OUT.print(t)
            for note in system.notes:
                OUT.print(f"note: {escape(note)}")
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
                OUT.print(c)

        return payload, show

    run_command(as_json, work)


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
        load_materials(extra)
        design = read_design(cell)
        chain = Chain(design, parameter_set_option(set_name, design))
        table = chain.telecom(
            load_w, to_si("--hours", f"{hours} h", "s"), state_of_health=soh
        ).value
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
            for col in (
                "degC",
                "series",
                "strings",
                "cells",
                "V/cell end",
                "W/cell",
                "A/cell (rated)",
                "limit",
                "kg",
                "kWh",
            ):
                t.add_column(col, justify="right")
            for temp, r in table.iterrows():
                rated = r["cell_rated_current_A"]
                t.add_row(
                    f"{temp:g}",
                    f"{r['cells_in_series']:.0f}",
                    f"{r['strings']:.0f}",
                    f"{r['total_cells']:.0f}",
                    f"{r['end_voltage_per_cell_V']:.3f}",
                    f"{r['cell_power_W']:.1f}",
                    f"{r['cell_current_A']:.2f} ("
                    + ("-" if rated is None or rated != rated else f"{rated:.2f}")
                    + ")",
                    str(r["governing_limit"]),
                    f"{r['mass_kg']:.0f}",
                    f"{r['nameplate_kWh']:.1f}",
                )
            OUT.print(t)

        return payload, show

    run_command(as_json, work)


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

        load_materials(extra)
        quiet_pybamm()
        cells = None
        if cell:
            chains = [Chain(read_design(path)) for path in cell]
            cells = [(c.design, c.simulation_set) for c in chains]
        kelvin = kelvin_option(temperature_c)
        assert kelvin is not None
        table = grid_table(cells, temperature=kelvin)
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
            OUT.print(t)

        return payload, show

    run_command(as_json, work)


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
        load_materials(extra)
        design = read_design(cell)
        chain = Chain(design, parameter_set_option(set_name, design))
        cold = kelvin_option(cold_c, "--cold-c")
        assert cold is not None
        payload = chain.ev(
            to_si("--range-km", f"{range_km} km", "m"), cold=cold
        ).to_dict()

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
            OUT.print(t)

        return payload, show

    run_command(as_json, work)


@app.command()
def version(as_json: JsonOption = False) -> None:
    """Print natrium's version."""
    run_command(
        as_json,
        lambda: ({"natrium_version": __version__}, lambda: OUT.print(__version__)),
    )


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
    OUT.print(t)
    bom = Table(title="Bill of materials")
    for col in ("component", "material", "g", "mL", "% mass", "kg/kWh"):
        bom.add_column(
            col, justify="left" if col in ("component", "material") else "right"
        )
    for name, r in report.bom.iterrows():
        share = r["mass_kg"] / report.energy * KWH
        bom.add_row(
            str(name),
            str(r["material"]),
            f"{r['mass_kg'] * 1e3:.2f}",
            f"{r['volume_L'] * 1e3:.2f}",
            f"{r['mass_fraction'] * 100:.1f}",
            f"{share:.3f}",
        )
    OUT.print(bom)


def _show_tonnage(result: TonnageResult) -> None:
    d = result.to_dict()
    tonnes = d["cathode_tonnes_per_year"]
    OUT.print(
        f"[bold]{tonnes:,.0f} t/yr of {result.cathode}[/] in '{result.design_name}':"
        if tonnes == d["cathode_tonnes_per_year_low"]
        else f"[bold]{tonnes:,.0f} t/yr of {result.cathode}[/] "
        f"({d['cathode_tonnes_per_year_low']:,.0f} - "
        f"{d['cathode_tonnes_per_year_high']:,.0f}) for "
        f"{d['gwh_per_year']:.3f} GWh/yr of '{result.design_name}':"
    )
    OUT.print(
        f"  ideal     {d['gwh_per_year_ideal']:.3f} GWh/yr "
        "(theoretical capacity x average potential vs the metal, no losses)"
    )
    OUT.print(
        f"  central   {d['gwh_per_year']:.3f} GWh/yr (the design's cell and the "
        "manufacturing model's yields)"
    )
    OUT.print(
        f"  range     {d['gwh_per_year_low']:.3f} - {d['gwh_per_year_high']:.3f} GWh/yr"
    )
    t = Table(title="Assumptions")
    for col in ("assumption", "low case", "high case", "unit", "source"):
        t.add_column(col, justify="right" if "case" in col else "left")
    for a in result.assumptions:
        t.add_row(a.name, f"{a.low:.4g}", f"{a.high:.4g}", a.unit, escape(a.source))
    OUT.print(t)


def main() -> None:
    """The ``natrium`` command. A usage error (an unknown option, a value that
    is not a number) is one line and exit status 2; with ``--json`` it is also
    one JSON object on stdout, like every other error."""
    try:
        # Without standalone mode click returns a command's exit status.
        status = app(standalone_mode=False)
        sys.exit(status if isinstance(status, int) else 0)
    except typer.Exit as done:
        sys.exit(done.exit_code)
    except typer.Abort:
        sys.exit(130)
    except typer.TyperException as err:  # click's usage and parameter errors
        message = err.format_message()
        if "--json" in sys.argv[1:]:
            sys.stdout.write(json.dumps({"error": message}) + "\n")
        err.show()  # type: ignore[attr-defined]
        sys.exit(getattr(err, "exit_code", 2))
