"""``natrium serve``: a local web app on the public API.

A JSON API (FastAPI, described at ``/openapi.json``) and one page at ``/``
that uses it. Every figure is a call of :class:`natrium.Chain` or the public
API, as on the command line; bad input is a 422 naming the field, the value,
the valid range and the unit. Long work (a DFN simulation, tables, UPS
sizing) runs in a background thread and is polled at ``/api/jobs/{id}``, so
the page never waits on it. Nothing outside the results store and the
output folder can be read or written: designs come as JSON or by a shipped
example's name, never as a path, and files are served from the output folder
only.
"""

from __future__ import annotations

import json
import math
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import asynccontextmanager
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from natrium import Chain, __version__
from natrium.exceptions import NatriumError

_PAGE = Path(__file__).with_name("page.html")
#: Background jobs kept for polling (finished ones are dropped beyond this),
#: and how many may wait or run at once (more is a 429).
MAX_JOBS = 200
MAX_PENDING = 8

#: A number (true and false are not numbers) or a quantity with its unit.
Number = Annotated[float, Field(strict=True)] | str
Price = Annotated[float, Field(strict=True, gt=0, le=1e6, allow_inf_nan=False)]


class DesignRequest(BaseModel):
    """A design: a shipped example by name, or a whole design-file table, and
    changes to its flattened parameters (``{"cathode.porosity": 0.3}``)."""

    model_config = ConfigDict(extra="forbid")

    example: str | None = Field(
        None,
        description="A shipped example design, e.g. pw_hc_pouch.",
        examples=["pw_hc_pouch", "nfm_hc_18650", "lfp_graphite_prismatic"],
    )
    design: dict[str, Any] | None = Field(
        None, description="A design-file table as JSON (the TOML schema)."
    )
    changes: dict[str, Number] = Field(
        default_factory=dict,
        examples=[{"cathode.porosity": 0.3, "cathode.areal_capacity": "3 mAh/cm^2"}],
        description="Flattened parameters to change, SI numbers or unit "
        "strings: cathode.porosity, cathode.areal_capacity ('3 mAh/cm^2') ...",
    )


class SimulateRequest(DesignRequest):
    experiment: list[str] | None = Field(
        None, description="PyBaMM experiment steps; default a 1C discharge."
    )
    model: Literal["SPM", "SPMe", "DFN"] = "DFN"


class TableRequest(DesignRequest):
    model: Literal["SPM", "SPMe", "DFN"] = "DFN"


class CostRequest(DesignRequest):
    output_gwh: Number | None = Field(
        None, description="Plant output [GWh/yr]; default the model's plant size."
    )
    prices: dict[str, Price] = Field(
        default_factory=dict,
        description="Bill-of-materials row -> price [USD/kg], e.g. "
        '{"cathode active": 4.0}.',
    )


class CathodePlantRequest(DesignRequest):
    tonnes: Number | None = Field(None, description="Cathode a year [t/yr].")
    gwh: Number | None = Field(None, description="Cells a year [GWh/yr].")


class CellPlantRequest(DesignRequest):
    gwh: Number | None = Field(None, description="Cells a year [GWh/yr].")
    mw: Number | None = Field(None, description="Power of cells a year [MW/yr].")


class UpsRequest(DesignRequest):
    load_kw: Number = Field(description="UPS output load [kW].")
    runtime_min: Number = Field(description="Runtime at that load [min].")
    compare: bool = Field(True, description="Also size LFP and VRLA for the duty.")


# ------------------------------------------------------------------ helpers


class InputError(NatriumError, ValueError):
    """Input the API refuses before any model runs."""


def _field(where: str, err: Exception) -> str:
    return f"{where}: {err}" if where else str(err)


