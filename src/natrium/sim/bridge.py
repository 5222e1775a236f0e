"""The bridge: a natrium cell design plus a parameter set -> pybamm.ParameterValues.

Geometry, loadings, porosities, active volume fractions, electrode area,
capacity and the initial state of charge come from the design
(:func:`natrium.cell.compute_arrays`); kinetics and transport from the
parameter set. The functions handed to PyBaMM are the same forms PyBaMM's own
sodium-ion set uses (piecewise-linear interpolants; PyBaMM's exchange-current
form), so the Chayambuka 2022 cell built through the bridge reproduces
``pybamm.sodium_ion.BasicDFN``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from natrium._data import DataFile
from natrium.cell import CellDesign, compute_arrays
from natrium.cell.design import check_plating, check_window
from natrium.constants import GAS_CONSTANT, ZERO_CELSIUS
from natrium.exceptions import OptionError, ParameterError
from natrium.materials import ActiveMaterial, get_active, get_component
from natrium.sim import adjustments
from natrium.sim.electrolytes import form_function
from natrium.sim.parameter_sets import ElectrodeKinetics, ParameterSet, Property
from natrium.units import AH

#: PyBaMM's domain names for natrium's electrodes.
_DOMAIN = {"negative": "Negative", "positive": "Positive"}


#: Adjustments that place the start of discharge (applied with the balance).
_STARTS = {
    "positive": "positive_initial_stoichiometry",
    "negative": "negative_initial_stoichiometry",
}


_VALIDITY = DataFile(
    Path(__file__).with_name("data") / "model_validity.toml", "model validity data"
)


def temperature_range() -> tuple[float, float]:
    """The temperatures a simulation accepts, low and high [K]."""
    return (
        _VALIDITY.value("temperature", "lowest", "K"),
        _VALIDITY.value("temperature", "highest", "K"),
    )


def _pybamm() -> Any:
    import pybamm  # an optional heavy import, loaded where it is used

    return pybamm


def _arrhenius(energy: float, t_ref: float) -> Callable[[Any], Any]:
    """exp(Ea/R (1/T_ref - 1/T)); the identity when Ea = 0 (exact reproduction)."""
    if energy == 0.0:
        return lambda T: 1.0
    pybamm = _pybamm()
    return lambda T: pybamm.exp(energy / GAS_CONSTANT * (1.0 / t_ref - 1.0 / T))


def _of(prop: Property, argument: Any) -> Any:
    """A property at ``argument``: an interpolant of its table, or its constant."""
    if prop.is_table:
        return _pybamm().Interpolant(prop.x, prop.y, argument, prop.name)
    return prop.value


def _ocp_function(
    prop: Property | None, material: ActiveMaterial
) -> Callable[[Any], Any]:
    if prop is not None:
        return lambda sto: _of(prop, sto)
    curve = material.ocp
    name = f"{material.key} OCP"
    return lambda sto: _pybamm().Interpolant(
        curve.stoichiometry, curve.potential, sto, name
    )


def _diffusivity_function(
    k: ElectrodeKinetics, domain: str, t_ref: float
) -> Callable[[Any, Any], Any]:
    arrhenius = _arrhenius(k.diffusivity_activation_energy, t_ref)
    prop = k.diffusivity

    def diffusivity(sto: Any, T: Any) -> Any:
        if prop.against == "concentration":
            c_max = _pybamm().Parameter(
                f"Maximum concentration in {domain.lower()} electrode [mol.m-3]"
            )
            return _of(prop, sto * c_max) * arrhenius(T)
        return _of(prop, sto) * arrhenius(T)

    return diffusivity


def _exchange_current_function(
    k: ElectrodeKinetics, t_ref: float
) -> Callable[[Any, Any, Any, Any], Any]:
    """PyBaMM's form: j0 = F k (c_e/c_e0)^0.5 c_s^0.5 (c_max - c_s)^0.5 / 2."""
    arrhenius = _arrhenius(k.rate_activation_energy, t_ref)
    prop = k.rate_constant

    def j0(c_e: Any, c_s_surf: Any, c_s_max: Any, T: Any) -> Any:
        pybamm = _pybamm()
        argument = c_s_surf if prop.against != "stoichiometry" else c_s_surf / c_s_max
        rate = _of(prop, argument)
        c_e0 = pybamm.Parameter("Initial concentration in electrolyte [mol.m-3]")
        return (
            pybamm.constants.F
            * rate
            * (c_e / c_e0) ** 0.5
            * c_s_surf**0.5
            * (c_s_max - c_s_surf) ** 0.5
            / 2
            * arrhenius(T)
        )

    return j0


