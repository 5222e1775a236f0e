r"""Electrolyte transport against concentration and temperature: fitted forms.

A parameter set may give an electrolyte property as a published fit instead of
a table at one temperature::

    conductivity = { form = "landesfeind2019_conductivity", coefficients = [...],
                     scale = 1.10, ref = "Landesfeind2019", note = "..." }

The forms are those of Landesfeind and Gasteiger [1]_, with ``c`` the salt
concentration in mol L⁻¹ and ``T`` in K:

.. math::
    \sigma &= p_1 (1 + (T - p_2))\, c\,
              \frac{1 + p_3 \sqrt{c} + p_4 (1 + p_5 e^{1000/T}) c}
                   {1 + c^4 p_6 e^{1000/T}} \quad [\mathrm{mS\,cm^{-1}}] \\
    D &= p_1 e^{p_2 c}\, e^{p_3/T}\, e^{p_4 c / T} \times 10^{-10}
         \quad [\mathrm{m^2\,s^{-1}}] \\
    \mathrm{TDF} &= p_1 + p_2 c + p_3 T + p_4 c^2 + p_5 c T + p_6 T^2
                    + p_7 c^3 + p_8 c^2 T + p_9 c T^2

A form carries its own temperature dependence, so a set gives no activation
energy beside it. ``temperature_range`` clamps ``T`` before the form is
evaluated, for polynomial fits that must not be extrapolated (the TDF fit turns
unphysical below about 0 degC).

References
----------
.. [1] J. Landesfeind and H. A. Gasteiger, "Temperature and concentration
   dependence of the ionic transport properties of lithium-ion battery
   electrolytes," J. Electrochem. Soc., vol. 166, no. 14, pp. A3079-A3097,
   2019, :doi:`10.1149/2.0571912jes`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any


def _pybamm() -> Any:
    import pybamm

    return pybamm


def landesfeind2019_conductivity(c_e: Any, T: Any, p: Sequence[float]) -> Any:
    """Ionic conductivity [S m⁻¹] at ``c_e`` [mol m⁻³] and ``T`` [K]."""
    pybamm = _pybamm()
    c = c_e / 1000.0
    a = p[0] * (1 + (T - p[1]))
    b = 1 + p[2] * pybamm.sqrt(c) + p[3] * (1 + p[4] * pybamm.exp(1000 / T)) * c
    d = 1 + c**4 * (p[5] * pybamm.exp(1000 / T))
    return a * c * b / d / 10.0  # mS/cm -> S/m


def landesfeind2019_diffusivity(c_e: Any, T: Any, p: Sequence[float]) -> Any:
    """Salt diffusivity [m² s⁻¹] at ``c_e`` [mol m⁻³] and ``T`` [K]."""
    pybamm = _pybamm()
    c = c_e / 1000.0
    return (
        p[0]
        * pybamm.exp(p[1] * c)
        * pybamm.exp(p[2] / T)
        * pybamm.exp(p[3] * c / T)
        * 1e-10
    )


def landesfeind2019_tdf(c_e: Any, T: Any, p: Sequence[float]) -> Any:
    """Thermodynamic factor [-] at ``c_e`` [mol m⁻³] and ``T`` [K]."""
    c = c_e / 1000.0
    return (
        p[0]
        + p[1] * c
        + p[2] * T
        + p[3] * c**2
        + p[4] * c * T
        + p[5] * T**2
        + p[6] * c**3
        + p[7] * c**2 * T
        + p[8] * c * T**2
    )


#: The forms a set may name, with how many coefficients each takes.
FORMS: dict[str, tuple[Callable[[Any, Any, Sequence[float]], Any], int]] = {
    "landesfeind2019_conductivity": (landesfeind2019_conductivity, 6),
    "landesfeind2019_diffusivity": (landesfeind2019_diffusivity, 4),
    "landesfeind2019_tdf": (landesfeind2019_tdf, 9),
}


def form_function(
    form: str,
    coefficients: Sequence[float],
    scale: float = 1.0,
    temperature_range: tuple[float, float] | None = None,
) -> Callable[[Any, Any], Any]:
    """The property as a function of (c_e [mol m⁻³], T [K]) for PyBaMM."""
    function, _ = FORMS[form]
    coeffs = tuple(float(c) for c in coefficients)

    def evaluate(c_e: Any, T: Any) -> Any:
        if temperature_range is not None:
            pybamm = _pybamm()
            T = pybamm.maximum(
                pybamm.minimum(T, temperature_range[1]), temperature_range[0]
            )
        return scale * function(c_e, T, coeffs)

    return evaluate


__all__ = ["FORMS", "form_function"]
