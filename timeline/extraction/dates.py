"""Date phrases in news text, normalized to DateWindows read against the publication date.

Promises:
- `normalize_date` turns one phrase ("on Friday", "last week", "Sept. 20", "Q3 2019") into a
  window with a precision, or None when the phrase is no date (durations, the modal "may").
- `find_dates` returns every date phrase of a sentence with its char offsets, longest match
  winning overlaps. Durations ("90 days", "nine months") are never returned.
- Yearless dates take the year that puts them nearest the reference day; a date on the
  non-preferred side of it costs three times its distance, so with prefer="past" a date up
  to about three months ahead stays ahead, and anything further goes back a year.
Own regexes cover the common forms; dateparser is only a validated fallback for explicit
absolute dates the regexes miss.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from dateutil.relativedelta import relativedelta

from .types import DateWindow, Precision

Prefer = Literal["past", "future"]
Span = tuple[dt.date, dt.date]


@dataclass(frozen=True)
class DateMention:
    start: int  # char offsets within the text passed in
    end: int
    window: DateWindow  # window.phrase is the matched text


MONTH_NUMBERS = {
    **{calendar.month_name[n].lower(): n for n in range(1, 13)},
    **{"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8},
    **{"sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12},
}
WEEKDAY_NUMBERS = {calendar.day_name[n].lower(): n for n in range(7)}
_SMALL_NUMBERS = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
]  # fmt: skip
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
NUMBER_WORDS = {
    **{word: n for n, word in enumerate(_SMALL_NUMBERS)},
    **{word: 20 + 10 * n for n, word in enumerate(_TENS)},
    "a": 1, "an": 1, "one": 1, "a few": 3, "few": 3, "several": 3, "a couple of": 2,
    "a dozen": 12, "a hundred": 100, "one hundred": 100,
}  # fmt: skip
_UNIT_WORDS = "|".join(_SMALL_NUMBERS[1:])
# Numbers as digits or words ("45", "forty-five", "a"); case-insensitive group of its own.
NUMBER_PATTERN = (
    r"(?i:\d{1,4}|(?:" + "|".join(_TENS) + r")(?:[- ](?:" + _UNIT_WORDS + r"))?"
    r"|a\s+(?:few|couple\s+of|dozen|hundred)|one\s+hundred|several|" + _UNIT_WORDS + r"|an?)"
)


WHITESPACE = re.compile(r"\s+")
_DIGIT = re.compile(r"\d")


def number_value(text: str) -> int | None:
    """The integer a number pattern match stands for ("forty-five" -> 45)."""
    text = WHITESPACE.sub(" ", text.strip().lower())
    if text.isdigit():
        return int(text)
    if text in NUMBER_WORDS:
        return NUMBER_WORDS[text]
    tens, _, unit = text.replace("-", " ").partition(" ")
    if tens in NUMBER_WORDS and unit in NUMBER_WORDS:
        return NUMBER_WORDS[tens] + NUMBER_WORDS[unit]
    return None


def _title_and_upper(words: Sequence[str]) -> str:
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(alt for w in ordered for alt in (w.title(), w.upper()))


# Month names are case-sensitive so the modal "may" and the verb "march" never match.
_MONTH = r"(?P<mon>(?:" + _title_and_upper(MONTH_NUMBERS) + r")\b\.?)"
_FULL_MONTH = "|".join(calendar.month_name[n] for n in range(1, 13) if n != 5)
_WEEKDAY = r"(?P<wd>(?i:" + "|".join(WEEKDAY_NUMBERS) + r"))"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
# What may follow a 4-digit number that makes it a count, not a year.
_NOT_A_YEAR_AFTER = (
    r"(?!\s*(?:%|[-–/]\d|[.,]\d|\d|(?i:percent|million|billion|trillion|thousand|hundred|"
    r"people|employees|users|workers|companies|units|times|dollars|yuan|euros|pounds|miles|"
    r"km|tons|cases|deaths|jobs|members|shares|votes|pages|apps|accounts|firms|stores)\b))"
)
_YEAR_CUES = (
    r"in|since|by|during|until|through|from|of|before|after|to|between|and|around|circa|"
    r"early|late|mid|fiscal|throughout|for"
)
_YEAR_NOUNS = (
    r"ban|order|executive order|law|act|election|rule|deal|agreement|report|review|"
    r"investigation|lawsuit|sanctions?|decision|ruling|settlement|merger|acquisition|fine|"
    r"tariffs?|campaign|filing|budget|survey|midterms?|presidential|guidance|legislation|"
    r"directive|probe|case|policy|regulation|restrictions?|blacklisting|listing"
)
_QUARTERS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4,
             "4th": 4, "final": 4}  # fmt: skip
# Words that may sit around a date without changing which day it is.
_FILLER = re.compile(
    r"(?i)\b(?:on|in|at|since|by|from|during|until|till|through|as of|of|the|early|late|"
    r"morning|afternoon|evening|night|overnight|local time|ET|EST|EDT|GMT|UTC)\b|[\s,.;:()]"
)
_LEADING_PREPOSITION = re.compile(
    r"^(?i:(?:on|in|at|since|by|from|during|until|till|through|as of|starting|beginning|"
    r"effective|released:?|dated|updated:?|published:?)\s+)+"
)
_BARE_YEAR = re.compile(r"\(?(?:19|20)\d{2}\)?")


def _day_span(day: dt.date) -> Span:
    return day, day


def _month_span(year: int, month: int) -> Span:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _months_span(year: int, first: int, last: int) -> Span:
    return _month_span(year, first)[0], _month_span(year, last)[1]


def _week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _pick_year(build: Callable[[int], Span | None], anchor: dt.date, prefer: Prefer) -> Span | None:
    """The year whose span lies nearest the anchor, the non-preferred side weighing triple."""
    best: tuple[int, Span] | None = None
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        span = build(year)
        if span is None:
            continue
        start, end = span
        if start <= anchor <= end:
            cost = 0
        elif end < anchor:
            cost = (anchor - end).days * (1 if prefer == "past" else 3)
        else:
            cost = (start - anchor).days * (3 if prefer == "past" else 1)
        if best is None or cost < best[0]:
            best = (cost, span)
    return best[1] if best else None


def _weekday_day(weekday: int, published: dt.date, prefer: Prefer, relation: str = "") -> dt.date:
    if relation in ("last", "past"):
        return published - dt.timedelta(days=(published.weekday() - weekday - 1) % 7 + 1)
    if relation == "next":
        return published + dt.timedelta(days=(weekday - published.weekday() - 1) % 7 + 1)
    if prefer == "future":
        return published + dt.timedelta(days=(weekday - published.weekday()) % 7)
    return published - dt.timedelta(days=(published.weekday() - weekday) % 7)


# Each resolver reads one regex match: (match, published, year anchor, prefer) -> span.
Resolver = Callable[[re.Match[str], dt.date, dt.date, Prefer], tuple[Span, Precision] | None]


def _group(match: re.Match[str], name: str) -> str:
    """A named group's text, "" when the pattern lacks or skipped it."""
    return match.groupdict().get(name) or ""


