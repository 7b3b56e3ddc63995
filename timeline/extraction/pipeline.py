"""Article text and publication date in, government actions against companies out.

Promises: `extract` and `extract_many` clean the text, parse it with the shared spaCy
pipeline (`extract_many` through `nlp.pipe`, in batches), read events only from sentences
with a trigger word, date them, read their deadlines (also from a next sentence about the same
licence or exemption: "This license will last 90 days"), merge mentions of one act and return
`ExtractionResult`s whose offsets point into the cleaned text. No database, no network.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence

from spacy.tokens import Doc, Span

from .actions import Event, read_events
from .cleaning import CleanedText, clean_text
from .dating import ArticleClock, SentenceDates
from .deadlines import find_deadlines
from .entities import ArticleEntities
from .merging import Draft, family, merge_events
from .nlp import pipeline_for
from .types import DateWindow, ExtractedAction, ExtractedDeadline, ExtractionResult, Gazetteer

EXTRACTOR_VERSION = "1.0"
# A sentence without a number, a unit of time or a calendar word sets no deadline.
_MAY_SET_A_DEADLINE = re.compile(
    r"\d|\b(?:days?|weeks?|months?|years?|hours?|deadline|until|effect|effective|midnight|tomorrow|"
    r"mon|tues|wednes|thurs|fri|satur|sun)(?:day)?\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b",
    re.IGNORECASE,
)
# Instruments a later sentence may refer back to: "This license will last 90 days."
_INSTRUMENT_NOUNS = {"license", "licence", "exemption", "waiver", "authorization", "extension", "exception"}
_SPEECH_WORD = re.compile(r"\b(?:said|says|told|tells|added|stated)\b")
_ORIGINAL_DEADLINE_BEFORE = re.compile(r"(?i)\b(?:original|initial|previous|earlier|existing|prior)\s*$")
_ORIGINAL_DEADLINE_WORDS = re.compile(r"(?i)\b(?:original|initial|previous|earlier|existing|prior)\b.*\bdeadline")
_DEADLINE_AFTER = re.compile(r"(?i)^\s*deadline\b")
_VERBS = {
    "executive_order": "issues an executive order against",
    "ban": "bans",
    "sanction": "sanctions",
    "export_control": "puts export controls on",
    "divestment_order": "orders divestment by",
    "investigation": "investigates",
    "lawsuit": "sues",
    "court_ruling": "rules against",
    "regulation": "regulates",
    "tariff": "imposes tariffs on",
    "legislation": "legislates against",
    "statement": "warns or signals against",
    "other": "acts on",
}


def extract(text: str, published: dt.date, gazetteer: Gazetteer, *, media: Sequence[str] = ()) -> ExtractionResult:
    """The government actions one article reports."""
    return next(extract_many([(text, published)], gazetteer, media=media))


def extract_many(
    items: Iterable[tuple[str, dt.date]],
    gazetteer: Gazetteer,
    *,
    media: Sequence[str] = (),
    batch_size: int = 64,
) -> Iterator[ExtractionResult]:
    """Results in input order, parsed in batches by `nlp.pipe`."""
    media = tuple(media)
    nlp = pipeline_for(gazetteer, media)
    stream = ((cleaned.text, (cleaned, published)) for cleaned, published in _cleaned(items))
    for doc, (cleaned, published) in nlp.pipe(stream, as_tuples=True, batch_size=batch_size):
        yield read_article(doc, cleaned, published, gazetteer, media)


def _cleaned(items: Iterable[tuple[str, dt.date]]) -> Iterator[tuple[CleanedText, dt.date]]:
    for text, published in items:
        yield clean_text(text), published


def read_article(
    doc: Doc, cleaned: CleanedText, published: dt.date, gazetteer: Gazetteer, media: tuple[str, ...] = ()
) -> ExtractionResult:
    """The actions in one parsed, cleaned article."""
    sentences = article_sentences(doc)
    entities = ArticleEntities(doc, gazetteer, media)
    dates_cache: dict[int, SentenceDates] = {}

    def dates_of(i: int) -> SentenceDates:
        if i not in dates_cache:
            dates_cache[i] = SentenceDates(sentences[i], published)
        return dates_cache[i]

    clock = ArticleClock(sentences, dates_of, published, cleaned.dateline)
    events: list[Event] = []
    for i, sentence in enumerate(sentences):
        found = read_events(sentence, i, entities, quote_may_continue=_quote_may_continue(events, i, sentence))
        anchors = [e.anchor for e in found]
        for event in found:
            _date_event(event, anchors, dates_of(i), clock)
        events.extend(found)

    read_so_far: dict[tuple[int, DateWindow], list[ExtractedDeadline]] = {}

    def read_deadlines(event: Event, window: DateWindow) -> list[ExtractedDeadline]:
        sentence = event.sentence
        key = (event.sentence_index, window)
        if key not in read_so_far:
            read_so_far[key] = []
            if _MAY_SET_A_DEADLINE.search(sentence.text):
                spans = [
                    (e.start_char - sentence.start_char, e.end_char - sentence.start_char)
                    for e in sentence.ents
                    if e.label_ == "DATE"
                ]
                read_so_far[key] = find_deadlines(sentence.text, window, published, entity_spans=spans)
        return list(read_so_far[key])

    drafts = merge_events(events, read_deadlines)
    _carry_original_deadlines(drafts, dates_of, published)
    _read_follow_up_deadlines(drafts, sentences, {e.sentence_index for e in events}, published)
    text = doc.text
    actions = [_action(draft, text) for draft in drafts]
    return ExtractionResult(text=text, actions=actions)


def _read_follow_up_deadlines(drafts: list[Draft], sentences: list[Span], busy: set[int], published: dt.date) -> None:
    """'... will extend the Temporary General License. This license will last an additional 90
    days.': a next sentence about the same instrument, with no act of its own, sets its deadline."""
    for draft in drafts:
        last = max(e.sentence_index for e in draft.events)
        told = " ".join(e.sentence.text.lower() for e in draft.events)
        for i in range(last + 1, min(last + 3, len(sentences))):
            sentence = sentences[i]
            if i in busy or not _MAY_SET_A_DEADLINE.search(sentence.text):
                continue
            subject = next((t for t in sentence if t.dep_ in {"nsubj", "nsubjpass"}), None)
            referring = subject is not None and any(
                c.dep_ == "det" and c.lower_ in {"this", "that", "the"} for c in subject.children
            )
            if referring and subject.lower_ in _INSTRUMENT_NOUNS and subject.lower_ in told:
                base = sentence.start_char
                spans = [(e.start_char - base, e.end_char - base) for e in sentence.ents if e.label_ == "DATE"]
                found = find_deadlines(sentence.text, draft.window, published, entity_spans=spans)
                # "effective on <the act's own day>" dates the act again; only later days are deadlines
                draft.add_deadlines([d for d in found if d.due_on > draft.window.end])
                break


