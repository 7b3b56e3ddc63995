"""Date phrases read against the publication date: windows, precisions, and what is no date."""

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline.extraction.dates import find_dates, normalize_date

D = dt.date
SUN_2020_08_16 = D(2020, 8, 16)
SAT_2021_01_02 = D(2021, 1, 2)
THU_2020_12_31 = D(2020, 12, 31)
TUE_2025_01_21 = D(2025, 1, 21)
FRI_2024_06_21 = D(2024, 6, 21)
FRI_2020_09_18 = D(2020, 9, 18)

P = SUN_2020_08_16
NORMALIZED = [
    # weekdays: the most recent such day before P, or P itself when it is that weekday
    ("on Friday", P, "past", D(2020, 8, 14), D(2020, 8, 14), "day"),
    ("Friday", P, "past", D(2020, 8, 14), D(2020, 8, 14), "day"),
    ("on Sunday", P, "past", P, P, "day"),
    ("late Friday night", P, "past", D(2020, 8, 14), D(2020, 8, 14), "day"),
    ("last Friday", P, "past", D(2020, 8, 14), D(2020, 8, 14), "day"),
    ("next Monday", P, "past", D(2020, 8, 17), D(2020, 8, 17), "day"),
    ("Friday", P, "future", D(2020, 8, 21), D(2020, 8, 21), "day"),
    ("Sunday", P, "future", P, P, "day"),
    ("on Monday", TUE_2025_01_21, "past", D(2025, 1, 20), D(2025, 1, 20), "day"),
    ("Saturday", TUE_2025_01_21, "past", D(2025, 1, 18), D(2025, 1, 18), "day"),
    ("Thursday", FRI_2024_06_21, "past", D(2024, 6, 20), D(2024, 6, 20), "day"),
    ("Friday", FRI_2024_06_21, "past", FRI_2024_06_21, FRI_2024_06_21, "day"),
    ("on Sunday", FRI_2020_09_18, "future", D(2020, 9, 20), D(2020, 9, 20), "day"),
    ("on Monday", SAT_2021_01_02, "past", D(2020, 12, 28), D(2020, 12, 28), "day"),
    # days relative to P
    ("today", P, "past", P, P, "day"),
    ("this morning", P, "past", P, P, "day"),
    ("tonight", P, "past", P, P, "day"),
    ("yesterday", P, "past", D(2020, 8, 15), D(2020, 8, 15), "day"),
    ("tomorrow", P, "past", D(2020, 8, 17), D(2020, 8, 17), "day"),
    ("tomorrow", THU_2020_12_31, "past", D(2021, 1, 1), D(2021, 1, 1), "day"),
    ("three days ago", P, "past", D(2020, 8, 13), D(2020, 8, 13), "day"),
    ("two weeks ago", P, "past", D(2020, 7, 30), D(2020, 8, 5), "week"),
    # weeks, months, years relative to P
    ("last week", P, "past", D(2020, 8, 3), D(2020, 8, 9), "week"),
    ("last week", SAT_2021_01_02, "past", D(2020, 12, 21), D(2020, 12, 27), "week"),
    ("this week", P, "past", D(2020, 8, 10), P, "week"),
    ("next week", P, "past", D(2020, 8, 17), D(2020, 8, 23), "week"),
    ("earlier this month", P, "past", D(2020, 8, 1), D(2020, 8, 15), "month"),
    ("this month", P, "past", D(2020, 8, 1), P, "month"),
    ("last month", P, "past", D(2020, 7, 1), D(2020, 7, 31), "month"),
    ("last month", SAT_2021_01_02, "past", D(2020, 12, 1), D(2020, 12, 31), "month"),
    ("this year", P, "past", D(2020, 1, 1), P, "year"),
    ("last year", P, "past", D(2019, 1, 1), D(2019, 12, 31), "year"),
    ("last year", SAT_2021_01_02, "past", D(2020, 1, 1), D(2020, 12, 31), "year"),
    ("earlier this year", THU_2020_12_31, "past", D(2020, 1, 1), D(2020, 12, 30), "year"),
    ("the end of the year", P, "future", D(2020, 10, 1), D(2020, 12, 31), "month"),
    # yearless dates: the occurrence nearest P, the non-preferred side weighing triple
    ("in March", P, "past", D(2020, 3, 1), D(2020, 3, 31), "month"),
    ("March", P, "future", D(2021, 3, 1), D(2021, 3, 31), "month"),
    ("in August", P, "past", D(2020, 8, 1), D(2020, 8, 31), "month"),
    ("in December", SAT_2021_01_02, "past", D(2020, 12, 1), D(2020, 12, 31), "month"),
    ("in May", P, "past", D(2020, 5, 1), D(2020, 5, 31), "month"),
    ("the end of March", P, "past", D(2020, 3, 21), D(2020, 3, 31), "month"),
    # month and day, AP abbreviations included
    ("Sept. 20", P, "future", D(2020, 9, 20), D(2020, 9, 20), "day"),
    ("Sept 20", P, "future", D(2020, 9, 20), D(2020, 9, 20), "day"),
    ("September 20", P, "future", D(2020, 9, 20), D(2020, 9, 20), "day"),
    ("Sept. 20, 2020", P, "past", D(2020, 9, 20), D(2020, 9, 20), "day"),
    ("20 September 2020", P, "past", D(2020, 9, 20), D(2020, 9, 20), "day"),
    ("Aug. 6", P, "past", D(2020, 8, 6), D(2020, 8, 6), "day"),
    ("Jan. 19", P, "past", D(2020, 1, 19), D(2020, 1, 19), "day"),
    ("Jan. 19", P, "future", D(2021, 1, 19), D(2021, 1, 19), "day"),
    ("Dec. 7", SAT_2021_01_02, "past", D(2020, 12, 7), D(2020, 12, 7), "day"),
    ("Feb. 3", THU_2020_12_31, "future", D(2021, 2, 3), D(2021, 2, 3), "day"),
    ("Nov. 12", FRI_2020_09_18, "past", D(2020, 11, 12), D(2020, 11, 12), "day"),
    ("Oct. 1", FRI_2020_09_18, "past", D(2020, 10, 1), D(2020, 10, 1), "day"),
    ("on Aug. 14", P, "past", D(2020, 8, 14), D(2020, 8, 14), "day"),
    ("Friday, Aug. 14", P, "past", D(2020, 8, 14), D(2020, 8, 14), "day"),
    ("Released: May 1, 2020", P, "past", D(2020, 5, 1), D(2020, 5, 1), "day"),
    ("the 14th day of August, 2020", P, "past", D(2020, 8, 14), D(2020, 8, 14), "day"),
    ("2024-06-20", FRI_2024_06_21, "past", D(2024, 6, 20), D(2024, 6, 20), "day"),
    ("06/20/2024", FRI_2024_06_21, "past", D(2024, 6, 20), D(2024, 6, 20), "day"),
    # months with a year, parts of years, quarters, years, decades
    ("in February 2018", P, "past", D(2018, 2, 1), D(2018, 2, 28), "month"),
    ("May 2018", P, "past", D(2018, 5, 1), D(2018, 5, 31), "month"),
    ("in late 2019", P, "past", D(2019, 9, 1), D(2019, 12, 31), "month"),
    ("early 2020", P, "past", D(2020, 1, 1), D(2020, 4, 30), "month"),
    ("mid-2019", P, "past", D(2019, 5, 1), D(2019, 8, 31), "month"),
    ("the first quarter of 2021", P, "past", D(2021, 1, 1), D(2021, 3, 31), "month"),
    ("Q3 2019", P, "past", D(2019, 7, 1), D(2019, 9, 30), "month"),
    ("the first half of 2021", P, "past", D(2021, 1, 1), D(2021, 6, 30), "month"),
    ("in 2017", P, "past", D(2017, 1, 1), D(2017, 12, 31), "year"),
    ("(2019)", P, "past", D(2019, 1, 1), D(2019, 12, 31), "year"),
    ("the 1990s", P, "past", D(1990, 1, 1), D(1999, 12, 31), "year"),
    ("from 2018 to 2020", P, "past", D(2018, 1, 1), D(2020, 12, 31), "year"),
    ("in 2019-20", P, "past", D(2019, 1, 1), D(2020, 12, 31), "year"),
    # year boundary: P on the last day of a year
    ("next month", THU_2020_12_31, "past", D(2021, 1, 1), D(2021, 1, 31), "month"),
    ("next year", THU_2020_12_31, "past", D(2021, 1, 1), D(2021, 12, 31), "year"),
    ("this week", THU_2020_12_31, "past", D(2020, 12, 28), THU_2020_12_31, "week"),
    ("Jan. 5", THU_2020_12_31, "past", D(2021, 1, 5), D(2021, 1, 5), "day"),
    ("Dec. 30", THU_2020_12_31, "future", D(2020, 12, 30), D(2020, 12, 30), "day"),
    ("Wednesday", THU_2020_12_31, "past", D(2020, 12, 30), D(2020, 12, 30), "day"),
    ("Friday", THU_2020_12_31, "future", D(2021, 1, 1), D(2021, 1, 1), "day"),
    ("in January", THU_2020_12_31, "future", D(2021, 1, 1), D(2021, 1, 31), "month"),
    # weekends
    ("over the weekend", TUE_2025_01_21, "past", D(2025, 1, 18), D(2025, 1, 19), "week"),
    ("this past weekend", TUE_2025_01_21, "past", D(2025, 1, 18), D(2025, 1, 19), "week"),
    ("this weekend", FRI_2020_09_18, "past", D(2020, 9, 19), D(2020, 9, 20), "week"),
]


