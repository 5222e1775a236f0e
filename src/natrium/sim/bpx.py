"""BPX, the Battery Parameter eXchange format: export a design, import a file.

BPX [1]_ is the JSON format PyBaMM reads (``pybamm.ParameterValues.
create_from_bpx``): a ``Header``, a ``Parameterisation`` (``Cell``,
``Electrolyte``, ``Negative electrode``, ``Positive electrode``,
``Separator``), an optional ``State`` and optional ``Validation`` data
(measured voltage against time). natrium writes the schema of the installed
``bpx`` package (BPX 1.x; legacy 0.x files are converted by ``bpx`` on
import) and validates every file it writes with ``bpx``'s pydantic models.

Export (:func:`to_bpx`, :func:`write_bpx`) starts from the bridge
(:func:`natrium.sim.bridge.to_pybamm`), so a design and a parameter set give
the same cell in BPX as in natrium's own simulations:

* OCPs and tabulated properties are written as BPX tables ``{"x", "y"}`` of
  the very points natrium interpolates (linear interpolation on both sides),
  so nothing is resampled.
* The Landesfeind 2019 electrolyte forms of (c, T)
  (:mod:`natrium.sim.electrolytes`) become BPX expression strings of ``x``
  (the salt concentration) at the set's reference temperature: exact there.
  BPX carries temperature only as an Arrhenius factor, so the export adds the
  form's apparent activation energy at the initial concentration and the
  reference temperature; away from it that is an approximation.
* BPX's exchange-current density is ``j0 = F k (c_e/c_e0)^0.5 (x (1 - x))^0.5``
  with one constant ``k`` [mol m⁻² s⁻¹]; natrium's rate constant ``k_nat``
  [m s⁻¹] (PyBaMM's convention, ``j0 = F k_nat (c_e/c_e0)^0.5 c_s^0.5
  (c_max - c_s)^0.5 / 2``) maps onto ``k = k_nat c_max / 2``.
* What BPX cannot say is written in its ``User-defined`` section: under
  PyBaMM's own names where PyBaMM's importer passes a number through
  (``Contact resistance [Ohm]``, the charge-transfer coefficients, a constant
  ``Thermodynamic factor``), and under ``natrium: ...`` names for a rate
  constant that is a table of stoichiometry and a thermodynamic factor that is
  a function of concentration. PyBaMM's importer keeps those as unused
  parameters; :func:`read_bpx` puts them back in place. The BPX ``Reaction
  rate constant`` is then the table's value at x = 0.5, so other readers get
  a sensible constant.

Import (:func:`read_bpx`, :func:`bpx_cell`) goes through PyBaMM's
``ParameterValues.create_from_bpx_obj`` and returns a :class:`BPXCell`: the
parameter values wrapped in a :class:`~natrium.sim.bridge.BridgeResult` (the
"thin design" a BPX file is: no bill of materials, no geometry beyond PyBaMM's)
and the file's validation data. :func:`simulate_bpx` runs an experiment on it
through natrium's simulation path (the same model builder, experiments and
tidy results as :func:`natrium.sim.simulation.simulate`), and
:func:`run_validation` runs each validation experiment of the file and gives
its RMS voltage error.

References
----------
.. [1] The Faraday Institution, "BPX: Battery Parameter eXchange," 2022-2025,
   https://github.com/FaradayInstitution/BPX (schema ``bpx/schema.py``).
"""

from __future__ import annotations

import json
import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from natrium import __version__, citations
from natrium.cell import CellDesign, compute_arrays
from natrium.constants import FARADAY, GAS_CONSTANT
from natrium.exceptions import DataFileError, OptionError
from natrium.materials import get_active
from natrium.sim.bridge import BridgeResult, to_pybamm
from natrium.sim.parameter_sets import ParameterSet, Property
from natrium.sim.simulation import SimulationResult, idaklu_solver

#: The BPX schema version natrium writes (that of the installed ``bpx`` 1.x).
BPX_VERSION = "1.0.0"
#: Prefix of the User-defined entries only natrium's importer reads.
EXTENSION = "natrium: "
_RATE_TABLE = EXTENSION + "{d} electrode reaction rate constant [mol.m-2.s-1]"
_TDF_FUNCTION = EXTENSION + "Thermodynamic factor"
_DOMAINS = (("negative", "Negative"), ("positive", "Positive"))
#: Temperature step of the finite difference that gives an apparent activation
#: energy.
_DT = 1.0  # [K]