def _design(request: DesignRequest) -> Any:
    """The request's design, checked (a NatriumError names what is wrong)."""
    from natrium.cell.parameters import spec_for
    from natrium.io import design_from_dict, example_paths, load_example
    from natrium.sim.sweep import variant_design
    from natrium.units import to_si

    if (request.example is None) == (request.design is None):
        raise InputError("give example (a shipped design's name) or design, not both")
    if request.example is not None:
        if request.example not in example_paths():
            raise InputError(
                f"example = {request.example!r} is not a shipped design; valid: "
                f"{', '.join(example_paths())}"
            )
        design = load_example(request.example)
    else:
        given = dict(request.design or {})
        if "materials" in given:
            raise InputError(
                "design.materials: material files cannot be loaded through the "
                "web API (nothing outside the store and the output folder is read)"
            )
        try:
            design = design_from_dict(given)
        except NatriumError:
            raise
        except (TypeError, ValueError, AttributeError, KeyError) as err:
            raise InputError(f"design is not a design-file table ({err})") from err
    if not request.changes:
        return design
    values = {}
    for name, value in request.changes.items():
        try:
            spec = spec_for(name)
        except KeyError:
            raise InputError(
                f"changes.{name}: not a design parameter (cathode.*, anode.*, cell.*)"
            ) from None
        shown = spec.display_unit or ""
        number = (
            to_si(name, value, spec.si_unit, default_unit=shown)
            if isinstance(value, str)
            else float(value)
        )
        values[name] = number
    return variant_design(design, values)


def _quantity(name: str, value: Number | None, unit: str, default: str) -> float | None:
    from natrium.units import to_si

    if value is None:
        return None
    number = to_si(
        name,
        value if isinstance(value, str) else str(value),
        unit,
        default_unit=default,
    )
    if not (number > 0 and math.isfinite(number)):
        raise InputError(f"{name} = {value!r} is outside (0, inf) [{default}]")
    return number


def _plain(payload: Any) -> Any:
    """Strict JSON: NaN and infinities as null."""
    from natrium.study.store import to_json

    return json.loads(to_json(payload))


# --------------------------------------------------------------------- jobs


class Jobs:
    """Background work in threads, polled by id: a DFN never blocks a request."""

    def __init__(self, workers: int = 2) -> None:
        self._workers = workers
        self._pool: ThreadPoolExecutor | None = None
        self._jobs: dict[str, tuple[str, Future[Any], float]] = {}
        self._lock = threading.Lock()

    def submit(self, kind: str, work: Callable[[], Any]) -> str:
        key = uuid.uuid4().hex[:12]
        with self._lock:
            pending = sum(not f.done() for _, f, _ in self._jobs.values())
            if pending >= MAX_PENDING:
                raise HTTPException(
                    429,
                    f"{pending} simulations are already waiting or running (at most "
                    f"{MAX_PENDING}); poll /api/jobs and try again when one is done",
                )
            if self._pool is None:  # started on first use, again after a shutdown
                self._pool = ThreadPoolExecutor(
                    max_workers=self._workers, thread_name_prefix="job"
                )
            # forget the oldest finished jobs, never a running one
            finished = [k for k, (_, f, _) in self._jobs.items() if f.done()]
            for old in finished[: max(0, len(self._jobs) - MAX_JOBS + 1)]:
                self._jobs.pop(old)
            self._jobs[key] = (kind, self._pool.submit(work), time.monotonic())
        return key

    def status(self, key: str) -> dict[str, Any]:
        with self._lock:
            entry = self._jobs.get(key)
        if entry is None:
            raise HTTPException(404, f"no job {key!r}")
        kind, future, started = entry
        elapsed = round(time.monotonic() - started, 1)
        if not future.done():
            return {"job": key, "kind": kind, "state": "running", "elapsed_s": elapsed}
        error = future.exception()
        if error is not None:
            message = (
                str(error)
                if isinstance(error, NatriumError)
                else (f"the {kind} failed: {type(error).__name__}: {error}")
            )
            return {"job": key, "kind": kind, "state": "failed", "error": message}
        return {"job": key, "kind": kind, "state": "done", "result": future.result()}

    def shutdown(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)


# ---------------------------------------------------------------------- app


