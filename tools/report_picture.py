"""The README's picture of a report: the seed study rendered in headless
Chromium, its first screens saved as a PNG.

Run: python tools/report_picture.py [--out docs/report.png]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from natrium.cli import main as natrium


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/report.png"))
    args = parser.parse_args()
    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("needs Debian's chromium: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "seed"
        if natrium(["demo", "--out", str(out), "--json"]) != 0:
            raise SystemExit("the seed study failed")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1100, "height": 1500})
            page.goto((out / "report.html").as_uri())
            page.wait_for_selector("#plot-ups-pw_power .main-svg")
            args.out.parent.mkdir(exist_ok=True)
            # the datasheets, the bill of materials and the discharge curves
            top = page.locator("h1").bounding_box()
            end = page.locator("#plot-discharge").bounding_box()
            if top is None or end is None:
                raise SystemExit("the report has no title or discharge plot")
            height = end["y"] + end["height"] - top["y"]
            clip = {"x": 0, "y": top["y"], "width": 1100, "height": height}
            page.screenshot(path=str(args.out), clip=clip, full_page=True)
            browser.close()
    print(args.out)


if __name__ == "__main__":
    main()