def article_sentences(doc: Doc) -> list[Span]:
    """spaCy's sentences with stray fragments ('at the time.', a lone 'President') rejoined."""
    bounds: list[list[int]] = []
    for sent in doc.sents:
        words = [t for t in sent if not t.is_space]
        if not words:
            continue
        joined_to_previous = bool(bounds) and not _line_break_before(doc, sent.start) and (words[0].is_lower)
        previous_is_stub = (
            bool(bounds) and not _line_break_before(doc, sent.start) and _is_stub(doc[bounds[-1][0] : bounds[-1][1]])
        )
        if joined_to_previous or previous_is_stub:
            bounds[-1][1] = sent.end
        else:
            bounds.append([sent.start, sent.end])
    return [_trimmed(doc[start:end]) for start, end in bounds]


def _line_break_before(doc: Doc, i: int) -> bool:
    return i > 0 and ((doc[i - 1].is_space and "\n" in doc[i - 1].text) or "\n" in doc[i - 1].whitespace_)


def _is_stub(span: Span) -> bool:
    words = [t for t in span if not t.is_space]
    return len(words) <= 2 and not any(t.is_punct for t in words[-1:])


def _trimmed(span: Span) -> Span:
    start, end = span.start, span.end
    while end > start + 1 and span.doc[end - 1].is_space:
        end -= 1
    while start < end - 1 and span.doc[start].is_space:
        start += 1
    return span.doc[start:end]