def _month_of(match: re.Match[str]) -> int:
    return MONTH_NUMBERS[match["mon"].rstrip(".").lower()]


def _resolve_month_day(m: re.Match[str], published: dt.date, anchor: dt.date, prefer: Prefer):
    month, day = _month_of(m), int(m["day"])
    if _group(m, "year"):
        found = _safe_date(int(m["year"]), month, day)
        return (_day_span(found), "day") if found else None
    span = _pick_year(lambda y: (d := _safe_date(y, month, day)) and _day_span(d), anchor, prefer)
    return (span, "day") if span else None


def _resolve_month(m: re.Match[str], published: dt.date, anchor: dt.date, prefer: Prefer):
    month = _month_of(m)
    if _group(m, "year"):
        return _month_span(int(m["year"]), month), "month"
    return _pick_year(lambda y: _month_span(y, month), anchor, prefer), "month"


def _resolve_numeric(m: re.Match[str], published: dt.date, anchor: dt.date, prefer: Prefer):
    year = int(m["year"])
    year += 2000 if year < 100 else 0
    found = _safe_date(year, int(m["month"]), int(m["day"]))
    return (_day_span(found), "day") if found and 1900 <= year <= 2099 else None


def _resolve_year(m: re.Match[str], published: dt.date, anchor: dt.date, prefer: Prefer):
    year = int(m["year"])
    return (dt.date(year, 1, 1), dt.date(year, 12, 31)), "year"


