"""Electrode coatings: composition, loading, porosity and thickness.

Plain vectorised functions; every argument broadcasts. Units are SI: areal
quantities per coated side.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

Array = NDArray[np.float64]


def coating_density(
    mass_fractions: tuple[ArrayLike, ...],
    densities: tuple[ArrayLike, ...],
    porosity: ArrayLike,
) -> Array:
    r"""Density of a porous composite coating [kg m⁻³].

    The solids fill :math:`1-\varepsilon` of the volume and mix by volume:

    .. math:: \rho_{coat} = (1-\varepsilon) \Big/ \sum_i \frac{w_i}{\rho_i}
    """
    specific_volume = sum(
        np.asarray(w, dtype=float) / np.asarray(rho, dtype=float)
        for w, rho in zip(mass_fractions, densities, strict=True)
    )
    return (1.0 - np.asarray(porosity, dtype=float)) / specific_volume


def active_areal_mass_from_capacity(
    areal_capacity: ArrayLike, specific_capacity: ArrayLike
) -> Array:
    """Active-material mass per side [kg m⁻²] for an areal capacity [C m⁻²]."""
    return np.asarray(areal_capacity, dtype=float) / np.asarray(
        specific_capacity, dtype=float
    )


def coating_thickness(coating_areal_mass: ArrayLike, density: ArrayLike) -> Array:
    """Coating thickness per side [m] from its mass per side [kg m⁻²]."""
    return np.asarray(coating_areal_mass, dtype=float) / np.asarray(
        density, dtype=float
    )


def volume_fractions(
    mass_fractions: tuple[ArrayLike, ...],
    densities: tuple[ArrayLike, ...],
    porosity: ArrayLike,
) -> tuple[Array, ...]:
    """Volume fraction of each solid in the coating [-]; they sum to 1 - porosity."""
    rho = coating_density(mass_fractions, densities, porosity)
    return tuple(
        rho * np.asarray(w, dtype=float) / np.asarray(d, dtype=float)
        for w, d in zip(mass_fractions, densities, strict=True)
    )
