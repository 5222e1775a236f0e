"""The page in a real headless browser against a real server on 127.0.0.1
(issue 14): change a porosity, see the datasheet number and the plot change."""

from __future__ import annotations

import io
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pytest
from PIL import Image


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = _free_port()
    log = (tmp_path_factory.mktemp("serve") / "serve.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "natrium", "serve", "--port", str(port)],
        stdout=log,
        stderr=log,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(f"{url}/openapi.json", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail("natrium serve did not start")
    yield url
    process.terminate()
    process.wait(timeout=10)
    log.close()


@contextmanager
def _opened(chromium: str, server: str) -> Iterator[Any]:
    """The page in headless Chromium, its first plot drawn."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1250, "height": 1000})
        page.goto(server)
        page.wait_for_selector("#plot-bom .main-svg")
        yield page
        browser.close()


def _ink(png: bytes) -> float:
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).reshape(-1, 3)
    return float(np.count_nonzero(pixels.min(axis=1) < 235) / len(pixels))


def test_changing_a_porosity_changes_the_datasheet_and_the_plot(
    chromium, server, tmp_path
):
    from playwright.sync_api import sync_playwright

    fetched: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1250, "height": 1000})
        page.on(
            "request",
            lambda r: None if r.url.startswith(server) else fetched.append(r.url),
        )
        page.goto(server)
        page.wait_for_selector("#plot-bom .main-svg")
        page.wait_for_function("document.querySelector('#sheet').dataset.energy")
        before = float(page.eval_on_selector("#sheet", "e => e.dataset.energy"))
        # the page opens on the shipped example as it is: its figure is the
        # library's own
        from natrium import Chain

        shipped = Chain.from_example("pw_hc_pouch").datasheet().metrics
        assert before == pytest.approx(shipped["specific_energy_Wh_per_kg"], rel=1e-9)
        bom_before = page.eval_on_selector(
            "#plot-bom", "e => JSON.stringify(e.data[0].y)"
        )
        page.screenshot(path=str(tmp_path / "before.png"))
        # a denser cathode: less electrolyte per Wh, more Wh/kg
        page.fill("#porosity", "0.20")
        page.dispatch_event("#porosity", "change")
        page.wait_for_function(
            f"Number(document.querySelector('#sheet').dataset.energy) != {before}"
        )
        after = float(page.eval_on_selector("#sheet", "e => e.dataset.energy"))
        bom_after = page.eval_on_selector(
            "#plot-bom", "e => JSON.stringify(e.data[0].y)"
        )
        shot = page.screenshot(path=str(tmp_path / "after.png"))
        plot = page.locator("#plot-bom").screenshot()
        shown = page.inner_text("#sheet")
        browser.close()
    assert after > before
    assert bom_after != bom_before
    # the number on the page is the API's, as the table rounds it
    assert f"{after:.4g}" in shown
    assert fetched == []  # plotly is served by natrium, nothing from outside
    assert _ink(shot) > 0.02
    assert _ink(plot) > 0.02
    assert (tmp_path / "before.png").stat().st_size > 20_000


def test_the_plant_view_gives_mwh_from_mw(chromium, server, tmp_path):
    with _opened(chromium, server) as page:
        page.click("nav button[data-view=plant]")
        page.click("#plant-go")
        page.wait_for_selector("#plant-table tr")
        page.click("#cells-go")
        page.wait_for_selector("#cells-table tr")
        cathode = page.inner_text("#plant-table")
        cells = page.inner_text("#cells-table")
    assert "2000" in cathode  # the 2,000 t of cathode typed in
    # 600 MW a year of cells rated for 1.5 min is 15 MWh (plants.toml)
    assert "15.0" in cells


def test_the_ups_view_sizes_in_the_background(chromium, server, tmp_path):
    with _opened(chromium, server) as page:
        page.select_option("#example", "pw_hc_power_pouch")
        page.wait_for_timeout(500)
        page.click("nav button[data-view=ups]")
        page.click("#ups-go")
        page.wait_for_selector("#plot-ups .main-svg", timeout=120_000)
        rows = page.inner_text("#ups-table")
        page.screenshot(path=str(tmp_path / "ups.png"))
    assert "na_ion" in rows
    assert "vrla" in rows