@pytest.mark.parametrize(("phrase", "published", "prefer", "start", "end", "precision"), NORMALIZED)
def test_normalize_date(phrase, published, prefer, start, end, precision):
    """Each common phrase maps to the window and precision the rules table gives for its publication date."""
    window = normalize_date(phrase, published, prefer=prefer)
    assert window is not None, phrase
    assert (window.start, window.end, window.precision) == (start, end, precision)
    assert window.phrase == phrase


NOT_DATES = [
    "may",
    "90 days",
    "a 270-day deadline",
    "nine months",
    "48 hours",
    "100 million",
    "5G",
    "Section 301",
    "para. 43",
    "11439-40",
    "$5 billion",
    "170 million Americans",
    "an additional 90 days",
    "",
]


@pytest.mark.parametrize("phrase", NOT_DATES)
def test_normalize_date_rejects_non_dates(phrase):
    """Durations, counts, section numbers and the modal 'may' are no dates."""
    assert normalize_date(phrase, SUN_2020_08_16) is None


NOT_FOUND_IN = [
    "The app has 100 million users and 5G phones under Section 301, para. 43.",
    "See 85 Fed. Reg. 11439-40 for the $5 billion deal affecting 170 million Americans.",
    "The company may appeal, and it may take 90 days or nine months, or 48 hours.",
    "It employs 2000 people and sold 2019 units at 1,999 dollars.",
    "Regulators said TikTok may be banned.",
    "A 25-year-old engineer spent 10 years there.",
    "Prime Minister Theresa May spoke with the protesters who march on Mar-a-Lago.",
    "Shoppers lined up on Black Friday and Cyber Monday.",
    "Prices fell to 2000 yuan.",
]


