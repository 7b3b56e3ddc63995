"""The one filter definition (timeline.filters) and what is counted around it (timeline.search)."""

import datetime as dt

import pytest
from django.http import QueryDict

from tests.factories import make_action, make_actor, make_company
from timeline import filters
from timeline.filters import ActionFilter
from timeline.models import Action, Company
from timeline.search import facet_counts, histogram

D = dt.date
pytestmark = pytest.mark.django_db


def ids_for(query: str) -> set[int]:
    return set(ActionFilter(QueryDict(query)).qs.values_list("id", flat=True))


@pytest.fixture
def world():
    """A parent with a subsidiary, a stranger, two actors and actions of several kinds."""
    group = make_company("Holdco")
    app = make_company("Appco", parent=group)
    brand = make_company("Brandco", parent=app)  # two levels down
    other = make_company("Otherco")
    agency, court = make_actor("Trade Agency"), make_actor("High Court")
    actions = {
        "ban_app": make_action(
            action_type="ban",
            actor=agency,
            targets=[app],
            occurred_from=D(2020, 8, 14),
            summary="Ban on the app",
            deadlines=[(D(2020, 11, 12), "Divest", "90 days")],
        ),
        "suit_group": make_action(
            action_type="lawsuit",
            actor=court,
            targets=[group],
            occurred_from=D(2020, 3, 1),
            occurred_to=D(2020, 3, 31),
            precision="month",
            summary="Suit against the group",
        ),
        "sanction_brand": make_action(
            action_type="sanction",
            actor=agency,
            targets=[brand],
            occurred_from=D(2021, 1, 4),
            occurred_to=D(2021, 1, 10),
            precision="week",
            summary="Sanctions on the brand",
        ),
        "ban_other": make_action(
            action_type="ban",
            actor=court,
            targets=[other, app],
            occurred_from=D(2019, 1, 1),
            occurred_to=D(2019, 12, 31),
            precision="year",
            summary="Ban on other products",
            review_state=Action.Review.CONFIRMED,
        ),
        "rejected": make_action(
            action_type="ban",
            actor=agency,
            targets=[app],
            occurred_from=D(2020, 8, 20),
            summary="A misread ban",
            review_state=Action.Review.REJECTED,
        ),
    }
    return {"group": group, "app": app, "brand": brand, "other": other, "agency": agency, "court": court, **actions}


def pks(world, *names):
    return {world[name].pk for name in names}


def test_default_shows_everything_but_rejected(world):
    assert ids_for("") == pks(world, "ban_app", "suit_group", "sanction_brand", "ban_other")


def test_review_confirmed_only(world):
    edited = make_action(review_state=Action.Review.EDITED)
    assert ids_for("review=confirmed") == pks(world, "ban_other") | {edited.pk}


def test_company_filter_allows_several(world):
    assert ids_for("company=appco") == pks(world, "ban_app", "ban_other")
    assert ids_for("company=otherco&company=holdco") == pks(world, "ban_other", "suit_group")


def test_company_filter_with_subsidiaries_reaches_every_level(world):
    assert ids_for("company=holdco&subsidiaries=1") == pks(
        world, "ban_app", "suit_group", "sanction_brand", "ban_other"
    )
    assert set(Company.objects.family_ids([world["app"].pk])) == {world["app"].pk, world["brand"].pk}


def test_broad_company_choices_walk_the_actions_with_the_same_result(world, monkeypatch):
    """Past BROAD_COMPANY_LINKS links the filter is an EXISTS instead of an IN: same actions, same order."""
    narrow = list(ActionFilter(QueryDict("company=appco&company=holdco")).qs.values_list("id", flat=True))
    monkeypatch.setattr(filters, "BROAD_COMPANY_LINKS", 1)
    broad = ActionFilter(QueryDict("company=appco&company=holdco"))
    assert "EXISTS" in str(broad.qs.query)
    assert (
        list(broad.qs.values_list("id", flat=True))
        == narrow
        == [world[n].pk for n in ("ban_app", "suit_group", "ban_other")]
    )


def test_company_filter_lists_each_action_once(world):
    """An action against a company and its subsidiary is one row, not two (no join duplicates)."""
    listed = list(ActionFilter(QueryDict("company=holdco&subsidiaries=1")).qs.values_list("id", flat=True))
    assert len(listed) == len(set(listed)) == 4


def test_actor_filter(world):
    assert ids_for("actor=high-court") == pks(world, "suit_group", "ban_other")


def test_type_filter_allows_several(world):
    assert ids_for("type=lawsuit&type=sanction") == pks(world, "suit_group", "sanction_brand")


def test_date_range_keeps_windows_that_overlap_it(world):
    # The 2019 year-long window and the March month both overlap; the August day does not.
    assert ids_for("from=2019-06-01&to=2020-03-15") == pks(world, "suit_group", "ban_other")
    assert ids_for("from=2020-08-14") == pks(world, "ban_app", "sanction_brand")
    assert ids_for("to=2019-01-01") == pks(world, "ban_other")


def test_deadline_filter(world):
    assert ids_for("deadline=1") == pks(world, "ban_app")


