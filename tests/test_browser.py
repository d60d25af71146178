"""The dashboard in a real browser: Debian's Chromium driven by Playwright against a
real uvicorn on 127.0.0.1, over a database filled by the real pipeline.

Screenshots of every page land in artifacts/screenshots/ (git-ignored). Without
/usr/bin/chromium these tests are skipped locally and fail under CI=true; no test
ever downloads a browser.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from eventwire.pipeline import Pipeline
from eventwire.store import Store
from web_support import TOKEN, LiveServer, live_server, make_app, seed_article_id, seed_event

pytestmark = pytest.mark.slow
pytest_plugins = ("web_support",)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
SCREENSHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def server(web_store: Store, pipeline: Pipeline) -> Iterator[LiveServer]:
    running = live_server(make_app(web_store, pipeline))
    yield running
    running.stop()


@pytest.fixture
def page(browser: Browser, server: LiveServer) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    problems: list[str] = []
    opened.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    opened.on("pageerror", lambda e: problems.append(str(e)))
    yield opened
    context.close()
    assert not problems, problems  # no script errors, no refused resources (CSP)


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def log_in(page: Page, server: LiveServer) -> None:
    page.goto(f"{server.url}/login?token={TOKEN}")


def background(page: Page, selector: str) -> str:
    colour: str = page.eval_on_selector(selector, "e => getComputedStyle(e).backgroundColor")
    return colour


def test_the_overview_loads_with_its_charts(page: Page, server: LiveServer) -> None:
    page.goto(server.url + "/")

    assert page.title() == "Overview · eventwire"
    assert page.locator("svg.chart rect").count() > 10
    assert page.locator("text=Most active actors").is_visible()
    shot(page, "overview")


def test_the_seed_article_shows_its_events_in_their_status_colours(
    page: Page, server: LiveServer, web_store: Store
) -> None:
    page.goto(f"{server.url}/articles/{seed_article_id(web_store)}")
    colours = {
        status: background(page, f'.legend .swatch[data-status="{status}"]')
        for status in ("reported", "alleged", "planned", "conditional")
    }

    supplying = page.locator(".ev.trigger", has_text="supplying")
    assert "st-alleged" in (supplying.get_attribute("class") or "")
    for status, colour in colours.items():
        assert background(page, f".ev.trigger.st-{status}") == colour, status
    assert len(set(colours.values())) == len(colours)  # four statuses, four colours
    assert colours["alleged"] == "rgb(255, 224, 178)"  # orange: claimed by a party
    shot(page, "article-reader")


def test_clicking_an_event_opens_its_card(page: Page, server: LiveServer, web_store: Store) -> None:
    event = seed_event(web_store, "supplying")
    page.goto(f"{server.url}/articles/{seed_article_id(web_store)}")
    card = page.locator(f"#card-{event}")
    assert not card.is_visible()

    page.locator(".ev.trigger", has_text="supplying").click()

    assert card.is_visible()
    text = card.inner_text()
    for shown in ("AID", "alleged", "according to", "denied by", "supply", "confidence"):
        assert shown in text, shown
    assert card.locator("a", has_text="cluster").count() == 1
    assert "Log in with the token" in text  # anonymous: read-only
    shot(page, "event-card")


def test_rejecting_an_event_from_its_card_removes_it_after_reload(
    page: Page, server: LiveServer, web_store: Store
) -> None:
    event = seed_event(web_store, "supplying")
    log_in(page, server)
    page.goto(f"{server.url}/articles/{seed_article_id(web_store)}")
    page.locator(".ev.trigger", has_text="supplying").click()

    page.locator(f"#card-{event} button.reject").click()
    page.wait_for_selector("#cards-hint:has-text('stored as a correction')")
    shot(page, "after-reject")
    page.reload()

    assert page.locator(f"#card-{event}").count() == 0
    assert page.locator(".ev.trigger", has_text="supplying").count() == 0
    assert "Show 1 rejected" in page.content()
    stored = web_store.event(event)
    assert stored is not None
    assert stored.correction == "rejected"


def test_editing_an_event_from_its_card_shows_the_change_at_once(
    page: Page, server: LiveServer, web_store: Store
) -> None:
    event = seed_event(web_store, "supplying")
    log_in(page, server)
    page.goto(f"{server.url}/articles/{seed_article_id(web_store)}#{event}")
    card = page.locator(f"#card-{event}")

    card.locator("summary", has_text="Edit").click()
    card.locator("select[name=status]").select_option("reported")
    card.locator("button", has_text="Save").click()
    page.wait_for_selector(f"#card-{event} .message:has-text('Saved')")

    trigger = page.locator(".ev.trigger", has_text="supplying")
    assert "st-reported" in (trigger.get_attribute("class") or "")
    assert "edited" in page.locator(f"#card-{event}").inner_text()
    page.reload()  # saved, not only shown
    assert "st-reported" in (trigger.get_attribute("class") or "")


def test_a_watchlist_shows_an_alert_as_a_matching_article_arrives(
    browser: Browser, page: Page, server: LiveServer
) -> None:
    log_in(page, server)
    page.goto(server.url + "/watchlists")
    page.fill("input[name=name]", "finland")
    page.fill("input[name=actors]", "FIN")
    page.click("button:has-text('Add rule')")
    page.wait_for_url("**/watchlists/finland")
    page.wait_for_selector("[data-live-status]:has-text('Live')")
    assert page.locator("ol.alerts li").count() == 0

    # Another tab of the same analyst ingests a matching article.
    other = page.context.new_page()
    other.goto(server.url + "/ingest")
    other.fill("textarea[name=text]", "Finland expelled nine Russian diplomats on Wednesday, "
                                      "the foreign ministry in Helsinki said.")  # fmt: skip
    other.click("button:has-text('Extract events')")
    other.wait_for_selector("text=open in the reader")

    alert = page.wait_for_selector("ol.alerts li.alert", timeout=15_000)
    assert alert is not None
    assert "FIN" in alert.inner_text()
    assert "finland" in alert.inner_text()
    shot(page, "watchlist-alert")


@pytest.mark.parametrize(
    ("name", "path"),
    [("actor", "/actors/RUS"), ("map", "/map"), ("events", "/events?status=alleged"),
     ("clusters", "/clusters"), ("ingest", "/ingest"), ("search", "/search?q=sanctions"),
     ("watchlists", "/watchlists"), ("articles", "/articles")],
)  # fmt: skip
def test_every_page_renders_without_errors(
    page: Page, server: LiveServer, name: str, path: str
) -> None:
    page.goto(server.url + path)

    assert page.locator("main h1").count() == 1
    shot(page, name)


def test_the_cluster_page_shows_the_reports_side_by_side(
    page: Page, server: LiveServer, web_store: Store
) -> None:
    event = web_store.event(seed_event(web_store, "supplying"))
    assert event is not None

    page.goto(f"{server.url}/clusters/{event.cluster_id}")

    assert page.locator(".report").count() >= 1
    shot(page, "cluster")


def test_pasting_an_article_shows_its_events(page: Page, server: LiveServer) -> None:
    log_in(page, server)
    page.goto(server.url + "/ingest")
    page.fill("textarea[name=text]", "Russia and Belarus began joint military drills near the "
                                     "Polish border on Monday.")  # fmt: skip

    page.click("button:has-text('Extract events')")
    page.wait_for_selector("text=open in the reader")

    assert page.locator(".result mark").count() >= 1
    shot(page, "ingest-result")
