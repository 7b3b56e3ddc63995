"""Deadlines an action sets, read from its evidence sentence.

Promises: `find_deadlines` returns ExtractedDeadlines (due date, what is due, how it was
computed), one per due date, for
- durations counted from the action's own date ("gave ByteDance 90 days", "within 45 days",
  "a 270-day deadline", "delay by 75 days"), or from a date they name ("90 days after Aug. 14");
- explicit dates after deadline cues ("by Nov. 12", "effective Sept. 20", "until", "as of",
  "took effect on Sunday"); yearless ones take the year nearest the action's date;
- extensions counted from the earlier deadline they extend ("a 15-day extension of the
  original November 12, 2020 deadline"), which is then not reported on its own.
Durations that set nothing ("for 10 years", "over the past two years", "a 25-year-old",
"48 hours of legal maneuvering") are ignored.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence

from dateutil.relativedelta import relativedelta

from .dates import DURATION_PATTERN, WHITESPACE, DateMention, find_dates_anchored, number_value
from .types import DateWindow, ExtractedDeadline

# Words just before a duration that make it a period granted or imposed.
_GRANTING_BEFORE = re.compile(
    r"(?i)(?:\b(?:within|in|after|no later than|not later than|up to|additional|another|extra|"
    r"further|by|gives?|gave|given|giving|grants?|granted|allows?|allowed|ordered|"
    r"extends?|extended|extending|delays?|delayed|postponed?|pauses?|paused|has|have|had)"
    r"(?:\s+(?:the\s+)?(?:next|first))?"
    r"|\b(?:gives?|gave|given|giving|grant(?:s|ed)?|allow(?:s|ed)?|has|have|had|gets?|got)"
    r"\s+(?:[\w.'’-]+\s+){1,4}?)\s*$"
)
# Words just after a duration that make it a deadline ("90 days to divest", "a 270-day review").
_DEADLINE_AFTER = re.compile(
    r"(?i)^\s*(?:to\s+(?!the\b|date\b)\w+|from\b|after\b|following\b|"
    r"(?:deadline|extension|grace period|window|reprieve|countdown|timeline|timeframe|"
    r"wind-down|review period|review|period|pause|delay|suspension|moratorium|stay)\b)"
)
_NOT_A_DEADLINE_BEFORE = re.compile(
    r"(?i)\b(?:for|past|last|previous|recent|over|spent|spending|took|taken|lasted|lasting|"
    r"served|serving|than|nearly|about|almost|aged|age|first|every|each|per|some)"
    r"(?:\s+(?:the|a))?\s*$"
)
# "the first time in 10 years", "the highest level in two years": comparisons, not periods.
_SUPERLATIVE_IN_BEFORE = re.compile(
    r"(?i)\b(?:time|ever|highest|lowest|largest|biggest|smallest|best|worst|most|least|level|rate|first)\s+in\s*$"
)
_HYPOTHETICAL_BEFORE = re.compile(r"(?i)\b(?:possible|potential|optional)\b[^,;]{0,25}$")
_NOT_A_DEADLINE_AFTER = re.compile(
    r"(?i)^(?:-old|\s+old|\s+ago|\s+earlier|\s+later|\s+before|\s+prior|\s+long|\s+apart|\s+in\s+prison)\b"
)
# "90 days after the order", "30 days from publication": the clock starts at an act or a date.
_CLOCK_START_AFTER = re.compile(
    r"(?i)^\s*(?:after|from|following)\s+(?:(?:the|its|this|that|their|his|her|a|an)\s+)?"
    r"(?:[\w-]+\s+){0,2}?(?:order|orders|decision|ruling|date|day|notice|notification|publication|enactment|"
    r"signing|entry|effective|announcement|designation|listing|law|rule|act|judgment|receipt|service|"
    r"issuance|filing|deadline|(?-i:[A-Z])[a-z]{2,}\.?\s+\d)"
)
_WITHIN_BEFORE = re.compile(r"(?i)\b(?:within|no later than|not later than|up to)(?:\s+the\s+next)?\s*$")
_OF_AFTER = re.compile(r"(?i)^\s+of\b")
_HOURS = re.compile(r"(?i)hour")
# Links from a duration to the date it counts from: "90 days after [the] Aug. 14 [order]".
_COUNTED_FROM = re.compile(
    r"(?i)^\s*(?:after|from|following|of|past|beyond)\s+(?:the\s+|its\s+|an?\s+)?"
    r"(?:(?:original|previous|earlier|current|existing|initial|prior)\s+)?(?:deadline\s+(?:of\s+)?)?$"
)
_EXTENSION = re.compile(r"(?i)^\s*(?:extension|reprieve|delay)\b|\b(?:additional|extra|further|another)\s*$")
_EARLIER_DEADLINE_AFTER = re.compile(r"(?i)^\s*(?:deadline|cutoff|due date)\b")

# "at 11:59 p.m. EST on": a time of day may sit between a cue and its date.
_TIME_OF_DAY = (
    r"(?:\s+(?:at\s+)?(?:midnight|noon|\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?|\d{1,2}\s*[ap]\.?m\.?)(?:\s+(?:[A-Z]{2,4}|local\s+time))?)?"
    r"(?:\s+(?:on|in))?\s*$"
)
_FUTURE_CUE = re.compile(
    r"(?i)\b(?:by|no later than|not later than|on or before|before|effective(?:\s+(?:on|as of|from))?|"
    r"beginning(?:\s+on)?|starting(?:\s+(?:on|from))?|until|till|through|as of|due(?:\s+(?:on|by))?|"
    r"expires?(?:\s+on)?|expiring(?:\s+on)?|(?:take|takes|taking)\s+effect(?:\s+on)?|"
    r"(?:go|goes|going)\s+into\s+effect(?:\s+on)?|comes?\s+into\s+force(?:\s+on)?|"
    r"(?:shuttered|shut\s+down|closed|halted|terminated|lifted|removed|end|ends)\s+(?:on|by)|"
    r"ends|scheduled\s+for|slated\s+for|set\s+for|"
    r"deadline(?:\s+[\w.,'’-]+){0,6}?\s+(?:is|was|of|on|to|at|until|set\s+for)|deadline,?|"
    r"(?:extend(?:s|ed|ing)?|push(?:es|ed)?\s+back|postpone[sd]?|delay(?:s|ed)?|move[sd]?)"
    r"(?:\s+[\w.,'’-]+){0,6}?\s+(?:to|until))" + _TIME_OF_DAY
)
_PAST_CUE = re.compile(
    r"(?i)\b(?:took\s+effect|went\s+into\s+effect|came\s+into\s+force|became\s+effective|expired|"
    r"lapsed|ended|(?:was|were|had\s+been)\s+(?:(?:set|scheduled|due|slated|supposed|expected)\s+)?"
    r"to\s+(?:take\s+effect|go\s+into\s+effect|begin|start|expire))" + _TIME_OF_DAY
)
_STARTS_CUE = re.compile(r"(?i)\b(?:effective|beginning|starting|as of|effect|force|began|started)\b")
_PAST_PHRASE = re.compile(r"(?i)\b(?:ago|last|yesterday|earlier|past|previous)\b")
_FOLLOWED_BY_DEADLINE = re.compile(r"(?i)^\s*(?:'s\s+)?(?:deadline|cutoff)\b")

_TO_CLAUSE = re.compile(
    r"(?i)^\s*(?:[\w.'’-]+\s+){0,10}?to\s+(?!the\b|date\b|\d)(?P<what>(?:[^,;.]|\.(?!\s+(?-i:[A-Z])|\s*$))+)"
)
_CLAUSE_START = re.compile(r"(?i)(?:[,;]|:(?=\s)|\b(?:that|which|but|said|says)\b)\s*")
_TRAILING_TIME = re.compile(
    r"(?i)\s+(?:at\s+)?(?:midnight|noon|\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?|\d{1,2}\s*[ap]\.?m\.?)(?:\s+(?:[A-Z]{2,4}|local\s+time))?$"
)
_TO_VERB = re.compile(r"(?i)\bto\s+(?!the\b|\d|take\b|go\b|come\b|be\b)(?=(?-i:[a-z]))")
_POSTPONING_VERBS = {"delay", "postpone", "extend", "pause", "suspend", "defer"}
_POSTPONED_OBJECT = re.compile(r"(?i)^\s+(?P<what>the\s+[^,;]+?)(?=\s+(?:that|which|until|by)\b|[,;]|\.(?:\s|$)|$)")
_LEADING_ARTICLE = re.compile(r"(?i)^(?:(?:and|or|but|then|the|a|an|its|their|his|her)\s+)+")
_TRAILING_LINK = re.compile(
    r"(?i)(?:\s+(?:on|by|until|till|through|as\s+of|before|from|to|for|of|at|within|in|a|an|the|additional|"
    r"another|extra|further|up|no\s+later\s+than|not\s+later\s+than|beginning|starting))+$"
)


def _clip(text: str, limit: int = 100) -> str:
    text = WHITESPACE.sub(" ", text).strip(" ,;:.")
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0]


def _what_after(sentence: str, end: int) -> str:
    found = _TO_CLAUSE.match(sentence[end : end + 160])
    return _clip(found["what"]) if found else ""


def _what_before(sentence: str, start: int) -> str:
    """The clause leading up to a date or duration: "The prohibitions take effect on" -> "prohibitions take effect"."""
    head = " " + sentence[:start]
    for piece in reversed(_CLAUSE_START.split(head)):
        clause = _TRAILING_LINK.sub("", " " + piece.strip(" ,;:"))
        clause = _TRAILING_LINK.sub("", _TRAILING_TIME.sub("", clause))
        verb = list(_TO_VERB.finditer(clause))
        if verb:  # "ordered ByteDance to sell TikTok" -> "sell TikTok"
            clause = clause[verb[-1].end() :]
        if clause.strip():
            return _clip(_LEADING_ARTICLE.sub("", " ".join(clause.split()[-8:])))
    return ""


def _describe(sentence: str, start: int, end: int, fallback: str, *, subject_ok: bool = True) -> str:
    """What is due: the "to ..." clause after the phrase, else the clause before it."""
    after = _what_after(sentence, end)
    if after:
        return after
    before = _what_before(sentence, start) if subject_ok else ""
    postponed = _POSTPONED_OBJECT.match(sentence[end : end + 160])
    if before.lower() in _POSTPONING_VERBS and postponed:  # "delay by 75 days the enforcement of a ban"
        return _clip(f"{before} {postponed['what']}")
    return before or fallback


def _add(base: dt.date, count: int, unit: str) -> dt.date:
    unit = unit.lower()
    if "business" in unit:
        day, left = base, count
        while left:
            day += dt.timedelta(days=1)
            left -= day.weekday() < 5
        return day
    if "hour" in unit:
        return base + dt.timedelta(days=math.ceil(count / 24))
    if "decade" in unit:
        return base + relativedelta(years=10 * count)
    key = unit.split()[-1] + "s"
    return base + relativedelta(**{key: count})


def _unit_words(count: int, unit: str) -> str:
    unit = WHITESPACE.sub(" ", unit.lower())
    return f"{count} {unit}{'' if count == 1 else 's'}"


def _mention_before(mentions: Sequence[DateMention], end: int, limit: int = 60) -> DateMention | None:
    """The date named right after a duration that it counts from (the link text checked by caller)."""
    for mention in mentions:
        if end <= mention.start <= end + limit:
            return mention
    return None


def _sets_a_period(sentence: str, match: re.Match[str]) -> bool:
    """Whether a duration is a period granted or imposed, not a length of time that passed."""
    start, end = match.span()
    before, after = sentence[max(0, start - 60) : start], sentence[end : end + 80]
    within = bool(_WITHIN_BEFORE.search(before))
    if _NOT_A_DEADLINE_AFTER.match(after) or _HYPOTHETICAL_BEFORE.search(before):
        return False
    if not within and (
        _NOT_A_DEADLINE_BEFORE.search(before)
        or _SUPERLATIVE_IN_BEFORE.search(before)
        or _OF_AFTER.match(after)
        or _HOURS.search(match["unit"])
    ):
        return False
    if re.match(r"(?i)^\s*(?:after|following)\b", after) and not _CLOCK_START_AFTER.match(after):
        return False  # "two weeks after a deadly border clash" dates a past event, it sets nothing
    if "-" in match["joint"]:
        return bool(_DEADLINE_AFTER.match(after))  # "a 90-day ban" sets a length, "a 90-day deadline" a due date
    return bool(within or _GRANTING_BEFORE.search(before) or _DEADLINE_AFTER.match(after))


_EFFECT_CUE_BEFORE = re.compile(
    r"(?i)\b(?:effective|beginning|starting|(?:takes?|took|taking)\s+effect)(?:\s+(?:on|from|as\s+of))?\s*$"
)
_SAME_CLAUSE_LINK = re.compile(r"(?i)^[^,;.]{0,40}$")


def _effect_date_before(sentence: str, start: int, mentions: Sequence[DateMention]) -> DateMention | None:
    """The start date a period runs from when the clause gives it first: "effective on
    August 1 and last an additional 90 days"."""
    for mention in reversed(mentions):
        if mention.end > start or mention.window.precision != "day":
            continue
        if _SAME_CLAUSE_LINK.match(sentence[mention.end : start]) and _EFFECT_CUE_BEFORE.search(
            sentence[max(0, mention.start - 40) : mention.start]
        ):
            return mention
        return None
    return None