def _resolve_year_range(m: re.Match[str], published: dt.date, anchor: dt.date, prefer: Prefer):
    first, last = int(m["year"]), int(m["last"])
    last += first // 100 * 100 if last < 100 else 0  # "2019-20"
    if not first < last <= first + 50:
        return None
    return (dt.date(first, 1, 1), dt.date(last, 12, 31)), "year"


def _resolve_decade(m: re.Match[str], published: dt.date, anchor: dt.date, prefer: Prefer):
    decade = int(m["decade"])
    first, last = _PART_OF_DECADE.get(_group(m, "part").lower(), (0, 9))  # "the early 2000s": 2000-2003
    return (dt.date(decade + first, 1, 1), dt.date(decade + last, 12, 31)), "year"


_PART_OF_DECADE = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}
_PART_OF_YEAR = {"early": (1, 4), "beginning": (1, 3), "start": (1, 3), "mid": (5, 8),
                 "middle": (5, 8), "late": (9, 12), "end": (10, 12)}  # fmt: skip
_PART_OF_MONTH = {"early": (1, 10), "beginning": (1, 10), "start": (1, 10), "mid": (11, 20),
                  "middle": (11, 20), "late": (21, 31), "end": (21, 31)}  # fmt: skip


def _relative_year(word: str | None, published: dt.date) -> int | None:
    if not word:
        return None
    return published.year + {"last": -1, "next": 1}.get(word.split()[0].lower(), 0)


def _resolve_part_of_year(m: re.Match[str], published: dt.date, anchor: dt.date, prefer: Prefer):
    year = int(m["year"]) if _group(m, "year") else _relative_year(_group(m, "rel"), published)
    first, last = _PART_OF_YEAR[(m["part"] or m["part_of"]).lower()]
    return _months_span(year, first, last), "month"


def _resolve_part_of_month(m: re.Match[str], published: dt.date, anchor: dt.date, prefer: Prefer):
    first, last = _PART_OF_MONTH[(m["part"] or m["part_of"]).lower()]
    if _group(m, "mon"):
        month = _month_of(m)
        if _group(m, "year"):
            span = _month_span(int(m["year"]), month)
        else:
            span = _pick_year(lambda y: _month_span(y, month), anchor, prefer)
    else:
        shift = {"last": -1, "next": 1}.get(m["rel"].split()[0].lower(), 0)
        month_day = published + relativedelta(months=shift)
        span = _month_span(month_day.year, month_day.month)
    start, end = span
    return (start.replace(day=first), min(end, start.replace(day=min(last, end.day)))), "month"


def _resolve_quarter(m: re.Match[str], published: dt.date, anchor: dt.date, prefer: Prefer):
    ordinal = _group(m, "ord").lower()
    quarter = int(m["q"]) if _group(m, "q") else _QUARTERS.get(ordinal)
    year = int(m["year"]) if _group(m, "year") else _relative_year(_group(m, "rel"), published)
    if ordinal == "last" and year is None:  # "last quarter": the one before P's quarter
        previous = published - relativedelta(months=3)
        quarter, year = (previous.month - 1) // 3 + 1, previous.year
    quarter = quarter or 4
    first = 3 * quarter - 2
    if year is None:
        return _pick_year(lambda y: _months_span(y, first, first + 2), anchor, prefer), "month"
    return _months_span(year, first, first + 2), "month"


def _resolve_half(m: re.Match[str], published: dt.date, anchor: dt.date, prefer: Prefer):
    first = 1 if m["half"].lower() in ("first", "1st") else 7
    year = int(m["year"]) if _group(m, "year") else _relative_year(_group(m, "rel"), published)
    if year is None:
        return _pick_year(lambda y: _months_span(y, first, first + 5), anchor, prefer), "month"
    return _months_span(year, first, first + 5), "month"


