"""The sources behind natrium's numbers, and the ones a result depended on.

Every default number in natrium's data files carries a citation key (for
example ``Chayambuka2022``) that resolves to an entry in one of the TOML files
of this package. Code that uses a source calls :func:`register`, as in PyBaMM,
so that :func:`cited` lists exactly the sources a run depended on.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from natrium._toml import read_toml
from natrium.exceptions import DataFileError, OptionError

_HERE = Path(__file__).parent

#: Keys that mark a number as an estimate or a derivation rather than a source.
NON_SOURCES = frozenset({"estimate", "derived", "assumption"})

_registered: dict[str, None] = {}  # insertion-ordered set


class _Open(threading.local):
    """The open collect() blocks of one thread: a result computed in one
    thread (a web request, a background job) lists only its own sources."""

    def __init__(self) -> None:
        self.blocks: list[dict[str, None]] = []


_open = _Open()


@cache
def references() -> dict[str, dict[str, Any]]:
    """All known references, keyed by citation key."""
    refs: dict[str, dict[str, Any]] = {}
    for path in sorted(_HERE.glob("*.toml")):
        data = read_toml(path, "reference file")
        for key, entry in data.items():
            if key in refs:
                raise DataFileError(
                    f"citation key {key!r} is defined twice (again in {path.name})"
                )
            refs[key] = entry
    return refs


def is_known(key: str) -> bool:
    return key in NON_SOURCES or key in references()


def format_reference(key: str) -> str:
    """One-line reference in IEEE-like style."""
    if key in NON_SOURCES:
        return f"{key}: natrium {key}, see the note beside the value"
    try:
        ref = references()[key]
    except KeyError as err:
        raise OptionError(f"unknown citation key {key!r}") from err
    parts = [ref.get("authors", ""), f'"{ref.get("title", "")}"']
    venue = ref.get("journal") or ref.get("publisher") or ""
    if venue:
        parts.append(venue)
    if ref.get("volume"):
        parts.append(f"vol. {ref['volume']}")
    if ref.get("pages"):
        parts.append(f"p. {ref['pages']}")
    parts.append(str(ref.get("year", "n.d.")))
    if ref.get("doi"):
        parts.append(f"doi:{ref['doi']}")
    elif ref.get("url"):
        parts.append(str(ref["url"]))
    return f"[{key}] " + ", ".join(p for p in parts if p)


def register(keys: str | Iterable[str]) -> None:
    """Record that the current run used these sources."""
    for key in [keys] if isinstance(keys, str) else keys:
        if key not in NON_SOURCES:
            _registered[key] = None
            for collector in _open.blocks:
                collector[key] = None


@contextmanager
def collect() -> Iterator[dict[str, None]]:
    """The keys registered inside a ``with`` block, without clearing anyone else's.

    >>> with collect() as used:
    ...     register("CIAAW2021")
    >>> list(used)
    ['CIAAW2021']
    """
    keys: dict[str, None] = {}
    blocks = _open.blocks
    blocks.append(keys)
    try:
        yield keys
    finally:
        # by identity: two open collectors may hold equal keys
        del blocks[next(i for i, c in enumerate(blocks) if c is keys)]


def cited() -> list[str]:
    """Citation keys registered since the last :func:`reset`."""
    return list(_registered)


def reset() -> None:
    _registered.clear()