@pytest.mark.parametrize("sentence", NOT_FOUND_IN)
def test_find_dates_ignores_numbers_and_durations(sentence):
    """Numbers, durations, modal 'may' and bare 4-digit counts are never found as dates."""
    assert find_dates(sentence, SUN_2020_08_16) == []


SENTENCES = [
    (
        "The President's August 14 Order gave ByteDance 90 days to divest.",
        SUN_2020_08_16,
        [("August 14", D(2020, 8, 14), D(2020, 8, 14))],
    ),
    (
        "Commerce said on Friday the ban, announced last week, starts Sunday, Sept. 20.",
        FRI_2020_09_18,
        [
            ("Friday", D(2020, 9, 18), D(2020, 9, 18)),
            ("last week", D(2020, 9, 7), D(2020, 9, 13)),
            ("Sunday, Sept. 20", D(2020, 9, 20), D(2020, 9, 20)),
        ],
    ),
    (
        "The 2017 ban, upheld in 2019 and again in May 2018 (2020), ended earlier this month.",
        SUN_2020_08_16,
        [
            ("2017", D(2017, 1, 1), D(2017, 12, 31)),
            ("2019", D(2019, 1, 1), D(2019, 12, 31)),
            ("May 2018", D(2018, 5, 1), D(2018, 5, 31)),
            ("2020", D(2020, 1, 1), D(2020, 12, 31)),
            ("earlier this month", D(2020, 8, 1), D(2020, 8, 15)),
        ],
    ),
    (
        "Since 2018 the firm, blacklisted in May, has lost sales; on Monday it sued.",
        TUE_2025_01_21,
        [
            ("2018", D(2018, 1, 1), D(2018, 12, 31)),
            ("May", D(2024, 5, 1), D(2024, 5, 31)),
            ("Monday", D(2025, 1, 20), D(2025, 1, 20)),
        ],
    ),
]


