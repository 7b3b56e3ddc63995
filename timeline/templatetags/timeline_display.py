"""How dates, deadlines, evidence and outside links read on the page.

Everything returned here is either plain text (escaped by the template) or built
with format_html, so text from articles never reaches the page unescaped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django import template
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from timeline.models import Action, Deadline, Mention

register = template.Library()

RANGE_DASH = "\u2009\u2013\u2009"  # thin space, en dash, thin space


def day_label(day: dt.date) -> str:
    return f"{day:%b} {day.day}, {day.year}"


def _is_whole_month(start: dt.date, end: dt.date) -> bool:
    next_day = end + dt.timedelta(days=1)
    return start.day == 1 and next_day.day == 1 and (start.year, start.month) == (end.year, end.month)


def window_label(start: dt.date, end: dt.date) -> str:
    """A date window at its true precision: a day, a week, a month, a year, or else a range."""
    if start == end:
        return day_label(start)
    if start.weekday() == 0 and end - start == dt.timedelta(days=6):
        return f"week of {day_label(start)}"
    if _is_whole_month(start, end):
        return f"{start:%b} {start.year}"
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return str(start.year)
    if start.year != end.year:
        return f"{day_label(start)}{RANGE_DASH}{day_label(end)}"
    if start.month != end.month:
        return f"{start:%b} {start.day}{RANGE_DASH}{end:%b} {end.day}, {end.year}"
    return f"{start:%b} {start.day}{RANGE_DASH}{end.day}, {end.year}"


@register.filter
def when(action: Action) -> str:
    return window_label(action.occurred_from, action.occurred_to)


@register.filter
def short_date(day: dt.date) -> str:
    return day_label(day)


@dataclass(frozen=True)
class Countdown:
    state: str  # "upcoming", "today" or "passed"
    label: str


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def countdown(due_on: dt.date, today: dt.date) -> Countdown:
    """How far a deadline is from today, in words."""
    delta = (due_on - today).days
    if delta == 0:
        return Countdown("today", "due today")
    if delta == 1:
        return Countdown("upcoming", "tomorrow")
    if delta > 0:
        return Countdown("upcoming", f"in {_days(delta)}")
    if delta == -1:
        return Countdown("passed", "passed yesterday")
    return Countdown("passed", f"passed {_days(-delta)} ago")


@register.filter
def deadline_countdown(deadline: Deadline, today: dt.date | None = None) -> Countdown:
    return countdown(deadline.due_on, today or timezone.localdate())


@register.filter
def deadline_line(deadline: Deadline) -> str:
    """'due Nov 12, 2020 · 90 days after the order'."""
    line = f"due {day_label(deadline.due_on)}"
    return f"{line} · {deadline.derivation}" if deadline.derivation else line


@register.filter
def highlight_phrase(sentence: str, phrase: str) -> SafeString:
    """The sentence, escaped, with the first occurrence of the date phrase in <mark>."""
    at = sentence.lower().find(phrase.lower()) if phrase else -1
    if at < 0:
        return format_html("{}", sentence)
    end = at + len(phrase)
    return format_html("{}<mark>{}</mark>{}", sentence[:at], sentence[at:end], sentence[end:])


@register.filter
def outside_url(url: str) -> str:
    """The URL if it is a plain http(s) link, else "" (no javascript:, data: or relative tricks)."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return url if parts.scheme.lower() in {"http", "https"} and parts.netloc else ""


def source_key(mention: Mention) -> str:
    name = mention.article.source_name.strip().lower()
    return f"source:{name}" if name else f"article:{mention.article_id}"


@register.filter
def independent_sources(mentions: Iterable[Mention]) -> int:
    """Distinct outlets among the mentions; an article without a source name counts on its own."""
    return len({source_key(m) for m in mentions})


@register.filter
def first_mention(action: Action) -> Mention | None:
    mentions = list(action.mentions.all())
    return mentions[0] if mentions else None


@register.filter
def pluralize_count(n: int, noun: str) -> str:
    """'1 action', '3 actions'; the noun's plural is 'noun' + 's' unless given as 'singular,plural'."""
    singular, _, plural = noun.partition(",")
    return f"{n:,} {singular if n == 1 else (plural or singular + 's')}"


@register.simple_tag
def marked_text(text: str, mentions: Iterable[Mention]) -> SafeString:
    """The article text with each evidence sentence marked and linked to its action.

    Offsets point into the text the extractor read; a mention whose offsets do not
    hold its sentence is found by searching, and skipped if it is not there at all.
    """
    spans: list[tuple[int, int, Mention]] = []
    for mention in mentions:
        start, end = mention.start_char, mention.end_char
        if text[start:end] != mention.sentence:
            start = text.find(mention.sentence)
            end = start + len(mention.sentence)
        if start >= 0 and mention.sentence:
            spans.append((start, end, mention))
    spans.sort(key=lambda s: (s[0], -s[1]))
    pieces: list[tuple[str, ...]] = []
    cursor = 0
    for start, end, mention in spans:
        if start < cursor:
            continue  # overlaps the previous highlight; its action is still listed beside the text
        pieces.append(("plain", text[cursor:start]))
        pieces.append(("mark", text[start:end], str(mention.pk), mention.action.get_absolute_url()))
        cursor = end
    pieces.append(("plain", text[cursor:]))
    return format_html_join(
        "",
        "{}",
        (
            (
                format_html("{}", piece[1])
                if piece[0] == "plain"
                else format_html(
                    '<a class="evidence-mark" id="mention-{}" href="{}"><mark>{}</mark></a>',
                    piece[2],
                    piece[3],
                    piece[1],
                ),
            )
            for piece in pieces
        ),
    )