def _pybamm() -> Any:
    import pybamm

    return pybamm


def _bpx() -> Any:
    """The ``bpx`` package, imported without its parser's deprecation warnings
    (pyparsing's renamed functions), which natrium's tests make errors."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            import bpx
        except ImportError as err:
            raise OptionError(
                "BPX files need the bpx package (pip install 'bpx>=1.1')"
            ) from err
    return bpx


def _number(value: float) -> str:
    """A float as an expression literal BPX's parser reads (negatives bracketed)."""
    text = repr(float(value))
    return f"({text})" if text.startswith("-") else text


# ------------------------------------------------------- forms as expressions


def _form_expression(prop: Property, temperature: float) -> str:
    """A Landesfeind 2019 form at one temperature, as a BPX expression of x
    (salt concentration [mol m⁻³]); exact at ``temperature`` [K]."""
    p = prop.coefficients
    t = temperature
    if prop.temperature_range is not None:
        t = min(max(t, prop.temperature_range[0]), prop.temperature_range[1])
    c = "(x / 1000)"
    s = prop.scale
    if prop.form == "landesfeind2019_conductivity":
        e = math.exp(1000.0 / t)
        a = s * p[0] * (1 + (t - p[1])) / 10.0
        b = p[3] * (1 + p[4] * e)
        return (
            f"{_number(a)} * {c} * (1 + {_number(p[2])} * {c} ** 0.5 + "
            f"{_number(b)} * {c}) / (1 + {_number(p[5] * e)} * {c} ** 4)"
        )
    if prop.form == "landesfeind2019_diffusivity":
        k = s * p[0] * math.exp(p[2] / t) * 1e-10
        return f"{_number(k)} * exp({_number(p[1] + p[3] / t)} * {c})"
    if prop.form == "landesfeind2019_tdf":
        a0 = p[0] + p[2] * t + p[5] * t**2
        a1 = p[1] + p[4] * t + p[8] * t**2
        a2 = p[3] + p[7] * t
        a3 = p[6]
        return (
            f"{_number(s * a0)} + {_number(s * a1)} * {c} + "
            f"{_number(s * a2)} * {c} ** 2 + {_number(s * a3)} * {c} ** 3"
        )
    raise OptionError(f"{prop.name}: no BPX expression for form {prop.form!r}")


def _evaluate(function: Callable[..., Any], *args: float) -> float:
    from natrium.sim.simulation import evaluate_function

    return evaluate_function(function, *args)


def _apparent_activation_energy(
    function: Callable[[Any, Any], Any], c0: float, t_ref: float
) -> float:
    """-R d ln f / d(1/T) at (c0, t_ref): the Arrhenius energy that matches a
    form's temperature slope there [J mol⁻¹]."""
    hi = _evaluate(function, c0, t_ref + _DT)
    lo = _evaluate(function, c0, t_ref - _DT)
    inv = 1.0 / (t_ref + _DT) - 1.0 / (t_ref - _DT)
    return float(-GAS_CONSTANT * (math.log(hi) - math.log(lo)) / inv)


def _table(x: Any, y: Any) -> dict[str, list[float]]:
    xs = np.asarray(x, dtype=float)
    ys = np.asarray(y, dtype=float)
    order = np.argsort(xs, kind="stable")
    return {"x": xs[order].tolist(), "y": ys[order].tolist()}


def _electrolyte_entry(
    prop: Property, energy: float, c0: float, t_ref: float
) -> tuple[Any, float]:
    """A transport property and its activation energy, in BPX form."""
    if prop.is_form:
        from natrium.sim.electrolytes import form_function

        function = form_function(
            prop.form, prop.coefficients, prop.scale, prop.temperature_range
        )
        return (
            _form_expression(prop, t_ref),
            _apparent_activation_energy(function, c0, t_ref),
        )
    if prop.is_table:
        return _table(prop.x, prop.y), energy
    return float(prop.value or 0.0), energy


def _of_stoichiometry(prop: Property, c_max: float, factor: float = 1.0) -> Any:
    """A per-particle property against stoichiometry, times ``factor``: a BPX
    table (a concentration table divided by c_max) or a number."""
    if prop.is_table:
        x = np.asarray(prop.x, dtype=float)
        if prop.against == "concentration":
            x = x / c_max
        return _table(x, np.asarray(prop.y, dtype=float) * factor)
    return float(prop.value or 0.0) * factor


