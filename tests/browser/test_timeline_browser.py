"""The timeline in a real browser: htmx swaps without page loads, URLs that can be shared and
restored with Back, search while typing, and the same form working with JavaScript off.

Headless Chromium from /usr/bin/chromium against pytest-django's live server.
"""

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import make_action, make_company
from timeline import views

CHROMIUM = Path("/usr/bin/chromium")
# Playwright's sync API runs an event loop in this thread; Django's ORM must still be usable here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium"),
]
WAIT_MS = 8000


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A page that fails the test if the browser reports an error (a CSP violation, a failed script)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    # A request overtaken by a newer one is aborted on purpose (hx-sync), and htmx logs that.
    assert [e for e in errors if not e.startswith(("htmx:afterRequest", "htmx:sendAbort"))] == []


@pytest.fixture
def timeline():
    appco, otherco = make_company("Appco"), make_company("Otherco")
    actions = [
        make_action(action_type="ban", targets=[appco], occurred_from=dt.date(2020, 8, 14), summary="Appco banned"),
        make_action(
            action_type="sanction", targets=[otherco], occurred_from=dt.date(2020, 7, 1), summary="Otherco sanctioned"
        ),
        make_action(
            action_type="lawsuit", targets=[appco, otherco], occurred_from=dt.date(2019, 3, 5), summary="Both sued"
        ),
    ]
    return {"appco": appco, "otherco": otherco, "actions": actions}


def summaries(page) -> list[str]:
    return [text.strip() for text in page.locator("#results .entry-summary").all_inner_texts()]


def wait_for_summaries(page, expected: list[str]) -> None:
    page.wait_for_function(
        "expected => JSON.stringify([...document.querySelectorAll('#results .entry-summary')]"
        ".map(e => e.innerText.trim())) === JSON.stringify(expected)",
        arg=expected,
    )


def test_filtering_by_company_swaps_the_list_in_place_and_updates_the_url(page, live_server, timeline):
    page.goto(live_server.url + "/")
    assert summaries(page) == ["Appco banned", "Otherco sanctioned", "Both sued"]
    page.evaluate("window.stillHere = 'yes'")

    page.locator("#company-otherco").check()
    wait_for_summaries(page, ["Otherco sanctioned", "Both sued"])
    page.wait_for_url(re.compile(r"\?company=otherco$"))
    assert page.evaluate("window.stillHere") == "yes"  # no full page load happened
    # The count and the facets follow in a second request.
    expect(page.locator("#result-count")).to_have_text("2 actions match these filters")
    expect(page.locator("#company-otherco")).to_be_checked()


def test_back_restores_the_previous_list(page, live_server, timeline):
    page.goto(live_server.url + "/")
    page.locator("#company-appco").check()
    wait_for_summaries(page, ["Appco banned", "Both sued"])
    page.wait_for_url(re.compile(r"company=appco"))

    page.go_back()
    page.wait_for_url(live_server.url + "/")
    wait_for_summaries(page, ["Appco banned", "Otherco sanctioned", "Both sued"])
    assert not page.locator("#company-appco").is_checked()

    page.go_forward()
    wait_for_summaries(page, ["Appco banned", "Both sued"])


def test_reloading_a_filtered_url_shows_the_same_list(page, live_server, timeline):
    page.goto(live_server.url + "/")
    page.locator("#type-lawsuit").check()
    page.wait_for_url(re.compile(r"type=lawsuit"))
    wait_for_summaries(page, ["Both sued"])
    page.reload()
    wait_for_summaries(page, ["Both sued"])
    assert page.locator("#type-lawsuit").is_checked()


def test_typing_in_search_filters_the_list(page, live_server, timeline):
    page.goto(live_server.url + "/")
    page.evaluate("window.stillHere = 'yes'")
    page.locator("#id_q").press_sequentially("sanction", delay=30)
    wait_for_summaries(page, ["Otherco sanctioned"])
    page.wait_for_url(re.compile(r"\?q=sanction$"))
    assert page.locator("#id_q").input_value() == "sanction"
    assert page.evaluate("window.stillHere") == "yes"

    page.locator("#id_deadline").check()
    page.wait_for_url(re.compile(r"\?q=sanction&deadline=1$"))
    wait_for_summaries(page, [])
    page.go_back()  # the search text comes back with the list it found
    wait_for_summaries(page, ["Otherco sanctioned"])
    assert page.locator("#id_q").input_value() == "sanction"
    assert not page.locator("#id_deadline").is_checked()


def test_a_company_chip_and_a_histogram_bar_filter_the_list(page, live_server, timeline):
    page.goto(live_server.url + "/")
    page.locator("#results .chip", has_text="Otherco").first.click()
    page.wait_for_url(re.compile(r"company=otherco"))
    wait_for_summaries(page, ["Otherco sanctioned", "Both sued"])

    page.locator('.histogram-bar[aria-label^="Mar 2019"]').click()
    page.wait_for_url(re.compile(r"from=2019-03-01&to=2019-03-31"))
    wait_for_summaries(page, ["Both sued"])
    # The form follows the link once the facet counts arrive.
    expect(page.locator("#id_from")).to_have_value("2019-03-01")
    expect(page.locator("#company-otherco")).to_be_checked()


def test_load_more_appends_the_next_page(page, live_server, timeline, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    page.goto(live_server.url + "/")
    assert summaries(page) == ["Appco banned", "Otherco sanctioned"]
    page.get_by_role("link", name="Load more").click()
    wait_for_summaries(page, ["Appco banned", "Otherco sanctioned", "Both sued"])
    assert page.url == live_server.url + "/"
    assert page.get_by_role("link", name="Load more").count() == 0


def test_without_javascript_the_form_submits_and_pages(browser, live_server, timeline, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    try:
        page.goto(live_server.url + "/")
        assert summaries(page) == ["Appco banned"]
        page.locator("#company-appco").check()
        page.get_by_role("button", name="Apply filters").click()
        page.wait_for_url(re.compile(r"company=appco"))
        assert summaries(page) == ["Appco banned"]
        assert "Page 1 of 2" in page.locator(".pager").inner_text()

        page.get_by_role("link", name="Next page").click()
        page.wait_for_url(re.compile(r"page=2"))
        assert summaries(page) == ["Both sued"]
        assert "company=appco" in page.url
        page.get_by_role("link", name="Previous page").click()
        page.wait_for_url(re.compile(r"page=1"))
        assert summaries(page) == ["Appco banned"]
    finally:
        context.close()
