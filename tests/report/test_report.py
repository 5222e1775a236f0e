"""The study report, rendered in headless Chromium (issue 13): every plot is
drawn, nothing is fetched from the network, and the page says its sources."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from natrium.cli import main

#: The seed study's plots (natrium.report.html): bill of materials, discharge,
#: rate, cost and the UPS comparison.
SEED_PLOTS = ["bom", "discharge", "rate", "cost", "ups-pw_power"]


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("seed") / "out"
    assert main(["demo", "--out", str(out), "--json"]) == 0
    return out / "report.html"


def _ink(png: bytes) -> tuple[float, int]:
    """Share of pixels that are not background white, and distinct colours."""
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).reshape(-1, 3)
    inked = np.count_nonzero(pixels.min(axis=1) < 235)
    return inked / len(pixels), len(np.unique(pixels, axis=0))


def _changed(png: bytes, other: bytes) -> float:
    """Share of pixels two screenshots of one element differ in."""
    a, b = (np.asarray(Image.open(io.BytesIO(x)).convert("RGB")) for x in (png, other))
    return float(np.mean(np.any(a != b, axis=2)))


def _render(chromium: str, report: Path, shots: Path) -> dict[str, object]:
    from playwright.sync_api import sync_playwright

    shots.mkdir(exist_ok=True)
    fetched: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.on(
            "request",
            lambda r: fetched.append(r.url) if not r.url.startswith("file:") else None,
        )
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(report.as_uri())
        drawn = (
            "[...document.querySelectorAll('.plot')]"
            ".every(d => d.querySelector('.main-svg'))"
        )
        page.wait_for_function(drawn, timeout=30_000)
        plots = {}
        for element in page.query_selector_all(".plot"):
            name = str(element.get_attribute("id")).removeprefix("plot-")
            png = element.screenshot()
            (shots / f"{name}.png").write_bytes(png)
            # the same plot with its data hidden: axes, labels and legend only
            element.evaluate("e => Plotly.restyle(e, {visible: false})")
            bare = element.screenshot()
            element.evaluate("e => Plotly.restyle(e, {visible: true})")
            plots[name] = {
                "ink": _ink(png),
                "data_share": _changed(png, bare),
                # plotly draws each trace as an SVG path or bar; a blank plot has none
                "marks": element.evaluate("e => e.querySelectorAll('g.trace').length"),
            }
        page.screenshot(path=str(shots / "report.png"), full_page=True)
        text = page.inner_text("body")
        browser.close()
    return {"plots": plots, "fetched": fetched, "errors": errors, "text": text}


def test_the_report_shows_every_plot_offline(chromium, seed_report, tmp_path):
    shown = _render(chromium, seed_report, tmp_path / "shots")
    assert shown["errors"] == []
    # self-contained: nothing requested beyond the file itself
    assert shown["fetched"] == []
    plots = shown["plots"]
    assert sorted(plots) == sorted(SEED_PLOTS)
    for name, plot in plots.items():
        ink, colours = plot["ink"]
        # something is drawn, in more than a frame's few greys
        assert ink > 0.005, (name, ink)
        assert colours > 50, (name, colours)
        # and the data themselves: hiding the traces changes at least 0.5 % of
        # the plot's pixels (a thin curve across it is about 1 %)
        assert plot["data_share"] > 0.005, (name, plot["data_share"])
        assert plot["marks"] > 0, name
    text = shown["text"]
    assert "Sources" in text
    assert "Altris" in text  # Ferrum's source is cited
    assert (tmp_path / "shots" / "report.png").stat().st_size > 50_000


def test_the_report_is_written_whole_or_not_at_all(seed_report):
    folder = seed_report.parent
    # no half-written temporary file is left beside it
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []
    html = seed_report.read_text(encoding="utf-8")
    assert html.rstrip().endswith("</html>")
    # every plot's data is in the page
    for name in SEED_PLOTS:
        assert f"id='plot-{name}'" in html
