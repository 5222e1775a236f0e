"""Published figures of commercial sodium-ion cells beside natrium's simulation.

Makers state what a cell class does in a few lines of a datasheet or a launch:
"more than 90 % of its capacity at -20 degC", "80 % in 15 minutes", "up to 90 %
energy efficiency". ``sim/data/datasheet_claims.toml`` holds those statements
with their sources and the conditions natrium assumes where a source is silent;
this module simulates each one on the shipped example of that class and sets the
published figure and natrium's side by side.

The measures (each a ratio, so a figure of the same kind as the claim):

``low_temperature``
    capacity at ``rate`` and ``temperature`` over the capacity at the same rate at
    room temperature, both to the set's lower cut-off;
``rate``
    capacity at ``rate`` over the capacity at ``reference_rate``;
``rate_energy``
    energy at ``rate`` over the energy at ``reference_rate``;
``fast_charge``
    charge taken in ``minutes`` from empty (after a C/5 discharge and an hour's
    rest), at the constant current that would give ``figure`` in that time, then
    held at the upper cut-off, over the C/5 capacity;
``energy_efficiency``
    DC round-trip efficiency of a full cycle at ``rate``
    (:func:`natrium.sim.tables.round_trip_efficiency`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from natrium import citations
from natrium._data import DataFile, read_value
from natrium.cell import CellDesign
from natrium.exceptions import DataFileError, OptionError
from natrium.materials import Sourced

_FILE = DataFile(
    Path(__file__).with_name("data") / "datasheet_claims.toml", "datasheet claims"
)
#: Conditions a claim may carry, with their SI units.
_CONDITIONS = {
    "temperature": "K",
    "rate": "1/s",
    "reference_rate": "1/s",
    "minutes": "s",
    "tolerance": "",
}


@dataclass(frozen=True)
class Claim:
    """One published statement about a cell class."""

    id: str
    statement: str
    kind: str
    examples: tuple[str, ...]
    figure: Sourced
    stated: str  # "at_least" or "about"
    conditions: dict[str, Sourced]
    #: Why natrium does not meet the figure, where that is known and stated in
    #: the data file; None where natrium is expected to meet it.
    known_gap: str | None = None

    def condition(self, name: str) -> float:
        try:
            return self.conditions[name].value
        except KeyError:
            raise DataFileError(
                f"datasheet_claims.toml: claim {self.id!r} ({self.kind}) needs '{name}'"
            ) from None

    @property
    def refs(self) -> tuple[str, ...]:
        keys = [self.figure.ref, *(v.ref for v in self.conditions.values())]
        return tuple(k for k in dict.fromkeys(keys) if k not in ("assumption", ""))

    def meets(self, value: float) -> bool:
        if self.stated == "at_least":
            return value >= self.figure.value
        return abs(value - self.figure.value) <= self.condition("tolerance")


@dataclass(frozen=True)
class ClaimCheck:
    """A claim, the example it was simulated on and natrium's figure."""

    claim: Claim
    example: str
    value: float

    @property
    def meets(self) -> bool:
        return self.claim.meets(self.value)

    def to_dict(self) -> dict[str, Any]:
        c = self.claim
        return {
            "claim": c.id,
            "example": self.example,
            "statement": c.statement,
            "published": c.figure.value,
            "stated": c.stated,
            "natrium": self.value,
            "meets": self.meets,
            "source": c.figure.ref,
            "note": c.figure.note,
            "known_gap": c.known_gap,
        }


def _claim(entry: dict[str, Any]) -> Claim:
    where = f"datasheet_claims.toml: claim {entry.get('id', '?')!r}"
    for key in ("id", "statement", "kind", "examples", "figure", "stated"):
        if key not in entry:
            raise DataFileError(f"{where}: missing '{key}'")
    if entry["kind"] not in _MEASURES:
        raise DataFileError(
            f"{where}: kind = {entry['kind']!r}; valid: {', '.join(_MEASURES)}"
        )
    if entry["stated"] not in ("at_least", "about"):
        raise DataFileError(
            f"{where}: stated = {entry['stated']!r}; valid: at_least, about"
        )
    conditions = {
        name: read_value(where, entry, name, unit)
        for name, unit in _CONDITIONS.items()
        if name in entry
    }
    return Claim(
        id=str(entry["id"]),
        statement=str(entry["statement"]),
        kind=str(entry["kind"]),
        examples=tuple(entry["examples"]),
        figure=read_value(where, entry, "figure", ""),
        stated=str(entry["stated"]),
        conditions=conditions,
        known_gap=str(entry["known_gap"]) if "known_gap" in entry else None,
    )


@cache
def claims() -> tuple[Claim, ...]:
    """Every published statement of ``datasheet_claims.toml``."""
    return tuple(_claim(entry) for entry in _FILE.data.get("claim", []))


