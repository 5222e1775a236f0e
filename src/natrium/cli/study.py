"""Studies on the command line: run, sweep, and the main job (demo)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from natrium.cli import render
from natrium.cli.common import (
    JsonOption,
    app,
    output_folder,
    progress,
    quiet_pybamm,
    run_command,
    usage_error,
)

StudyFile = Annotated[
    Path,
    typer.Argument(help="Study file (TOML): designs, sets, prices and steps."),
]
OutFolder = Annotated[
    Path,
    typer.Option(
        "--out",
        help="Folder for the results store (results.duckdb) and the report "
        "(report.html); created if missing, its parent must exist.",
    ),
]


def _run(
    study_path: Path, out: Path, as_json: bool
) -> tuple[dict[str, Any], Callable[[], None]]:
    from natrium.report import write_report
    from natrium.study import Store, read_study, run_study

    folder = output_folder("--out", out)
    assert folder is not None
    study = read_study(study_path)  # every key checked before anything runs
    quiet_pybamm()
    folder.mkdir(exist_ok=True)
    store_path = folder / "results.duckdb"
    report_path = folder / "report.html"
    total = sum(len(s.designs) for s in study.steps)
    with Store(store_path) as store, progress(as_json, study.title, total) as step:
        summary = run_study(study, store, progress=step)
        write_report(store, study, report_path)
        highlights = _highlights(store, study)
    payload = {
        **summary.to_dict(),
        "store": str(store_path),
        "report": str(report_path),
        "highlights": highlights,
    }
    return payload, lambda: render.study_run(study.title, payload)


def _highlights(store: Any, study: Any) -> list[dict[str, Any]]:
    """One line per stored result a reader looks for first."""
    from natrium.study import study_highlights

    return study_highlights(store, study)


@app.command("run")
def run(
    study: StudyFile,
    out: OutFolder = Path("natrium-results"),
    as_json: JsonOption = False,
) -> None:
    """Run a study file into a results store and an HTML report."""
    run_command(as_json, lambda: _run(study, out, as_json))


@app.command()
def demo(out: OutFolder = Path("natrium-results"), as_json: JsonOption = False) -> None:
    """The main job: the seed study, from cathode tonnes to a 2 MW UPS."""
    from natrium.study import shipped_study

    run_command(as_json, lambda: _run(shipped_study("seed"), out, as_json))


@app.command()
def sweep(
    study: StudyFile,
    store: Annotated[
        Path, typer.Option("--store", help="Results store (.duckdb), created if new.")
    ],
    workers: Annotated[
        int, typer.Option(help="Local worker processes (1: in this process).")
    ] = 1,
    scheduler: Annotated[
        str | None,
        typer.Option(
            help="Address of a running dask.distributed scheduler, e.g. "
            "tcp://127.0.0.1:8786; its workers compute instead of local ones."
        ),
    ] = None,
    pareto: Annotated[
        list[str] | None,
        typer.Option(
            help="An objective of the Pareto front, OUTPUT:max or OUTPUT:min, "
            "repeatable (two or three), e.g. specific_energy_Wh_per_kg:max."
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Sweep a study's [sweep] over a grid or a Latin hypercube into a store."""

    def work() -> tuple[dict[str, Any], Callable[[], None]]:
        from natrium.study import (
            Store,
            pareto_front,
            read_study,
            run_sweep,
            sweep_table,
        )

        if not 1 <= workers <= 256:
            raise usage_error(f"--workers = {workers}: valid 1 to 256 processes")
        if scheduler is not None and workers != 1:
            raise usage_error(
                "--workers with --scheduler: the cluster's workers compute"
            )
        objectives = _objectives(pareto or [])
        spec = read_study(study)
        if spec.sweep is None:
            raise usage_error(f"{study}: the study has no [sweep] table")
        quiet_pybamm()
        with Store(store) as results:
            with progress(as_json, "sweeping") as step:
                summary = run_sweep(
                    spec, results, workers=workers, scheduler=scheduler, progress=step
                )
            table = sweep_table(results, spec)
        payload: dict[str, Any] = {
            "study": spec.name,
            "variants": summary.variants,
            "computed": summary.computed,
            "already_stored": summary.stored_before,
            "store": str(store),
        }
        front = None
        if objectives:
            front = pareto_front(table, objectives)
            payload["pareto"] = {
                "objectives": objectives,
                "designs": front.reset_index().to_dict(orient="records"),
            }
        return payload, lambda: render.sweep_run(payload, front)

    run_command(as_json, work, {"objective": "--pareto"})


def _objectives(given: list[str]) -> dict[str, str]:
    out = {}
    for text in given:
        name, _, sense = text.rpartition(":")
        if not name or sense not in ("max", "min"):
            raise usage_error(
                f"--pareto {text!r}: give OUTPUT:max or OUTPUT:min, e.g. "
                "usd_per_kWh:min"
            )
        out[name] = sense
    if out and not 2 <= len(out) <= 3:
        raise usage_error(f"--pareto: give two or three objectives, not {len(out)}")
    return out