def _resolve_weekday(m: re.Match[str], published: dt.date, anchor: dt.date, prefer: Prefer):
    relation = _group(m, "rel").lower()
    return _day_span(_weekday_day(WEEKDAY_NUMBERS[m["wd"].lower()], published, prefer, relation)), "day"


def _resolve_weekend(m: re.Match[str], published: dt.date, anchor: dt.date, prefer: Prefer):
    relation = _group(m, "rel").lower()
    this_saturday = _week_start(published) + dt.timedelta(days=5)
    on_weekend = published >= this_saturday
    if relation in ("last", "past"):
        saturday = this_saturday - dt.timedelta(days=7)
    elif relation == "next":
        saturday = this_saturday + dt.timedelta(days=7 if on_weekend else 0)
    elif on_weekend or relation == "this" or prefer == "future":
        saturday = this_saturday
    else:  # "over the weekend" said on a weekday: the one just gone
        saturday = this_saturday - dt.timedelta(days=7)
    return (saturday, saturday + dt.timedelta(days=1)), "week"


def _resolve_ago(m: re.Match[str], published: dt.date, anchor: dt.date, prefer: Prefer):
    count = number_value(m["n"])
    unit = m["unit"].lower()
    if count is None or count > 500:
        return None
    vague = m["n"].lower() in ("a few", "few", "several")
    if unit == "day":
        then = published - dt.timedelta(days=count)
        if vague:
            return (published - dt.timedelta(days=6), published - dt.timedelta(days=2)), "week"
        return _day_span(then), "day"
    if unit == "week":
        then = published - dt.timedelta(weeks=count)
        return (then - dt.timedelta(days=3), then + dt.timedelta(days=3)), "week"
    if unit == "month":
        then = published - relativedelta(months=count)
        return _month_span(then.year, then.month), "month"
    then_year = published.year - count
    return (dt.date(then_year, 1, 1), dt.date(then_year, 12, 31)), "year"


def _resolve_relative(m: re.Match[str], published: dt.date, anchor: dt.date, prefer: Prefer):
    words = WHITESPACE.sub(" ", m[0].lower())
    p, one_day = published, dt.timedelta(days=1)
    if words in ("today", "this morning", "this afternoon", "this evening", "tonight",
                 "earlier today", "later today", "earlier in the day"):  # fmt: skip
        return _day_span(p), "day"
    if words in ("yesterday", "last night", "yesterday morning", "yesterday afternoon",
                 "yesterday evening"):  # fmt: skip
        return _day_span(p - one_day), "day"
    if words.startswith("tomorrow"):
        return _day_span(p + one_day), "day"
    monday = _week_start(p)
    unit = words.split()[-1]
    if unit == "week":
        if words.startswith(("last", "previous")):
            return (monday - dt.timedelta(days=7), monday - one_day), "week"
        if words.startswith(("the past", "this past")):
            return (p - dt.timedelta(days=7), p), "week"
        if words.startswith("next"):
            return (monday + dt.timedelta(days=7), monday + dt.timedelta(days=13)), "week"
        if words.startswith("later"):
            return (p, monday + dt.timedelta(days=6)), "week"
        if words.startswith("earlier"):
            return (monday, max(monday, p - one_day)), "week"
        return (monday, p), "week"
    first_of_month = p.replace(day=1)
    if unit == "month":
        if words.startswith(("last", "previous")):
            previous = first_of_month - one_day
            return _month_span(previous.year, previous.month), "month"
        if words.startswith(("the past", "this past")):
            return (p - dt.timedelta(days=30), p), "month"
        if words.startswith("next"):
            following = first_of_month + relativedelta(months=1)
            return _month_span(following.year, following.month), "month"
        if words.startswith("later"):
            return (p, _month_span(p.year, p.month)[1]), "month"
        if words.startswith("earlier"):
            return (first_of_month, max(first_of_month, p - one_day)), "month"
        return (first_of_month, p), "month"
    first_of_year = dt.date(p.year, 1, 1)
    if words.startswith(("last", "previous")):
        return (dt.date(p.year - 1, 1, 1), dt.date(p.year - 1, 12, 31)), "year"
    if words.startswith(("the past", "this past")):
        return (p - dt.timedelta(days=365), p), "year"
    if words.startswith("next"):
        return (dt.date(p.year + 1, 1, 1), dt.date(p.year + 1, 12, 31)), "year"
    if words.startswith("later"):
        return (p, dt.date(p.year, 12, 31)), "year"
    if words.startswith("earlier"):
        return (first_of_year, max(first_of_year, p - one_day)), "year"
    return (first_of_year, p), "year"


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