def _duration_deadlines(
    sentence: str, base: dt.date, base_note: str, mentions: Sequence[DateMention], used: set[int]
) -> list[ExtractedDeadline]:
    found: list[ExtractedDeadline] = []
    for match in DURATION_PATTERN.finditer(sentence):
        count = number_value(match["n"])
        if not count or not _sets_a_period(sentence, match):
            continue
        start, end = match.span()
        counted_from, note = base, base_note
        named = _mention_before(mentions, end)
        is_extension = bool(_EXTENSION.search(sentence[end : end + 20]) or _EXTENSION.search(sentence[:start]))
        if named and named.window.precision == "day" and _COUNTED_FROM.match(sentence[end : named.start]):
            counted_from = named.window.end
            link = sentence[end : named.start].lower()
            is_deadline = "deadline" in link or _EARLIER_DEADLINE_AFTER.match(sentence[named.end :])
            note = f"the original deadline {counted_from.isoformat()}" if is_deadline else counted_from.isoformat()
            used.add(named.start)
        elif (start_day := _effect_date_before(sentence, start, mentions)) is not None:
            counted_from, note = (
                start_day.window.end,
                start_day.window.end.isoformat(),
            )  # "effective on X and last 90 days"
        elif is_extension:
            earlier = next((m for m in mentions if m.start >= end and m.window.precision == "day"
                            and _EARLIER_DEADLINE_AFTER.match(sentence[m.end :])), None)  # fmt: skip
            if earlier is not None:
                counted_from, note = earlier.window.end, f"the original deadline {earlier.window.end.isoformat()}"
                used.add(earlier.start)
            elif found:  # "270 days to sell, with a 90-day extension": extends the period just set
                counted_from = found[-1].due_on
                note = f"the {found[-1].derivation.split(' after ')[0]} deadline {counted_from.isoformat()}"
        due = _add(counted_from, count, match["unit"])
        what = _describe(
            sentence, start, end, "extended deadline" if is_extension else "deadline", subject_ok=not is_extension
        )
        found.append(ExtractedDeadline(due, what, f"{_unit_words(count, match['unit'])} after {note}"))
    return found


