"""Hostile text renders as text, everywhere it is shown.

Article text, titles, source names, company and actor names, summaries, evidence and
deadlines carrying `<script>`, an attribute breakout with an `onerror` handler, or a
`javascript:` URL are stored directly with the ORM (as a malicious upload or a careless
editor could leave them), then every surface that shows them is checked: the timeline
and its htmx fragment, the action, company and article pages, the admin, the Atom feed,
the iCalendar feed and the CSV/JSON exports (formula injection included).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from timeline.models import Action, Actor, Article, Company, Deadline, Mention

SCRIPT = "<script>alert(1)</script>"
BREAKOUT = '"><img src=x onerror=alert(1)>'
JS_URL = "javascript:alert(1)"
RAW_MARKUP = [SCRIPT, "<script>", "<img src=x"]  # escaped, "onerror=" may stay: it is text then
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class MarkupAudit(HTMLParser):
    """What a browser would execute: script elements, on* handlers, javascript: URLs."""

    URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "hx-get", "hx-post", "data"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.findings: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        if tag in {"img", "iframe", "object", "embed"} and any(name == "src" and value == "x" for name, value in attrs):
            self.findings.append(f"injected <{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.findings.append(f"<{tag} {name}=...>")
            squeezed = "".join((value or "").split()).lower()
            if name in self.URL_ATTRIBUTES and squeezed.startswith(("javascript:", "data:text/html", "vbscript:")):
                self.findings.append(f'<{tag} {name}="{value}">')
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and "alert" in data:
            self.findings.append(f"script body {data[:60]!r}")


def assert_renders_as_text(html: str, where: str, *, shown: bool = True) -> None:
    for raw in RAW_MARKUP:
        assert raw not in html, f"{where}: unescaped {raw!r}"
    assert 'href="javascript:' not in html.lower() and "href='javascript:" not in html.lower(), where
    audit = MarkupAudit()
    audit.feed(html)
    audit.close()
    assert audit.findings == [], f"{where}: {audit.findings}"
    if shown:  # the hostile text is on the page, as text: the check above was not vacuous
        assert ESCAPED_SCRIPT in html or "&lt;script&gt;" in html, f"{where}: the hostile text is not shown at all"


@pytest.fixture
def hostile(db):
    """One of everything, each text field carrying markup; returns the rows by name."""
    parent = Company.objects.create(name=f"Parent {BREAKOUT}", slug="parent-evil", aliases=[SCRIPT])
    company = Company.objects.create(
        name=f"Evil {SCRIPT} Corp", slug="evil-corp", aliases=[BREAKOUT, JS_URL], parent=parent, sector=SCRIPT
    )
    formula = Company.objects.create(name='=HYPERLINK("http://evil.example","click")', slug="formula-co")
    actor = Actor.objects.create(name=f"Minister {SCRIPT}", slug="minister-evil", kind=Actor.Kind.OFFICIAL)
    body = f"{SCRIPT} On Friday the ministry banned Evil Corp. {BREAKOUT} See {JS_URL}."
    article = Article.objects.create(
        title=f"{BREAKOUT} headline {SCRIPT}",
        source_name=f"{SCRIPT} Times",
        url=JS_URL,
        published_on=dt.date(2024, 3, 1),
        body=body,
        extracted_text=body,
        content_hash="e" * 64,
        status=Article.Status.DONE,
        error=f"failed: {SCRIPT}",
    )
    action = Action.objects.create(
        action_type=Action.Type.BAN,
        actor=actor,
        occurred_from=dt.date(2024, 3, 1),
        occurred_to=dt.date(2024, 3, 1),
        summary=f"Ministry banned {SCRIPT} {BREAKOUT}",
        search_text=f"banned evil {SCRIPT}",
    )
    action.targets.add(company, formula)
    unnamed = Action.objects.create(
        action_type=Action.Type.SANCTION,
        actor_name=f"@SUM(1+1) {SCRIPT}",
        occurred_from=dt.date(2024, 2, 1),
        occurred_to=dt.date(2024, 2, 29),
        precision=Action.Precision.MONTH,
        summary="+cmd|' /C calc'!A0",
        search_text="sanction",
    )
    unnamed.targets.add(company)
    start = body.index("On Friday")
    Mention.objects.create(
        action=action, article=article, sentence=body, start_char=0, end_char=len(body), date_phrase=SCRIPT
    )
    Mention.objects.create(
        action=unnamed,
        article=article,
        sentence=body[start:],
        start_char=start,
        end_char=len(body),
        date_phrase=BREAKOUT,
    )
    soon = timezone.localdate() + dt.timedelta(days=30)
    Deadline.objects.create(action=action, due_on=soon, what=f"Divest {SCRIPT}\r\nURL:{JS_URL}", derivation=BREAKOUT)
    Deadline.objects.create(action=unnamed, due_on=soon + dt.timedelta(days=1), what="-2+3", derivation="@now")
    return {
        "company": company,
        "parent": parent,
        "actor": actor,
        "article": article,
        "action": action,
        "unnamed": unnamed,
    }


# --- public pages ------------------------------------------------------------------------------


def test_timeline_page_shows_hostile_text_as_text(client, hostile):
    response = client.get(reverse("timeline_index"))
    assert response.status_code == 200
    assert_renders_as_text(response.content.decode(), "timeline")


def test_timeline_fragment_shows_hostile_text_as_text(client, hostile):
    response = client.get(reverse("timeline_index"), headers={"HX-Request": "true", "HX-Target": "results"})
    assert response.status_code == 200
    assert_renders_as_text(response.content.decode(), "timeline fragment")


def test_filtering_by_hostile_company_and_searching_for_markup_reflect_it_as_text(client, hostile):
    """The filter form echoes what was asked for: a reflected query must be escaped too."""
    queries = [
        {"company": hostile["company"].slug},
        {"q": SCRIPT},
        {"q": BREAKOUT},
        {"from": SCRIPT, "to": BREAKOUT, "type": SCRIPT, "company": BREAKOUT, "actor": SCRIPT},
    ]
    for query in queries:
        for headers in ({}, {"HX-Request": "true"}):
            response = client.get(reverse("timeline_index"), query, headers=headers)
            assert response.status_code == 200, query
            assert_renders_as_text(response.content.decode(), f"timeline {query} {headers}", shown=False)


def test_action_page_shows_hostile_text_as_text(client, hostile):
    for action in (hostile["action"], hostile["unnamed"]):
        response = client.get(reverse("action_detail", args=[action.pk]))
        assert response.status_code == 200
        assert_renders_as_text(response.content.decode(), f"action {action.pk}")


def test_company_pages_show_hostile_text_as_text(client, hostile):
    for company in (hostile["company"], hostile["parent"]):
        response = client.get(reverse("company_detail", args=[company.slug]))
        assert response.status_code == 200
        assert_renders_as_text(response.content.decode(), f"company {company.slug}")


def test_article_page_shows_hostile_text_and_no_javascript_link(client, hostile):
    article = hostile["article"]
    for headers in ({}, {"HX-Request": "true"}):
        response = client.get(reverse("article_detail", args=[article.pk]), headers=headers)
        assert response.status_code == 200
        assert_renders_as_text(response.content.decode(), f"article {headers}")


# --- admin ---------------------------------------------------------------------------------------


@pytest.fixture
def editor(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("editor", "e@example.com", "pw-long-enough-1"))
    return client


def test_admin_changelists_show_hostile_text_as_text(editor, hostile):
    for model in ("article", "action", "company", "actor"):
        response = editor.get(reverse(f"admin:timeline_{model}_changelist"))
        assert response.status_code == 200, model
        assert_renders_as_text(response.content.decode(), f"admin {model} list")


def test_admin_change_pages_show_hostile_text_as_text(editor, hostile):
    pages = [
        ("article", hostile["article"]),
        ("action", hostile["action"]),
        ("action", hostile["unnamed"]),
        ("company", hostile["company"]),
        ("actor", hostile["actor"]),
    ]
    for model, obj in pages:
        response = editor.get(reverse(f"admin:timeline_{model}_change", args=[obj.pk]))
        assert response.status_code == 200, model
        assert_renders_as_text(response.content.decode(), f"admin {model} {obj.pk}")


def test_admin_merge_confirmation_shows_hostile_names_as_text(editor, hostile):
    response = editor.post(
        reverse("admin:timeline_company_changelist"),
        {"action": "merge_companies", "_selected_action": [hostile["company"].pk, hostile["parent"].pk]},
    )
    assert response.status_code == 200
    assert_renders_as_text(response.content.decode(), "admin merge confirmation")


# --- feeds and exports ---------------------------------------------------------------------------


def test_atom_feed_carries_hostile_text_as_text(client, hostile):
    """Escaped once for XML; entries of type html must not hold live markup once decoded."""
    response = client.get(reverse("actions_feed"))
    assert response.status_code == 200
    raw = response.content.decode()
    assert SCRIPT not in raw and "<img src=x" not in raw
    root = ET.fromstring(response.content)  # well-formed despite the markup
    texts = []
    for element in root.iter():
        text = element.text or ""
        texts.append(text)
        if element.get("type") in {"html", "xhtml"}:
            assert_renders_as_text(text, f"feed <{element.tag}>", shown=False)
        for name in ("href", "src"):
            value = "".join((element.get(name) or "").split()).lower()
            assert not value.startswith("javascript:"), f"feed <{element.tag} {name}={value}>"
    assert any("alert(1)" in text for text in texts), "the hostile text is not in the feed at all"


def test_icalendar_feed_keeps_hostile_text_inside_its_properties(client, hostile):
    """A CR/LF in a deadline cannot start a new property (no injected URL:javascript:)."""
    response = client.get(reverse("deadlines_ics"))
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 2
    summaries = " ".join(str(event.get("summary")) for event in events)
    assert SCRIPT in summaries  # as plain text, which is what a calendar shows
    for event in events:
        for url in event.get("url", []) if isinstance(event.get("url"), list) else [event.get("url")]:
            assert url is None or str(url).startswith(("http://", "https://")), url
    lines = response.content.decode().replace("\r\n ", "").splitlines()  # unfold
    assert not any(line.startswith("URL:javascript") for line in lines)


def test_csv_export_neutralizes_formulas(client, hostile):
    """Cells a spreadsheet would read as a formula are prefixed so they stay text."""
    response = client.get(reverse("export_csv"))
    assert response.status_code == 200
    rows = list(
        csv.reader(
            io.StringIO(
                b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
            )
        )
    )
    cells = [cell for row in rows[1:] for cell in row]
    assert cells, "the export is empty"
    dangerous = [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    assert dangerous == []
    assert any("HYPERLINK" in cell for cell in cells)
    assert any("cmd|" in cell for cell in cells)
    assert any("@SUM(1+1)" in cell for cell in cells)


def test_json_export_is_served_as_data(client, hostile):
    """JSON is never sniffed as HTML: the right type and nosniff; the markup survives as data."""
    response = client.get(reverse("export_json"))
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert SCRIPT in json.dumps(json.loads(content), ensure_ascii=False)