# ------------------------------------------------------------------- export


def to_bpx(
    design: CellDesign,
    parameter_set: ParameterSet,
    *,
    temperature: float | None = None,
    title: str | None = None,
    validation: Mapping[str, Mapping[str, Sequence[float]]] | None = None,
) -> dict[str, Any]:
    """A design and parameter set as a BPX object (a JSON-ready dict).

    Parameters
    ----------
    design : CellDesign
        Geometry, loadings and balance.
    parameter_set : ParameterSet
        Kinetics and transport of the design's materials.
    temperature : float, optional
        Initial and ambient temperature written to ``State``; default the
        set's reference. [K]
    title : str, optional
        ``Header.Title``; default the design's name.
    validation : mapping, optional
        Measured experiments to carry: name -> {"Time [s]", "Current [A]"
        (BPX sign: discharge negative), "Voltage [V]"[, "Temperature [K]"]}.

    Returns
    -------
    dict
        A BPX object that ``bpx`` validates.

    Raises
    ------
    DataFileError
        If ``bpx`` rejects the object (a natrium bug: the message names the
        field).
    """
    citations.register("BPX")
    bridge = to_pybamm(design, parameter_set, temperature=temperature)
    pv = bridge.parameter_values
    t_ref = parameter_set.reference_temperature
    el = parameter_set.electrolyte
    c0 = el.initial_concentration
    r = {k: float(v) for k, v in compute_arrays(design).items()}
    charge = bridge.capacity_Ah * 3600.0  # [C]
    area = bridge.electrode_area_m2
    # No "description" here: PyBaMM's importer would take it for a parameter.
    user: dict[str, Any] = {}

    electrodes: dict[str, dict[str, Any]] = {}
    for (domain, d), kinetics, label in (
        (_DOMAINS[0], parameter_set.negative, "anode"),
        (_DOMAINS[1], parameter_set.positive, "cathode"),
    ):
        c_max = bridge.maximum_concentration[domain]
        material = get_active(getattr(design, label).active)
        porosity = float(pv[f"{d} electrode porosity"])
        eps_s = float(pv[f"{d} electrode active material volume fraction"])
        thickness = float(pv[f"{d} electrode thickness [m]"])
        radius = kinetics.particle_radius
        start = bridge.initial_stoichiometry[domain]
        span = charge / (FARADAY * c_max * eps_s * thickness * area)
        if domain == "negative":
            lo, hi = max(start - span, 0.0), start
        else:
            lo, hi = start, min(start + span, 1.0)
        if kinetics.ocp is not None and kinetics.ocp.is_table:
            ocp: Any = _table(kinetics.ocp.x, kinetics.ocp.y)
        elif kinetics.ocp is not None:
            ocp = float(kinetics.ocp.value or 0.0)
        else:
            ocp = _table(material.ocp.stoichiometry, material.ocp.potential)
        rate = kinetics.rate_constant
        k_norm = _of_stoichiometry(rate, c_max, c_max / 2.0)
        if isinstance(k_norm, dict):
            user[_RATE_TABLE.format(d=d)] = k_norm
            k_norm = float(np.interp(0.5, k_norm["x"], k_norm["y"]))
        entry: dict[str, Any] = {
            "Thickness [m]": thickness,
            "Porosity": porosity,
            "Transport efficiency": porosity**kinetics.bruggeman_electrolyte,
            # BPX's conductivity is the effective value (PyBaMM: b_s = 0).
            "Conductivity [S.m-1]": kinetics.conductivity
            * (1.0 - porosity) ** kinetics.bruggeman_electrode,
            "Minimum stoichiometry": lo,
            "Maximum stoichiometry": hi,
            "Maximum concentration [mol.m-3]": c_max,
            "Particle radius [m]": radius,
            "Surface area per unit volume [m-1]": 3.0 * eps_s / radius,
            "Diffusivity [m2.s-1]": _of_stoichiometry(kinetics.diffusivity, c_max),
            "Diffusivity activation energy [J.mol-1]": (
                kinetics.diffusivity_activation_energy
            ),
            "OCP [V]": ocp,
            "Entropic change coefficient [V.K-1]": 0.0,
            "Reaction rate constant [mol.m-2.s-1]": k_norm,
            "Reaction rate constant activation energy [J.mol-1]": (
                kinetics.rate_activation_energy
            ),
        }
        electrodes[d] = entry
        user[f"{d} electrode charge transfer coefficient"] = (
            kinetics.charge_transfer_coefficient
        )

    sigma, sigma_ea = _electrolyte_entry(
        el.conductivity, el.conductivity_activation_energy, c0, t_ref
    )
    diff, diff_ea = _electrolyte_entry(
        el.diffusivity, el.diffusivity_activation_energy, c0, t_ref
    )
    tdf = el.thermodynamic_factor
    if isinstance(tdf, float):
        user["Thermodynamic factor"] = tdf
    else:
        if tdf.is_form:
            user[_TDF_FUNCTION] = _form_expression(tdf, t_ref)
        elif tdf.is_table:
            user[_TDF_FUNCTION] = _table(tdf.x, tdf.y)
        user["Thermodynamic factor"] = _evaluate(pv["Thermodynamic factor"], c0, t_ref)
    if parameter_set.contact_resistance:
        user["Contact resistance [Ohm]"] = parameter_set.contact_resistance

    separator_porosity = float(pv["Separator porosity"])
    temp = float(pv["Initial temperature [K]"])
    obj: dict[str, Any] = {
        "Header": {
            "BPX": BPX_VERSION,
            "Title": title or design.name,
            "Description": (
                f"{design.name}, parameter set {parameter_set.name}: "
                f"{parameter_set.description}. Exported by natrium {__version__}; "
                "User-defined holds what PyBaMM's BPX importer passes through and "
                "'natrium: ' entries that natrium's importer puts in place."
            ),
            "References": "; ".join(parameter_set.sources),
            "Model": "DFN",
        },
        "Parameterisation": {
            "Cell": {
                "Electrode area [m2]": area,
                "External surface area [m2]": r["external_area"],
                "Volume [m3]": r["external_volume"],
                "Number of electrode pairs connected in parallel to make a cell": 1,
                "Lower voltage cut-off [V]": design.voltage_window[0],
                "Upper voltage cut-off [V]": design.voltage_window[1],
                "Nominal cell capacity [A.h]": bridge.capacity_Ah,
                "Reference temperature [K]": t_ref,
            },
            "Electrolyte": {
                "Cation transference number": el.transference_number,
                "Conductivity [S.m-1]": sigma,
                "Conductivity activation energy [J.mol-1]": sigma_ea,
                "Diffusivity [m2.s-1]": diff,
                "Diffusivity activation energy [J.mol-1]": diff_ea,
            },
            "Negative electrode": electrodes["Negative"],
            "Positive electrode": electrodes["Positive"],
            "Separator": {
                "Thickness [m]": float(pv["Separator thickness [m]"]),
                "Porosity": separator_porosity,
                "Transport efficiency": separator_porosity**el.separator_bruggeman,
            },
            "User-defined": user,
        },
        "State": {
            "Initial conditions": {
                "Initial temperature [K]": temp,
                "Initial electrolyte concentration [mol.m-3]": c0,
            },
            "Thermal environment": {"Ambient temperature [K]": temp},
        },
    }
    if validation:
        obj["Validation"] = {
            str(name): {k: [float(v) for v in vals] for k, vals in data.items()}
            for name, data in validation.items()
        }
    check_bpx(obj)
    return obj


