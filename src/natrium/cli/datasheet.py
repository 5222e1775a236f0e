"""``natrium validate-datasheet``: published cell figures beside natrium's."""

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
    parameter_set_option,
    run_command,
)
from natrium.io import example_paths, read_design

ClaimOption = Annotated[
    list[str] | None,
    typer.Option(
        "--claim",
        help="A claim id of sim/data/datasheet_claims.toml, repeatable; default "
        "the claims of the design's class.",
    ),
]


@app.command("validate-datasheet")
def validate_datasheet(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Design files (TOML); default every shipped sodium-ion example "
            "with published claims."
        ),
    ] = None,
    claim: ClaimOption = None,
    model: ModelOption = "DFN",
    set_name: SetOption = None,
    as_json: JsonOption = False,
    extra: MaterialsOption = None,
) -> None:
    """Datasheet statements of each cell's class (rate capability, cold
    retention, fast charge, energy efficiency), with their sources, beside the
    figure natrium simulates."""
    from natrium import Chain
    from natrium.sim.datasheet import claims

    def work() -> tuple[dict[str, Any], Callable[[], None]]:
        name = check_model(model)
        load_materials(extra)
        paths = list(files or ())
        if not paths:
            shipped = example_paths()
            names = dict.fromkeys(e for c in claims() for e in c.examples)
            paths = [shipped[name] for name in names]
        rows: list[dict[str, Any]] = []
        cited: dict[str, None] = {}
        for path in paths:
            cell = read_design(path)
            chain = Chain(cell, parameter_set_option(set_name, cell), model=name)
            result = chain.datasheet_claims(claim)
            for row in result.value.to_dict(orient="records"):
                rows.append(
                    {"design": str(path), **{str(k): v for k, v in row.items()}}
                )
            cited.update(dict.fromkeys(result.citations))
        payload = {
            "model": name,
            "table": rows,
            "met": sum(bool(r["meets"]) for r in rows),
            "claims": len(rows),
            "citations": list(cited),
        }

        return payload, lambda: render.published_figures(name, payload)

    run_command(as_json, work)
