"""Strict JSON of natrium's result dictionaries, for every face and the store.

A number without a value (NaN) or an unbounded one is null, and ``nulls``
records why at its path; numpy scalars and arrays become plain Python.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any


def strict(value: Any, nulls: dict[str, str] | None = None, at: str = "") -> Any:
    """``value`` as strict JSON data: a non-finite number is None (and
    ``nulls[at]`` says whether it was undefined or unbounded)."""
    if hasattr(value, "tolist") and not isinstance(value, str):  # numpy values
        value = value.tolist()
    if isinstance(value, float) and not math.isfinite(value):
        if nulls is not None:
            nulls[at] = "not defined here (NaN)" if value != value else "unbounded"
        return None
    if isinstance(value, Mapping):
        return {
            str(k): strict(v, nulls, f"{at}.{k}" if at else str(k))
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [strict(v, nulls, f"{at}[{i}]") for i, v in enumerate(value)]
    return value
