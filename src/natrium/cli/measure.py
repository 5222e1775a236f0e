"""``natrium validate`` and ``natrium calibrate``: models against measurement."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from natrium.cli import render
from natrium.cli.common import (
    ERR,
    PLOT_FORMATS,
    JsonOption,
    MaterialsOption,
    ModelOption,
    SetOption,
    app,
    check_model,
    load_materials,
    output_file,
    output_folder,
    parameter_set_option,
    quantity,
    run_command,
    usage_error,
)
from natrium.io import read_design
from natrium.units import to_si

DataOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--data",
        help="Measured discharge, repeatable: a two-column CSV (capacity, "
        "voltage), a cycler export with a header, or a BioLogic .mpr.",
    ),
]
RateOption = Annotated[
    list[str] | None,
    typer.Option(
        "--c-rate",
        help="C-rate of each --data file, in the same order, e.g. 0.5 or "
        "'0.5 1/h' [1/h].",
    ),
]
MeasuredOption = Annotated[
    str | None,
    typer.Option(
        "--measured",
        help="A built-in measured set (e.g. chayambuka2022) or a folder with a "
        "curves.toml, instead of --data; --role picks its curves.",
    ),
]
RoleOption = Annotated[
    list[str] | None,
    typer.Option(
        "--role", help="With --measured: the roles to use (calibration, validation)."
    ),
]
UnitOption = Annotated[
    str, typer.Option("--capacity-unit", help="Capacity unit of headerless CSVs.")
]
NominalOption = Annotated[
    str | None,
    typer.Option(
        "--nominal-capacity",
        help="The capacity that defines 1C, e.g. '3 mAh'; default the measured "
        "set's, else the design's.",
    ),
]
PlotOption = Annotated[
    Path | None,
    typer.Option(
        "--plot", help="Save measured and simulated curves (.png, .svg, .pdf)."
    ),
]


def _curves(
    data: list[Path] | None,
    c_rates: list[float],
    measured: str | None,
    roles: list[str] | None,
    unit: str,
    nominal: str | None,
) -> tuple[tuple[Any, ...], float | None]:
    """The curves asked for, and the capacity that defines their 1C [A h]."""
    from natrium.sim.measured import read_curves, read_measured_set

    capacity = None if nominal is None else to_si("--nominal-capacity", nominal, "A*h")
    if measured is not None:
        if data:
            raise usage_error("give either --measured or --data, not both")
        mset = read_measured_set(measured)
        wanted = roles or ["calibration", "validation"]
        curves = tuple(c for r in wanted for c in mset.having(r))
        if not curves:
            raise usage_error(
                f"--role {', '.join(wanted)}: no such curves in {mset.name}; "
                f"valid: {', '.join(sorted(set(mset.roles)))}"
            )
        return curves, capacity or mset.nominal_capacity_Ah
    return read_curves(data or [], c_rates, capacity_unit=unit), capacity


def _rates(texts: list[str] | None) -> list[float]:
    """The --c-rate options [1/h], checked as typed before PyBaMM is imported."""
    return [quantity("--c-rate", text, "1/h", "1/h") or 0.0 for text in texts or []]


def _cell_and_set(file: Path | None, set_name: str | None) -> tuple[Any, Any]:
    """The design (given, or the one the set ships with) and the set."""
    if file is not None:
        cell = read_design(file)
        return cell, parameter_set_option(set_name, cell)
    if set_name is None:
        raise usage_error("give a design file, or a --set that ships with its cell")
    pset = parameter_set_option(set_name, None)
    if pset.design_file is None:
        raise usage_error(f"--set {set_name} ships no cell design; give a design file")
    return read_design(pset.design_file), pset


@app.command()
def validate(
    file: Annotated[
        Path | None,
        typer.Argument(help="Design file (TOML); default the --set's own cell."),
    ] = None,
    data: DataOption = None,
    c_rate: RateOption = None,
    measured: MeasuredOption = None,
    role: RoleOption = None,
    capacity_unit: UnitOption = "mAh",
    nominal_capacity: NominalOption = None,
    model: ModelOption = "DFN",
    set_name: SetOption = None,
    baseline: Annotated[
        str | None,
        typer.Option(
            "--baseline",
            help="A second parameter set to run beside it (e.g. the published "
            "one a calibration started from).",
        ),
    ] = None,
    plot: PlotOption = None,
    as_json: JsonOption = False,
    extra: MaterialsOption = None,
) -> None:
    """Compare a parameter set's discharges with measured curves.

    Warns (on stderr, and in the JSON's ``warnings``) when a curve's measured
    capacity differs from the simulated one by more than 20 %: the data may
    belong to another cell, or the nominal capacity or unit may be wrong.
    """

    def work() -> tuple[dict[str, Any], Callable[[], None]]:
        from natrium.sim.validation import validate as run

        output_file("--plot", plot, PLOT_FORMATS)
        name = check_model(model)
        rates = _rates(c_rate)
        load_materials(extra)
        cell, pset = _cell_and_set(file, set_name)
        curves, nominal = _curves(
            data, rates, measured, role, capacity_unit, nominal_capacity
        )
        report = run(cell, pset, curves, nominal_capacity_Ah=nominal, model=name)
        others = []
        if baseline is not None:
            base = parameter_set_option(baseline, cell)
            others.append(
                run(cell, base, curves, nominal_capacity_Ah=nominal, model=name)
            )
        if plot is not None:
            report.plot(plot, others=others)
        payload = report.summary()
        if others:
            payload["baseline"] = others[0].summary()

        return payload, lambda: render.validation(name, [report, *others])

    run_command(as_json, work)


@app.command()
def calibrate(
    file: Annotated[
        Path | None,
        typer.Argument(help="Design file (TOML); default the --set's own cell."),
    ] = None,
    fit: Annotated[
        list[str] | None,
        typer.Option(
            "--fit",
            help="An adjustment to fit with its bounds, repeatable: "
            "name=lower:upper[:initial], e.g. negative_rate_scale=0.1:100.",
        ),
    ] = None,
    data: DataOption = None,
    c_rate: RateOption = None,
    measured: MeasuredOption = None,
    role: RoleOption = None,
    capacity_unit: UnitOption = "mAh",
    nominal_capacity: NominalOption = None,
    model: ModelOption = "DFN",
    set_name: SetOption = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Write the fitted parameter set to this folder."),
    ] = None,
    plot: PlotOption = None,
    as_json: JsonOption = False,
    extra: MaterialsOption = None,
) -> None:
    """Fit adjustments of a parameter set to measured curves (SciPy least squares).

    Exit code 0: the fit succeeded. Exit code 2: bad input, or the fit did not
    succeed: the optimiser did not converge, the fit ended worse than it
    started, or a fitted parameter ended on (within 0.1 % of) a bound. A
    failed fit still prints its values (in the JSON: "converged": false and
    its "reason") and still writes --out, marked "failed fit" in the set's
    name and notes. 95 % intervals are clipped to the bounds (marked *).
    """
    failed: list[str] = []

    def work() -> tuple[dict[str, Any], Callable[[], None]]:
        from natrium.sim.calibration import calibrate as run
        from natrium.sim.calibration import parse_fit

        output_folder("--out", out)
        output_file("--plot", plot, PLOT_FORMATS)
        name = check_model(model)
        rates = _rates(c_rate)
        load_materials(extra)
        cell, pset = _cell_and_set(file, set_name)
        if not fit:
            raise usage_error("name at least one --fit name=lower:upper")
        parameters = [parse_fit(spec) for spec in fit]
        curves, nominal = _curves(
            data,
            rates,
            measured,
            role or ["calibration"],
            capacity_unit,
            nominal_capacity,
        )
        result = run(
            cell, pset, curves, parameters, nominal_capacity_Ah=nominal, model=name
        )
        payload = result.summary()
        if out is not None:
            payload["set_file"] = str(result.write_set(out))
        if plot is not None:
            result.report.plot(plot)
        if not result.success:
            failed.append(result.reason)

        return payload, lambda: render.fit(payload, result.success, result.fitted_on)

    run_command(as_json, work)
    if failed:
        ERR.print(
            f"[bold red]error:[/] the fit did not succeed: {escape(failed[0])} "
            "(its values are reported, marked as a failed fit)",
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(code=2)