def create_app(store: Path | None = None, output: Path | None = None) -> FastAPI:
    """The app: ``store`` is a results store (read-only here), ``output`` the
    only folder files are served from (and reports written to)."""
    jobs = Jobs()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        jobs.shutdown()

    app = FastAPI(
        title="natrium",
        version=__version__,
        description="Sodium-ion battery engineering on natrium's public API.",
        lifespan=lifespan,
    )
    output_folder = output.resolve() if output is not None else None

    @app.exception_handler(NatriumError)
    async def _natrium_error(request: Request, err: NatriumError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": str(err)})

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def page() -> HTMLResponse:
        return HTMLResponse(_PAGE.read_text(encoding="utf-8"))

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly_js() -> Response:
        return Response(_plotly(), media_type="application/javascript")

    # ------------------------------------------------------------ designs
    @app.get("/api/examples")
    def examples() -> dict[str, Any]:
        """The shipped example designs, each as its design-file table."""
        from natrium.io import example_paths, load_example
        from natrium.io.design_file import design_to_dict
        from natrium.units import convert

        out = []
        for name in example_paths():
            design = load_example(name)
            loading = design.cathode.areal_capacity
            out.append(
                {
                    "name": name,
                    "design": _plain(design_to_dict(design)),
                    # the page's fields in the units they show
                    "cathode_porosity": design.cathode.porosity,
                    "anode_porosity": design.anode.porosity,
                    "cathode_areal_capacity_mAh_per_cm2": None
                    if loading is None
                    else convert(loading, "C/m^2", "mAh/cm^2"),
                }
            )
        return {"examples": out}

    @app.post("/api/datasheet")
    def datasheet(request: DesignRequest) -> dict[str, Any]:
        """Datasheet figures and bill of materials (natrium.cell.evaluate)."""
        return _datasheet(_key(request))

    @app.post("/api/cost")
    def cost(request: CostRequest) -> dict[str, Any]:
        """Cell cost per kWh and its breakdown, with price overrides."""
        design = _design(request)
        output_j = _quantity("output_gwh", request.output_gwh, "J", "GWh")
        chain = Chain(design, prices=request.prices or None)
        return _plain(chain.cost(output_j).to_dict())

    # ----------------------------------------------------------- background
    @app.post("/api/simulate", status_code=202)
    def simulate(request: SimulateRequest) -> dict[str, Any]:
        """Start a PyBaMM simulation; poll /api/jobs/{job}."""
        design = _design(request)
        chain = Chain(design, model=request.model)
        chain.simulation_set  # noqa: B018  the set is resolved (and refused) now

        def work() -> Any:
            from natrium.study.runner import curve

            result = chain.simulate(request.experiment)
            return _plain({**result.to_dict(), "curve": curve(result.value.data)})

        return {"job": jobs.submit("simulation", work)}

    def table_job(kind: str, request: TableRequest, step: str) -> dict[str, Any]:
        chain = Chain(_design(request), model=request.model)
        chain.simulation_set  # noqa: B018  the set is resolved (and refused) now
        return {
            "job": jobs.submit(kind, lambda: _plain(getattr(chain, step)().to_dict()))
        }

    @app.post("/api/rate", status_code=202)
    def rate(request: TableRequest) -> dict[str, Any]:
        """Start a rate table (capacity against C-rate); poll /api/jobs/{job}."""
        return table_job("rate table", request, "rate_table")

    @app.post("/api/power", status_code=202)
    def power(request: TableRequest) -> dict[str, Any]:
        """Start a constant-power table (W per cell against runtime)."""
        return table_job("power table", request, "constant_power_table")

    @app.post("/api/ups", status_code=202)
    def ups(request: UpsRequest) -> dict[str, Any]:
        """Start a UPS sizing of the design, with LFP and VRLA beside it."""
        from natrium.apps.ups import Duty, comparison

        load = _quantity("load_kw", request.load_kw, "W", "kW")
        runtime = _quantity("runtime_min", request.runtime_min, "s", "min")
        if load is None or runtime is None:  # pydantic requires both
            raise InputError("give load_kw and runtime_min")
        duty = Duty.default(load=load, runtime=runtime)
        chain = Chain(_design(request))
        chain.simulation_set  # noqa: B018

        def work() -> Any:
            out = chain.ups(duty).to_dict()
            if request.compare:
                table = comparison(duty)
                out["comparison"] = table.reset_index().to_dict(orient="records")
            return _plain(out)

        return {"job": jobs.submit("UPS sizing", work)}

    @app.get("/api/jobs/{job}")
    def job(job: str) -> dict[str, Any]:
        """A background job: running, done (with its result) or failed."""
        return jobs.status(job)

    # -------------------------------------------------------------- plants
    @app.post("/api/plant/cathode")
    def cathode_plant(request: CathodePlantRequest) -> dict[str, Any]:
        """Tonnes of cathode a year <-> GWh of cells a year."""
        if (request.tonnes is None) == (request.gwh is None):
            raise InputError("give tonnes or gwh, one of them")
        chain = Chain(_design(request))
        if request.tonnes is not None:
            mass = _quantity("tonnes", request.tonnes, "kg", "t")
            return _plain(chain.energy_from_cathode(mass).to_dict())
        energy = _quantity("gwh", request.gwh, "J", "GWh")
        return _plain(chain.cathode_for_energy(energy).to_dict())

    @app.post("/api/plant/cells")
    def cell_plant(request: CellPlantRequest) -> dict[str, Any]:
        """A cell plant by GWh a year, or a power plant's MW a year as MWh at
        the critical-power runtimes."""
        if (request.gwh is None) == (request.mw is None):
            raise InputError("give gwh or mw, one of them")
        chain = Chain(_design(request))
        if request.gwh is not None:
            energy = _quantity("gwh", request.gwh, "J", "GWh")
            assert energy is not None
            return _plain(chain.cell_plant(energy).to_dict())
        power = _quantity("mw", request.mw, "W", "MW")
        assert power is not None
        return _plain(chain.runtime_table(power).to_dict())

    # ------------------------------------------------------------- studies
    @app.get("/api/studies")
    def studies() -> dict[str, Any]:
        """The studies in the results store (read-only)."""
        with _open(store) as results:
            frame = results.studies()
        frame["last_written"] = frame["last_written"].astype(str)
        return {"studies": _plain(frame.to_dict(orient="records"))}

    @app.get("/api/studies/{study}/results")
    def study_results(study: str, step: str | None = None) -> dict[str, Any]:
        """A stored study's results of one step (or all), plain fields only."""
        with _open(store) as results:
            frame = results.results(study=study, step=step)
            if frame.empty:
                raise HTTPException(404, f"no stored results of study {study!r}")
            rows = [
                {
                    "design_id": r.design_id,
                    "step": r.step,
                    "inputs": json.loads(r.inputs),
                    "outputs": json.loads(r.outputs),
                    "citations": list(r.citations),
                }
                for r in frame.itertuples()
            ]
        return {"study": study, "results": rows}

    @app.get("/api/output/{name:path}")
    def output_file(name: str) -> FileResponse:
        """A file of the output folder (reports), never outside it."""
        if output_folder is None:
            raise HTTPException(404, "natrium serve was started without --output")
        target = (output_folder / name).resolve()
        if not target.is_relative_to(output_folder) or not target.is_file():
            raise HTTPException(404, f"no file {name!r} in the output folder")
        return FileResponse(target)

    return app


# ------------------------------------------------------------- cached work


def _key(request: DesignRequest) -> str:
    """The request as canonical JSON: the key of the datasheet cache."""
    return json.dumps(request.model_dump(), sort_keys=True, default=repr)


@lru_cache(maxsize=4096)
def _datasheet(key: str) -> dict[str, Any]:
    # a design is immutable input: the same JSON gives the same datasheet
    request = DesignRequest.model_validate(json.loads(key))
    return _plain(Chain(_design(request)).datasheet().to_dict())


@lru_cache(maxsize=1)
def _plotly() -> str:
    import plotly.offline

    return plotly.offline.get_plotlyjs()


class _NoStore:
    def __enter__(self) -> Any:
        raise HTTPException(404, "natrium serve was started without --store")

    def __exit__(self, *exc: object) -> None:
        return None


def _open(store: Path | None) -> Any:
    from natrium.study import Store

    if store is None:
        return _NoStore()
    return Store(store, read_only=True)