def _date_deadlines(
    sentence: str,
    future: Sequence[DateMention],
    past: Sequence[DateMention],
    used: set[int],
) -> list[ExtractedDeadline]:
    past_by_start = {m.start: m for m in past}
    found = []
    for mention in future:
        if mention.start in used:
            continue
        before = sentence[max(0, mention.start - 80) : mention.start]
        cue = _PAST_CUE.search(before) or _FUTURE_CUE.search(before)
        followed = _FOLLOWED_BY_DEADLINE.match(sentence[mention.end :])
        if not (cue or followed):
            continue
        window: DateWindow = mention.window
        if cue is not None and cue.re is _PAST_CUE:
            window = past_by_start.get(mention.start, mention).window
        elif _PAST_PHRASE.search(window.phrase):
            continue  # "by last week" looks back; it sets nothing
        starts = cue is not None and bool(_STARTS_CUE.search(cue[0]))
        due = window.start if starts else window.end
        cue_text = WHITESPACE.sub(" ", cue[0].strip()) if cue else "deadline"
        derivation = f"{cue_text} {window.phrase.strip()}" + (
            "" if window.precision == "day" else f" ({window.precision} window)"
        )
        what = _describe(sentence, mention.start, mention.end, "deadline")
        found.append(ExtractedDeadline(due, what, derivation))
    return found


def find_deadlines(
    sentence: str,
    action_window: DateWindow,
    published: dt.date,
    *,
    entity_spans: Sequence[tuple[int, int]] = (),
) -> list[ExtractedDeadline]:
    """Deadlines set in this sentence: durations counted from the action's own date; explicit
    future dates after deadline cues; extensions of an earlier deadline."""
    anchor = action_window.end
    future = find_dates_anchored(sentence, published, anchor, entity_spans=entity_spans, prefer="future")
    past = find_dates_anchored(sentence, published, anchor, entity_spans=entity_spans, prefer="past")
    base_note = anchor.isoformat()
    if action_window.precision != "day":
        base_note += f" (the end of the action's {action_window.precision} window)"
    used: set[int] = set()
    deadlines = _duration_deadlines(sentence, anchor, base_note, future, used)
    deadlines += _date_deadlines(sentence, future, past, used)
    unique: dict[dt.date, ExtractedDeadline] = {}
    for deadline in deadlines:
        if deadline.due_on >= action_window.start:  # an action cannot set a deadline before itself
            unique.setdefault(deadline.due_on, deadline)
    return sorted(unique.values(), key=lambda d: d.due_on)
