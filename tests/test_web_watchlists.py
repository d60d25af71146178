"""Watchlists in the web app: rules made over the API and the dashboard's form, alerts
made when a matching article is ingested or an event corrected, and the live stream
of alerts (Server-Sent Events) read from a real uvicorn server."""

from __future__ import annotations

import json
import threading
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from eventwire.pipeline import Pipeline
from eventwire.store import Store
from eventwire.watch import add_rule, list_rules, make_rule
from web_support import TOKEN, live_server, make_app, writer_headers

pytestmark = pytest.mark.slow  # the database is filled by the real pipeline
pytest_plugins = ("web_support",)

# One event, FIN → RUS (SANCTION): no other article of the sample corpus involves Finland.
EXPULSION = (
    "Finland expelled nine Russian diplomats on Wednesday, the foreign ministry in Helsinki said."
)


def add(client: TestClient, **rule: Any) -> Any:
    return client.post("/api/watchlists", json=rule, headers=writer_headers())


def ingest(client: TestClient, text: str, **fields: str) -> dict[str, Any]:
    answer = client.post(
        "/api/ingest/text", json={"text": text, **fields}, headers=writer_headers()
    )
    assert answer.status_code == 200, answer.text
    found: dict[str, Any] = answer.json()
    return found


def alerts_of(client: TestClient, rule: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = client.get("/api/alerts", params={"rule": rule}).json()["items"]
    return items


def csrf_of(client: TestClient, path: str) -> str:
    return client.get(path).text.split('name="csrf_token" value="')[1].split('"')[0]


def test_a_rule_made_over_the_api_is_listed(client: TestClient, web_store: Store) -> None:
    answer = add(client, name="finland", actors=["blr", "rus"], statuses=["reported"])

    assert answer.status_code == 201, answer.text
    assert answer.json()["actors"] == ["BLR", "RUS"]
    assert answer.json()["outputs"] == []  # stored and shown, never sent from a web request
    listed = client.get("/api/watchlists").json()["items"]
    assert [(r["name"], r["origin"]) for r in listed] == [("finland", "database")]
    assert [r.name for r in list_rules(web_store)] == ["finland"]
    assert client.get("/api/watchlists/finland").json()["rule"]["statuses"] == ["reported"]


@pytest.mark.parametrize(
    ("rule", "status"),
    [
        pytest.param({"name": "x", "types": ["PARTY"]}, 422, id="unknown-type"),
        pytest.param({"name": "x", "statuses": ["rumoured"]}, 422, id="unknown-status"),
        pytest.param({"name": "x", "actors": ["R U"]}, 422, id="bad-code"),
        pytest.param({"name": "x", "dyads": ["RUS"]}, 422, id="half-a-dyad"),
        pytest.param({"name": "<script>"}, 422, id="bad-name"),
        pytest.param({"name": "x", "min_sources": -1}, 422, id="negative-sources"),
    ],
)
def test_bad_rules_are_refused(client: TestClient, rule: dict[str, Any], status: int) -> None:
    assert add(client, **rule).status_code == status
    assert client.get("/api/watchlists").json()["items"] == []


def test_rules_need_the_token_and_a_name_is_taken_once(client: TestClient) -> None:
    anonymous = client.post("/api/watchlists", json={"name": "a"})
    first, again = add(client, name="a"), add(client, name="a")
    removed_anonymously = client.delete("/api/watchlists/a")
    removed = client.delete("/api/watchlists/a", headers=writer_headers())

    assert anonymous.status_code == removed_anonymously.status_code == 401
    assert (first.status_code, again.status_code) == (201, 409)
    assert removed.status_code == 204
    assert client.delete("/api/watchlists/a", headers=writer_headers()).status_code == 404
    assert client.get("/api/watchlists/a").status_code == 404


def test_ingesting_a_matching_article_raises_one_alert(client: TestClient) -> None:
    add(client, name="finland", actors=["FIN"])
    add(client, name="new-zealand", actors=["NZL"])

    result = ingest(client, EXPULSION, title="<i>Expelled</i>", published="2024-05-06")
    again = ingest(client, EXPULSION)  # the same article: nothing new to alert on

    (alert,) = alerts_of(client, "finland")
    assert alert["kind"] == "new"
    assert "FIN" in alert["summary"]
    assert alert["payload"]["evidence"]["article_id"] == result["articles"][0]["id"]
    assert again["unchanged"] == 1
    assert alerts_of(client, "new-zealand") == []
    page = client.get("/watchlists/finland").text
    assert "&lt;i&gt;Expelled&lt;/i&gt;" in page  # the article's title, escaped
    assert "<i>Expelled" not in page


def test_a_correction_that_changes_the_status_raises_an_update(client: TestClient) -> None:
    add(client, name="finland", actors=["FIN"])
    event = next(
        e
        for e in ingest(client, EXPULSION, published="2024-05-06")["articles"][0]["events"]
        if [a["code"] for a in e["actor"]] == ["FIN"]
    )

    client.post(
        f"/api/events/{event['id']}/corrections",
        json={"action": "set", "changes": {"status": "planned"}},
        headers=writer_headers(),
    )

    update, new = alerts_of(client, "finland")  # newest first
    assert (new["kind"], update["kind"]) == ("new", "update")
    assert update["status"] == "planned"
    assert update["payload"]["previous_status"] == new["status"]


def test_the_watchlist_form_needs_a_session_and_shows_bad_values(client: TestClient) -> None:
    form = {"name": "korea", "actors": "PRK, rus", "types": ["AID"], "statuses": ["alleged"]}

    assert client.post("/watchlists", data=form).status_code == 401
    client.get(f"/login?token={TOKEN}")
    csrf = csrf_of(client, "/watchlists")
    bad = client.post("/watchlists", data={**form, "countries": "R U S", "csrf_token": csrf})
    done = client.post("/watchlists", data={**form, "csrf_token": csrf}, follow_redirects=False)

    assert bad.status_code == 422
    assert "is not a code" in bad.text
    assert 'value="PRK, rus"' in bad.text
    assert done.status_code == 303
    assert done.headers["location"] == "/watchlists/korea"
    rule = client.get("/api/watchlists/korea").json()["rule"]
    assert rule["actors"] == ["PRK", "RUS"]
    assert (rule["types"], rule["statuses"]) == (["AID"], ["alleged"])
    assert client.get("/watchlists/korea").status_code == 200
    removed = client.post("/watchlists/korea/delete", data={"csrf_token": csrf})
    assert removed.status_code == 200  # back on the list, without the rule
    assert client.get("/api/watchlists").json()["items"] == []


def test_rules_from_a_rules_file_are_listed_and_checked(
    web_store: Store, pipeline: Pipeline, tmp_path: Any
) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text('[[rule]]\nname = "from-file"\nactors = ["FIN"]\nstdout = false\n')
    app = make_app(web_store, pipeline, watch_rules=str(rules))

    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        listed = client.get("/api/watchlists").json()["items"]
        ingest(client, EXPULSION, published="2024-05-06")
        page = client.get("/watchlists").text

        assert [(r["name"], r["origin"]) for r in listed] == [("from-file", str(rules))]
        assert len(alerts_of(client, "from-file")) == 1
        assert "/watchlists/from-file/delete" not in page  # not in the database: edit the file


def test_the_json_twins_of_the_watchlist_pages(client: TestClient, web_store: Store) -> None:
    add_rule(web_store, make_rule("finland", actors=["FIN"]))

    index = client.get("/watchlists?format=json").json()
    one = client.get("/watchlists/finland?format=json").json()

    assert index["rules"] == client.get("/api/watchlists").json()["items"]
    assert one == client.get("/api/watchlists/finland").json()
    assert client.get("/watchlists/nothing").status_code == 404


def test_the_alert_stream_delivers_an_alert_as_it_is_made(
    web_store: Store, pipeline: Pipeline
) -> None:
    add_rule(web_store, make_rule("finland", actors=["FIN"]))
    server = live_server(make_app(web_store, pipeline))
    events: list[dict[str, Any]] = []
    lines: list[str] = []

    def listen() -> None:
        url = f"{server.url}/api/alerts/stream?rule=finland&seconds=20"
        with httpx.stream("GET", url, timeout=30) as response:
            lines.append(response.headers["content-type"])
            for line in response.iter_lines():
                lines.append(line)
                if line.startswith("data: "):
                    events.append(json.loads(line[6:]))
                    return

    try:
        listener = threading.Thread(target=listen)
        listener.start()
        while not any(line.startswith(": alerts after") for line in lines):
            assert listener.is_alive(), lines
            threading.Event().wait(0.05)
        ingested = httpx.post(
            f"{server.url}/api/ingest/text",
            json={"text": EXPULSION, "published": "2024-05-06"},
            headers=writer_headers(),
            timeout=60,
        )
        listener.join(timeout=20)
    finally:
        server.stop()

    assert ingested.status_code == 200
    assert lines[0].startswith("text/event-stream")
    assert "event: alert" in lines
    (alert,) = events
    assert alert["rule"] == "finland"
    assert alert["kind"] == "new"


def test_the_alert_stream_resumes_after_the_last_event_id(
    client: TestClient, web_store: Store
) -> None:
    add(client, name="finland", actors=["FIN"])
    ingest(client, EXPULSION, published="2024-05-06")
    (alert,) = alerts_of(client, "finland")

    # A finite stream (seconds) so TestClient, which reads the whole body, returns.
    replayed = client.get("/api/alerts/stream?seconds=0.5&after=0").text
    resumed = client.get(
        "/api/alerts/stream?seconds=0.5&after=0", headers={"Last-Event-ID": str(alert["id"])}
    ).text

    assert f"id: {alert['id']}\nevent: alert\ndata: " in replayed
    assert "event: alert" not in resumed
    assert resumed.startswith("retry: ")