def write_bpx(
    design: CellDesign,
    parameter_set: ParameterSet,
    path: str | Path,
    **options: Any,
) -> Path:
    """Write :func:`to_bpx` of a design and set to a JSON file; its path."""
    path = Path(path)
    obj = to_bpx(design, parameter_set, **options)
    path.write_text(json.dumps(obj, indent=1, allow_nan=False) + "\n")
    return path


def check_bpx(obj: Mapping[str, Any]) -> Any:
    """Validate a BPX object with the ``bpx`` package; the parsed model.

    Raises :class:`DataFileError` naming the first field ``bpx`` rejects.
    """
    from pydantic import ValidationError

    parse_bpx_obj = _bpx().parse_bpx_obj
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # bpx's and pyparsing's deprecations
            return parse_bpx_obj(dict(obj))
    except ValidationError as err:
        raise DataFileError(_schema_message(err)) from err
    except (ValueError, TypeError, KeyError, AttributeError) as err:
        raise DataFileError(f"BPX: {err}") from err


def _schema_message(err: Any) -> str:
    """One line for pydantic's errors: the first field, with the alternatives
    of a number-expression-or-table field folded into one message."""
    errors = err.errors()

    def field(e: Mapping[str, Any]) -> tuple[str, ...]:
        return tuple(
            str(p)
            for p in e.get("loc", ())
            if str(p) not in _UNION_TAGS and not str(p).startswith("function-after")
        )

    first = field(errors[0])
    same = [e for e in errors if field(e) == first]
    message = str(errors[0].get("msg", "invalid"))
    if len(same) > 1:
        parse = [e for e in same if "Invalid Function" in str(e.get("msg", ""))]
        message = "not a number, an expression of x or an {x, y} table" + (
            f" ({parse[0]['msg'].removeprefix('Value error, ')})" if parse else ""
        )
    if first and first[0] in _SECTIONS:
        first = ("Parameterisation", *first)
    where = " -> ".join(first) or "file"
    return f"BPX: {where}: {message}"