def get_claim(claim_id: str) -> Claim:
    known = {c.id: c for c in claims()}
    if claim_id not in known:
        raise OptionError(f"unknown claim {claim_id!r}; valid: {', '.join(known)}")
    return known[claim_id]


def room_temperature() -> float:
    """The 'room temperature' of the claims [K]."""
    return _FILE.value("conditions", "room_temperature", "K")


# ------------------------------------------------------------------ measures
def _per_hour(rate_per_second: float) -> float:
    return rate_per_second * 3600.0


def _discharge(design: CellDesign, pset: Any, c_rate: float, temperature: float) -> Any:
    from natrium.sim.tables import rate_table

    return rate_table(design, pset, [c_rate], temperature=temperature).iloc[0]


def _low_temperature(claim: Claim, design: CellDesign, pset: Any) -> float:
    rate = _per_hour(claim.condition("rate"))
    cold = _discharge(design, pset, rate, claim.condition("temperature"))
    warm = _discharge(design, pset, rate, room_temperature())
    return float(cold["capacity_Ah"] / warm["capacity_Ah"])


def _rate_ratio(column: str) -> Callable[[Claim, CellDesign, Any], float]:
    def measure(claim: Claim, design: CellDesign, pset: Any) -> float:
        from natrium.sim.tables import rate_table

        rates = [
            _per_hour(claim.condition("rate")),
            _per_hour(claim.condition("reference_rate")),
        ]
        table = rate_table(design, pset, rates, temperature=room_temperature())
        return float(table[column].iloc[1] / table[column].iloc[0])  # sorted rates

    return measure


def _fast_charge(claim: Claim, design: CellDesign, pset: Any) -> float:
    from natrium.sim.simulation import simulate

    seconds = claim.condition("minutes")
    minutes = seconds / 60.0
    c_rate = claim.figure.value / (seconds / 3600.0)
    v_min, v_max = design.voltage_window
    reference = _FILE.value("conditions", "fast_charge_reference_rate", "1/s")
    steps = [
        f"Discharge at {_per_hour(reference):g}C until {v_min:g} V",
        "Rest for 1 hour",
        f"Charge at {c_rate:.6g}C for {minutes:g} minutes or until {v_max:g} V",
        f"Hold at {v_max:g} V for {minutes:g} minutes",
    ]
    data = simulate(design, pset, steps, temperature=room_temperature()).data
    t = data["time_s"].to_numpy()
    # PyBaMM's discharge capacity: up while discharging, down while charging
    q = data["discharge_capacity_Ah"].to_numpy()
    start = int(np.nonzero(data["current_A"].to_numpy() < 0)[0][0]) - 1
    charged = q[start] - float(np.interp(t[start] + seconds, t, q))
    return float(charged / q[start])


def _efficiency(claim: Claim, design: CellDesign, pset: Any) -> float:
    from natrium.sim.tables import round_trip_efficiency

    return round_trip_efficiency(
        design,
        pset,
        _per_hour(claim.condition("rate")),
        temperature=room_temperature(),
    )


_MEASURES: dict[str, Callable[[Claim, CellDesign, Any], float]] = {
    "low_temperature": _low_temperature,
    "rate": _rate_ratio("capacity_Ah"),
    "rate_energy": _rate_ratio("energy_Wh"),
    "fast_charge": _fast_charge,
    "energy_efficiency": _efficiency,
}


def measure(claim: Claim, design: CellDesign, parameter_set: Any) -> float:
    """natrium's figure for ``claim`` on ``design`` [-]."""
    for key in claim.refs:
        citations.register(key)
    return _MEASURES[claim.kind](claim, design, parameter_set)


# ------------------------------------------------------------------ checks
def claims_for(design: CellDesign) -> tuple[tuple[str, Claim], ...]:
    """(example, claim) pairs whose example is ``design`` (by its name)."""
    from natrium.io import load_example

    pairs = []
    for claim in claims():
        for example in claim.examples:
            if load_example(example).name == design.name:
                pairs.append((example, claim))
    return tuple(pairs)


def check(
    design: CellDesign,
    parameter_set: Any,
    claim_ids: Sequence[str] | None = None,
    *,
    example: str | None = None,
) -> list[ClaimCheck]:
    """Simulate the claims of ``design``'s class (or ``claim_ids``) on it."""
    if claim_ids:
        pairs = [(example or design.name, get_claim(c)) for c in claim_ids]
    else:
        pairs = list(claims_for(design))
        if not pairs:
            known = sorted({e for c in claims() for e in c.examples})
            raise OptionError(
                f"no published claims for {design.name!r}; name them with "
                f"--claim ID, or use a shipped example: {', '.join(known)}"
            )
    return [
        ClaimCheck(claim, name, measure(claim, design, parameter_set))
        for name, claim in pairs
    ]


def table(checks: Sequence[ClaimCheck]) -> pd.DataFrame:
    """The checks as a table, one row each."""
    return pd.DataFrame([c.to_dict() for c in checks])
