"""The web app's JSON API (issue 14): figures equal to the library's, bad
input a 4xx naming the field, nothing outside the store and the output
folder reachable, and the API fuzzed against its own OpenAPI schema."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient

from natrium import Chain
from natrium.study import Store, read_study, run_study
from natrium.web import create_app


def _stored(folder, name):
    """A store holding one study of one datasheet."""
    study = folder / f"{name}.toml"
    study.write_text(
        f'[study]\nname = "{name}"\n[designs]\npw = "example:pw_hc_pouch"\n'
        '[[steps]]\nkind = "datasheet"\n'
    )
    with Store(folder / "r.duckdb") as store:
        run_study(read_study(study), store)
    return folder / "r.duckdb"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("web")
    _stored(folder, "web")
    out = folder / "out"
    out.mkdir()
    (out / "report.html").write_text("<html>a report</html>")
    (folder / "secret.txt").write_text("outside the output folder")
    with TestClient(create_app(folder / "r.duckdb", out)) as client:
        yield client


def test_the_datasheet_is_the_librarys(served):
    body = {"example": "pw_hc_pouch", "changes": {"cathode.porosity": 0.36}}
    out = served.post("/api/datasheet", json=body).json()
    from natrium.io import load_example
    from natrium.sim.sweep import variant_design

    design = variant_design(load_example("pw_hc_pouch"), {"cathode.porosity": 0.36})
    expected = Chain(design).datasheet().metrics
    assert out["specific_energy_Wh_per_kg"] == pytest.approx(
        expected["specific_energy_Wh_per_kg"], rel=1e-12
    )
    assert {r["name"] for r in out["bom"]} >= {"cathode active", "electrolyte"}
    # a unit string is read as such: 3 mAh/cm2 = 108,000 C/m2
    typed = served.post(
        "/api/datasheet",
        json={
            "example": "pw_hc_pouch",
            "changes": {"cathode.areal_capacity": "3 mAh/cm^2"},
        },
    ).json()
    si = served.post(
        "/api/datasheet",
        json={"example": "pw_hc_pouch", "changes": {"cathode.areal_capacity": 108000}},
    ).json()
    assert typed["capacity_Ah"] == pytest.approx(si["capacity_Ah"], rel=1e-12)


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        (
            "/api/datasheet",
            {"example": "pw_hc_pouch", "changes": {"cathode.porosity": 1.3}},
            "cathode.porosity = 1.3 is outside (0, 1) [-]",
        ),
        (
            "/api/datasheet",
            {"example": "pw_hc_pouch", "changes": {"cathode.areal_capacity": "3 V"}},
            "cathode.areal_capacity = '3 V' has the wrong unit",
        ),
        ("/api/datasheet", {"example": "unobtainium"}, "is not a shipped design"),
        (
            "/api/datasheet",
            {"example": "pw_hc_pouch", "changes": {"cathode.colour": 1}},
            "changes.cathode.colour: not a design parameter",
        ),
        ("/api/datasheet", {}, "give example"),
        (
            "/api/cost",
            {"example": "pw_hc_pouch", "output_gwh": "-1"},
            "output_gwh = '-1' is outside",
        ),
        (
            "/api/ups",
            {"example": "pw_hc_power_pouch", "load_kw": "2 MJ", "runtime_min": 5},
            "load_kw = '2 MJ' has the wrong unit",
        ),
        ("/api/plant/cathode", {"example": "pw_hc_pouch"}, "give tonnes or gwh"),
        (
            "/api/plant/cathode",
            {"example": "pw_hc_pouch", "tonnes": "2000 m"},
            "tonnes = '2000 m' has the wrong unit",
        ),
    ],
)
def test_bad_input_is_a_422_naming_the_field(served, path, body, message):
    response = served.post(path, json=body)
    assert response.status_code == 422
    assert message in response.json()["detail"]


def test_a_background_simulation_is_polled_while_the_api_answers(served):
    job = served.post("/api/simulate", json={"example": "pw_hc_pouch"}).json()["job"]
    # the page is not blocked: a datasheet answers while the DFN runs
    start = time.perf_counter()
    served.post("/api/datasheet", json={"example": "nfm_hc_18650"})
    assert time.perf_counter() - start < 2.0
    for _ in range(300):
        state = served.get(f"/api/jobs/{job}").json()
        if state["state"] != "running":
            break
        time.sleep(0.1)
    assert state["state"] == "done", state
    expected = Chain.from_example("pw_hc_pouch").simulate().value.summary
    assert state["result"]["discharge_capacity_Ah"] == pytest.approx(
        expected["discharge_capacity_Ah"], rel=1e-9
    )
    assert served.get("/api/jobs/nonsense").status_code == 404


def test_the_stores_studies_are_read_only(served):
    studies = served.get("/api/studies").json()["studies"]
    assert [s["study"] for s in studies] == ["web"]
    results = served.get("/api/studies/web/results").json()["results"]
    assert results[0]["step"] == "datasheet"
    assert served.get("/api/studies/none/results").status_code == 404
    # nothing writes: no POST, PUT or DELETE on the store's paths
    assert served.delete("/api/studies/web/results").status_code == 405
    assert served.post("/api/studies/web/results", json={}).status_code == 405


TRAVERSALS = [
    "../secret.txt",
    "..%2Fsecret.txt",
    "%2e%2e/secret.txt",
    "....//secret.txt",
    "/etc/passwd",
    "%2Fetc%2Fpasswd",
    "..\\secret.txt",
    "report.html/../../secret.txt",
]


@pytest.mark.parametrize("name", TRAVERSALS)
def test_no_path_leads_out_of_the_output_folder(served, name):
    response = served.get(f"/api/output/{name}")
    assert response.status_code in (404, 422)
    assert "outside the output folder" not in response.text


@pytest.mark.parametrize("name", ["../../etc/passwd", "/etc/passwd", "..\\pw_hc_pouch"])
def test_no_example_name_is_a_path(served, name):
    response = served.post("/api/datasheet", json={"example": name})
    assert response.status_code == 422
    # and a design that asks to load material files from disk is refused
    body = {"design": {"materials": {"files": ["../secret.txt"]}}}
    refused = served.post("/api/datasheet", json=body)
    assert refused.status_code == 422
    assert "material files cannot be loaded" in refused.json()["detail"]


@pytest.mark.parametrize("name", ["web/../../x", "../r", "%2e%2e"])
def test_no_study_name_is_a_path(served, name):
    assert served.get(f"/api/studies/{name}/results").status_code == 404


def test_the_output_folders_own_files_are_served(served):
    response = served.get("/api/output/report.html")
    assert response.status_code == 200
    assert "a report" in response.text


def test_concurrent_requests_get_their_own_figures_and_sources(tmp_path):
    # A fresh app hit by threads at once: every answer equals the serial one,
    # sources included (citations are collected per thread, and the material
    # library loads once under a lock).
    from concurrent.futures import ThreadPoolExecutor

    bodies = [
        ("/api/datasheet", {"example": "pw_hc_pouch"}),
        ("/api/cost", {"example": "lfp_graphite_prismatic"}),
        (
            "/api/datasheet",
            {"example": "nfm_hc_18650", "changes": {"cathode.porosity": 0.33}},
        ),
        ("/api/cost", {"example": "pw_hc_power_pouch"}),
    ] * 6
    with TestClient(create_app()) as client:
        with ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(lambda b: client.post(b[0], json=b[1]), bodies))
        assert all(a.status_code == 200 for a in answers), [a.text for a in answers]
        serial = {
            (path, repr(body)): client.post(path, json=body).json()
            for path, body in bodies[:4]
        }
    for (path, body), answer in zip(bodies, answers, strict=True):
        expected = serial[(path, repr(body))]
        got = answer.json()
        assert got["citations"] == expected["citations"], path
        key = "usd_per_kWh" if path == "/api/cost" else "specific_energy_Wh_per_kg"
        assert got[key] == pytest.approx(expected[key], rel=1e-12)


def test_reading_the_store_does_not_change_it(tmp_path):
    import hashlib

    _stored(tmp_path, "ro")
    before = hashlib.sha256((tmp_path / "r.duckdb").read_bytes()).hexdigest()
    with TestClient(create_app(tmp_path / "r.duckdb")) as client:
        assert client.get("/api/studies").status_code == 200
        assert client.get("/api/studies/ro/results").status_code == 200
    after = hashlib.sha256((tmp_path / "r.duckdb").read_bytes()).hexdigest()
    assert after == before


def test_an_expression_that_would_never_end_is_refused_at_once(served):
    start = time.perf_counter()
    response = served.post(
        "/api/datasheet",
        json={
            "example": "pw_hc_pouch",
            "changes": {"cathode.areal_capacity": "9**9**9 mAh/cm^2"},
        },
    )
    assert response.status_code == 422
    assert "no powers of numbers" in response.json()["detail"]
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize("price", [float("inf"), 1e308, -1.0, 0.0])
def test_prices_out_of_range_are_refused(served, price):
    body = {"example": "pw_hc_pouch", "prices": {"cathode active": price}}
    response = served.post("/api/cost", content=__import__("json").dumps(body))
    assert response.status_code == 422