@pytest.mark.parametrize(("sentence", "published", "expected"), SENTENCES)
def test_find_dates_in_sentences(sentence, published, expected):
    """find_dates returns each date phrase once, in order, with offsets pointing at the phrase."""
    mentions = find_dates(sentence, published)
    assert [(sentence[m.start : m.end], m.window.start, m.window.end) for m in mentions] == expected
    assert all(m.window.phrase == sentence[m.start : m.end] for m in mentions)


def test_find_dates_uses_entity_spans_and_prefers_the_longest():
    """A spaCy DATE span that normalizes wins over a shorter regex match inside it; a duration span is dropped."""
    sentence = "Late Friday night the order gave the company 90 days."
    spans = [(0, len("Late Friday night")), (sentence.index("90 days"), sentence.index("90 days") + 7)]
    mentions = find_dates(sentence, SUN_2020_08_16, entity_spans=spans)
    assert [(m.start, m.end, m.window.start) for m in mentions] == [(0, 17, D(2020, 8, 14))]


def test_find_dates_skips_bare_year_entity_without_context():
    """A bare 4-digit entity span becomes a year only in a context like 'in 2017'."""
    sentence = "Shipments reached 2019 units."
    start = sentence.index("2019")
    assert find_dates(sentence, SUN_2020_08_16, entity_spans=[(start, start + 4)]) == []


def test_find_dates_future_preference():
    """With prefer='future' a weekday is the next such day on or after publication."""
    mentions = find_dates("The ban starts Sunday and ends Friday.", FRI_2020_09_18, prefer="future")
    assert [m.window.start for m in mentions] == [D(2020, 9, 20), D(2020, 9, 18)]


DATEISH_WORDS = [
    "on", "in", "by", "May", "may", "Sept.", "20", "2020", "(2019)", "Friday", "last", "week", "weekend",
    "early", "late", "mid-", "the", "end", "of", "year", "month", "Q3", "first", "quarter", "half", "ago",
    "two", "days", "90", "-day", "12/31/2020", "2024-02-30", "Feb.", "29", ",", ".", "this", "past", "next",
]  # fmt: skip


@given(
    words=st.lists(st.sampled_from(DATEISH_WORDS), max_size=12),
    published=st.dates(min_value=D(1990, 1, 1), max_value=D(2090, 12, 31)),
    prefer=st.sampled_from(["past", "future"]),
)
def test_find_dates_never_raises_and_offsets_hold(words, published, prefer):
    """Any jumble of date-like words yields well-formed, non-overlapping mentions whose offsets point at their phrase."""
    text = " ".join(words)
    mentions = find_dates(text, published, prefer=prefer)
    for mention, following in itertools.pairwise(mentions):
        assert mention.end <= following.start
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.window.phrase
        assert mention.window.start <= mention.window.end
    normalize_date(text, published, prefer=prefer)


def test_entity_span_with_two_dates_keeps_both():
    """A DATE span holding two dates does not swallow them into one window."""
    sentence = "The bans start Aug. 14 and Sept. 20."
    start = sentence.index("Aug.")
    spans = [(start, sentence.index(".", sentence.index("Sept.") + 5))]
    mentions = find_dates(sentence, SUN_2020_08_16, entity_spans=spans, prefer="future")
    assert [m.window.start for m in mentions] == [D(2020, 8, 14), D(2020, 9, 20)]


def test_since_a_month_runs_up_to_publication():
    """'Since March' is the whole stretch from March 1 to the publication day, not March alone."""
    (mention,) = find_dates("Since March, the ministry has listed a dozen suppliers.", D(2024, 6, 21))
    assert (mention.window.start, mention.window.end) == (D(2024, 3, 1), D(2024, 6, 21))


def test_part_of_a_decade_is_a_few_years_not_the_decade():
    """'the early 1990s' is 1990-1993 and 'the late 2010s' 2017-2019; a bare decade stays ten years."""
    found = find_dates("Rules changed in the early 1990s, the late 2010s and the 1980s.", D(2024, 6, 21))
    assert [(m.window.start.year, m.window.end.year) for m in found] == [(1990, 1993), (2017, 2019), (1980, 1989)]