# "early 2020", "mid-2019", "the end of March": a part of a year or month.
_PART_OF = (
    r"\b(?:(?P<part>(?i:early|late|mid))(?:-|\s+)"
    r"|(?i:the\s+)?(?P<part_of>(?i:beginning|start|middle|end))\s+(?i:of)\s+)"
)
_REL = r"(?P<rel>(?i:this|last|next|the)\s+year)"
PATTERNS: tuple[tuple[re.Pattern[str], Resolver], ...] = (
    (_compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})\b"), _resolve_numeric),
    (_compile(r"(?<![\d/])(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4}|\d{2})(?![\d/])"),
     _resolve_numeric),
    (_compile(r"(?:" + _WEEKDAY + r",?\s+)?\b" + _MONTH + r"\s+" + _DAY + r"\b"
              r"(?!\d|[:.]\d|\s*(?:%|(?i:percent|million|billion)\b))(?:,?\s+" + _YEAR + r"\b)?"),
     _resolve_month_day),
    (_compile(r"\b" + _DAY + r"\s+(?:of\s+)?" + _MONTH + r"(?:,?\s+" + _YEAR + r"\b)?"),
     _resolve_month_day),
    (_compile(r"\b" + _MONTH + r",?\s+(?:of\s+)?" + _YEAR + r"\b(?!\d)"), _resolve_month),
    (_compile(r"\b(?P<mon>" + _FULL_MONTH + r"|Sept\.|Aug\.|Oct\.|Nov\.|Dec\.|Jan\.|Feb\.)(?![-\w])"),
     _resolve_month),
    (_compile(r"\b(?i:in|since|by|until|through|during|before|after|early|late|mid|last|"
              r"next|this|between)[\s-]+(?P<date>(?P<mon>May|MAY))\b(?!\s+(?i:be|have|not)\b)"),
     _resolve_month),
    (_compile(r"(?i:\b(?:from|between|in|during|through)\s+)(?P<date>" + _YEAR + r"\s*(?:-|–|(?i:to|and|through))\s*"
              r"(?P<last>(?:19|20)\d{2}|\d{2}))\b" + _NOT_A_YEAR_AFTER), _resolve_year_range),
    (_compile(r"(?i:\b(?:in|since|by|during|until|through|from|of|before|after|between|"
              r"around|circa|fiscal|throughout|for)\s+(?:(?:the\s+)?(?:fiscal\s+)?year\s+)?)"
              r"(?P<date>" + _YEAR + r")\b" + _NOT_A_YEAR_AFTER), _resolve_year),
    (_compile(r"\((?P<date>" + _YEAR + r")\)"), _resolve_year),
    (_compile(r"(?<![$#\d.,])\b(?P<date>" + _YEAR + r")(?='s\b|\s+(?i:" + _YEAR_NOUNS + r")\b)"),
     _resolve_year),
    (_compile(r"(?i:\b(?:the\s+)?(?:(?P<part>early|late|mid)(?:\s+|-))?)(?P<decade>(?:19|20)\d0)'?s\b"), _resolve_decade),
    (_compile(_PART_OF +
              r"(?:(?i:the\s+)?" + _YEAR + r"|" + _REL + r")\b"), _resolve_part_of_year),
    (_compile(_PART_OF +
              r"(?:" + _MONTH + r"(?:,?\s+" + _YEAR + r")?(?!\.?\s*\d)|(?P<rel>(?i:this|last|next|the)\s+month))"),
     _resolve_part_of_month),
    (_compile(r"\b(?:(?i:the)\s+)?(?P<ord>(?i:first|second|third|fourth|final|last|1st|2nd|3rd|4th))"
              r"(?:\s+|-)(?i:quarter)(?:\s+(?i:of\s+)?(?:(?:the\s+)?" + _YEAR + r"|" + _REL + r"))?\b"),
     _resolve_quarter),
    (_compile(r"\bQ(?P<q>[1-4])(?:\s*(?:of\s+)?" + _YEAR + r")?\b"), _resolve_quarter),
    (_compile(r"\b(?:(?i:the)\s+)?(?P<half>(?i:first|second|1st|2nd))\s+(?i:half)(?:\s+(?i:of\s+)?"
              r"(?:(?:the\s+)?" + _YEAR + r"|" + _REL + r"))?\b"), _resolve_half),
    (_compile(r"\b(?P<n>" + NUMBER_PATTERN + r")\s+(?P<unit>(?i:day|week|month|year))s?\s+(?i:ago)\b"),
     _resolve_ago),
    (_compile(r"\b(?<!Black )(?<!Cyber )(?<!Super )(?<!Good )(?:(?P<rel>(?i:last|next|this|past))\s+)?"
              + _WEEKDAY + r"\b"), _resolve_weekday),
    (_compile(r"\b(?i:this\s+)?(?P<rel>(?i:this|last|next|past|the|over\s+the))\s+(?i:weekend)\b"), _resolve_weekend),
    (_compile(r"(?i)\b(?:today|tonight|yesterday(?:\s+(?:morning|afternoon|evening))?|tomorrow|"
              r"last\s+night|(?:earlier|later)\s+today|earlier\s+in\s+the\s+day|this\s+(?:morning|afternoon|evening)|"
              r"(?:(?:earlier|later)\s+)?this\s+(?:week|month|year)|(?:last|next|previous)\s+(?:week|month|year)|"
              r"(?:the|this)\s+past\s+(?:week|month|year))\b"),
     _resolve_relative),
)  # fmt: skip


