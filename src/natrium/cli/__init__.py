"""The ``natrium`` command: a face on the public API, holding no model logic.

One module per group of commands (study, cells, cost, plant, apps,
datasheet, measure, bpx), every table in :mod:`natrium.cli.render`, and the shared
contract in :mod:`natrium.cli.common`: every command takes ``--json`` and then
prints one strict JSON object on stdout and nothing else there; bad input
exits with status 2 and one line that names the option as typed, the valid
range and the unit; never a traceback.
"""

from __future__ import annotations

import importlib
import json
import sys
from typing import Annotated

import typer

from natrium import __version__
from natrium.cli.common import OUT, JsonOption, app, run_command

# Each module registers its commands; --help lists them in this order, the
# order of the chain (cells, cost, plants, applications, checks, exchange).
for _group in (
    "study",
    "cells",
    "cost",
    "plant",
    "apps",
    "datasheet",
    "measure",
    "bpx",
    "serve",
):
    importlib.import_module(f"natrium.cli.{_group}")


def _print_version(value: bool) -> None:
    if value:
        OUT.print(__version__)
        raise typer.Exit()


@app.callback()
def _natrium(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_print_version,
            is_eager=True,
            help="Print natrium's version and exit.",
        ),
    ] = False,
) -> None:
    """Sodium-ion battery engineering: materials, cells, plants and systems."""


@app.command("version")
def version_command(as_json: JsonOption = False) -> None:
    """Print natrium's version."""
    run_command(
        as_json,
        lambda: ({"natrium_version": __version__}, lambda: OUT.print(__version__)),
    )


def main(argv: list[str] | None = None) -> int:
    """The ``natrium`` command; returns its exit status. A usage error (an
    unknown option, a missing value) is one line and exit status 2; with
    ``--json`` it is also one JSON object on stdout, like every other error."""
    args = sys.argv[1:] if argv is None else list(argv)
    try:
        # Without standalone mode click returns a command's exit status.
        status = app(args=args, prog_name="natrium", standalone_mode=False)
        return status if isinstance(status, int) else 0
    except typer.Exit as done:
        return done.exit_code
    except typer.Abort:
        return 130
    except typer.TyperException as err:  # click's usage and parameter errors
        if "--json" in args:
            sys.stdout.write(json.dumps({"error": err.format_message()}) + "\n")
        err.show()  # type: ignore[attr-defined]
        return int(getattr(err, "exit_code", 2))


def entry() -> None:
    """The console script."""
    sys.exit(main())
