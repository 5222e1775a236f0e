"""natrium: sodium-ion battery engineering from materials to megawatts.

``from natrium import Chain`` gives the one object that takes a cell design
through every model (:mod:`natrium.chain`); it is imported on first use so that
``import natrium`` stays light.
"""

from typing import TYPE_CHECKING, Any

from natrium.exceptions import (
    DataFileError,
    NatriumError,
    OptionError,
    ParameterError,
    UnitError,
)

__version__ = "0.1.0"

if TYPE_CHECKING:
    from natrium.chain import Chain


def __getattr__(name: str) -> Any:
    if name == "Chain":
        from natrium.chain import Chain

        return Chain
    raise AttributeError(f"module 'natrium' has no attribute {name!r}")


__all__ = [
    "Chain",
    "DataFileError",
    "NatriumError",
    "OptionError",
    "ParameterError",
    "UnitError",
    "__version__",
]
