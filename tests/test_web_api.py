"""The HTTP API and the pages, against the real app over a database filled by the
real pipeline from the bundled sample corpus and the seed article."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from eventwire.model import STATUSES
from eventwire.store import EventFilter, Store
from web_support import BASE, TOKEN, make_app, seed_article_id, seed_event, writer_headers

pytestmark = pytest.mark.slow  # the database is filled by the real pipeline
pytest_plugins = ("web_support",)  # its fixtures: client, web_store…

PAGES = ["/", "/events", "/articles", "/clusters", "/actors", "/map", "/map?view=world",
         "/ingest", "/search?q=Putin", "/login", "/actors/RUS", "/events?status=alleged",
         "/watchlists"]  # fmt: skip


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_and_has_a_json_twin(client: TestClient, path: str) -> None:
    page = client.get(path)
    twin = client.get(path + ("&" if "?" in path else "?") + "format=json")

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert '<link rel="alternate" type="application/json"' in page.text
    assert twin.status_code == 200
    assert twin.headers["content-type"] == "application/json"
    assert isinstance(twin.json(), dict)


@pytest.mark.parametrize(
    ("page", "api"),
    [
        pytest.param("/events?status=alleged", "/api/events?status=alleged", id="events"),
        pytest.param("/clusters", "/api/clusters", id="clusters"),
        pytest.param("/", "/api/overview", id="overview"),
        pytest.param("/actors/PRK", "/api/actors/PRK", id="actor"),
    ],
)
def test_a_page_twin_is_the_api_document(client: TestClient, page: str, api: str) -> None:
    twin = client.get(page + ("&" if "?" in page else "?") + "format=json").json()
    answer = client.get(api).json()

    assert twin.get("items", twin) == answer.get("items", answer)


def test_the_detail_pages_of_the_seed_article_its_events_and_clusters(
    client: TestClient, web_store: Store
) -> None:
    article = seed_article_id(web_store)
    event = seed_event(web_store, "supplying")
    cluster = web_store.event(event).cluster_id  # type: ignore[union-attr]

    for path in (f"/articles/{article}", f"/events/{event}", f"/clusters/{cluster}"):
        assert client.get(path).status_code == 200, path
        assert client.get(path + "?format=json").status_code == 200, path


@pytest.mark.parametrize("status", STATUSES)
def test_events_filter_by_status(client: TestClient, status: str) -> None:
    answer = client.get("/api/events", params={"status": status, "limit": 500}).json()

    assert {e["status"] for e in answer["items"]} <= {status}
    assert answer["filters"] == {"status": status}


def _codes(event: dict[str, Any], *roles: str) -> set[str]:
    return {a["code"] for role in roles for a in event[role]}


@pytest.mark.parametrize(
    ("params", "check"),
    [
        pytest.param({"actor": "RUS"}, lambda e: "RUS" in _codes(e, "actor"), id="actor"),
        pytest.param(
            {"dyad": "prk,rus"},
            lambda e: {"PRK", "RUS"} <= _codes(e, "actor", "recipient"),
            id="dyad",
        ),
        pytest.param({"type": "ASSAULT"}, lambda e: e["type"] == "ASSAULT", id="type"),
        pytest.param(
            {"since": "2024-10", "until": "2024-10"},
            lambda e: e["date"]["value"].startswith("2024-10"),
            id="dates",
        ),
        pytest.param(
            {"q": "sanctions"}, lambda e: "sanctions" in e["sentence"]["text"].lower(), id="words"
        ),
    ],
)
def test_event_filters(client: TestClient, params: dict[str, str], check: Any) -> None:
    items = client.get("/api/events", params={**params, "limit": 500}).json()["items"]

    assert items
    assert all(check(e) for e in items)


def test_paging_walks_every_event_once(client: TestClient, web_store: Store) -> None:
    seen: list[str] = []
    url: str | None = "/api/events?limit=37"
    while url:
        page = client.get(url).json()
        seen += [e["id"] for e in page["items"]]
        url = page["next"]

    assert len(seen) == len(set(seen)) == len(web_store.events(EventFilter(limit=None)))


def test_sorting_by_date_both_ways(client: TestClient) -> None:
    newest = client.get("/api/events?limit=500").json()["items"]
    oldest = client.get("/api/events?limit=500&sort=date").json()["items"]
    dated = [e["date"]["value"] for e in newest if e["date"]["value"]]

    assert dated == sorted(dated, reverse=True)
    assert [e["date"]["value"] for e in oldest if e["date"]["value"]] == sorted(dated)


@pytest.mark.parametrize(
    "query",
    ["limit=0", "limit=501", "offset=-1", "sort=size", "status=rumoured", "since=yesterday",
     "actor=R%20US", "dyad=RUS", "country=RU"],
)  # fmt: skip
def test_malformed_parameters_are_refused_with_422(client: TestClient, query: str) -> None:
    assert client.get(f"/api/events?{query}").status_code == 422


def test_the_article_document_has_spans_that_match_its_text(
    client: TestClient, web_store: Store
) -> None:
    answer = client.get(f"/api/articles/{seed_article_id(web_store)}").json()
    text = answer["article"]["text"]
    triggers = {e["id"]: e["trigger"]["text"] for e in answer["events"]}

    assert (
        answer["sentences"][0]["text"]
        == text[answer["sentences"][0]["start"] : answer["sentences"][0]["end"]]
    )
    for span in answer["spans"]:
        if span["role"] == "trigger":
            assert text[span["start"] : span["end"]] == triggers[span["event"]]
    assert {s["role"] for s in answer["spans"]} == {"trigger", "actor", "recipient"}


def test_the_reader_colours_each_trigger_by_its_status(
    client: TestClient, web_store: Store
) -> None:
    html = client.get(f"/articles/{seed_article_id(web_store)}").text

    assert 'class="ev trigger st-alleged"' in html  # "supplying" arms: alleged by the US
    assert ">supplying</span>" in html
    assert 'class="ev trigger st-conditional"' in html  # sanctions if they engage…
    assert 'class="ev trigger st-planned"' in html  # Lavrov is scheduled to travel


def test_actor_endpoints(client: TestClient) -> None:
    actor = client.get("/api/actors/PRK").json()
    counterparts = client.get("/api/actors/prk/counterparts").json()
    timeline = client.get("/api/actors/PRK/timeline").json()

    assert actor["code"] == "PRK"
    assert actor["events"] > 0
    assert "RUS" in [c["code"] for c in counterparts["items"]]
    assert all(c["score"] is None or -10 <= c["score"] <= 10 for c in counterparts["items"])
    assert sum(timeline["statuses"].values()) >= actor["events"] - actor["as_recipient"]
    assert client.get("/api/actors").json()["items"][0]["events"] > 0


def test_cluster_document_lists_every_report_with_its_source(client: TestClient) -> None:
    cluster = next(c for c in client.get("/api/clusters?limit=500").json()["items"])
    answer = client.get(f"/api/clusters/{cluster['id']}").json()

    assert sorted(r["event"]["id"] for r in answer["reports"]) == sorted(cluster["event_ids"])
    assert all(r["article"]["outlet"] for r in answer["reports"])


def test_trends_overview_map_and_search(client: TestClient) -> None:
    overview = client.get("/api/overview").json()
    timeline = client.get("/api/trends/timeline").json()
    located = client.get("/api/map").json()["items"]
    found = client.get("/api/search?q=Putin").json()

    assert overview["counts"]["events"] > 100
    assert sum(r["clusters"] for r in timeline["rows"]) > 0
    assert {r["quad"] for r in timeline["rows"]} <= {1, 2, 3, 4}
    assert client.get("/api/trends/dyads").status_code == 200
    assert located
    assert all(-90 <= p["lat"] <= 90 and p["precision"] for p in located)
    assert found["events"]
    assert found["articles"]


@pytest.mark.parametrize(
    ("path", "status"),
    [("/api/events/ev_nonexistent", 404), ("/api/clusters/cl_none", 404),
     ("/api/articles/none", 404), ("/articles/none", 404), ("/nowhere", 404)],
)  # fmt: skip
def test_missing_things_are_404(client: TestClient, path: str, status: int) -> None:
    assert client.get(path).status_code == status


@pytest.mark.parametrize("fmt", ["jsonl", "plover", "csv", "geojson"])
def test_exports_stream_every_event(client: TestClient, web_store: Store, fmt: str) -> None:
    total = len(web_store.events(EventFilter(limit=None)))
    located = len(
        [e for e in web_store.events(EventFilter(limit=None)) if e.location.lat is not None]
    )

    with client.stream("GET", f"/api/export?format={fmt}") as response:
        body = b"".join(response.iter_bytes()).decode()

    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    if fmt == "geojson":
        assert len(json.loads(body)["features"]) == located
    elif fmt == "csv":
        assert len(body.splitlines()) == total + 1
    elif fmt == "jsonl":
        assert len(body.splitlines()) == total


def test_export_as_a_file_format(client: TestClient) -> None:
    response = client.get("/api/export?format=graphml&actor=RUS")

    assert response.status_code == 200
    assert b"<graphml" in response.content


# --- writes -------------------------------------------------------------------------------


def test_a_correction_needs_the_token(client: TestClient, web_store: Store) -> None:
    event = seed_event(web_store, "supplying")
    body = {"action": "reject", "note": "checked"}

    anonymous = client.post(f"/api/events/{event}/corrections", json=body)
    wrong = client.post(f"/api/events/{event}/corrections", json=body,
                        headers={"Authorization": "Bearer nope"})  # fmt: skip

    assert anonymous.status_code == wrong.status_code == 401
    assert anonymous.headers["www-authenticate"] == "Bearer"
    assert web_store.event(event).correction is None  # type: ignore[union-attr]


def test_rejecting_an_event_hides_it_everywhere(client: TestClient, web_store: Store) -> None:
    event = seed_event(web_store, "supplying")
    article = seed_article_id(web_store)

    answer = client.post(
        f"/api/events/{event}/corrections",
        json={"action": "reject", "note": "wrong"},
        headers=writer_headers(),
    )

    assert answer.status_code == 201
    assert answer.json()["event"]["correction"] == "rejected"
    assert event not in [e["id"] for e in client.get(f"/api/articles/{article}").json()["events"]]
    assert ">supplying</span>" not in client.get(f"/articles/{article}").text
    shown = client.get(f"/api/events?article={article}&include_rejected=true&limit=500").json()
    assert event in [e["id"] for e in shown["items"]]
    history = client.get(f"/api/events/{event}/corrections").json()["items"]
    assert [(c["action"], c["note"]) for c in history] == [("reject", "wrong")]


def test_editing_an_event_sets_its_fields(client: TestClient, web_store: Store) -> None:
    event = seed_event(web_store, "supplying")

    answer = client.post(
        f"/api/events/{event}/corrections",
        json={"action": "set", "changes": {"status": "reported", "actor": "PRK"}},
        headers=writer_headers(),
    )

    assert answer.status_code == 201
    corrected = answer.json()["event"]
    assert (corrected["status"], corrected["correction"]) == ("reported", "edited")
    assert [a["code"] for a in corrected["actor"]] == ["PRK"]


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({"action": "set", "changes": {"status": "rumoured"}}, id="bad-status"),
        pytest.param({"action": "set", "changes": {"colour": "red"}}, id="unknown-field"),
        pytest.param({"action": "set"}, id="nothing-to-set"),
        pytest.param(
            {"action": "reject", "changes": {"status": "reported"}}, id="reject-with-changes"
        ),
        pytest.param({"action": "delete"}, id="unknown-action"),
    ],
)  # fmt: skip
def test_bad_corrections_are_refused_with_422(
    client: TestClient, web_store: Store, body: dict[str, Any]
) -> None:
    event = seed_event(web_store, "supplying")

    answer = client.post(f"/api/events/{event}/corrections", json=body, headers=writer_headers())

    assert answer.status_code == 422
    assert web_store.event(event).correction is None  # type: ignore[union-attr]


def test_the_card_form_needs_a_session_and_its_csrf_token(
    client: TestClient, web_store: Store
) -> None:
    event = seed_event(web_store, "supplying")
    form = {"action": "confirm", "next": "/events"}

    assert client.post(f"/events/{event}/correct", data=form).status_code == 401
    client.get(f"/login?token={TOKEN}", follow_redirects=False)  # sets the session cookie
    assert client.post(f"/events/{event}/correct", data=form).status_code == 401  # no CSRF token
    page = client.get(f"/events/{event}").text
    csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
    done = client.post(
        f"/events/{event}/correct", data={**form, "csrf_token": csrf}, follow_redirects=False
    )

    assert done.status_code == 303
    assert done.headers["location"] == "/events"
    assert web_store.event(event).correction == "confirmed"  # type: ignore[union-attr]


def test_a_redirect_after_a_form_never_leaves_the_server(
    client: TestClient, web_store: Store
) -> None:
    event = seed_event(web_store, "supplying")
    form = {"action": "confirm", "next": "//evil.example/x"}

    done = client.post(
        f"/events/{event}/correct", data=form, headers=writer_headers(), follow_redirects=False
    )

    assert done.headers["location"] == f"/events/{event}"


def test_login_with_a_wrong_token_fails(client: TestClient) -> None:
    assert client.get("/login?token=guess").status_code == 401
    assert client.post("/login", data={"token": "guess"}).status_code == 401
    assert "eventwire_session" not in client.cookies


def test_ingesting_text_returns_its_events_at_once(client: TestClient) -> None:
    text = ("Russia and Belarus began joint military drills near the Polish border on Monday, "
            "the defence ministry in Minsk said.")  # fmt: skip

    answer = client.post(
        "/api/ingest/text",
        json={"text": text, "title": "Drills", "published": "2024-05-06"},
        headers=writer_headers(),
    )

    assert answer.status_code == 200
    (article,) = answer.json()["articles"]
    assert article["title"] == "Drills"
    assert article["events"]
    assert article["events"][0]["actor"][0]["code"] in ("RUS", "BLR")
    assert client.get(f"/articles/{article['id']}").status_code == 200
    again = client.post("/api/ingest/text", json={"text": text}, headers=writer_headers()).json()
    assert (again["stored"], again["unchanged"]) == (0, 1)


def test_article_text_is_always_escaped(client: TestClient) -> None:
    text = ('Russia accused Ukraine of shelling the town, officials said. '
            '<script>alert("x")</script> <img src=x onerror=alert(1)> Kyiv denied it.')  # fmt: skip

    given = {"text": text, "title": "<b>bold</b>", "url": "javascript:alert(1)"}

    answer = client.post("/api/ingest/text", json=given, headers=writer_headers())
    article = answer.json()["articles"][0]["id"]
    html = client.get(f"/articles/{article}").text

    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "<b>bold" not in html
    assert "&lt;script&gt;" in html
    assert "&lt;b&gt;bold" in html
    assert 'href="javascript:' not in html  # shown as text, never a link


def test_ingesting_a_file_upload(client: TestClient, seed_page: Any) -> None:
    page = "<html><head><title>Talks</title></head><body><article><p>" + (
        "Armenia and Azerbaijan agreed on Tuesday to restart border talks in Brussels, "
        "the European Union said.</p></article></body></html>"
    )

    answer = client.post(
        "/api/ingest/file",
        files={"file": ("../../talks.html", page.encode(), "text/html")},
        headers=writer_headers(),
    )

    assert answer.status_code == 200, answer.text
    assert answer.json()["articles"][0]["events"]


def test_ingesting_a_url_goes_through_the_guarded_fetcher(client: TestClient) -> None:
    # Loopback is not a public address: the fetcher refuses it before connecting.
    answer = client.post(
        "/api/ingest/url", json={"url": "http://127.0.0.1:9/story"}, headers=writer_headers()
    )

    assert answer.status_code == 422
    assert "127.0.0.1" in answer.json()["detail"]
    assert "allow_hosts" in answer.json()["detail"] or "not public" in answer.json()["detail"]


@pytest.mark.parametrize(
    ("path", "kwargs"),
    [
        pytest.param("/api/ingest/text", {"json": {"text": "x"}}, id="text"),
        pytest.param("/api/ingest/url", {"json": {"url": "https://example.org/"}}, id="url"),
        pytest.param("/api/ingest/file", {"files": {"file": ("a.txt", b"x")}}, id="file"),
        pytest.param("/ingest", {"data": {"text": "x"}}, id="form"),
    ],
)
def test_ingest_needs_the_token(client: TestClient, path: str, kwargs: dict[str, Any]) -> None:
    assert client.post(path, **kwargs).status_code == 401


def test_the_ingest_form_shows_the_events(client: TestClient) -> None:
    client.get(f"/login?token={TOKEN}")
    csrf = client.get("/ingest").text.split('name="csrf_token" value="')[1].split('"')[0]
    text = "Turkey offered on Friday to host peace talks between Russia and Ukraine."

    page = client.post("/ingest", data={"text": text, "csrf_token": csrf})

    assert page.status_code == 200
    assert "open in the reader" in page.text
    assert '<mark class="st-reported">offered</mark>' in page.text


# --- the guard ------------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "10.0.0.5", ""])
def test_unknown_hosts_are_refused(client: TestClient, host: str) -> None:
    """DNS rebinding: a page on evil.example pointed at 127.0.0.1 sends Host: evil.example."""
    assert client.get("/api/events", headers={"Host": host}).status_code == 421


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost:8000", "[::1]:8000", "localhost"])
def test_loopback_hosts_are_served(client: TestClient, host: str) -> None:
    assert client.get("/api/events?limit=1", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({"Origin": "http://evil.example"}, id="other-origin"),
        pytest.param({"Origin": "null"}, id="null-origin"),
        pytest.param({"Origin": "http://127.0.0.1:9999"}, id="other-port"),
        pytest.param({"Sec-Fetch-Site": "cross-site"}, id="fetch-metadata"),
    ],
)
def test_cross_origin_writes_are_refused_even_with_the_token(
    client: TestClient, web_store: Store, headers: dict[str, str]
) -> None:
    event = seed_event(web_store, "supplying")

    answer = client.post(
        f"/api/events/{event}/corrections",
        json={"action": "reject"},
        headers={**writer_headers(), **headers},
    )

    assert answer.status_code == 403
    assert web_store.event(event).correction is None  # type: ignore[union-attr]


def test_a_same_origin_write_is_accepted(client: TestClient, web_store: Store) -> None:
    event = seed_event(web_store, "supplying")
    headers = {**writer_headers(), "Origin": BASE, "Sec-Fetch-Site": "same-origin"}

    answer = client.post(
        f"/api/events/{event}/corrections", json={"action": "confirm"}, headers=headers
    )

    assert answer.status_code == 201


def test_every_answer_carries_the_security_headers(client: TestClient) -> None:
    for path in ("/", "/api/events?limit=1", "/static/eventwire.css", "/nowhere"):
        headers = client.get(path).headers
        assert "script-src 'self'" in headers["content-security-policy"], path
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"


def test_no_cors_unless_configured(client: TestClient, web_store: Store) -> None:
    origin = {"Origin": "http://localhost:3000"}
    plain = client.get("/api/events?limit=1", headers=origin)
    allowed = make_app(web_store, serve_cors_origins="http://localhost:3000")

    with TestClient(allowed, base_url=BASE) as other:
        configured = other.get("/api/events?limit=1", headers=origin)

    assert "access-control-allow-origin" not in plain.headers
    assert configured.headers["access-control-allow-origin"] == "http://localhost:3000"


def test_extra_host_names_can_be_allowed(web_store: Store) -> None:
    app = make_app(web_store, serve_allowed_hosts="events.internal")

    with TestClient(app, base_url="http://events.internal") as other:
        assert other.get("/api/events?limit=1").status_code == 200


def test_the_openapi_schema_lists_every_resource(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]

    for path in ("/api/events", "/api/events/{event_id}/corrections", "/api/clusters/{cluster_id}",
                 "/api/articles/{article_id}", "/api/actors/{code}/counterparts",
                 "/api/actors/{code}/timeline", "/api/trends/dyads", "/api/search", "/api/export",
                 "/api/ingest/text", "/api/ingest/file", "/api/ingest/url", "/api/map",
                 "/api/watchlists", "/api/watchlists/{name}", "/api/alerts",
                 "/api/alerts/stream"):  # fmt: skip
        assert path in paths, path
    assert "/" not in paths
    assert "/articles/{article_id}" not in paths
    assert client.get("/docs").status_code == 404  # its scripts would come from a CDN
