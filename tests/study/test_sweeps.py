"""Sweeps: samples, Pareto fronts, local processes, a real Dask cluster, and
a sweep killed at random moments (issue 13)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from natrium.study import (
    Store,
    SweepSpec,
    pareto_front,
    read_study,
    run_sweep,
    sweep_samples,
    sweep_table,
)


def _study(folder: Path, body: str, name: str = "sweep.toml") -> Path:
    path = folder / name
    path.write_text(
        '[study]\nname = "s"\n[designs]\npw = "example:pw_hc_pouch"\n' + body,
        encoding="utf-8",
    )
    return path


def test_a_latin_hypercube_puts_one_sample_in_every_stratum():
    # McKay, Beckman and Conover (1979): n samples, each parameter's range cut
    # into n equal strata, exactly one sample in each.
    n = 97
    spec = SweepSpec(
        design="pw",
        method="latin-hypercube",
        parameters={"cathode.porosity": (0.25, 0.40), "cell.np_ratio": (1.0, 1.3)},
        samples=n,
        seed=11,
    )
    frame = sweep_samples(spec)
    assert len(frame) == n
    for name, (low, high) in spec.parameters.items():
        strata = np.floor((frame[name].to_numpy() - low) / (high - low) * n)
        assert sorted(strata.astype(int)) == list(range(n))
    # the same seed draws the same design; another seed another
    assert sweep_samples(spec).equals(frame)
    other = sweep_samples(SweepSpec(**{**spec.__dict__, "seed": 12}))
    assert not other.equals(frame)


def test_a_grid_is_every_combination():
    spec = SweepSpec(
        design="pw",
        method="grid",
        parameters={"cathode.porosity": (0.3, 0.35, 0.4), "cell.np_ratio": (1.1, 1.2)},
    )
    frame = sweep_samples(spec)
    pairs = set(zip(frame["cathode.porosity"], frame["cell.np_ratio"], strict=True))
    assert pairs == {(p, r) for p in (0.3, 0.35, 0.4) for r in (1.1, 1.2)}
    prefix = frame.index[0][: -len("00000")]
    assert prefix.startswith("pw-")
    assert list(frame.index) == [f"{prefix}{i:05d}" for i in range(6)]
    # another sweep of the same design names its variants apart
    other = SweepSpec(**{**spec.__dict__, "parameters": {"cathode.porosity": (0.3,)}})
    assert not sweep_samples(other).index[0].startswith(prefix)


def test_the_pareto_front_by_brute_force():
    # a small case by hand: maximise a, minimise b
    frame = pd.DataFrame(
        {"a": [1.0, 2.0, 2.0, 3.0, 0.5], "b": [1.0, 1.0, 2.0, 3.0, 0.5]},
        index=list("pqrst"),
    )
    front = pareto_front(frame, {"a": "max", "b": "min"})
    # q beats p (more a, same b) and r (same a, less b); s has the most a,
    # t the least b
    assert list(front.index) == ["q", "s", "t"]
    # and three objectives on random data against the definition
    rng = np.random.default_rng(5)
    data = pd.DataFrame(rng.random((300, 3)), columns=["x", "y", "z"])
    senses = {"x": "max", "y": "min", "z": "max"}
    front = pareto_front(data, senses)
    signed = data.to_numpy() * np.array([-1, 1, -1])
    for i in range(len(data)):
        dominated = np.any(
            np.all(signed <= signed[i], axis=1) & np.any(signed < signed[i], axis=1)
        )
        assert (i in front.index) == (not dominated)


def test_sweep_parameters_are_read_in_units_and_checked(tmp_path):
    body = (
        '[sweep]\nmethod = "grid"\n[sweep.parameters]\n'
        '"cathode.areal_capacity" = ["2 mAh/cm^2", "30 C/cm^2"]\n'
        '"geometry.electrode_width" = ["90 mm", "0.1 m"]\n'
        '"operating.temperature" = ["0 degC", "25 degC"]\n'
    )
    spec = read_study(_study(tmp_path, body)).sweep
    # 1 mAh/cm2 = 36,000 C/m2; 30 C/cm2 = 300,000 C/m2
    assert spec.parameters["cathode.areal_capacity"] == pytest.approx((72e3, 3e5))
    assert spec.parameters["geometry.electrode_width"] == pytest.approx((0.09, 0.1))
    assert spec.parameters["operating.temperature"] == pytest.approx((273.15, 298.15))
    bad = body.replace('"0.1 m"', '"0.1 V"')
    with pytest.raises(
        Exception,
        match=r"bad.toml:9: .*geometry.electrode_width = .0.1 V. has the wrong unit",
    ):
        read_study(_study(tmp_path, bad, "bad.toml"))
    porous = body.replace("cathode.areal_capacity", "cathode.porosity").replace(
        '"2 mAh/cm^2", "30 C/cm^2"', '"0.3", "1.3"'
    )
    with pytest.raises(Exception, match=r"cathode.porosity = 1.3 is outside"):
        read_study(_study(tmp_path, porous, "porous.toml"))


SWEEP = """\
[sweep]
method = "latin-hypercube"
samples = 12
seed = 2
outputs = ["datasheet", "cost", "discharge"]
c_rate = "2 1/h"
[sweep.parameters]
"cathode.porosity" = ["0.28", "0.40"]
"cathode.areal_capacity" = ["2 mAh/cm^2", "3.5 mAh/cm^2"]
"""


def _rows(path: Path) -> dict[tuple[str, str], dict]:
    with Store(path) as store:
        frame = store.results(study="s")
    return {(r.design_id, r.step): json.loads(r.outputs) for r in frame.itertuples()}


def _same(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for key in a:
        for field, value in a[key].items():
            other = b[key][field]
            if isinstance(value, float):
                # one solver, one input: the same number to its last digits
                assert other == pytest.approx(value, rel=1e-9), (key, field)
            else:
                assert other == value, (key, field)


@pytest.fixture(scope="module")
def local_sweep(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sweep")
    study = read_study(_study(folder, SWEEP))
    with Store(folder / "one.duckdb") as store:
        summary = run_sweep(study, store)
        table = sweep_table(store, study)
    assert summary.computed == 3 * 12
    return study, folder / "one.duckdb", table


def test_a_sweep_stores_every_variant_and_output_once(local_sweep):
    study, path, table = local_sweep
    assert len(table) == 12
    assert table["discharge.capacity_Ah"].notna().all()
    # a 2C discharge gives less than the open-circuit datasheet's capacity
    assert (table["discharge.capacity_Ah"] < table["capacity_Ah"]).all()
    # a thicker cathode (more mAh/cm2) costs less per kWh: fewer foils and
    # separators per Ah (the ranking, not a number)
    by_loading = table.sort_values("in.cathode.areal_capacity")
    assert by_loading["usd_per_kWh"].iloc[0] > by_loading["usd_per_kWh"].iloc[-1]
    with Store(path) as store:
        again = run_sweep(study, store)
    assert (again.computed, again.stored_before) == (0, 36)


def test_two_local_processes_give_the_local_result(local_sweep, tmp_path):
    study, path, _ = local_sweep
    with Store(tmp_path / "two.duckdb") as store:
        run_sweep(study, store, workers=2)
    _same(_rows(path), _rows(tmp_path / "two.duckdb"))


def test_a_dask_cluster_gives_the_local_result(local_sweep, tmp_path):
    # A real scheduler and two worker processes on 127.0.0.1.
    from distributed import LocalCluster

    from natrium.sim import get_parameter_set

    study, path, _ = local_sweep
    # and a set with materials of its own (loaded from its folder, which a
    # fresh worker process has not seen): Chayambuka's NVPF / hard carbon
    chayambuka = get_parameter_set("chayambuka2022")
    (tmp_path / "own.toml").write_text(
        '[study]\nname = "s"\n'
        f'[designs]\ncoin = "{chayambuka.design_file}"\n'
        '[parameter_sets]\ncoin = "chayambuka2022"\n'
        '[sweep]\nmethod = "grid"\noutputs = ["datasheet", "discharge"]\n'
        '[sweep.parameters]\n"cathode.porosity" = ["0.23", "0.27", "0.30", "0.33"]\n'
    )
    own = read_study(tmp_path / "own.toml")
    with Store(tmp_path / "own-local.duckdb") as store:
        run_sweep(own, store)
    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        with Store(tmp_path / "dask.duckdb") as store:
            run_sweep(study, store, scheduler=cluster.scheduler_address)
        with Store(tmp_path / "own-dask.duckdb") as store:
            run_sweep(own, store, scheduler=cluster.scheduler_address)
    _same(_rows(path), _rows(tmp_path / "dask.duckdb"))
    _same(_rows(tmp_path / "own-local.duckdb"), _rows(tmp_path / "own-dask.duckdb"))


def test_no_scheduler_at_an_address_is_one_clear_error(local_sweep, tmp_path):
    study, _, _ = local_sweep
    with (
        Store(tmp_path / "x.duckdb") as store,
        pytest.raises(Exception, match="no Dask scheduler answers there"),
    ):
        run_sweep(study, store, scheduler="tcp://127.0.0.1:9")


KILLED = """\
[sweep]
method = "latin-hypercube"
samples = 500
seed = 3
outputs = ["datasheet"]
[sweep.parameters]
"cathode.porosity" = ["0.25", "0.40"]
"cathode.areal_capacity" = ["1.5 mAh/cm^2", "4 mAh/cm^2"]
"""


def _sweep_command(study: Path, store: Path) -> list[str]:
    return [sys.executable, "-m", "natrium", "sweep", str(study), "--store", str(store)]


def test_a_sweep_killed_at_random_moments_resumes_to_the_same_store(tmp_path):
    # 500 designs; SIGKILL at a random moment of the run, 10 times, starting
    # again each time; then to the end. The store must hold every design once,
    # equal to a run never interrupted.
    study = _study(tmp_path, KILLED)
    clean = tmp_path / "clean.duckdb"
    start = time.monotonic()
    subprocess.run(_sweep_command(study, clean), check=True, capture_output=True)
    duration = time.monotonic() - start
    killed = tmp_path / "killed.duckdb"
    rng = random.Random(13)
    interrupted = 0
    for _ in range(10):
        process = subprocess.Popen(
            _sweep_command(study, killed),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.0, duration))
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            interrupted += 1
        process.wait()
        if killed.exists():
            with Store(killed) as store:
                # never a design twice, whatever the moment
                frame = store.results(study="s")
                assert frame["design_id"].is_unique
    assert interrupted >= 5  # the kills landed while the sweep was running
    subprocess.run(_sweep_command(study, killed), check=True, capture_output=True)
    with Store(killed) as store:
        assert store.count() == 500
    _same(_rows(clean), _rows(killed))