_UNION_TAGS = {"float", "int", "InterpolatedTable", "str"}
_SECTIONS = {
    "Cell",
    "Electrolyte",
    "Negative electrode",
    "Positive electrode",
    "Separator",
    "User-defined",
}


# ------------------------------------------------------------------- import


@dataclass(frozen=True)
class BPXCell:
    """A cell read from a BPX file: PyBaMM parameter values as a bridge result
    (what natrium's simulation path needs), its header and validation data."""

    bridge: BridgeResult
    header: dict[str, Any]
    validation: dict[str, dict[str, np.ndarray]]
    lower_voltage_cutoff: float
    upper_voltage_cutoff: float
    source: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)
    #: natrium citation keys of the file's sources (BPX itself, at least).
    citations: tuple[str, ...] = ("BPX",)

    @property
    def parameter_values(self) -> Any:
        return self.bridge.parameter_values

    @property
    def capacity_Ah(self) -> float:
        return self.bridge.capacity_Ah

    @property
    def title(self) -> str:
        return str(self.header.get("Title") or self.source)


def read_bpx(path: str | Path) -> BPXCell:
    """Read a BPX JSON file (BPX 1.x, or 0.x converted by ``bpx``).

    Raises :class:`DataFileError` for a missing or unreadable file, malformed
    JSON (with its line and column) or a field the BPX schema rejects.
    """
    path = Path(path)
    try:
        text = path.read_text()
    except OSError as err:
        raise DataFileError(f"BPX file {str(path)!r}: cannot read it ({err})") from err
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as err:
        raise DataFileError(
            f"BPX file {path.name}: malformed JSON at line {err.lineno}, "
            f"column {err.colno}: {err.msg}"
        ) from err
    if not isinstance(obj, dict):
        raise DataFileError(f"BPX file {path.name}: the top level must be an object")
    return bpx_cell(obj, source=path.name)


def bpx_cell(obj: Mapping[str, Any], *, source: str = "") -> BPXCell:
    """A :class:`BPXCell` from a BPX object, through PyBaMM's importer."""
    pybamm = _pybamm()
    label = source or "BPX object"
    for section in ("Header", "Parameterisation"):
        if not isinstance(obj.get(section), dict):
            raise DataFileError(f"{label}: missing section {section!r}")
    check_bpx(json.loads(json.dumps(obj)))  # a clear error before PyBaMM's
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            pv = pybamm.ParameterValues.create_from_bpx_obj(dict(obj))
        except Exception as err:  # PyBaMM's KeyError/ValueError on odd files
            raise DataFileError(f"{label}: PyBaMM cannot import it: {err}") from err
    notes = tuple(
        dict.fromkeys(
            str(w.message)
            for w in caught
            if issubclass(w.category, UserWarning)
            and "deprecated" not in str(w.message)
        )
    )
    _apply_extensions(pv)
    c_max = {
        d: float(pv[f"Maximum concentration in {d} electrode [mol.m-3]"])
        for d, _ in _DOMAINS
    }
    sto = {
        d: float(pv[f"Initial concentration in {d} electrode [mol.m-3]"]) / c_max[d]
        for d, _ in _DOMAINS
    }
    if "Contact resistance [Ohm]" not in pv.keys():
        pv.update({"Contact resistance [Ohm]": 0.0}, check_already_exists=False)
    area = (
        float(pv["Electrode height [m]"])
        * float(pv["Electrode width [m]"])
        * float(pv["Number of electrodes connected in parallel to make a cell"])
    )
    bridge = BridgeResult(
        parameter_values=pv,
        capacity_Ah=float(pv["Nominal cell capacity [A.h]"]),
        initial_stoichiometry=sto,
        maximum_concentration=c_max,
        electrode_area_m2=area,
    )
    return BPXCell(
        bridge=bridge,
        header=dict(obj["Header"]),
        validation=_validation(obj.get("Validation") or {}, label),
        lower_voltage_cutoff=float(pv["Lower voltage cut-off [V]"]),
        upper_voltage_cutoff=float(pv["Upper voltage cut-off [V]"]),
        source=source,
        notes=notes,
    )