def _scan(text: str, published: dt.date, anchor: dt.date, prefer: Prefer) -> list[DateMention]:
    found: list[DateMention] = []
    for pattern, resolve in PATTERNS:
        for match in pattern.finditer(text):
            try:
                resolved = resolve(match, published, anchor, prefer)
            except (OverflowError, ValueError):
                continue  # a phrase that points before year 1 or after 9999 names no date
            if not resolved or not resolved[0]:
                continue
            (start, end), precision = resolved
            group = "date" if match.groupdict().get("date") else 0
            begin, finish = match.span(group)
            window = DateWindow(start, end, precision, text[begin:finish])
            found.append(DateMention(begin, finish, window))
    return found


def _longest_without_overlap(mentions: Sequence[DateMention]) -> list[DateMention]:
    kept: list[DateMention] = []
    for mention in sorted(mentions, key=lambda m: (m.start - m.end, m.start)):
        if all(mention.end <= k.start or mention.start >= k.end for k in kept):
            kept.append(mention)
    return sorted(kept, key=lambda m: m.start)


def _only_filler(text: str) -> bool:
    return not _FILLER.sub("", text).strip()


# "90 days", "a 270-day": a count of units, which is a duration and never a date.
DURATION_PATTERN = re.compile(
    r"\b(?P<n>" + NUMBER_PATTERN + r")(?P<joint>[\s-]+)(?P<unit>(?i:(?:business\s+|calendar\s+)?"
    r"(?:day|week|month|year|hour|decade)))s?\b"
)
_MONTH_WORD = re.compile(r"(?i)\b(?:" + "|".join(MONTH_NUMBERS) + r")\b")


@lru_cache(maxsize=64)
def _dateparser_settings(published: dt.date, prefer: Prefer) -> dict:
    return {
        "RELATIVE_BASE": dt.datetime.combine(published, dt.time()),
        "PREFER_DATES_FROM": "past" if prefer == "past" else "future",
        "REQUIRE_PARTS": ["day", "month"],
        "RETURN_AS_TIMEZONE_AWARE": False,
    }


