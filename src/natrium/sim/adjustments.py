"""Adjustments: the handful of quantities a calibration may change.

A published parameter set rarely reproduces a measured cell as it stands; a
calibration changes a few quantities, each by a factor on a published table or
as a new value, and says why. The same names serve three places: the
``[calibration]`` table of a parameter set (``set.toml``), the parameters a
user asks :func:`natrium.sim.calibration.calibrate` to fit, and the PyBaMM
input parameters a fit varies (so the model is built once).

Each adjustment acts on the PyBaMM parameter values the bridge built:

* ``*_scale``: a factor on a published property (its whole table, keeping
  the shape: a particle or electrolyte diffusivity, an exchange-current
  density, an electrolyte conductivity); log-scaled in a fit;
  or on an electrode's active volume fraction (its loading, which sets the
  electrode's capacity and surface area together);
* ``contact_resistance``: the cell's lumped series resistance [ohm];
* ``*_initial_stoichiometry``: where the electrode starts the discharge,
  which aligns the two OCP curves (this belongs to the cell the set was
  fitted to, not to its materials).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from natrium._validation import check_range
from natrium.exceptions import OptionError, ParameterError

Kind = Literal["scale", "value", "stoichiometry"]


@dataclass(frozen=True)
class Adjustment:
    """One adjustable quantity and the PyBaMM parameter it acts on."""

    parameter: str
    kind: Kind
    unit: str
    description: str
    lower: float
    upper: float


ADJUSTMENTS: dict[str, Adjustment] = {
    "negative_diffusivity_scale": Adjustment(
        "Negative particle diffusivity [m2.s-1]",
        "scale",
        "",
        "factor on the negative electrode's solid diffusivity",
        1e-3,
        1e3,
    ),
    "positive_diffusivity_scale": Adjustment(
        "Positive particle diffusivity [m2.s-1]",
        "scale",
        "",
        "factor on the positive electrode's solid diffusivity",
        1e-3,
        1e3,
    ),
    "negative_rate_scale": Adjustment(
        "Negative electrode exchange-current density [A.m-2]",
        "scale",
        "",
        "factor on the negative electrode's reaction rate constant",
        1e-3,
        1e3,
    ),
    "positive_rate_scale": Adjustment(
        "Positive electrode exchange-current density [A.m-2]",
        "scale",
        "",
        "factor on the positive electrode's reaction rate constant",
        1e-3,
        1e3,
    ),
    "electrolyte_diffusivity_scale": Adjustment(
        "Electrolyte diffusivity [m2.s-1]",
        "scale",
        "",
        "factor on the electrolyte's salt diffusivity",
        1e-2,
        1e2,
    ),
    "electrolyte_conductivity_scale": Adjustment(
        "Electrolyte conductivity [S.m-1]",
        "scale",
        "",
        "factor on the electrolyte's ionic conductivity",
        1e-2,
        1e2,
    ),
    "positive_active_fraction_scale": Adjustment(
        "Positive electrode active material volume fraction",
        "scale",
        "",
        "factor on the positive electrode's active volume fraction (its loading)",
        0.2,
        5.0,
    ),
    "negative_active_fraction_scale": Adjustment(
        "Negative electrode active material volume fraction",
        "scale",
        "",
        "factor on the negative electrode's active volume fraction (its loading)",
        0.2,
        5.0,
    ),
    "contact_resistance": Adjustment(
        "Contact resistance [Ohm]",
        "value",
        "ohm",
        "lumped series resistance of the cell",
        0.0,
        1e3,
    ),
    "positive_initial_stoichiometry": Adjustment(
        "Initial concentration in positive electrode [mol.m-3]",
        "stoichiometry",
        "",
        "positive electrode stoichiometry at the start of discharge",
        0.0,
        1.0,
    ),
    "negative_initial_stoichiometry": Adjustment(
        "Initial concentration in negative electrode [mol.m-3]",
        "stoichiometry",
        "",
        "negative electrode stoichiometry at the start of discharge",
        0.0,
        1.0,
    ),
}


def get_adjustment(name: str) -> Adjustment:
    if name not in ADJUSTMENTS:
        raise OptionError(
            f"unknown adjustment {name!r}; valid: {', '.join(ADJUSTMENTS)}"
        )
    return ADJUSTMENTS[name]


def check_value(name: str, value: float) -> float:
    """``value`` if it lies in the adjustment's physical range, else an error."""
    adj = get_adjustment(name)
    return float(
        check_range(
            name,
            value,
            low=adj.lower,
            high=adj.upper,
            unit=adj.unit,
            low_inclusive=adj.kind != "scale",  # a factor of 0 is no table
        )
    )


def check_active_fraction(parameter_values: Any, name: str, scale: float) -> None:
    """An active-fraction scale must leave room for the pores: eps_s + eps <= 1."""
    domain = "Positive" if name.startswith("positive") else "Negative"
    solid = float(
        parameter_values[f"{domain} electrode active material volume fraction"]
    )
    porosity = float(parameter_values[f"{domain} electrode porosity"])
    limit = (1.0 - porosity) / solid
    if scale > limit * (1.0 + 1e-9):
        raise ParameterError(
            f"{name} = {scale:g} fills {solid * scale + porosity:.3f} of the "
            f"electrode with solid and pores; valid: <= {limit:.4g} [-] "
            f"(active fraction {solid:.3g}, porosity {porosity:.3g})"
        )


def _scaled(original: Any, factor: Any) -> Any:
    if callable(original):
        return lambda *args: factor * original(*args)
    return factor * original


def apply(parameter_values: Any, values: Mapping[str, Any]) -> None:
    """Apply adjustments to PyBaMM parameter values, in place.

    A value may be a number or a ``pybamm.InputParameter`` (a fit varies it).
    """
    for name, value in values.items():
        adj = get_adjustment(name)
        if name.endswith("active_fraction_scale") and isinstance(value, float | int):
            check_active_fraction(parameter_values, name, float(value))
        if adj.kind == "scale":
            parameter_values[adj.parameter] = _scaled(
                parameter_values[adj.parameter], value
            )
        elif adj.kind == "value":
            parameter_values[adj.parameter] = value
        else:
            domain = "positive" if name.startswith("positive") else "negative"
            c_max = parameter_values[
                f"Maximum concentration in {domain} electrode [mol.m-3]"
            ]
            parameter_values[adj.parameter] = value * c_max
