"""How dates, deadlines, evidence and links read on the page (timeline.templatetags.timeline_display)."""

import datetime as dt

import pytest

from timeline.models import Action, Article, Mention
from timeline.search import group_by_period
from timeline.templatetags.timeline_display import (
    countdown,
    highlight_phrase,
    independent_sources,
    marked_text,
    outside_url,
    pluralize_count,
    window_label,
)

D = dt.date


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2020, 8, 14), D(2020, 8, 14), "Aug 14, 2020"),
        (D(2020, 8, 3), D(2020, 8, 9), "week of Aug 3, 2020"),  # Monday to Sunday
        (D(2020, 8, 1), D(2020, 8, 31), "Aug 2020"),
        (D(2020, 2, 1), D(2020, 2, 29), "Feb 2020"),  # leap February is still a whole month
        (D(2019, 1, 1), D(2019, 12, 31), "2019"),
        (D(2020, 8, 1), D(2020, 8, 15), "Aug 1\u2009\u2013\u200915, 2020"),
        (D(2020, 8, 4), D(2020, 8, 10), "Aug 4\u2009\u2013\u200910, 2020"),  # seven days, but not a calendar week
        (D(2020, 8, 8), D(2020, 8, 9), "Aug 8\u2009\u2013\u20099, 2020"),  # a weekend
        (D(2020, 7, 28), D(2020, 8, 3), "Jul 28\u2009\u2013\u2009Aug 3, 2020"),
        (D(2019, 7, 1), D(2019, 9, 30), "Jul 1\u2009\u2013\u2009Sep 30, 2019"),  # a quarter
        (D(2019, 12, 28), D(2020, 1, 3), "Dec 28, 2019\u2009\u2013\u2009Jan 3, 2020"),
        (D(2019, 1, 1), D(2020, 12, 31), "Jan 1, 2019\u2009\u2013\u2009Dec 31, 2020"),
    ],
)
def test_window_label_shows_the_true_precision(start, end, expected):
    assert window_label(start, end) == expected


TODAY = D(2020, 11, 9)


@pytest.mark.parametrize(
    ("due_on", "state", "label"),
    [
        (D(2020, 11, 21), "upcoming", "in 12 days"),
        (D(2020, 11, 10), "upcoming", "tomorrow"),
        (D(2020, 11, 9), "today", "due today"),
        (D(2020, 11, 8), "passed", "passed yesterday"),
        (D(2020, 11, 6), "passed", "passed 3 days ago"),
        (D(2021, 11, 9), "upcoming", "in 365 days"),
    ],
)
def test_deadline_countdown_states(due_on, state, label):
    result = countdown(due_on, TODAY)
    assert (result.state, result.label) == (state, label)


def test_highlight_marks_the_date_phrase_and_escapes_the_rest():
    html = highlight_phrase('<b>On Aug. 14, 2020</b> "the" order', "aug. 14, 2020")
    assert html == "&lt;b&gt;On <mark>Aug. 14, 2020</mark>&lt;/b&gt; &quot;the&quot; order"


def test_highlight_without_phrase_in_sentence_only_escapes():
    assert highlight_phrase("<script>x</script>", "Friday") == "&lt;script&gt;x&lt;/script&gt;"
    assert highlight_phrase("plain", "") == "plain"


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://news.example.com/a?b=1", True),
        ("http://example.org/", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        ("data:text/html,<script>", False),
        ("//evil.example.com/", False),
        ("/relative/path", False),
        ("", False),
        ("https://", False),
    ],
)
def test_outside_url_keeps_only_http_links(url, kept):
    assert outside_url(url) == (url if kept else "")


def mention_in(source: str, article_pk: int) -> Mention:
    return Mention(article=Article(pk=article_pk, source_name=source))


def test_independent_sources_counts_outlets_not_articles():
    mentions = [
        mention_in("Reuters", 1),
        mention_in("reuters ", 2),  # the same outlet again
        mention_in("AP", 3),
        mention_in("", 4),  # no outlet named: the article counts on its own
        mention_in("", 5),
    ]
    assert independent_sources(mentions) == 4
    assert independent_sources([]) == 0


def test_pluralize_count():
    assert pluralize_count(1, "action") == "1 action"
    assert pluralize_count(1200, "action") == "1,200 actions"
    assert pluralize_count(2, "independent source") == "2 independent sources"


def action_on(start: D, end: D | None = None, precision: str = "day") -> Action:
    return Action(occurred_from=start, occurred_to=end or start, precision=precision)


def test_group_by_period_puts_actions_under_month_headings():
    actions = [
        action_on(D(2020, 8, 14)),
        action_on(D(2020, 8, 3), D(2020, 8, 9), "week"),
        action_on(D(2020, 7, 1), D(2020, 7, 31), "month"),
        action_on(D(2019, 1, 1), D(2019, 12, 31), "year"),
    ]
    groups = group_by_period(actions)
    assert [(g.heading, len(g.actions)) for g in groups] == [("August 2020", 2), ("July 2020", 1), ("2019", 1)]


def test_group_by_period_continues_the_previous_pages_heading():
    groups = group_by_period([action_on(D(2020, 8, 1)), action_on(D(2020, 7, 30))], after=action_on(D(2020, 8, 20)))
    assert [g.heading for g in groups] == ["", "July 2020"]


class FakeAction:
    def __init__(self, pk):
        self.pk = pk

    def get_absolute_url(self):
        return f"/actions/{self.pk}/"


def fake_mention(pk, sentence, start, action_pk=1):
    mention = Mention(pk=pk, sentence=sentence, start_char=start, end_char=start + len(sentence))
    mention.__dict__["_state"].fields_cache["action"] = FakeAction(action_pk)
    return mention


def test_marked_text_links_each_evidence_sentence_and_escapes_the_text():
    text = "Intro <i>. Trump ordered a ban. Then <script>alert(1)</script>. Judges ruled."
    first = fake_mention(7, "Trump ordered a ban.", text.index("Trump"), action_pk=3)
    moved = fake_mention(8, "Judges ruled.", 0, action_pk=4)  # offsets stale: found by searching
    missing = fake_mention(9, "Never said.", 2)
    html = marked_text(text, [first, moved, missing])
    assert '<a class="evidence-mark" id="mention-7" href="/actions/3/"><mark>Trump ordered a ban.</mark></a>' in html
    assert '<a class="evidence-mark" id="mention-8" href="/actions/4/"><mark>Judges ruled.</mark></a>' in html
    assert "mention-9" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    assert html.startswith("Intro &lt;i&gt;. ")
