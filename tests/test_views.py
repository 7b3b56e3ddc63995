"""The pages: the timeline and its htmx fragment, and the action, company and article pages."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_action, make_actor, make_article, make_company, make_mention
from timeline import views
from timeline.models import Action, Article

D = dt.date
pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true", "HX-Target": "results"}
HOSTILE = '"><img src=x onerror=alert(1)><script>alert(2)</script>'


def entry_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<article class="entry-card[^"]*" id="action-(\d+)"', html)]


@pytest.fixture
def timeline():
    company = make_company("Appco")
    actor = make_actor("Trade Agency")
    article = make_article(title="Agency bans Appco", source_name="Wire")
    actions = [
        make_action(
            action_type="ban",
            actor=actor,
            targets=[company],
            occurred_from=D(2020, 8, 14),
            summary="Agency bans Appco",
            mentions=[article],
        ),
        make_action(
            action_type="lawsuit",
            targets=[make_company("Otherco")],
            occurred_from=D(2020, 7, 2),
            summary="Suit against Otherco",
        ),
        make_action(
            action_type="sanction",
            targets=[company],
            occurred_from=D(2019, 1, 1),
            occurred_to=D(2019, 12, 31),
            precision="year",
            summary="Sanctions on Appco",
        ),
    ]
    return {"company": company, "actor": actor, "article": article, "actions": actions}


def test_timeline_page_lists_actions_newest_first_under_month_headings(client, timeline):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert entry_ids(html) == [a.pk for a in timeline["actions"]]
    assert html.index("August 2020") < html.index("July 2020") < html.index(">2019</h3>")
    assert "<html" in html and 'role="status" aria-live="polite"' in html
    assert "3 actions" in html
    assert response["Vary"] and "HX-Request" in response["Vary"]


def test_oldest_first_reverses_the_list(client, timeline):
    html = client.get("/?order=oldest").content.decode()
    assert entry_ids(html) == [a.pk for a in reversed(timeline["actions"])]


def test_entry_shows_date_type_actor_chips_sources_and_evidence(client, timeline):
    html = client.get("/").content.decode()
    assert "Aug 14, 2020" in html and "badge type-ban" in html and "Trade Agency" in html
    assert 'hx-get="/?company=appco"' in html and 'href="/?company=appco"' in html
    assert "1 independent source" in html
    assert f'href="{timeline["article"].get_absolute_url()}#mention-' in html


def test_htmx_request_gets_only_the_results_fragment(client, timeline):
    response = client.get("/?type=ban", headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "<header" not in html
    assert entry_ids(html) == [timeline["actions"][0].pk]
    # The export links follow at once; the count comes with the aggregates, asked for next.
    assert 'href="/export.csv?type=ban"' in html and 'id="result-count"' not in html
    # The aggregates are asked for next, with the same filter.
    assert 'hx-get="/?type=ban" hx-trigger="load" hx-target="#insights"' in html
    assert "<svg" not in html and 'id="filter-controls"' not in html


def test_insights_fragment_brings_the_histogram_and_facet_counts(client, timeline):
    html = client.get("/?type=ban", headers={"HX-Request": "true", "HX-Target": "insights"}).content.decode()
    assert "<html" not in html and 'class="entry-card' not in html
    assert '<p id="result-count" hx-swap-oob="innerHTML"><strong>1 action</strong> match these filters</p>' in html
    assert 'aria-label="Aug 2020: 1 actions"' in html
    assert 'href="/?type=ban&amp;from=2020-08-01&amp;to=2020-08-31"' in html
    controls = html[html.index('<div id="filter-controls" hx-swap-oob="true">') :]
    assert 'id="type-ban" checked' in controls
    # Counts as if no type were chosen: the lawsuit and the sanction stay offered.
    assert re.search(r'id="type-lawsuit">.*?<span class="facet-count">1<', controls, re.S)


def test_fragment_leaves_the_search_box_alone_while_typing_in_it(client, timeline):
    typed = client.get("/?q=appco", headers={**HTMX, "HX-Trigger-Name": "q"}).content.decode()
    clicked = client.get("/?q=appco", headers=HTMX).content.decode()
    assert 'id="search-field"' not in typed
    assert '<div id="search-field" class="field" hx-swap-oob="true">' in clicked


def test_history_restore_gets_the_whole_page(client, timeline):
    html = client.get("/?type=ban", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}).content
    assert b"<html" in html


def test_every_hx_get_link_keeps_a_real_href(client, timeline):
    html = client.get("/").content.decode()
    for tag in re.findall(r"<a\b[^>]*\bhx-get=[^>]*>", html):
        assert re.search(r'\shref="[^"#][^"]*"', tag), tag


def test_no_js_pagination_and_load_more(client, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    actions = [make_action(occurred_from=D(2020, 8, 20 - day), summary=f"Action {day}") for day in range(5)]
    first = client.get("/").content.decode()
    assert entry_ids(first) == [a.pk for a in actions[:2]]
    assert 'href="?page=2"' in first and "Page 1 of 3" in first

    second = client.get("/?page=2").content.decode()
    assert entry_ids(second) == [a.pk for a in actions[2:4]]
    assert 'rel="prev" href="?page=1"' in second and "<html" in second

    more = client.get("/?page=2", headers={"HX-Request": "true", "HX-Target": "load-more"}).content.decode()
    assert entry_ids(more) == [a.pk for a in actions[2:4]]
    assert "<h3" not in more  # still August 2020: the heading is not repeated
    assert 'hx-get="?page=3"' in more and "Previous page" not in more

    last = client.get("/?page=3", headers={"HX-Request": "true", "HX-Target": "load-more"}).content.decode()
    assert entry_ids(last) == [actions[4].pk] and "page=4" not in last


@pytest.mark.parametrize("target", ["results", "insights", "load-more"])
def test_fragment_query_count_does_not_grow_with_the_page_size(client, monkeypatch, target):
    company, actor = make_company(), make_actor()
    for day in range(30):
        make_action(
            actor=actor,
            targets=[company, make_company()],
            occurred_from=D(2020, 1, 1) + dt.timedelta(days=day),
            deadlines=[(D(2021, 1, 1), "Comply", "")],
            mentions=[make_article(), make_article()],
        )
    url = f"/?company={company.slug}&subsidiaries=1&actor={actor.slug}&deadline=1&type=ban&page=2"
    counts = []
    for size in (5, 10):
        monkeypatch.setattr(views, "PAGE_SIZE", size)
        with CaptureQueriesContext(connection) as captured:
            html = client.get(url, headers={"HX-Request": "true", "HX-Target": target}).content.decode()
        assert len(entry_ids(html)) == (0 if target == "insights" else size)
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1] <= 12


def test_full_page_query_count_does_not_grow_with_the_page_size(client, monkeypatch):
    for day in range(12):
        make_action(
            targets=[make_company()], occurred_from=D(2020, 1, 1) + dt.timedelta(days=day), mentions=[make_article()]
        )
    counts = []
    for size in (4, 8):
        monkeypatch.setattr(views, "PAGE_SIZE", size)
        with CaptureQueriesContext(connection) as captured:
            assert len(entry_ids(client.get("/").content.decode())) == size
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_action_page_shows_mentions_deadlines_targets_with_parents_and_review(client):
    parent = make_company("Holdco")
    child = make_company("Appco", parent=parent)
    action = make_action(
        targets=[child],
        summary="Order against Appco",
        review_state=Action.Review.CONFIRMED,
        deadlines=[(D(2020, 11, 12), "Divest", "90 days after the order")],
    )
    for source in ("Wire", "Daily"):
        make_mention(action, make_article(source_name=source, title=f"{source} story"), date_phrase="Friday")
    html = client.get(action.get_absolute_url()).content.decode()
    assert "Wire story" in html and "Daily story" in html and "2 independent sources" in html
    assert "due Nov 12, 2020 · 90 days after the order" in html
    assert 'href="/companies/holdco/"' in html and "part of" in html
    assert "Confirmed" in html


def test_company_page_includes_subsidiaries_actions_marked_as_such(client):
    parent = make_company("Holdco", aliases=["Holdco Ltd."])
    child = make_company("Appco", parent=parent)
    own = make_action(targets=[parent], summary="Against the parent", occurred_from=D(2020, 1, 1))
    via = make_action(targets=[child], summary="Against the app", occurred_from=D(2020, 2, 1))
    make_action(targets=[make_company()], summary="Unrelated")
    html = client.get(parent.get_absolute_url()).content.decode()
    assert entry_ids(html) == [via.pk, own.pk]
    assert "Holdco Ltd." in html and 'href="/companies/appco/"' in html
    marked = html[html.index(f'id="action-{via.pk}"') :]
    assert "via-note" in marked[: marked.index("</article>")]
    unmarked = html[html.index(f'id="action-{own.pk}"') :]
    assert "via-note" not in unmarked[: unmarked.index("</article>")]
    assert "2 actions" in html


def test_article_page_highlights_evidence_and_links_it(client):
    text = "Background. The agency banned the app on Friday. More text."
    article = make_article(body="raw upload", extracted_text=text)
    action = make_action(summary="Ban")
    mention = make_mention(action, article, sentence="The agency banned the app on Friday.", date_phrase="Friday")
    html = client.get(article.get_absolute_url()).content.decode()
    assert (
        f'<a class="evidence-mark" id="mention-{mention.pk}" href="{action.get_absolute_url()}">'
        "<mark>The agency banned the app on Friday.</mark></a>"
    ) in html
    assert "raw upload" not in html  # offsets point into the extracted text
    assert "Extraction done" in html and "hx-trigger" not in html


def test_article_status_polls_until_done_then_swaps_the_article(client):
    article = make_article(status=Article.Status.RUNNING)
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 2s"' in page and f'hx-get="{article.get_absolute_url()}"' in page

    polled = client.get(article.get_absolute_url(), headers={"HX-Request": "true"})
    assert polled.content.decode().lstrip().startswith('<div id="article-status"')
    assert "every 2s" in polled.content.decode()

    Article.objects.filter(pk=article.pk).update(status=Article.Status.DONE)
    done = client.get(article.get_absolute_url(), headers={"HX-Request": "true"})
    assert done["HX-Retarget"] == "#article" and done["HX-Reswap"] == "outerHTML"
    assert done.content.decode().lstrip().startswith('<article id="article"')
    assert "every 2s" not in done.content.decode()


def test_user_text_is_escaped_everywhere(client):
    company = make_company(f"Evil {HOSTILE}", slug="evil")
    article = make_article(title=HOSTILE, source_name=HOSTILE, body=f"Text {HOSTILE}", url="javascript:alert(3)")
    action = make_action(summary=HOSTILE, actor_name=HOSTILE, targets=[company], mentions=[article])
    for url in ("/", action.get_absolute_url(), company.get_absolute_url(), article.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "<img src=x" not in html and "<script>alert" not in html, url
        assert "javascript:alert" not in html, url
        assert "&lt;img src=x onerror=alert(1)&gt;" in html, url


def test_unknown_pages_answer_404(client):
    assert client.get("/actions/999999/").status_code == 404
    assert client.get("/companies/no-such-company/").status_code == 404
    assert client.get("/articles/999999/").status_code == 404


def test_upcoming_deadlines_panel_lists_future_deadlines_of_visible_actions(client):
    from django.utils import timezone

    today = timezone.localdate()
    make_action(summary="Soon", deadlines=[(today + dt.timedelta(days=12), "File the plan", "")])
    make_action(summary="Past", deadlines=[(today - dt.timedelta(days=3), "Old", "")])
    make_action(
        summary="Hidden",
        review_state=Action.Review.REJECTED,
        deadlines=[(today + dt.timedelta(days=5), "Rejected one", "")],
    )
    html = client.get("/").content.decode()
    panel = html[html.index('id="upcoming-heading"') : html.index('class="layout"')]
    assert "File the plan" in panel and "in 12 days" in panel
    assert "Old" not in panel and "Rejected one" not in panel
