"""Deadlines read from an action's sentence: durations, cued dates, extensions, and what is no deadline."""

import datetime as dt

import pytest

from timeline.extraction.deadlines import find_deadlines
from timeline.extraction.types import DateWindow

D = dt.date


def day(year: int, month: int, day_of_month: int) -> DateWindow:
    return DateWindow(D(year, month, day_of_month), D(year, month, day_of_month), "day")


CASES = [
    # durations counted from the action's own date
    ("The order gave ByteDance 90 days to disinvest the U.S. operations of its TikTok app.",
     day(2020, 8, 14), D(2020, 8, 16), [D(2020, 11, 12)]),
    ("Companies must comply within 45 days.", day(2020, 8, 6), D(2020, 8, 7), [D(2020, 9, 20)]),
    ("The law sets a 270-day deadline for the sale.", day(2024, 4, 24), D(2024, 4, 25), [D(2025, 1, 19)]),
    ("Huawei has nine months to wind down its operations.", day(2019, 5, 15), D(2019, 5, 16), [D(2020, 2, 15)]),
    ("The bill would give ByteDance 270 days to sell the app.", day(2024, 3, 13), D(2024, 3, 14),
     [D(2024, 12, 8)]),
    ("The Commerce Department granted Huawei an additional 90 days.", day(2019, 8, 19), D(2019, 8, 19),
     [D(2019, 11, 17)]),
    ("Trump signed an order to delay by 75 days the enforcement of the ban.", day(2025, 1, 20), D(2025, 1, 21),
     [D(2025, 4, 5)]),
    ("The company must respond within 30 days of the announcement.", day(2024, 6, 20), D(2024, 6, 21),
     [D(2024, 7, 20)]),
    ("Firms have two weeks to file comments.", day(2020, 8, 6), D(2020, 8, 7), [D(2020, 8, 20)]),
    ("The agency must finish its review within a year.", day(2020, 8, 6), D(2020, 8, 7), [D(2021, 8, 6)]),
    # extensions count from the deadline they extend, which is not reported again
    ("Commerce granted a 15-day extension of the original November 12, 2020 deadline for ByteDance to divest.",
     day(2020, 11, 13), D(2020, 11, 13), [D(2020, 11, 27)]),
    ("ByteDance must sell by Nov. 12, 90 days after the Aug. 14 order.", day(2020, 8, 20), D(2020, 8, 21),
     [D(2020, 11, 12)]),
    # explicit dates after deadline cues, yearless ones resolved forward from the action
    ("ByteDance has until Nov. 12 to sell TikTok.", day(2020, 8, 14), D(2020, 8, 16), [D(2020, 11, 12)]),
    ("The prohibitions take effect Sept. 20.", day(2020, 9, 18), D(2020, 9, 18), [D(2020, 9, 20)]),
    ("The ban, beginning on Sunday, bars new downloads.", day(2020, 9, 18), D(2020, 9, 18), [D(2020, 9, 20)]),
    ("Starting Sunday, app stores must remove WeChat.", day(2020, 9, 18), D(2020, 9, 18), [D(2020, 9, 20)]),
    ("Sales will be banned as of September 29.", day(2024, 6, 20), D(2024, 6, 21), [D(2024, 9, 29)]),
    ("The prohibitions would not take effect until November 12.", day(2020, 9, 18), D(2020, 9, 18),
     [D(2020, 11, 12)]),
    ("The rule is effective Jan. 11, 2021, the department said.", day(2020, 12, 1), D(2020, 12, 2),
     [D(2021, 1, 11)]),
    ("The app is slated to be shuttered on Jan. 19.", day(2024, 4, 24), D(2024, 4, 25), [D(2025, 1, 19)]),
    ("The deadline for the sale is Dec. 4.", day(2020, 11, 25), D(2020, 11, 26), [D(2020, 12, 4)]),
    ("Commerce extended the deadline to Dec. 4.", day(2020, 11, 25), D(2020, 11, 26), [D(2020, 12, 4)]),
    ("Retrospectively: the Aug. 14, 2020 order gave ByteDance until Nov. 12 to divest.", day(2020, 8, 14),
     D(2021, 3, 1), [D(2020, 11, 12)]),
    # past effective dates are deadlines on that day
    ("The ban took effect on Sunday.", day(2025, 1, 19), D(2025, 1, 21), [D(2025, 1, 19)]),
    ("A judge blocked the ban, which was to take effect at 11:59 p.m. on Sunday.", day(2020, 9, 27),
     D(2020, 9, 28), [D(2020, 9, 27)]),
    ("The rule takes effect at 12:01 a.m. EST on Jan. 20.", day(2021, 1, 5), D(2021, 1, 5), [D(2021, 1, 20)]),
    ("The company must complete the sale by the end of the year.", day(2020, 8, 14), D(2020, 8, 16),
     [D(2020, 12, 31)]),
    ("Commerce extended the deadline from Nov. 12 to Nov. 27.", day(2020, 11, 12), D(2020, 11, 13),
     [D(2020, 11, 27)]),
    ("Companies must comply within 48 hours.", day(2020, 8, 14), D(2020, 8, 16), [D(2020, 8, 16)]),
    ("Trump on Friday ordered ByteDance to sell TikTok's U.S. operations within ninety days.", day(2020, 8, 14),
     D(2020, 8, 16), [D(2020, 11, 12)]),
    ("The order takes effect in forty-five days.", day(2020, 8, 6), D(2020, 8, 7), [D(2020, 9, 20)]),
    # a yearless deadline is read from the action's date, not from a later publication
    ("Under the law, ByteDance has 270 days to sell, with a possible 90-day extension.", day(2024, 4, 24),
     D(2024, 4, 25), [D(2025, 1, 19)]),
    ("The Treasury gave the company until Jan. 15 to comply, and said the ban will last for 180 days.",
     day(2020, 12, 14), D(2020, 12, 16), [D(2021, 1, 15)]),
    ("Under the law, Huawei has 270 days to sell and an additional 90-day extension.", day(2024, 4, 24),
     D(2024, 4, 25), [D(2025, 1, 19), D(2025, 4, 19)]),
    # nothing due
    ("Sales hit their highest level in two years on Friday.", day(2020, 11, 12), D(2020, 11, 13), []),
    ("It was the first time in 10 years that the agency acted.", day(2020, 11, 12), D(2020, 11, 13), []),
    ("The app was slated to be shuttered on Jan. 19, before the order was signed.", day(2025, 1, 20),
     D(2025, 1, 21), []),
    ("It followed 48 hours of legal maneuvering.", day(2025, 1, 19), D(2025, 1, 21), []),
    ("He was jailed for 10 years, and over the past two years a 25-year-old engineer left.", day(2025, 1, 19),
     D(2025, 1, 21), []),
    ("Downloads fell in the last 90 days.", day(2025, 1, 19), D(2025, 1, 21), []),
    ("The president signed the order on Friday.", day(2020, 8, 14), D(2020, 8, 16), []),
    ("The 90-day ban was announced three days ago.", day(2020, 8, 13), D(2020, 8, 16), []),
    # a period after a past event dates that event; a start that already happened is due nothing
    ("Regulators fined the carrier two weeks after a deadly crash at its hub.", day(2024, 6, 20), D(2024, 6, 21),
     []),
    ("The ministry suspended the app two days after the platform removed a post.", day(2024, 6, 20),
     D(2024, 6, 21), []),
    ("The agency fined the bank over a probe which began in March.", day(2024, 2, 1), D(2024, 6, 21), []),
    # a period counts from the start date its own clause gives; an ordinal day is a day
    ("The waiver will be effective on June 20, 2024 and last an additional 60 days.", day(2024, 2, 1),
     D(2024, 2, 2), [D(2024, 6, 20), D(2024, 8, 19)]),
    ("The new limits on the firm are effective June 24th.", day(2024, 6, 20), D(2024, 6, 21), [D(2024, 6, 24)]),
]  # fmt: skip


