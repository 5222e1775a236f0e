"""natrium: sodium-ion battery engineering from materials to megawatts."""

from natrium.exceptions import (
    DataFileError,
    NatriumError,
    OptionError,
    ParameterError,
    UnitError,
)

__version__ = "0.1.0"

__all__ = [
    "DataFileError",
    "NatriumError",
    "OptionError",
    "ParameterError",
    "UnitError",
    "__version__",
]
