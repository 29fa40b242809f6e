"""The page in headless Chromium: fill the questionnaire, submit, read ranking and reasons; the
questionnaire's layout at a phone's and a desktop's width; start a short bench, watch its progress
move and its result appear; and no console errors."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser


def unfold(browser) -> None:  # type: ignore[no-untyped-def]
    """Open every folded group of questions, as a user clicks its title."""
    from selenium.webdriver.common.by import By

    for title in browser.find_elements(
        By.CSS_SELECTOR, "#questionnaire details:not([open]) > summary"
    ):
        title.click()


def test_fill_submit_and_read_the_result(browser, ui_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import Select, WebDriverWait

    browser.set_window_size(1200, 3000)
    browser.get(ui_url + "/")
    assert "Django, FastAPI or Flask?" in browser.title
    unfold(browser)
    Select(browser.find_element(By.ID, "app_kind")).select_by_value("web")
    Select(browser.find_element(By.ID, "needs_admin")).select_by_value("yes")
    Select(browser.find_element(By.ID, "team_experience")).select_by_value("learning")
    browser.find_element(By.ID, "team_size").send_keys("4")
    browser.find_element(By.ID, "peak_rps").send_keys("300")
    browser.find_element(By.ID, "submit").click()

    # the click starts a navigation: wait for the result page rather than race it
    ranking = WebDriverWait(browser, 20).until(
        expected_conditions.presence_of_element_located((By.ID, "ranking"))
    )
    rows = ranking.find_elements(By.TAG_NAME, "tr")[1:]
    names = [r.find_elements(By.TAG_NAME, "td")[1].text for r in rows]
    assert names[0] == "Django"
    assert sorted(names) == ["Django", "FastAPI", "Flask"]
    assert browser.find_element(By.ID, "tree-verdict").text == "Django"
    reasons = browser.find_element(By.ID, "reasons").text
    assert "Admin panel" in reasons and "article § Code Comparison" in reasons
    assert browser.find_element(By.ID, "sensitivity").text
    # the kind beside each contribution, the evidence used, and the claims ledger
    assert "Django (article-opinion)" in reasons and "(article-figure)" in reasons
    assert "rests on measurement" in browser.find_element(By.ID, "winner").text
    assert "no usable run" in browser.find_element(By.ID, "run-used").text
    ledger = browser.find_element(By.ID, "claims-ledger").text
    assert "FastAPI has fewer dependencies than Django" in ledger and "measured" in ledger
    assert "$80 (4 workers)" in browser.find_element(By.ID, "capacity").text
    # the answers stay in the form after submitting
    assert browser.find_element(By.ID, "team_size").get_attribute("value") == "4"

    browser.save_screenshot(str(tmp_path / "decision.png"))
    assert (tmp_path / "decision.png").stat().st_size > 0
    problems = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    assert problems == []


LAYOUT = """
const visible = e => e.checkVisibility();
const text = label => {  // the box around a label's words, without the checkbox it wraps
  const range = document.createRange();
  const words = [...label.childNodes].filter(n => n.nodeType === 3 && n.textContent.trim());
  range.setStartBefore(words[0]); range.setEndAfter(words[words.length - 1]);
  return range.getBoundingClientRect();
};
return {
  inner: innerWidth, scroll: document.scrollingElement.scrollWidth,
  order: [...document.querySelectorAll('#questionnaire .q')].map(q => q.id.slice(2)),
  leading: [...document.querySelectorAll('#group-leading .q')].map(q => q.id.slice(2)),
  shown: [...document.querySelectorAll('#questionnaire .q')].filter(visible).length,
  columns: [...document.querySelectorAll('#questionnaire .qs')].filter(visible).map(grid =>
    new Set([...grid.querySelectorAll('.q')].map(q => q.getBoundingClientRect().left)).size),
  checks: [...document.querySelectorAll('#questionnaire input[type=checkbox]')].map(box => {
    const label = box.closest("label") || document.querySelector(`label[for="${box.id}"]`);
    const b = box.getBoundingClientRect();
    const t = text(label);
    return {id: box.id, overlap: Math.min(b.bottom, t.bottom) - Math.max(b.top, t.top),
            gap: t.left - b.right, wraps: label.contains(box) && label.htmlFor === box.id};
  }),
};
"""


def test_questionnaire_layout_on_a_phone_and_a_desktop(browser, ui_url: str) -> None:  # type: ignore[no-untyped-def]
    from framematrix.decide.questions import QUESTIONS
    from framematrix.ui import questionnaire

    shares = questionnaire.influence()  # the sensitivity analysis's count, as the page used it
    for width in (390, 1280):
        browser.set_window_size(width, 1000)
        browser.get(ui_url + "/")
        browser.save_screenshot(f"/tmp/ui27-test-{width}.png")
        folded = browser.execute_script(LAYOUT)
        unfold(browser)
        found = browser.execute_script(LAYOUT)
        browser.save_screenshot(f"/tmp/ui27-test-{width}-open.png")
        assert found["inner"] == width and found["scroll"] <= found["inner"], found
        # the leading questions come first, most influential first, and none left out outranks them
        lead = found["leading"]
        assert 0 < len(lead) <= questionnaire.LEADING and found["order"][: len(lead)] == lead
        assert [shares[k] for k in lead] == sorted((shares[k] for k in lead), reverse=True)
        assert all(shares[k] <= shares[lead[-1]] for k in found["order"][len(lead) :])
        assert sorted(found["order"]) == sorted(q.key for q in QUESTIONS)  # each once
        # folded at first: only the leading questions show; unfolded, all of them
        assert folded["shown"] == len(lead) and found["shown"] == len(QUESTIONS)
        # each checkbox on the line of its label's words, just before them
        assert found["checks"] and all(
            c["wraps"] and c["overlap"] > 0 and 0 <= c["gap"] < 20 for c in found["checks"]
        ), found["checks"]
        if width == 390:
            assert set(found["columns"]) == {1}, found["columns"]
        else:
            assert min(found["columns"]) >= 2, found["columns"]
    problems = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    assert problems == []


JOB = """
const done = document.getElementById('job-done'), total = document.getElementById('job-total');
return {done: done ? done.textContent : null, total: total ? total.textContent : null,
        state: document.getElementById('job') ? document.getElementById('job').dataset.state : null,
        results: [...document.querySelectorAll('table.results tr')].map(r => r.textContent)};