def _electrolyte_function(
    prop: Property, energy: float, t_ref: float
) -> Callable[[Any, Any], Any]:
    """A table or constant times its Arrhenius factor, or a fitted form of
    (c_e, T) that carries its own temperature dependence."""
    if prop.is_form:
        if energy:
            raise OptionError(
                f"{prop.name}: a fitted form carries its own temperature "
                "dependence; give no activation energy beside it"
            )
        return form_function(
            prop.form, prop.coefficients, prop.scale, prop.temperature_range
        )
    arrhenius = _arrhenius(energy, t_ref)
    return lambda c_e, T: _of(prop, c_e) * arrhenius(T)


@dataclass(frozen=True)
class BridgeResult:
    """The parameter values and what the design said about the cell."""

    parameter_values: Any  # pybamm.ParameterValues
    capacity_Ah: float
    initial_stoichiometry: dict[str, float]
    maximum_concentration: dict[str, float]
    electrode_area_m2: float


def to_pybamm(
    design: CellDesign,
    parameter_set: ParameterSet,
    *,
    temperature: float | None = None,
    state_of_health: float = 1.0,
) -> BridgeResult:
    """PyBaMM parameter values for a design with a parameter set's kinetics.

    Parameters
    ----------
    design : CellDesign
        Geometry, loadings and balance.
    parameter_set : ParameterSet
        Kinetics and transport of the design's materials.
    temperature : float, optional
        Ambient and initial temperature; default the set's reference. [K]
    state_of_health : float, default 1
        Remaining capacity as a fraction of new, modelled as loss of cyclable
        sodium (lithium): the anode starts the discharge with
        ``state_of_health`` of the new cell's inventory. [-]
    """
    if not 0.0 < state_of_health <= 1.0:
        raise ParameterError(
            f"state_of_health = {state_of_health:g} is outside (0, 1] [-]"
        )
    t_ref = parameter_set.reference_temperature
    temp = t_ref if temperature is None else float(temperature)
    low, high = temperature_range()
    if not low <= temp <= high:
        raise ParameterError(
            f"temperature = {temp - ZERO_CELSIUS:g} degC is outside "
            f"[{low - ZERO_CELSIUS:g}, {high - ZERO_CELSIUS:g}] degC"
        )
    pybamm = _pybamm()
    r = {k: float(v) for k, v in compute_arrays(design).items()}
    check_plating(design, r["anode_overfill"], r["np_ratio"])
    check_window(design, r)
    v_min, v_max = r["voltage_min"], r["voltage_max"]
    cathode, anode = get_active(design.cathode.active), get_active(design.anode.active)
    separator = get_component("separator", design.separator)
    parameter_set.register_citations()

    c_max = {
        "positive": parameter_set.positive.maximum_concentration
        or cathode.max_concentration,
        "negative": parameter_set.negative.maximum_concentration
        or anode.max_concentration,
    }
    # Where the discharge starts: the design's balance, unless a calibration
    # of this cell placed it; a lost state of health empties the anode.
    start = {
        "positive": r["cathode_top_stoichiometry"],
        "negative": r["anode_top_stoichiometry"],
    }
    for domain, key in _STARTS.items():
        start[domain] = parameter_set.adjustments.get(key, start[domain])
    a_lo = anode.window[0]
    sto = {
        "positive": start["positive"],
        "negative": a_lo + state_of_health * (start["negative"] - a_lo),
    }
    area = r["facing_area"]
    capacity_ah = r["capacity"] / AH * state_of_health
    el = parameter_set.electrolyte
    values: dict[str, Any] = {
        "Ambient temperature [K]": temp,
        "Initial temperature [K]": temp,
        "Reference temperature [K]": t_ref,
        "Cation transference number": el.transference_number,
        "Thermodynamic factor": el.thermodynamic_factor
        if isinstance(el.thermodynamic_factor, float)
        else _electrolyte_function(el.thermodynamic_factor, 0.0, t_ref),
        "Contact resistance [Ohm]": parameter_set.contact_resistance,
        "Electrode height [m]": area,
        "Electrode width [m]": 1.0,
        "Number of cells connected in series to make a battery": 1.0,
        "Number of electrodes connected in parallel to make a cell": 1.0,
        "Nominal cell capacity [A.h]": capacity_ah,
        "Current function [A]": capacity_ah,
        # the design's operating window (its datasheet's), not the set's
        "Lower voltage cut-off [V]": v_min,
        "Upper voltage cut-off [V]": v_max,
        # at the cut-offs, as PyBaMM's own sets give them (its SOC by voltage)
        "Open-circuit voltage at 0% SOC [V]": v_min,
        "Open-circuit voltage at 100% SOC [V]": v_max,
        "Initial concentration in electrolyte [mol.m-3]": el.initial_concentration,
        "Electrolyte conductivity [S.m-1]": _electrolyte_function(
            el.conductivity, el.conductivity_activation_energy, t_ref
        ),
        "Electrolyte diffusivity [m2.s-1]": _electrolyte_function(
            el.diffusivity, el.diffusivity_activation_energy, t_ref
        ),
        "Separator porosity": separator["porosity"],
        "Separator thickness [m]": separator["thickness"],
        "Separator Bruggeman coefficient (electrolyte)": el.separator_bruggeman,
    }
    for domain, kinetics, material, label in (
        ("negative", parameter_set.negative, anode, "anode"),
        ("positive", parameter_set.positive, cathode, "cathode"),
    ):
        values.update(_electrode_values(domain, kinetics, material, t_ref))
        d = _DOMAIN[domain]
        values[f"{d} electrode thickness [m]"] = r[f"{label}_coating_thickness"]
        values[f"{d} electrode porosity"] = float(getattr(design, label).porosity)
        values[f"{d} electrode active material volume fraction"] = r[
            f"{label}_active_volume_fraction"
        ]
        values[f"Maximum concentration in {domain} electrode [mol.m-3]"] = c_max[domain]
        values[f"Initial concentration in {domain} electrode [mol.m-3]"] = (
            sto[domain] * c_max[domain]
        )
    parameter_values = pybamm.ParameterValues(values)
    adjustments.apply(
        parameter_values,
        {
            k: v
            for k, v in parameter_set.adjustments.items()
            if k not in _STARTS.values()
        },
    )
    return BridgeResult(
        parameter_values=parameter_values,
        capacity_Ah=capacity_ah,
        initial_stoichiometry=sto,
        maximum_concentration=c_max,
        electrode_area_m2=area,
    )


def _electrode_values(
    domain: str, k: ElectrodeKinetics, material: ActiveMaterial, t_ref: float
) -> dict[str, Any]:
    """The material-level entries of one electrode, from the parameter set."""
    d = _DOMAIN[domain]
    return {
        f"{d} particle radius [m]": k.particle_radius,
        f"{d} electrode conductivity [S.m-1]": k.conductivity,
        f"{d} electrode Bruggeman coefficient (electrolyte)": k.bruggeman_electrolyte,
        f"{d} electrode Bruggeman coefficient (electrode)": k.bruggeman_electrode,
        f"{d} electrode charge transfer coefficient": k.charge_transfer_coefficient,
        f"{d} electrode OCP [V]": _ocp_function(k.ocp, material),
        f"{d} electrode OCP entropic change [V.K-1]": 0.0,
        f"{d} particle diffusivity [m2.s-1]": _diffusivity_function(k, d, t_ref),
        f"{d} electrode exchange-current density [A.m-2]": _exchange_current_function(
            k, t_ref
        ),
    }