def _apply_extensions(pv: Any) -> None:
    """Put natrium's User-defined entries in place of PyBaMM's defaults."""
    pybamm = _pybamm()
    keys = set(pv.keys())
    if _TDF_FUNCTION in keys:
        tdf = pv[_TDF_FUNCTION]
        pv.update({"Thermodynamic factor": lambda c_e, T: tdf(c_e)})
    t_ref = float(pv["Reference temperature [K]"])
    for _, d in _DOMAINS:
        name = _RATE_TABLE.format(d=d)
        if name not in keys:
            continue
        k_norm = pv[name]
        energy = float(
            pv[f"{d} electrode reaction rate constant activation energy [J.mol-1]"]
        )

        def j0(
            c_e: Any,
            c_s_surf: Any,
            c_s_max: Any,
            T: Any,
            k_norm: Any = k_norm,
            energy: float = energy,
        ) -> Any:
            c_e0 = pybamm.Parameter("Initial concentration in electrolyte [mol.m-3]")
            arrhenius = pybamm.exp(energy / GAS_CONSTANT * (1.0 / t_ref - 1.0 / T))
            return (
                pybamm.constants.F
                * k_norm(c_s_surf / c_s_max)
                / c_s_max
                * (c_e / c_e0) ** 0.5
                * c_s_surf**0.5
                * (c_s_max - c_s_surf) ** 0.5
                * arrhenius
            )

        pv.update({f"{d} electrode exchange-current density [A.m-2]": j0})


def _validation(section: Any, label: str) -> dict[str, dict[str, np.ndarray]]:
    out: dict[str, dict[str, np.ndarray]] = {}
    for name, data in dict(section).items():
        arrays = {k: np.asarray(v, dtype=float) for k, v in dict(data).items()}
        t = arrays["Time [s]"]
        if t.size < 2 or np.any(np.diff(t) <= 0):
            raise DataFileError(
                f"{label}: Validation -> {name} -> Time [s] needs at least two "
                "rising values"
            )
        out[str(name)] = arrays
    return out


# --------------------------------------------------------------- simulation


def simulate_bpx(
    cell: BPXCell,
    experiment: str | Sequence[Any],
    *,
    model: str = "DFN",
    var_pts: dict[str, int] | None = None,
    period: str | None = None,
) -> SimulationResult:
    """An experiment on an imported BPX cell, through natrium's simulation
    path (:func:`~natrium.sim.simulation.build_model`, ``make_experiment``,
    ``tidy``): isothermal, at the file's ambient temperature.

    Raises :class:`~natrium.sim.simulation.SimulationError` when the solver
    fails.
    """
    from natrium.sim.simulation import (
        SimulationError,
        build_model,
        has_contact_resistance,
        make_experiment,
        model_warnings,
        summarise,
        tidy,
    )

    pybamm = _pybamm()
    pv = cell.parameter_values.copy()
    exp = make_experiment(experiment, period=period)
    notes = model_warnings(model, cell.bridge, _peak(exp, cell.capacity_Ah))
    sim = pybamm.Simulation(
        build_model(model, contact_resistance=has_contact_resistance(pv)),
        parameter_values=pv,
        experiment=exp,
        var_pts=var_pts,
        solver=idaklu_solver(),
    )
    with citations.collect() as used:
        citations.register(cell.citations)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # PyBaMM's extrapolation chatter
                solution = sim.solve()
        except Exception as err:  # PyBaMM's SolverError and friends
            raise SimulationError(f"{cell.title}: the solver failed ({err})") from err
    if solution is None or len(solution.t) < 2:
        raise SimulationError(f"{cell.title}: the experiment could not start")
    frame = tidy(solution)
    return SimulationResult(
        frame,
        summarise(frame, str(solution.termination)),
        tuple(notes),
        tuple(used),
    )


