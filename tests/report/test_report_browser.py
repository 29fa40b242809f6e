"""The HTML report in headless Chromium, as a person opens it: a real run's report at 1,280x800
shows every verdict without scrolling, never scrolls sideways, draws every chart, logs no error;
a screenshot of that first screen is saved next to the report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from framematrix.claims import RUN_CLAIMS
from framematrix.report import export
from framematrix.report.html import chart_list
from framematrix.report.model import build
from support.runs import article_like, make_run, trials

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 1280, 800

CHARTS = """
return [...document.querySelectorAll('svg.chart')].map(svg => {
  const box = svg.getBoundingClientRect();
  return {label: svg.getAttribute('aria-label'), width: box.width, height: box.height,
          left: box.left, right: box.right,
          marks: svg.querySelectorAll('g rect, g polyline, g circle, g line').length,
          visible: getComputedStyle(svg).visibility === 'visible'
                   && getComputedStyle(svg).display !== 'none'};
});
"""
VERDICTS = """
return [...document.querySelectorAll('#answer ol.verdicts .verdict')].map(e => {
  const box = e.getBoundingClientRect();
  return {text: e.textContent.trim(), top: box.top, bottom: box.bottom, width: box.width};
});
"""
PAGE = """
const page = document.documentElement;
return {scrollWidth: page.scrollWidth, clientWidth: page.clientWidth,
        innerWidth: window.innerWidth, innerHeight: window.innerHeight, scrollY: window.scrollY,
        boxes: [...document.querySelectorAll('.scroll')].map(b => [b.scrollWidth, b.clientWidth])};
"""


def viewport(browser: Any, width: int, height: int) -> None:
    """The page's own viewport, exactly (a window's size also counts its frame)."""
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": False,
    })  # fmt: skip


def check_charts(browser: Any, expected: int) -> None:
    charts = browser.execute_script(CHARTS)
    assert len(charts) == expected > 0
    page = browser.execute_script(PAGE)
    for chart in charts:
        assert chart["visible"], chart
        assert chart["width"] > 200 and chart["height"] > 100, chart
        assert chart["left"] >= 0 and chart["right"] <= page["clientWidth"], chart
        assert chart["marks"] > 0, chart  # each chart drew marks, not only axes


def test_a_real_runs_report_leads_with_the_answer(browser: Any, real_run: Any) -> None:
    report = build(real_run.run)
    page = real_run.run.path / "report.html"
    viewport(browser, WIDTH, HEIGHT)
    browser.get(page.as_uri())
    assert browser.title == f"framematrix run {real_run.run.id}"

    layout = browser.execute_script(PAGE)
    assert (layout["innerWidth"], layout["innerHeight"], layout["scrollY"]) == (WIDTH, HEIGHT, 0)
    assert layout["scrollWidth"] <= layout["clientWidth"], layout  # no sideways scrolling
    for inner, outer in layout["boxes"]:
        assert inner <= outer + 1, layout  # the tables fit without scrolling their own box

    verdicts = browser.execute_script(VERDICTS)
    assert len(verdicts) == len(report.claims) == len(RUN_CLAIMS)
    for verdict in verdicts:
        assert verdict["top"] >= 0 and verdict["bottom"] <= HEIGHT, verdict  # seen unscrolled
        assert verdict["text"].split(" ", 1)[1] in {"holds", "does not hold", "cannot tell"}
    assert browser.find_element("id", "answer").find_element("css selector", ".quality").text

    check_charts(browser, len(chart_list(report)))
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []

    screenshot = real_run.run.path / "report.png"
    assert browser.save_screenshot(str(screenshot))
    assert screenshot.stat().st_size > 10_000
    links = [a.get_attribute("href").rsplit("#", 1)[1]
             for a in browser.find_elements("css selector", "header nav a")]  # fmt: skip
    for anchor in links:  # every link of the first screen leads to its section
        assert browser.find_element("id", anchor).is_displayed()
    assert {"claims", "matrix", "charts", "latency", "environment"} <= set(links)


def test_every_chart_of_a_many_point_report_renders(browser: Any, tmp_path: Path) -> None:
    results = article_like() + article_like("list-posts", 16) + article_like("crud", 16)
    results += trials("flask-as-published", (300, 320), scenario="list-posts", concurrency=16)
    run = make_run(tmp_path / "runs", results)
    report = build(run)
    page = run.path / "report.html"
    page.write_text(export.render(report, "html"), encoding="utf-8")

    viewport(browser, WIDTH, HEIGHT)
    browser.get(page.as_uri())
    layout = browser.execute_script(PAGE)
    assert layout["scrollWidth"] <= layout["clientWidth"], layout
    check_charts(browser, len(chart_list(report)))
    assert len(chart_list(report)) >= 10
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []
