"""Current and temperature ratings of a cell, from the datasheets of its class.

A :class:`Ratings` holds what a maker rates a cell for: the maximum continuous
and peak discharge currents (with the peak's duration), the maximum continuous
charge current and the discharge and charge temperature windows, all SI
(A, s, K). The applications size within them (:mod:`natrium.apps`) and the
simulations warn when an experiment leaves them (:mod:`natrium.sim`).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

from natrium.constants import ZERO_CELSIUS
from natrium.exceptions import ParameterError


class RatingWarning(UserWarning):
    """A duty or experiment leaves (or cannot be checked against) a cell's ratings."""


@dataclass(frozen=True)
class Ratings:
    """Datasheet ratings of a cell (SI: A, s, K).

    ``continuous_discharge`` [A] is required; the peak [A] and its duration
    [s] come together or not at all. ``discharge_temperature`` and
    ``charge_temperature`` are (minimum, maximum) [K]. ``source`` says which
    datasheet or cell class the figures come from.
    """

    continuous_discharge: float
    peak_discharge: float | None = None
    peak_duration: float | None = None
    continuous_charge: float | None = None
    discharge_temperature: tuple[float, float] | None = None
    charge_temperature: tuple[float, float] | None = None
    source: str = ""

    def __post_init__(self) -> None:
        for name in ("continuous_discharge", "peak_discharge", "continuous_charge"):
            value = getattr(self, name)
            if value is not None and not value > 0:
                raise ParameterError(
                    f"ratings.{name} = {value!r} is outside (0, inf) [A]"
                )
        if (self.peak_discharge is None) != (self.peak_duration is None):
            raise ParameterError(
                "ratings: give max_peak_discharge and peak_duration together"
            )
        if self.peak_duration is not None and not self.peak_duration > 0:
            raise ParameterError(
                f"ratings.peak_duration = {self.peak_duration!r} s must be > 0 [s]"
            )
        if (
            self.peak_discharge is not None
            and self.peak_discharge < self.continuous_discharge
        ):
            raise ParameterError(
                f"ratings.max_peak_discharge = {self.peak_discharge:g} A is below "
                f"max_continuous_discharge = {self.continuous_discharge:g} A"
            )
        for name in ("discharge_temperature", "charge_temperature"):
            window = getattr(self, name)
            if window is None:
                continue
            if not window[0] > 0.0:
                raise ParameterError(
                    f"ratings.{name} = {_window_c(window)} degC: the minimum is "
                    "below absolute zero; valid: above -273.15 degC"
                )
            if not window[0] < window[1]:
                raise ParameterError(
                    f"ratings.{name} = {_window_c(window)} degC: the minimum must "
                    "be below the maximum [degC]"
                )

    def discharge_current(self, duration: float) -> float:
        """The rated discharge current for a discharge of ``duration`` [s] [A]:
        the peak rating up to the peak's duration, the continuous one beyond."""
        if (
            self.peak_discharge is not None
            and self.peak_duration is not None
            and duration <= self.peak_duration
        ):
            return self.peak_discharge
        return self.continuous_discharge

    def check_temperature(
        self, temperature: float, *, charge: bool = False, who: str = "the cell"
    ) -> str | None:
        """A message when ``temperature`` [K] lies outside the (dis)charge
        window, or ``None`` when inside or when no window is rated."""
        window = self.charge_temperature if charge else self.discharge_temperature
        if window is None or window[0] - 1e-9 <= temperature <= window[1] + 1e-9:
            return None
        kind = "charge" if charge else "discharge"
        return (
            f"temperature {temperature - ZERO_CELSIUS:g} degC is outside {who}'s "
            f"rated {kind} window {_window_c(window)} degC ({self.source or 'ratings'})"
        )


def _window_c(window: tuple[float, float]) -> str:
    return f"{window[0] - ZERO_CELSIUS:g} to {window[1] - ZERO_CELSIUS:g}"


def warn_rating(message: str) -> None:
    """Issue a :class:`RatingWarning` pointing at the caller's caller."""
    warnings.warn(message, RatingWarning, stacklevel=3)


__all__ = ["RatingWarning", "Ratings", "warn_rating"]