def _peak(exp: Any, capacity_ah: float) -> float:
    peak = 0.0
    for step in exp.steps:
        try:
            value = float(np.abs(np.asarray(step.value, dtype=float)).max())
        except (TypeError, ValueError):
            continue
        if type(step).__name__ == "CRate":
            value *= capacity_ah
        if type(step).__name__ in ("CRate", "Current"):
            peak = max(peak, value)
    return peak


@dataclass(frozen=True)
class ValidationRun:
    """One BPX validation experiment, simulated and compared."""

    name: str
    rms_mV: float
    max_mV: float
    points: int
    points_compared: int
    time_s: np.ndarray
    measured_V: np.ndarray
    simulated_V: np.ndarray

    def summary(self) -> dict[str, Any]:
        return {
            "experiment": self.name,
            "rms_mV": self.rms_mV,
            "max_mV": self.max_mV,
            "points": self.points,
            "points_compared": self.points_compared,
        }


def run_validation(
    cell: BPXCell,
    *,
    model: str = "DFN",
    names: Sequence[str] | None = None,
) -> list[ValidationRun]:
    """Run each validation experiment of a BPX file and compare voltages.

    The measured current (BPX sign: discharge negative) drives the model as a
    time series (linear between samples) down to the file's lower cut-off;
    the simulated voltage is interpolated at the measured times it covers
    and the RMS and largest error over those points are returned [mV].

    Raises :class:`OptionError` if the file has no validation data or a name
    is not one of its experiments.
    """
    from natrium.sim.simulation import time_series_step

    if not cell.validation:
        raise OptionError(f"{cell.title}: the file has no Validation section")
    wanted = list(names) if names else list(cell.validation)
    for name in wanted:
        if name not in cell.validation:
            raise OptionError(
                f"unknown validation experiment {name!r}; valid: "
                f"{', '.join(cell.validation)}"
            )
    runs = []
    for name in wanted:
        data = cell.validation[name]
        t, i, v = data["Time [s]"], data["Current [A]"], data["Voltage [V]"]
        step = time_series_step(
            (t - t[0]).tolist(),
            (-i).tolist(),
            kind="current",
            termination=f"< {cell.lower_voltage_cutoff:g} V",
        )
        result = simulate_bpx(cell, [step], model=model)
        sim_t = result.data["time_s"].to_numpy()
        sim_v = result.data["voltage_V"].to_numpy()
        covered = (t - t[0]) <= sim_t[-1] + 1e-9
        simulated = np.interp(t[covered] - t[0], sim_t, sim_v)
        error = (simulated - v[covered]) * 1000.0
        runs.append(
            ValidationRun(
                name=name,
                rms_mV=float(np.sqrt(np.mean(error**2))),
                max_mV=float(np.max(np.abs(error))),
                points=int(t.size),
                points_compared=int(covered.sum()),
                time_s=t[covered],
                measured_V=v[covered],
                simulated_V=simulated,
            )
        )
    return runs


def rms_difference_mV(a: SimulationResult, b: SimulationResult) -> float:
    """RMS of the voltage difference of two results over their common time,
    each interpolated on the union of their time points [mV]."""
    ta, va = a.data["time_s"].to_numpy(), a.data["voltage_V"].to_numpy()
    tb, vb = b.data["time_s"].to_numpy(), b.data["voltage_V"].to_numpy()
    end = min(ta[-1], tb[-1])
    t = np.union1d(ta[ta <= end], tb[tb <= end])
    diff = np.interp(t, ta, va) - np.interp(t, tb, vb)
    return float(np.sqrt(np.mean(diff**2)) * 1000.0)


__all__ = [
    "BPX_VERSION",
    "BPXCell",
    "ValidationRun",
    "bpx_cell",
    "check_bpx",
    "read_bpx",
    "rms_difference_mV",
    "run_validation",
    "simulate_bpx",
    "to_bpx",
    "write_bpx",
]
