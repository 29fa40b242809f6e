"""The page in headless Chromium: fill the questionnaire, submit, read ranking and reasons, and
no console errors."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser


def test_fill_submit_and_read_the_result(browser, ui_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import Select, WebDriverWait

    browser.set_window_size(1200, 3000)
    browser.get(ui_url + "/")
    assert "Django, FastAPI or Flask?" in browser.title
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
