"""The results store: one DuckDB file, one row per design and step.

DuckDB is embedded (a file, nothing to start). The table ``results`` holds
``input_hash`` (its key: a hash of everything that went into the result and
the natrium version), ``study``, ``design_id``, ``step``, ``inputs`` and
``outputs`` (JSON text), ``natrium_version``, ``citations`` and ``created``.
Rows are written in transactions, each committed whole or not at all, and a
hash already stored is never written again: a run killed at any moment and
started again resumes where it was, loses no finished result and stores none
twice.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from natrium._json import strict
from natrium.exceptions import DataFileError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    input_hash VARCHAR PRIMARY KEY,
    study VARCHAR NOT NULL,
    design_id VARCHAR NOT NULL,
    step VARCHAR NOT NULL,
    inputs VARCHAR NOT NULL,
    outputs VARCHAR NOT NULL,
    natrium_version VARCHAR NOT NULL,
    citations VARCHAR[] NOT NULL,
    created TIMESTAMP NOT NULL
)
"""
_COLUMNS = (
    "input_hash",
    "study",
    "design_id",
    "step",
    "inputs",
    "outputs",
    "natrium_version",
    "citations",
    "created",
)


@dataclass(frozen=True)
class Row:
    """One result to store: what it is, what went in and what came out."""

    input_hash: str
    study: str
    design_id: str
    step: str
    inputs: Mapping[str, Any]
    outputs: Mapping[str, Any]
    natrium_version: str
    citations: Sequence[str]


def to_json(value: Any) -> str:
    """Strict JSON (NaN and infinities as null) of a result's dictionary."""
    return json.dumps(strict(value), sort_keys=True, default=repr)


class Store:
    """A DuckDB results file (created if missing)."""

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        import duckdb

        self.path = Path(path)
        if self.path.suffix.lower() not in (".duckdb", ".db"):
            raise DataFileError(
                f"store = {str(path)!r}: a results store is a .duckdb file"
            )
        if not self.path.parent.is_dir():
            raise DataFileError(
                f"store = {str(path)!r}: folder {str(self.path.parent)!r} does not "
                "exist"
            )
        if read_only and not self.path.is_file():
            raise DataFileError(f"store = {str(path)!r}: no such results store")
        try:
            self._db = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.Error as err:
            raise DataFileError(
                f"store = {str(path)!r}: not a DuckDB file ({err})"
            ) from err
        if not read_only:
            self._db.execute(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---------------------------------------------------------------- write
    def hashes(self, study: str | None = None) -> set[str]:
        """The input hashes already stored (of one study, or all)."""
        if study is None:
            rows = self._db.execute("SELECT input_hash FROM results").fetchall()
        else:
            rows = self._db.execute(
                "SELECT input_hash FROM results WHERE study = ?", [study]
            ).fetchall()
        return {r[0] for r in rows}

    def put(self, rows: Iterable[Row]) -> int:
        """Store ``rows`` in one transaction; hashes already stored are skipped.
        Returns how many were new."""
        now = datetime.now(UTC).replace(tzinfo=None)
        values = [
            (
                r.input_hash,
                r.study,
                r.design_id,
                r.step,
                to_json(r.inputs),
                to_json(r.outputs),
                r.natrium_version,
                list(r.citations),
                now,
            )
            for r in rows
        ]
        if not values:
            return 0
        before = self.count()
        with self._transaction():
            self._db.executemany(
                f"INSERT INTO results ({', '.join(_COLUMNS)}) VALUES "
                f"({', '.join('?' * len(_COLUMNS))}) ON CONFLICT DO NOTHING",
                values,
            )
        return self.count() - before

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # ----------------------------------------------------------------- read
    def count(self) -> int:
        row = self._db.execute("SELECT count(*) FROM results").fetchone()
        return int(row[0]) if row else 0

    def results(
        self, study: str | None = None, step: str | None = None
    ) -> pd.DataFrame:
        """The stored rows (inputs and outputs as JSON text), oldest first."""
        where, args = _where(study=study, step=step)
        return self._db.execute(
            f"SELECT * FROM results{where} ORDER BY created, design_id, step", args
        ).df()

    def outputs(self, step: str, study: str | None = None) -> pd.DataFrame:
        """One row per design of ``step``: the inputs' and outputs' plain
        (number or text) fields as columns, indexed by design id."""
        frame = self.results(study=study, step=step)
        records = []
        for _, row in frame.iterrows():
            inputs = json.loads(row["inputs"])
            outputs = json.loads(row["outputs"])
            record = {"design_id": row["design_id"]}
            record.update({f"in.{k}": v for k, v in _plain(inputs).items()})
            record.update(_plain(outputs))
            records.append(record)
        if not records:
            return pd.DataFrame(columns=["design_id"]).set_index("design_id")
        return pd.DataFrame.from_records(records).set_index("design_id").sort_index()

    def output(self, study: str, design_id: str, step: str) -> dict[str, Any]:
        """The full outputs of one stored result."""
        row = self._db.execute(
            "SELECT outputs FROM results WHERE study = ? AND design_id = ? "
            "AND step = ? ORDER BY created DESC LIMIT 1",
            [study, design_id, step],
        ).fetchone()
        if row is None:
            raise DataFileError(
                f"no stored {step!r} result of design {design_id!r} in study {study!r}"
            )
        out: dict[str, Any] = json.loads(row[0])
        return out

    def studies(self) -> pd.DataFrame:
        """Each stored study: its results, designs, steps and last write."""
        return self._db.execute(
            "SELECT study, count(*) AS results, count(DISTINCT design_id) AS "
            "designs, list(DISTINCT step ORDER BY step) AS steps, max(created) AS "
            "last_written FROM results GROUP BY study ORDER BY study"
        ).df()

    def to_parquet(self, path: str | Path) -> Path:
        """Export every row to a Parquet file."""
        path = Path(path)
        self._db.execute(
            f"COPY (SELECT * FROM results ORDER BY study, design_id, step) TO "
            f"'{_quoted(path)}' (FORMAT PARQUET)"
        )
        return path


def _plain(values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        k: v
        for k, v in values.items()
        if isinstance(v, int | float | str | bool) or v is None
    }


def _where(**given: str | None) -> tuple[str, list[str]]:
    used = {k: v for k, v in given.items() if v is not None}
    if not used:
        return "", []
    return " WHERE " + " AND ".join(f"{k} = ?" for k in used), list(used.values())


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")
