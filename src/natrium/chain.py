"""``natrium.Chain``: one cell design through every model natrium has.

Like pvlib's ``ModelChain`` or PyBaMM's ``Simulation``, a :class:`Chain` holds
the choices made once (the design, its simulation parameter set, model and
thermal option, the manufacturing assumptions and prices) and computes on demand
the datasheet, simulations and tables, the cell cost, the cathode and cell
plants, and the applications (UPS, telecom, grid, EV). Each step is callable
alone; each returns a :class:`Result` holding the model's own dataclass (SI
fields), the citations the step used, the natrium version and a hash of every
input that went into it. The command line (and any other face) calls only this
object and the public API, so every figure a face shows is one call away here::

    from natrium import Chain

    chain = Chain("examples/pw_hc_pouch.toml")
    chain.datasheet().energy                       # J
    plant = chain.cell_plant(3.6e12)               # 1 GWh a year, in J/yr
    plant.capex_usd, plant.opex_usd_per_year, plant.staff
    chain.print_citations()

The chain holds no data and no model logic of its own: it only composes the
layers below it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import pandas as pd

from natrium import citations
from natrium.cell import CellDesign, CellReport, evaluate
from natrium.cost import CellCost, CostAssumptions, cell_cost, read_assumptions
from natrium.cost.manufacturing import Manufacturing, manufacturing
from natrium.plant import (
    CathodePlant,
    CellPlant,
    TonnageResult,
    cathode_for_energy,
    cathode_plant,
    cell_plant,
    energy_from_cathode,
)
from natrium.plant.cathode_plant import named_cathode_plant

if TYPE_CHECKING:
    from natrium.apps.ev import EvPack
    from natrium.apps.ups import Duty, Tray, UpsSystem
    from natrium.sim import ParameterSet
    from natrium.sim.simulation import SimulationResult

T = TypeVar("T")


@dataclass(frozen=True)
class Provenance:
    """Where a result came from: the natrium version and a hash of its inputs."""

    natrium_version: str
    inputs_hash: str
    step: str


@dataclass(frozen=True)
class Result(Generic[T]):
    """A step's result: the model's own object, its citations and provenance.

    Attribute access falls through to :attr:`value`, so ``chain.cost().capex_usd``
    reads the :class:`~natrium.cost.CellCost` field. :meth:`to_dict` gives the
    model's battery-unit dictionary with ``citations``, ``natrium_version`` and
    ``inputs_hash`` beside it.
    """

    value: T
    citations: tuple[str, ...]
    provenance: Provenance

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.value, name)

    def to_dict(self) -> dict[str, Any]:
        value: Any = self.value
        if isinstance(value, pd.DataFrame):
            out: dict[str, Any] = {
                "table": value.reset_index().to_dict(orient="records")
            }
            out.update({str(k): v for k, v in value.attrs.items() if _plain(v)})
        else:
            out = dict(value.to_dict())
        out["citations"] = list(self.citations)
        out["natrium_version"] = self.provenance.natrium_version
        out["inputs_hash"] = self.provenance.inputs_hash
        return out

    def print_citations(self) -> None:
        """Print the references this result used, one a line."""
        for key in self.citations:
            print(citations.format_reference(key))


def _plain(value: Any) -> bool:
    return isinstance(value, str | int | float | bool) or value is None


@dataclass
class Chain:
    """One design (plus set, prices and plant) through natrium's models.

    Parameters
    ----------
    design : CellDesign, or path of a design file
        The cell.
    parameter_set : ParameterSet, name, folder or None
        The simulation set; default the built-in set made for the design's
        materials (:func:`natrium.sim.resolve`). Only simulating steps need it.
    model : str
        ``"SPM"``, ``"SPMe"`` or ``"DFN"`` for every simulating step.
    thermal : str
        ``"isothermal"`` or ``"lumped"`` for :meth:`simulate`.
    plant : Manufacturing, optional
        The manufacturing assumptions (yields, hours, plant energy, default
        plant size); default :func:`natrium.cost.manufacturing.manufacturing`.
    prices : CostAssumptions, path, preset name or mapping, optional
        A user's cost assumptions (:func:`natrium.cost.read_assumptions`: a
        TOML file such as ``my_prices.toml``, or a preset such as ``"china"``):
        material and factor prices, step yields and plant size; or a mapping of
        bill-of-materials row -> price [USD kg⁻¹]. Yields and plant size act
        on the manufacturing model, so tonnes, plants and cost agree.
    """

    design: CellDesign
    parameter_set: Any = None
    model: str = "DFN"
    thermal: str = "isothermal"
    plant: Manufacturing | None = None
    prices: CostAssumptions | str | Path | Mapping[str, Any] | None = None
    _used: dict[str, None] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        if isinstance(self.design, str | Path):
            from natrium.io import read_design

            self.design = read_design(self.design)
        if isinstance(self.prices, str | Path):
            self.prices = read_assumptions(self.prices)

    @property
    def assumptions(self) -> CostAssumptions | None:
        """The user's cost assumptions, if ``prices`` gave them."""
        return self.prices if isinstance(self.prices, CostAssumptions) else None

    @property
    def row_prices(self) -> Mapping[str, Any] | None:
        """Bill-of-materials row prices, if ``prices`` was such a mapping."""
        prices = self.prices
        return prices if isinstance(prices, Mapping) else None

    @classmethod
    def from_example(cls, name: str, **options: Any) -> Chain:
        """A chain on one of the shipped example designs (``pw_hc_pouch``...)."""
        from natrium.io import load_example

        return cls(load_example(name), **options)

    # ------------------------------------------------------------ plumbing
    @cached_property
    def manufacturing(self) -> Manufacturing:
        plant = self.plant or manufacturing()
        given = self.assumptions
        return plant if given is None else given.apply_to(plant)

    @cached_property
    def simulation_set(self) -> ParameterSet:
        """The resolved parameter set (refused if made for other materials)."""
        from natrium.sim import resolve

        return resolve(self.parameter_set, self.design)

    def _inputs(self, step: str, arguments: Mapping[str, Any]) -> str:
        set_name = (
            self.parameter_set.name
            if hasattr(self.parameter_set, "name")
            else self.parameter_set
        )
        payload = {
            "design": {"name": self.design.name, **design_inputs(self.design)},
            "parameter_set": None if set_name is None else str(set_name),
            "model": self.model,
            "thermal": self.thermal,
            "plant": repr(self.plant),
            "prices": repr(self.assumptions)
            if self.assumptions is not None
            else {k: repr(v) for k, v in sorted((self.row_prices or {}).items())},
            "step": step,
            "arguments": {k: repr(v) for k, v in sorted(arguments.items())},
        }
        text = json.dumps(payload, sort_keys=True, default=repr)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def _run(self, step: str, arguments: Mapping[str, Any], work: Any) -> Result[Any]:
        from natrium import __version__

        with citations.collect() as used:
            value = work()
        # sorted: cached data registers in a different order on a second call,
        # and the same inputs must give the same result
        keys = tuple(sorted({*used, *getattr(value, "citations", ())}))
        self._used.update(dict.fromkeys(keys))
        return Result(
            value, keys, Provenance(__version__, self._inputs(step, arguments), step)
        )

    # ----------------------------------------------------------------- cell
    def datasheet(self) -> Result[CellReport]:
        """Bill of materials and datasheet figures (:func:`natrium.cell.evaluate`)."""
        return self._run("datasheet", {}, lambda: evaluate(self.design))

    # ----------------------------------------------------------- simulation
    def simulate(
        self,
        experiment: str | Sequence[Any] | None = None,
        *,
        temperature: float | None = None,
        state_of_health: float = 1.0,
    ) -> Result[SimulationResult]:
        """An experiment on PyBaMM; default a 1C discharge to the set's cut-off.

        ``temperature`` [K], default the set's reference temperature.
        """
        from natrium.sim.simulation import simulate

        def work() -> SimulationResult:
            pset = self.simulation_set
            steps = experiment or (
                f"Discharge at 1C until {self.design.voltage_window[0]:g} V"
            )
            return simulate(
                self.design,
                pset,
                steps,
                model=self.model,
                thermal=self.thermal,
                temperature=temperature,
                state_of_health=state_of_health,
            )

        args = {"experiment": experiment, "T": temperature, "soh": state_of_health}
        return self._run("simulate", args, work)

    def rate_table(
        self, *, temperature: float | None = None, state_of_health: float = 1.0
    ) -> Result[pd.DataFrame]:
        """Capacity, energy and mean voltage against C-rate."""
        from natrium.sim.tables import rate_table

        return self._run(
            "rate_table",
            {"T": temperature, "soh": state_of_health},
            lambda: rate_table(
                self.design,
                self.simulation_set,
                model=self.model,
                temperature=temperature,
                state_of_health=state_of_health,
            ),
        )

    def constant_power_table(
        self, *, temperature: float | None = None, state_of_health: float = 1.0
    ) -> Result[pd.DataFrame]:
        """Watts per cell against runtime, to the set's cut-off."""
        from natrium.sim.tables import constant_power_table

        return self._run(
            "constant_power_table",
            {"T": temperature, "soh": state_of_health},
            lambda: constant_power_table(
                self.design,
                self.simulation_set,
                model=self.model,
                temperature=temperature,
                state_of_health=state_of_health,
            ),
        )

    def datasheet_claims(
        self, claims: Sequence[str] | None = None
    ) -> Result[pd.DataFrame]:
        """Published figures of the design's cell class beside natrium's.

        One row per claim (:mod:`natrium.sim.datasheet`): the statement, the
        published figure, natrium's, whether it meets it and the source. By
        default the claims of the shipped example the design is; ``claims``
        names them (ids of ``sim/data/datasheet_claims.toml``).
        """
        from natrium.sim import datasheet

        return self._run(
            "datasheet_claims",
            {"claims": tuple(claims or ())},
            lambda: datasheet.table(
                datasheet.check(self.design, self.simulation_set, claims)
            ),
        )

    # ----------------------------------------------------------------- cost
    def cost(self, output: float | None = None) -> Result[CellCost]:
        """Cell cost at a plant making ``output`` [J yr⁻¹] of good cells
        (default the manufacturing model's plant size)."""
        return self._run(
            "cost",
            {"output": output},
            lambda: cell_cost(
                self.design,
                output,
                prices=self.row_prices,
                plant=self.manufacturing,
                assumptions=self.assumptions,
            ),
        )

    def tornado(self, output: float | None = None) -> Result[pd.DataFrame]:
        """USD per kWh with each uncertain input at its ends."""
        from natrium.cost.sensitivity import tornado

        return self._run(
            "tornado",
            {"output": output},
            lambda: tornado(self.design, output, assumptions=self.assumptions),
        )

    def monte_carlo(self, output: float | None = None) -> Result[pd.Series]:
        """Cost quantiles from material prices drawn within their ranges."""
        from natrium.cost.sensitivity import monte_carlo

        return self._run(
            "monte_carlo",
            {"output": output},
            lambda: monte_carlo(self.design, output, assumptions=self.assumptions),
        )

    def lithium_scenarios(
        self, lithium: CellDesign | str | Path, output: float | None = None
    ) -> Result[pd.DataFrame]:
        """This cell's and a lithium cell's USD per kWh and their ratio against
        the lithium carbonate price; the break-even price in ``attrs``."""
        from natrium.cost.sensitivity import lithium_scenarios

        if isinstance(lithium, str | Path):
            from natrium.io import read_design

            lithium = read_design(lithium)
        other = lithium
        return self._run(
            "lithium_scenarios",
            {"lithium": design_inputs(other), "output": output},
            lambda: lithium_scenarios(
                self.design, other, output=output, assumptions=self.assumptions
            ),
        )

    # --------------------------------------------------------------- plants
    def energy_from_cathode(self, cathode_mass_per_year: Any) -> Result[TonnageResult]:
        """Cells a year [J yr⁻¹] from a cathode supply [kg yr⁻¹]."""
        return self._run(
            "energy_from_cathode",
            {"mass": cathode_mass_per_year},
            lambda: energy_from_cathode(
                cathode_mass_per_year, self.design, plant=self.manufacturing
            ),
        )

    def cathode_for_energy(self, energy_per_year: Any) -> Result[TonnageResult]:
        """Cathode material a year [kg yr⁻¹] for an output of cells [J yr⁻¹]."""
        return self._run(
            "cathode_for_energy",
            {"energy": energy_per_year},
            lambda: cathode_for_energy(
                energy_per_year, self.design, plant=self.manufacturing
            ),
        )

    def cathode_plant(
        self, cathode_mass_per_year: float | None = None, *, name: str | None = None
    ) -> Result[CathodePlant]:
        """A cathode plant: a named one of the sources (``name="ferrum"``), or
        one making ``cathode_mass_per_year`` [kg yr⁻¹]."""
        if (cathode_mass_per_year is None) == (name is None):
            from natrium.exceptions import OptionError

            raise OptionError("give a cathode mass a year or a named plant, not both")

        def work() -> CathodePlant:
            if name is not None:
                return named_cathode_plant(name, self.design, plant=self.manufacturing)
            return cathode_plant(
                self.design,
                float(cathode_mass_per_year),  # type: ignore[arg-type]
                name=f"{self.design.cathode.active} plant",
                plant=self.manufacturing,
            )

        return self._run(
            "cathode_plant", {"mass": cathode_mass_per_year, "name": name}, work
        )

    def cell_plant(self, energy_per_year: float) -> Result[CellPlant]:
        """A cell plant making ``energy_per_year`` [J yr⁻¹]: cells, lines,
        cathode, energy use, capital, running cost and staff."""
        return self._run(
            "cell_plant",
            {"energy": energy_per_year},
            lambda: cell_plant(
                self.design,
                energy_per_year,
                plant=self.manufacturing,
                prices=self.row_prices,
                assumptions=self.assumptions,
            ),
        )

    def runtime_table(self, power_per_year: float) -> Result[pd.DataFrame]:
        """Energy, cells and cathode a year for a plant rated in power a year
        [W yr⁻¹], at the critical-power runtimes."""
        from natrium.plant.cell_plant import runtime_table

        return self._run(
            "runtime_table",
            {"power": power_per_year},
            lambda: runtime_table(
                self.design, power_per_year, plant=self.manufacturing
            ),
        )

    # --------------------------------------------------------- applications
    def ups(
        self, duty: Duty, *, state_of_health: float | None = None
    ) -> Result[UpsSystem]:
        """A UPS battery of this cell for ``duty`` (constant-power method)."""
        from natrium.apps.ups import size_cell

        return self._run(
            "ups",
            {"duty": duty, "soh": state_of_health},
            lambda: size_cell(
                duty,
                self.design,
                self.simulation_set,
                state_of_health=state_of_health,
                model=self.model,
            ),
        )

    def tray(self) -> Result[Tray]:
        """A 48 V high-power tray of this cell."""
        from natrium.apps.ups import size_tray

        return self._run(
            "tray", {}, lambda: size_tray(self.design, self.simulation_set)
        )

    def telecom(
        self, load: float, runtime: float, *, state_of_health: float | None = None
    ) -> Result[pd.DataFrame]:
        """A -48 V plant of ``load`` [W] for ``runtime`` [s] over its temperatures."""
        from natrium.apps.telecom import telecom_table

        return self._run(
            "telecom",
            {"load": load, "runtime": runtime, "soh": state_of_health},
            lambda: telecom_table(
                self.design,
                self.simulation_set,
                load_w=load,
                hours=runtime / 3600.0,
                state_of_health=state_of_health,
            ),
        )

    def ev(self, range_: float, *, cold: float = 253.15) -> Result[EvPack]:
        """A small-car pack for a WLTC range [m]; range lost at ``cold`` [K]."""
        from natrium.apps.ev import size_pack

        return self._run(
            "ev",
            {"range": range_, "cold": cold},
            lambda: size_pack(
                self.design,
                range_ / 1e3,
                parameter_set=self.simulation_set,
                cold=cold,
            ),
        )

    def safety(self) -> Result[Any]:
        """The published abuse figures of this cell's chemistry (its cathode's
        and anode's families): thermal runaway, vent gas per Ah, its LFL."""
        from natrium.apps.safety import cell_chemistry, chemistry_safety

        return self._run(
            "safety", {}, lambda: chemistry_safety(cell_chemistry(self.design))
        )

    # ------------------------------------------------------------ citations
    @property
    def citations(self) -> tuple[str, ...]:
        """Every source the chain's results so far have used."""
        return tuple(self._used)

    def print_citations(self) -> None:
        """Print the references of every result computed so far, one a line."""
        for key in self._used:
            print(citations.format_reference(key))


def design_inputs(design: CellDesign) -> dict[str, Any]:
    """Everything that defines a design, for the input hash: its parameters,
    its materials by key and by the contents of the files that define them."""
    from natrium.materials.library import material_digest

    keys = [
        design.cathode.active,
        design.anode.active,
        f"binder.{design.cathode.binder}",
        f"binder.{design.anode.binder}",
        f"conductive_additive.{design.cathode.conductive}",
        f"conductive_additive.{design.anode.conductive}",
        f"foil.{design.cathode.foil}",
        f"foil.{design.anode.foil}",
        f"separator.{design.separator}",
        f"electrolyte.{design.electrolyte}",
    ]
    return {
        "parameters": {k: repr(v) for k, v in sorted(design.parameters().items())},
        "materials": {key: material_digest(key) for key in keys},
        "format": [design.format, design.size, design.casing],
    }


__all__ = ["Chain", "Provenance", "Result", "design_inputs"]
