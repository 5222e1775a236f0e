"""Read a TOML file, turning every way it can be unreadable into one error."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from natrium.exceptions import DataFileError


def read_toml(path: Path, what: str) -> dict[str, Any]:
    """The parsed file; a :class:`DataFileError` naming ``what`` and the file
    when it is missing, not UTF-8 or not TOML."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise DataFileError(f"cannot read {what} {path}: {err.strerror}") from err
    except UnicodeDecodeError as err:
        raise DataFileError(f"{path.name}: not UTF-8 text ({err.reason})") from err
    except tomllib.TOMLDecodeError as err:
        raise DataFileError(f"{path.name}: malformed TOML: {err}") from err
