"""When each event happened: its own date phrase, or what the article implies.

Promises:
- `SentenceDates` finds the date phrases of one sentence once (via dates.find_dates with the
  sentence's spaCy DATE spans) and `own_window(event)` picks the one attached closest to the
  event's predicate in the parse, skipping deadline phrases ("beginning on Sunday", "until
  November 12", "the original November 12 deadline") unless they tell when a law took effect;
- `ArticleClock` knows the article's "news day" (a dated announcement in its lead, or the
  publication day of a "Today, ..." release) and the last dated context before a sentence;
  `fallback_window(event)` dates an event whose sentence has no date: the news day for
  announcements in the present, present perfect or future, the publication day of a release,
  the day a story opened with ("On January 18, 2024, ...") for a sentence that goes on with it
  ("... also designated", "In addition, ..."), else a window from the last dated context (or a
  year back) up to publication. It never
  makes up a precise day that the text does not support.
- `cited_document_window` dates "In the Protecting Against ... Order" by the citation of the
  same title elsewhere in the text ("... (2019) (Protecting Against ... Order)").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import cached_property

from spacy.tokens import Span, Token

from .dates import DateMention, find_dates
from .lexicon import DEADLINE_CUE_BEFORE, PAST_EFFECT_BEFORE, SPEECH_LEMMAS
from .types import DateWindow

_DEADLINE_AFTER = re.compile(r"^\s*(?:deadline|cutoff|due\s+date|expir)", re.IGNORECASE)
_TODAY_RELEASE = re.compile(
    r"(?:^|\n)\s*Today,|\b(?:said|announced|says|announces|issued|released)\s+today\b|\btoday\s+(?:announced|said|issued|released)\b"
)
_DOCUMENT_TITLE = re.compile(
    r"\b((?:[A-Z][\w-]*\s+(?:(?:of|to|on|for|and|the|Against)\s+)?){2,}"
    r"(?:Order|Act|Rule|Determination|Regulation|Directive|Decision|Proclamation|Memorandum))\b"
)
_CITED_YEAR = re.compile(r"\((?:19|20)\d{2}\)")
_FAR = 99
# A sentence with none of these words or digits holds no date phrase: find_dates is skipped.
_MAY_HOLD_A_DATE = re.compile(
    r"\d|\b(?:today|tonight|yesterday|tomorrow|day|days|week|weeks|weekend|month|months|year|years|ago|"
    r"quarter|decade|century|spring|summer|autumn|fall|winter|earlier|recently|"
    r"mon|tues|wednes|thurs|fri|satur|sun)(?:day)?\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b",
    re.IGNORECASE,
)


def precision_for(start: dt.date, end: dt.date) -> str:
    days = (end - start).days + 1
    if days <= 1:
        return "day"
    if days <= 7:
        return "week"
    if days <= 31:
        return "month"
    return "year"


# Openings and adverbs of a sentence that carries on the story of the sentence before.
_CONTINUES_STORY = re.compile(
    r"^\s*(?:In\s+addition|Additionally|Also|Further(?:more)?|Moreover)\b|^[^,;]{0,60}\balso\b"
)


class SentenceDates:
    """The date phrases of one sentence with the tokens they hang on."""

    def __init__(self, sentence: Span, published: dt.date):
        self.sentence = sentence
        base = sentence.start_char
        spans = [(e.start_char - base, e.end_char - base) for e in sentence.ents if e.label_ == "DATE"]
        self.text = sentence.text
        self.mentions: list[DateMention] = []
        if spans or _MAY_HOLD_A_DATE.search(self.text):
            self.mentions = find_dates(self.text, published, entity_spans=spans)
        self.published = published

    def token_of(self, mention: DateMention) -> Token | None:
        base = self.sentence.start_char
        span = self.sentence.doc.char_span(base + mention.start, base + mention.end, alignment_mode="expand")
        return span.root if span is not None else None

    def is_deadline_phrase(self, mention: DateMention) -> bool:
        before = self.text[: mention.start]
        after = self.text[mention.end :]
        if PAST_EFFECT_BEFORE.search(before):
            return False
        return bool(DEADLINE_CUE_BEFORE.search(before) or _DEADLINE_AFTER.match(after))

    def took_effect(self, mention: DateMention) -> bool:
        return bool(PAST_EFFECT_BEFORE.search(self.text[: mention.start]))

    def own_window(
        self, anchor: Token, trigger_tokens: list[Token], other_anchors: list[Token], prefer_effect: bool = False
    ) -> DateWindow | None:
        """The date phrase that belongs to this predicate, if the sentence has one."""
        best: tuple[int, int, DateMention] | None = None
        for mention in self.mentions:
            if self.is_deadline_phrase(mention) or mention.window.start > self.published:
                continue
            token = self.token_of(mention)
            if token is None:
                continue
            hops = min([_distance(token, anchor)] + [_distance(token, t) for t in trigger_tokens])
            if any(_distance(token, other) < hops for other in other_anchors if other.i != anchor.i):
                continue
            if prefer_effect and self.took_effect(mention):
                hops -= 10
            gap = min(abs(token.i - t.i) for t in [anchor, *trigger_tokens])
            if best is None or (hops, gap) < best[:2]:
                best = (hops, gap, mention)
        return best[2].window if best else None


def _distance(a: Token, b: Token) -> int:
    """Edges between two tokens in the parse tree; far when in different trees."""
    up_a = {a.i: 0}
    node, steps = a, 0
    while node.head.i != node.i:
        node, steps = node.head, steps + 1
        up_a[node.i] = steps
    node, steps = b, 0
    while True:
        if node.i in up_a:
            return up_a[node.i] + steps
        if node.head.i == node.i:
            return _FAR
        node, steps = node.head, steps + 1


class ArticleClock:
    """Article-wide dating context: publication, news day and dated context per sentence.

    Sentence dates are read lazily through `dates_of(i)`, so sentences far from any action
    are never scanned for dates."""

    def __init__(
        self, sentences: list[Span], dates_of: Callable[[int], SentenceDates], published: dt.date, dateline: str = ""
    ):
        self.published = published
        self.sentences = sentences
        self.dates_of = dates_of
        lead = " ".join(s.text for s in sentences[:4])
        self.release_today = bool(_TODAY_RELEASE.search(lead))
        self._dateline = dateline

    @cached_property
    def texts(self) -> list[str]:
        return [s.text for s in self.sentences]

    @cached_property
    def news_day(self) -> DateWindow | None:
        """The day the lead's announcements happened, when the text says."""
        return self._news_day(self._dateline)

    def _news_day(self, dateline: str) -> DateWindow | None:
        if dateline:
            found = find_dates(dateline, self.published)
            if found and found[0].window.precision == "day":
                return found[0].window
        if self.release_today:
            return DateWindow(self.published, self.published, "day", "today")
        for i in range(min(4, len(self.sentences))):
            sentence_dates = self.dates_of(i)
            if len(self.sentences[i]) <= 8 and any(m.window.precision == "day" for m in sentence_dates.mentions):
                return next(
                    m.window for m in sentence_dates.mentions if m.window.precision == "day"
                )  # "Brussels, 18 July 2018"
            for mention in sentence_dates.mentions:
                token = sentence_dates.token_of(mention)
                if token is None or mention.window.precision != "day" or mention.window.end > self.published:
                    continue
                node = token
                for _ in range(3):
                    node = node.head
                    if node.lemma_ in SPEECH_LEMMAS and node.pos_ == "VERB":
                        return mention.window
        return None

    def last_dated_context(self, sentence_index: int) -> DateWindow | None:
        """The latest past date phrase in the sentences before this one."""
        for i in range(sentence_index - 1, -1, -1):
            sentence_dates = self.dates_of(i)
            past = [
                m.window
                for m in sentence_dates.mentions
                if m.window.end <= self.published and not sentence_dates.is_deadline_phrase(m)
            ]
            if past:
                return past[-1]
        return None

    def fallback_window(self, sentence_index: int, tense: str) -> tuple[DateWindow, bool]:
        """A window for an undated event and whether it is a sure day (release or news day)."""
        published = self.published
        if self.release_today:
            return DateWindow(published, published, "day", ""), True
        if tense in {"present", "perfect", "future"}:
            day = self.news_day or DateWindow(published, published, "day", "")
            return DateWindow(day.start, day.end, day.precision, ""), True
        opened = self.story_day(sentence_index)
        if opened is not None:
            return DateWindow(opened.start, opened.end, "day", ""), True
        context = self.last_dated_context(sentence_index)
        year_back = published - dt.timedelta(days=365) if published.year > 1 else dt.date.min
        start = context.start if context else year_back
        start = min(start, published)
        return DateWindow(start, published, precision_for(start, published), ""), False

    def story_day(self, sentence_index: int) -> DateWindow | None:
        """'On January 18, 2024, OFAC designated X. OFAC also designated Y.': a sentence that goes
        on with the story ("also", "In addition") happened on the day the story opened with."""
        if not _CONTINUES_STORY.search(self.texts[sentence_index]):
            return None
        for i in range(sentence_index - 1, max(-1, sentence_index - 3), -1):
            mentions = self.dates_of(i).mentions
            if not mentions:
                continue
            first = mentions[0]
            opening = first.start <= 3 and first.window.precision == "day" and first.window.end <= self.published
            return first.window if opening else None
        return None

    def cited_document_window(self, sentence_index: int) -> DateWindow | None:
        """A named order or act dated where the text cites it again with a date."""
        text = self.texts[sentence_index]
        for match in _DOCUMENT_TITLE.finditer(text):
            title = re.sub(r"^(?:(?:In|Under|The|the)\s+)+", "", match.group(1))
            for other_index, other_text in enumerate(self.texts):
                if other_index == sentence_index or title not in other_text:
                    continue
                at = other_text.index(title)
                mentions = [m for m in self.dates_of(other_index).mentions if m.window.end <= self.published]
                if mentions:
                    nearest = min(mentions, key=lambda m: abs(m.start - at))
                    return nearest.window
                year = _nearest_cited_year(other_text, at)
                if year:
                    return DateWindow(dt.date(year, 1, 1), dt.date(year, 12, 31), "year", f"({year})")
        return None


def _nearest_cited_year(text: str, at: int) -> int | None:
    years = [(abs(m.start() - at), int(m.group()[1:5])) for m in _CITED_YEAR.finditer(text)]
    return min(years)[1] if years else None