@pytest.mark.parametrize(("sentence", "action_window", "published", "expected"), CASES)
def test_find_deadlines(sentence, action_window, published, expected):
    """Each sentence yields exactly the due dates the deadline rules give for its action date."""
    deadlines = find_deadlines(sentence, action_window, published)
    assert [d.due_on for d in deadlines] == expected


def test_duration_derivation_names_the_base_date():
    """A duration's derivation says how many units after which date it was counted."""
    (deadline,) = find_deadlines("The order gave ByteDance 90 days to sell.", day(2020, 8, 14), D(2020, 8, 16))
    assert deadline.derivation == "90 days after 2020-08-14"
    assert deadline.what == "sell"


def test_postponement_names_what_is_postponed():
    """'delay by 75 days the enforcement of X' is described by what it delays."""
    (deadline,) = find_deadlines(
        "Trump signed an order seeking to delay by 75 days the enforcement of a ban of TikTok that was set.",
        day(2025, 1, 20),
        D(2025, 1, 21),
    )
    assert deadline.what == "delay the enforcement of a ban of TikTok"


def test_extension_derivation_names_the_original_deadline():
    """An extension counts from the original deadline and says so."""
    (deadline,) = find_deadlines(
        "Commerce granted a 15-day extension of the original November 12, 2020 deadline.",
        day(2020, 11, 13),
        D(2020, 11, 13),
    )
    assert deadline.derivation == "15 days after the original deadline 2020-11-12"


def test_duration_from_a_vague_action_window_counts_from_its_end_and_says_so():
    """An action known only to the month counts from the window's end, and the derivation admits it."""
    august = DateWindow(D(2020, 8, 1), D(2020, 8, 31), "month", "in August")
    (deadline,) = find_deadlines("Regulators gave the firm 30 days to respond.", august, D(2020, 9, 2))
    assert deadline.due_on == D(2020, 9, 30)
    assert "2020-08-31" in deadline.derivation and "month" in deadline.derivation


def test_what_is_short_and_taken_from_the_sentence():
    """`what` names what is due in the sentence's own words, at most 100 characters."""
    (deadline,) = find_deadlines(
        "The order gave ByteDance 90 days to disinvest the U.S. operations of its TikTok app.",
        day(2020, 8, 14),
        D(2020, 8, 16),
    )
    assert deadline.what == "disinvest the U.S. operations of its TikTok app"
    (effective,) = find_deadlines("The prohibitions take effect Sept. 20.", day(2020, 9, 18), D(2020, 9, 18))
    assert effective.what == "prohibitions take effect"
    long_sentence = "The firm has 30 days to " + "sell " * 40 + "everything."
    (long,) = find_deadlines(long_sentence, day(2020, 9, 18), D(2020, 9, 18))
    assert 0 < len(long.what) <= 100


def test_deadlines_are_unique_by_date():
    """Two phrasings of one due date give one deadline."""
    deadlines = find_deadlines(
        "ByteDance has until Nov. 12, 90 days from the order, to divest.", day(2020, 8, 14), D(2020, 8, 16)
    )
    assert [d.due_on for d in deadlines] == [D(2020, 11, 12)]
