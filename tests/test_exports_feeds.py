"""CSV and JSON exports, the iCalendar deadlines and the Atom feed: same filters as the page."""

import csv
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET

import pytest
from icalendar import Calendar

from tests.factories import make_action, make_actor, make_article, make_company, make_mention
from timeline.exports import neutralize_cell

D = dt.date
pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def body_of(response) -> str:
    return b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()


@pytest.fixture
def actions():
    appco = make_company("Appco")
    agency = make_actor("Trade Agency")
    article = make_article(source_name="Wire", url="javascript:alert(1)")
    ban = make_action(
        action_type="ban",
        actor=agency,
        targets=[appco],
        occurred_from=D(2020, 8, 3),
        occurred_to=D(2020, 8, 9),
        precision="week",
        summary='=HYPERLINK("http://evil")',
        deadlines=[(D(2020, 11, 12), "Divest Appco", "90 days after the order")],
    )
    make_mention(ban, article, sentence="-2+3 the agency banned Appco.", date_phrase="")
    suit = make_action(
        action_type="lawsuit",
        targets=[make_company("Otherco")],
        occurred_from=D(2019, 5, 1),
        summary="@SUM(A1) lawsuit",
        deadlines=[(D(2019, 6, 1), "", "")],
    )
    return {"ban": ban, "suit": suit, "appco": appco}


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@A1", "'@A1"), ("\tx", "'\tx"), ("safe", "safe"), (None, "")],
)
def test_neutralize_cell(value, expected):
    assert neutralize_cell(value) == expected


def test_csv_export_lists_the_filtered_actions_with_formulas_neutralized(client, actions):
    response = client.get("/export.csv?type=ban")
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="actions.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(body_of(response).lstrip("\ufeff"))))
    assert len(rows) == 1
    row = rows[0]
    assert row["id"] == str(actions["ban"].pk)
    assert row["date"] == "week of Aug 3, 2020"
    assert row["summary"] == '\'=HYPERLINK("http://evil")'
    assert row["evidence"] == "'-2+3 the agency banned Appco."
    assert row["targets"] == "Appco" and row["actor"] == "Trade Agency"
    assert row["deadlines"] == "2020-11-12 Divest Appco (90 days after the order)"
    assert row["url"].endswith(actions["ban"].get_absolute_url())


def test_csv_export_without_filter_has_every_visible_action(client, actions):
    rows = list(csv.DictReader(io.StringIO(body_of(client.get("/export.csv")).lstrip("\ufeff"))))
    assert [r["id"] for r in rows] == [str(actions["ban"].pk), str(actions["suit"].pk)]
    assert rows[1]["summary"] == "'@SUM(A1) lawsuit"


def test_json_export_carries_the_same_filter_and_drops_unsafe_urls(client, actions):
    data = json.loads(body_of(client.get("/export.json?company=appco")))
    assert [a["id"] for a in data["actions"]] == [actions["ban"].pk]
    record = data["actions"][0]
    assert record["targets"] == [{"slug": "appco", "name": "Appco"}]
    assert record["deadlines"] == [
        {"due_on": "2020-11-12", "what": "Divest Appco", "derivation": "90 days after the order"}
    ]
    assert record["sources"] == 1 and record["precision"] == "week"
    assert record["evidence"][0]["article_url"] is None  # javascript: is not a link


def test_ics_has_one_all_day_event_per_deadline_with_a_stable_uid(client, actions):
    response = client.get("/deadlines.ics")
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert len(events) == 2
    divest = next(e for e in events if "Divest" in str(e["SUMMARY"]))
    assert str(divest["SUMMARY"]) == "Appco: Divest Appco"
    assert divest.decoded("DTSTART") == D(2020, 11, 12)
    assert divest.decoded("DTEND") == D(2020, 11, 13)
    assert str(divest["URL"]).endswith(actions["ban"].get_absolute_url())
    again = Calendar.from_ical(client.get("/deadlines.ics").content).walk("VEVENT")
    assert sorted(str(e["UID"]) for e in events) == sorted(str(e["UID"]) for e in again)


def test_ics_follows_the_filter(client, actions):
    events = Calendar.from_ical(client.get("/deadlines.ics?type=lawsuit").content).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Otherco: Lawsuit deadline"]


def test_atom_feed_lists_newest_created_first_and_escapes(client, actions):
    newest = make_action(summary="<b>Fresh</b> & new", occurred_from=D(2001, 1, 1))
    response = client.get("/feeds/actions/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    titles = [entry.find(f"{ATOM}title").text for entry in feed.findall(f"{ATOM}entry")]
    assert titles[0] == "Ban: <b>Fresh</b> & new"  # a text title, parsed back from escaped XML
    assert b"<b>Fresh" not in response.content
    summary = feed.findall(f"{ATOM}entry")[0].find(f"{ATOM}summary")
    assert summary.get("type") == "html" and "&lt;b&gt;Fresh&lt;/b&gt; &amp; new" in summary.text
    assert len(titles) == 3
    assert feed.findall(f"{ATOM}entry")[0].find(f"{ATOM}link").get("href").endswith(newest.get_absolute_url())


def test_feeds_and_exports_answer_get_only(client, actions):
    for url in ("/feeds/actions/", "/deadlines.ics", "/export.csv", "/export.json"):
        assert client.post(url).status_code == 405, url
        assert client.get(url).status_code == 200, url


def test_atom_feed_follows_the_filter(client, actions):
    feed = ET.fromstring(client.get("/feeds/actions/?type=lawsuit").content)
    assert [e.find(f"{ATOM}title").text for e in feed.findall(f"{ATOM}entry")] == ["Lawsuit: @SUM(A1) lawsuit"]
    assert feed.find(f"{ATOM}link").get("href").endswith("/?type=lawsuit")
