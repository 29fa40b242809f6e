"""The HTML report in headless Chromium: it renders offline, every chart is visible inside the
page, the console stays clean; a screenshot is saved next to the report for a person to see."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from framematrix.report import export
from framematrix.report.html import chart_list
from framematrix.report.model import build
from support.runs import article_like, make_run, trials

pytestmark = pytest.mark.browser


BOXES = """
const page = document.documentElement;
return [...document.querySelectorAll('svg.chart')].map(svg => {
  const box = svg.getBoundingClientRect();
  return {label: svg.getAttribute('aria-label'), width: box.width, height: box.height,
          left: box.left + window.scrollX, top: box.top + window.scrollY,
          right: box.right + window.scrollX, bottom: box.bottom + window.scrollY,
          pageWidth: page.scrollWidth, pageHeight: page.scrollHeight,
          visible: getComputedStyle(svg).visibility === 'visible'
                   && getComputedStyle(svg).display !== 'none'};
});
"""


def test_the_report_renders_with_every_chart_visible(browser: Any, tmp_path: Path) -> None:
    results = article_like() + article_like("list-posts", 16) + article_like("crud", 16)
    results += trials("flask-as-published", (300, 320), scenario="list-posts", concurrency=16)
    run = make_run(tmp_path / "runs", results)
    report = build(run)
    page = run.path / "report.html"
    page.write_text(export.render(report, "html"), encoding="utf-8")

    browser.get(page.as_uri())
    assert browser.title == f"framematrix run {run.id}"
    boxes = browser.execute_script(BOXES)
    assert len(boxes) == len(chart_list(report)) >= 10
    for box in boxes:
        assert box["visible"], box
        assert box["width"] > 100 and box["height"] > 100, box
        assert box["left"] >= 0 and box["top"] >= 0, box
        assert box["right"] <= box["pageWidth"] and box["bottom"] <= box["pageHeight"], box
    # each chart drew marks, not only axes
    marks = browser.execute_script(
        "return [...document.querySelectorAll('svg.chart')]"
        ".map(s => s.querySelectorAll('g rect, g polyline').length)"
    )
    assert all(count > 0 for count in marks), marks
    claims = browser.find_element("css selector", "td.verdict").text
    assert claims in {"holds", "does not hold", "cannot tell"}

    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []

    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1280, min(int(height) + 100, 16000))
    screenshot = run.path / "report.png"
    assert browser.save_screenshot(str(screenshot))
    assert screenshot.stat().st_size > 10_000