def _dateparser_fallback(phrase: str, published: dt.date, anchor: dt.date, prefer: Prefer) -> DateWindow | None:
    """Explicit absolute dates our patterns miss ("the 14th day of August"); validated."""
    if not (_MONTH_WORD.search(phrase) and _DIGIT.search(phrase)) or DURATION_PATTERN.search(phrase):
        return None
    import dateparser  # slow import, needed only for rare phrases

    parsed = dateparser.parse(phrase, languages=["en"], settings=_dateparser_settings(published, prefer))
    if parsed is None or not 1900 <= parsed.year <= 2099 or str(parsed.day) not in phrase:
        return None
    day = parsed.date()
    if str(day.year) not in phrase:
        span = _pick_year(lambda y: (d := _safe_date(y, day.month, day.day)) and _day_span(d), anchor, prefer)
        if not span:
            return None
        day = span[0]
    return DateWindow(day, day, "day", phrase)


def _normalize(phrase: str, published: dt.date, anchor: dt.date, prefer: Prefer) -> DateWindow | None:
    text = phrase.strip()
    core = _LEADING_PREPOSITION.sub("", text).strip(" ,;:")
    if not core:
        return None
    if _BARE_YEAR.fullmatch(core):
        year = int(core.strip("()"))
        return DateWindow(dt.date(year, 1, 1), dt.date(year, 12, 31), "year", text)
    mentions = _longest_without_overlap(_scan(text, published, anchor, prefer))
    if len(mentions) == 1:
        mention = mentions[0]
        residue = _LEADING_PREPOSITION.sub("", text[: mention.start].strip() + " ")
        if _only_filler(residue + " " + text[mention.end :]):
            window = mention.window
            return DateWindow(window.start, window.end, window.precision, text)
    if len(mentions) > 1:
        return None  # "Aug. 14 and Sept. 20" is two dates, each found on its own
    return _dateparser_fallback(core, published, anchor, prefer)


def normalize_date(phrase: str, published: dt.date, *, prefer: Prefer = "past") -> DateWindow | None:
    """One date phrase -> window with precision, read against the publication date.

    None if it is no date (a duration like '90 days', the modal 'may')."""
    return _normalize(phrase, published, published, prefer)


def find_dates_anchored(
    text: str,
    published: dt.date,
    anchor: dt.date,
    *,
    entity_spans: Sequence[tuple[int, int]] = (),
    prefer: Prefer = "past",
) -> list[DateMention]:
    """Like find_dates, but yearless dates take their year from `anchor` (an action's day)
    while relative words ("Sunday", "next week") still count from the publication day."""
    mentions = _scan(text, published, anchor, prefer)
    for begin, finish in entity_spans:
        phrase = text[begin:finish]
        if _BARE_YEAR.fullmatch(phrase.strip()):
            continue  # a bare number is a year only in the contexts our patterns know
        window = _normalize(phrase, published, anchor, prefer)
        if window is not None:
            mentions.append(DateMention(begin, finish, window))
    return [_since_runs_on(m, text, published) for m in _longest_without_overlap(mentions)]


_SINCE_BEFORE = re.compile(r"(?i)\bsince\s*$")


def _since_runs_on(mention: DateMention, text: str, published: dt.date) -> DateMention:
    """'Since May' is a period from the start of May up to publication, not May alone."""
    window = mention.window
    opens = _SINCE_BEFORE.search(text[: mention.start]) or window.phrase.lower().startswith("since ")
    if not opens or window.precision not in {"month", "day"} or window.start > published or window.end >= published:
        return mention  # "since 2018" keeps naming its year
    precision: Precision = "week" if (published - window.start).days <= 7 else "month"
    return DateMention(mention.start, mention.end, DateWindow(window.start, published, precision, window.phrase))


def find_dates(
    text: str,
    published: dt.date,
    *,
    entity_spans: Sequence[tuple[int, int]] = (),
    prefer: Prefer = "past",
) -> list[DateMention]:
    """All date phrases in a sentence (own patterns plus spaCy DATE spans), normalized,
    sorted by start, overlaps resolved to the longest. Durations are not returned."""
    return find_dates_anchored(text, published, published, entity_spans=entity_spans, prefer=prefer)