def _quote_may_continue(events: list[Event], i: int, sentence: Span) -> bool:
    return (
        bool(events)
        and events[-1].action_type == "statement"
        and i - events[-1].sentence_index <= 2
        and bool(_SPEECH_WORD.search(sentence.text))
    )


def _date_event(event: Event, anchors: list, sentence_dates: SentenceDates, clock: ArticleClock) -> None:
    trigger_tokens = [t.token for t in event.triggers]
    prefer_effect = event.action_type == "legislation"
    window = sentence_dates.own_window(event.anchor, trigger_tokens, anchors, prefer_effect)
    if window is None:
        window = clock.cited_document_window(event.sentence_index)
    if window is not None:
        event.window, event.date_own = window, True
        return
    tense = "present" if event.is_title else event.tense  # headlines tell the news in the present
    event.window, event.date_sure = clock.fallback_window(event.sentence_index, tense)
    event.date_own = False


def _carry_original_deadlines(drafts: list[Draft], dates_of, published: dt.date) -> None:
    """'a 15-day extension of the original November 12, 2020 deadline' dates the first order's deadline."""
    for n, draft in enumerate(drafts):
        for event in draft.events:
            text = event.sentence.text
            if not _ORIGINAL_DEADLINE_WORDS.search(text):
                continue
            sentence_dates = dates_of(event.sentence_index)
            for mention in sentence_dates.mentions:
                if not (
                    _ORIGINAL_DEADLINE_BEFORE.search(text[: mention.start])
                    and _DEADLINE_AFTER.match(text[mention.end :])
                ):
                    continue
                earlier = next(
                    (
                        d
                        for d in reversed(drafts[:n])
                        if family(d.action_type) == family(draft.action_type) and set(d.targets) & set(draft.targets)
                    ),
                    None,
                )
                if earlier is not None:
                    due = mention.window.start
                    earlier.add_deadlines(
                        [
                            ExtractedDeadline(
                                due, "original deadline", f"stated as the original deadline: {mention.window.phrase}"
                            )
                        ]
                    )


def _action(draft: Draft, text: str) -> ExtractedAction:
    main = draft.main
    start, end = main.sentence.start_char, main.sentence.end_char
    evidence = text[start:end]
    confidence = _confidence(draft)
    action = ExtractedAction(
        action_type=draft.action_type,
        actor=draft.actor,
        window=draft.window,
        targets=list(draft.targets),
        evidence=evidence,
        start_char=start,
        end_char=end,
        confidence=confidence,
        summary="",
        deadlines=sorted(draft.deadlines, key=lambda d: d.due_on),
        new_targets=list(draft.new_targets),
    )
    action.summary = summarize(action)
    return action


def _confidence(draft: Draft) -> float:
    main = draft.main
    score = 0.5 if main.strong else 0.3
    score += 0.15 if any(e.actor_explicit for e in draft.events) else 0.0
    score += 0.15 if any(e.picked.explicit for e in draft.events) else 0.05
    score += 0.1 if draft.date_own else 0.0
    if draft.action_type == "statement":
        score -= 0.1
    score += min(0.05, 0.02 * (len(draft.events) - 1))
    return max(0.05, min(0.95, score))


def summarize(action: ExtractedAction) -> str:
    """One line: who did what to whom, with the first deadline."""
    actor = action.actor or "A government"
    targets = action.targets
    if action.action_type == "divestment_order" and len(targets) > 1:
        line = f"{actor} orders {targets[0]} to divest {', '.join(targets[1:])}"
    else:
        line = f"{actor} {_VERBS.get(action.action_type, 'acts on')} {', '.join(targets) or 'a company'}"
    if action.deadlines:
        line += f" (deadline {action.deadlines[0].due_on.isoformat()})"
    return line
