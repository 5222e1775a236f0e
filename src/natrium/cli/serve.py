"""``natrium serve``: the local web app."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from natrium.cli.common import (
    ERR,
    JsonOption,
    app,
    output_folder,
    run_command,
    usage_error,
)


@app.command()
def serve(
    port: Annotated[int, typer.Option(help="TCP port.")] = 8765,
    host: Annotated[
        str, typer.Option(help="Address to bind; 127.0.0.1 keeps it on this machine.")
    ] = "127.0.0.1",
    store: Annotated[
        Path | None,
        typer.Option(help="Results store (.duckdb) whose studies the app shows."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(help="The one folder the app serves files (reports) from."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Start the web app: a page at / and a JSON API described at /openapi.json."""

    def work() -> tuple[dict[str, object], object]:
        import uvicorn

        from natrium.web import create_app

        if not 1 <= port <= 65535:
            raise usage_error(f"--port = {port}: valid 1 to 65535")
        if store is not None and (store.suffix != ".duckdb" or not store.is_file()):
            raise usage_error(
                f"--store = {store}: not an existing .duckdb results store"
            )
        folder = output_folder("--output", output)
        if folder is not None and not folder.is_dir():
            raise usage_error(f"--output = {folder}: not an existing folder")
        ERR.print(f"natrium serving on http://{host}:{port}/ (Ctrl-C stops it)")
        uvicorn.run(
            create_app(store, folder), host=host, port=port, log_level="warning"
        )
        return {}, lambda: None

    run_command(as_json, work)  # type: ignore[arg-type]