"""


def test_start_a_bench_watch_it_and_see_the_result(  # type: ignore[no-untyped-def]
    browser, ui_url: str, tmp_path: Path
) -> None:
    from selenium.common.exceptions import JavascriptException, WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.set_window_size(1280, 1000)
    browser.get(ui_url + "/#start")
    Select(browser.find_element(By.ID, "kind")).select_by_value("bench")
    Select(browser.find_element(By.ID, "scenario")).select_by_value("health")
    Select(browser.find_element(By.ID, "engine")).select_by_value("builtin")
    for field, value in (("concurrency", "4"), ("trials", "3"), ("duration", "0.5s"),
                         ("warmup", "0.2s")):  # fmt: skip
        box = browser.find_element(By.ID, field)
        box.clear()
        box.send_keys(value)
    assert browser.find_element(By.ID, "c-raw-asgi").is_selected()
    assert browser.find_element(By.ID, "c-raw-wsgi").is_selected()
    browser.find_element(By.ID, "start-run").click()

    seen: list[tuple[str, str, str]] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:  # the page reloads itself every second: read it between reloads
            found = browser.execute_script(JOB)
        except (JavascriptException, WebDriverException):
            continue
        if found["done"] is not None:
            seen.append((found["state"], found["done"], found["total"]))
        if found["results"]:
            break
        time.sleep(0.2)
    assert found["results"], seen
    done_counts = [int(done) for _, done, _ in seen]
    # 2 contestants x 3 trials, and raw-asgi again from a second server: the A/A control.
    assert len(set(done_counts)) >= 2 and min(done_counts) < 9 == max(done_counts), seen
    assert seen[-1] == ("finished", "9", "9"), seen  # progress moved, then the result appeared
    rows = found["results"][1:]
    assert len(rows) == 3 and {row.split(" ")[0][:8] for row in rows} == {"raw-asgi", "raw-wsgi"}
    browser.find_element(By.ID, "show-result").click()
    assert browser.find_elements(By.CSS_SELECTOR, "#run-charts svg")  # the run, on the page
    browser.save_screenshot(str(tmp_path / "job.png"))
    problems = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert problems == []