def test_text_search_reads_summary_actor_and_targets(world):
    assert ids_for("q=suit") == pks(world, "suit_group")
    assert ids_for("q=BRANDCO") == pks(world, "sanction_brand")
    assert ids_for("q=trade+agency") == pks(world, "ban_app", "sanction_brand")


def test_order_newest_first_by_default_and_oldest_on_request(world):
    newest = list(ActionFilter(QueryDict("")).qs.values_list("id", flat=True))
    oldest = list(ActionFilter(QueryDict("order=oldest")).qs.values_list("id", flat=True))
    assert newest == [world[n].pk for n in ("sanction_brand", "ban_app", "suit_group", "ban_other")]
    assert oldest == list(reversed(newest))


def test_invalid_values_are_reported_and_ignored(world):
    filterset = ActionFilter(QueryDict("company=no-such-company&from=not-a-date&type=bogus&actor=nobody"))
    assert set(filterset.qs.values_list("id", flat=True)) == pks(
        world, "ban_app", "suit_group", "sanction_brand", "ban_other"
    )
    assert set(filterset.errors) == {"company", "from", "type", "actor"}


def test_filters_combine(world):
    assert ids_for("company=appco&type=ban&from=2020-01-01") == pks(world, "ban_app")


def test_is_filtered_ignores_order(world):
    assert not ActionFilter(QueryDict("order=oldest")).is_filtered
    assert ActionFilter(QueryDict("deadline=1")).is_filtered


def counts(choices):
    return {c.value: (c.count, c.chosen) for c in choices}


def test_facets_count_visible_actions(world):
    facets = facet_counts(ActionFilter(QueryDict("")))
    assert counts(facets.types) == {"ban": (2, False), "lawsuit": (1, False), "sanction": (1, False)}
    assert counts(facets.actors) == {"trade-agency": (2, False), "high-court": (2, False)}
    assert counts(facets.companies) == {
        "appco": (2, False),
        "holdco": (1, False),
        "brandco": (1, False),
        "otherco": (1, False),
    }


def test_each_facet_ignores_its_own_choice_but_not_the_others(world):
    facets = facet_counts(ActionFilter(QueryDict("type=ban&actor=trade-agency")))
    # Types as if no type were chosen, for the agency's actions only.
    assert counts(facets.types) == {"ban": (1, True), "sanction": (1, False)}
    # Actors as if no actor were chosen, for bans only.
    assert counts(facets.actors) == {"trade-agency": (1, True), "high-court": (1, False)}
    assert counts(facets.companies) == {"appco": (1, False)}


def test_chosen_choices_stay_listed_with_zero(world):
    facets = facet_counts(ActionFilter(QueryDict("company=otherco&type=sanction")))
    assert counts(facets.companies)["otherco"] == (0, True)
    assert counts(facets.types)["sanction"] == (0, True)


def test_facets_without_hiding_rejected_when_confirmed_only(world):
    facets = facet_counts(ActionFilter(QueryDict("review=confirmed")))
    assert counts(facets.types) == {"ban": (1, False)}


def test_company_facet_shows_the_most_frequent(world):
    facets = facet_counts(ActionFilter(QueryDict("")), companies_shown=2)
    assert facets.companies[0].value == "appco"
    assert len(facets.companies) == 2


@pytest.mark.parametrize("listed", [5000, 0])
def test_text_search_counts_agree_whether_matches_are_listed_or_searched_again(world, monkeypatch, listed):
    monkeypatch.setattr(filters, "TEXT_MATCH_LIST", listed)
    filterset = ActionFilter(QueryDict("q=ban"))
    facets = facet_counts(filterset)
    assert counts(facets.types) == {"ban": (2, False)}
    assert histogram(filterset).total == 2
    assert counts(facets.companies) == {"appco": (2, False), "otherco": (1, False)}


def test_histogram_counts_per_month_and_sums_to_the_total(world):
    chart = histogram(ActionFilter(QueryDict("")))
    assert chart.total == 4 and not chart.by_year
    by_label = {bar.label: bar.count for bar in chart.bars}
    assert by_label["Jan 2019"] == 1 and by_label["Mar 2020"] == 1 and by_label["Aug 2020"] == 1
    assert by_label["Jan 2021"] == 1 and by_label["Feb 2019"] == 0
    assert len(chart.bars) == 25  # every month from Jan 2019 to Jan 2021, empty ones too
    august = next(bar for bar in chart.bars if bar.label == "Aug 2020")
    assert (august.date_from, august.date_to) == (D(2020, 8, 1), D(2020, 8, 31))
    assert max(bar.height for bar in chart.bars) <= chart.height


def test_histogram_counts_per_year_over_long_spans(world):
    make_action(occurred_from=D(2010, 5, 5))
    chart = histogram(ActionFilter(QueryDict("")))
    assert chart.by_year
    assert [bar.label for bar in chart.bars][:2] == ["2010", "2011"]
    assert {bar.label: bar.count for bar in chart.bars}["2020"] == 2
    assert chart.total == 5


def test_histogram_follows_the_filter(world):
    chart = histogram(ActionFilter(QueryDict("type=ban")))
    assert chart.total == 2
    assert histogram(ActionFilter(QueryDict("q=nothing-matches"))).bars == []
