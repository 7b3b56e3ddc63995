"""What the timeline shows around a filtered list of actions: one page of it grouped
under month headings, the facet counts beside each filter choice, the histogram of
actions per month and the upcoming deadlines.

Every number here comes from an aggregate query over the filtered set, so the cost
of a page does not grow with its size: the page is one LIMIT query plus a fixed
number of prefetches.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, Min, QuerySet, Value
from django.utils import timezone

from timeline.filters import ActionFilter, ActionTarget
from timeline.models import Action, Actor, Company, Deadline

MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

# Beyond this many months the histogram counts per year, so its bars stay wide enough to click.
MAX_MONTH_BARS = 72
# The company filter lists the most frequent companies in the results; search reaches the others.
MAX_COMPANY_CHOICES = 25


@dataclass
class PeriodGroup:
    """Actions that share a month heading (or a year heading, for actions dated to a year)."""

    key: str
    heading: str
    actions: list[Action] = field(default_factory=list)


def period_of(action: Action) -> tuple[str, str]:
    """The group an action falls under: its year when that is all we know, else its first month
    (or one "best matches" group when a full-text search ranked the list)."""
    if getattr(action, "search_rank", None) is not None:
        return "relevance", "Best matches"
    start = action.occurred_from
    if action.precision == Action.Precision.YEAR:
        return f"{start.year}", f"{start.year}"
    return f"{start.year}-{start.month:02d}", f"{MONTH_NAMES[start.month - 1]} {start.year}"


def group_by_period(actions: list[Action], *, after: Action | None = None) -> list[PeriodGroup]:
    """Consecutive actions under one heading; a group continuing `after`'s one gets no new heading."""
    groups: list[PeriodGroup] = []
    previous_key = period_of(after)[0] if after is not None else None
    for action in actions:
        key, heading = period_of(action)
        if groups and groups[-1].key == key:
            groups[-1].actions.append(action)
            continue
        groups.append(PeriodGroup(key=key, heading="" if key == previous_key else heading, actions=[action]))
        previous_key = None
    return groups


@dataclass
class TimelinePage:
    """One page of actions. `total` is None when it was not counted: a fragment knows only
    whether more follow (it fetched one row beyond the page)."""

    number: int
    size: int
    total: int | None
    actions: list[Action]
    groups: list[PeriodGroup]
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def page_count(self) -> int | None:
        return None if self.total is None else max(1, -(-self.total // self.size))

    @property
    def next_number(self) -> int:
        return self.number + 1

    @property
    def previous_number(self) -> int:
        return self.number - 1


def page_number_from(raw: str | None) -> int:
    try:
        return max(1, min(int(raw or 1), 100_000))
    except ValueError:
        return 1


def timeline_page(
    actions: QuerySet[Action], *, number: int, size: int, total: int | None = None, continuing: bool = False
) -> TimelinePage:
    """One page of the ordered actions; when `continuing`, headings carry on from the page before.

    Without a `total`, one row past the page is fetched to tell whether another page follows.
    """
    offset = (number - 1) * size
    fetch_from = offset - 1 if continuing and offset > 0 else offset
    rows = list(actions.for_listing()[fetch_from : offset + size + 1])
    before = rows.pop(0) if fetch_from < offset and rows else None
    has_next = len(rows) > size if total is None else offset + size < total
    rows = rows[:size]
    return TimelinePage(
        number=number,
        size=size,
        total=total,
        actions=rows,
        groups=group_by_period(rows, after=before),
        has_next=has_next,
    )


@dataclass
class FacetChoice:
    value: str
    label: str
    count: int
    chosen: bool


@dataclass
class Facets:
    types: list[FacetChoice]
    actors: list[FacetChoice]
    companies: list[FacetChoice]


def visible_counts(filterset: ActionFilter, rows: QuerySet, rejected_rows: QuerySet, *, raw: bool = False) -> Counter:
    """Counts per group over actions that are not rejected, in one query.

    `rows` groups every action, rejected or not, which SQLite answers from an index alone;
    `rejected_rows` groups the rejected ones (a handful, found by index) to subtract. Filtering
    out rejected rows directly would read every table row instead: ten times slower at 100,000.
    """
    counts: Counter = Counter()
    if filterset.hides_rejected:
        # order_by() drops Action's Meta.ordering, which the union's columns cannot satisfy.
        rows = rows.annotate(sign=Value(1)).union(rejected_rows.annotate(sign=Value(-1)), all=True).order_by()
    else:
        rows = rows.annotate(sign=Value(1))
    for key, n, sign in _raw_rows(rows) if raw else rows:
        counts[key] += n * sign
    return +counts  # drops the groups left at zero


def _raw_rows(queryset: QuerySet) -> list[tuple]:
    """The rows as the database driver returns them, without Django's per-value converters
    (which parse every date: most of the histogram's time when it was left to them)."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing, such as an empty list of ids
        return []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _grouped(actions: QuerySet, field: str) -> QuerySet:
    return actions.order_by().values_list(field).annotate(n=Count("id"))


def _per_day(actions: QuerySet) -> QuerySet:
    # MIN(day) rather than the day itself: an aggregate has no declared type, so the SQLite
    # driver hands back the ISO text instead of parsing thousands of dates.
    return (
        actions.order_by()
        .values("occurred_from")
        .annotate(day=Min("occurred_from"), n=Count("id"))
        .values_list("day", "n")
    )


def _action_counts(filterset: ActionFilter, ignoring: str, field: str) -> Counter:
    actions = filterset.queryset_ignoring(ignoring, keep_rejected=True)
    rejected = actions.filter(review_state=Action.Review.REJECTED)
    return visible_counts(filterset, _grouped(actions, field), _grouped(rejected, field))


def _company_counts(filterset: ActionFilter) -> Counter:
    actions = filterset.queryset_ignoring("company", keep_rejected=True).order_by()
    # Without other filters, every link counts: skip the IN (all action ids) that SQLite would build.
    links = (
        ActionTarget.objects.filter(action_id__in=actions.values("id"))
        if actions.query.has_filters()
        else ActionTarget.objects.all()
    )
    rejected = links.filter(action__review_state=Action.Review.REJECTED)
    return visible_counts(
        filterset,
        # COUNT(id) counts rowids, which every index holds: the company index alone answers it.
        links.values_list("company_id").annotate(n=Count("id")),
        rejected.values_list("company_id").annotate(n=Count("id")),
    )


def _names(actor_ids: Iterable[int], company_ids: Iterable[int]) -> dict[tuple[str, int], tuple[str, str]]:
    """Slugs and names for the actors and companies a facet shows, both in one round trip."""
    # order_by() drops Meta.ordering, which SQLite refuses inside a UNION.
    actors = Actor.objects.filter(pk__in=list(actor_ids)).order_by()
    companies = Company.objects.filter(pk__in=list(company_ids)).order_by()
    rows = actors.values_list(Value("actor"), "pk", "slug", "name").union(
        companies.values_list(Value("company"), "pk", "slug", "name"), all=True
    )
    return {(kind, pk): (slug, name) for kind, pk, slug, name in rows.order_by()}


def facet_counts(filterset: ActionFilter, *, companies_shown: int = MAX_COMPANY_CHOICES) -> Facets:
    """Counts beside each choice, each facet counted as if its own choice were not made.

    Four queries: one count per facet, then the names of the actors and companies shown.
    The company list keeps the most frequent ones (and any chosen); search finds the rest.
    """
    chosen_types = set(filterset.chosen("type") or [])
    by_type = _action_counts(filterset, "type", "action_type")
    types = [
        FacetChoice(value, label, by_type.get(value, 0), value in chosen_types)
        for value, label in Action.Type.choices
        if by_type.get(value) or value in chosen_types
    ]

    chosen_actor = filterset.chosen("actor")
    by_actor = _action_counts(filterset, "actor", "actor_id")
    by_actor.pop(None, None)
    chosen_companies = {c.pk: c for c in filterset.chosen("company") or []}
    by_company = _company_counts(filterset)
    top_ids = [pk for pk, _ in by_company.most_common(companies_shown)]
    names = _names(by_actor, [pk for pk in top_ids if pk not in chosen_companies])

    actors = [
        FacetChoice(*names[("actor", pk)], count, chosen_actor is not None and chosen_actor.pk == pk)
        for pk, count in by_actor.items()
        if ("actor", pk) in names
    ]
    if chosen_actor is not None and chosen_actor.pk not in by_actor:
        actors.append(FacetChoice(chosen_actor.slug, chosen_actor.name, 0, True))
    actors.sort(key=lambda c: c.label.lower())

    companies = [FacetChoice(c.slug, c.name, by_company.get(pk, 0), True) for pk, c in chosen_companies.items()]
    companies += [
        FacetChoice(*names[("company", pk)], by_company[pk], False) for pk in top_ids if ("company", pk) in names
    ]
    companies.sort(key=lambda c: (not c.chosen, -c.count, c.label.lower()))
    return Facets(types=types, actors=actors, companies=companies)


@dataclass
class HistogramBar:
    label: str
    title: str
    count: int
    date_from: dt.date
    date_to: dt.date
    tick: str = ""
    slot_x: float = 0.0
    x: float = 0.0
    y: float = 0.0
    width: float = 0.0
    height: float = 0.0


@dataclass
class Histogram:
    bars: list[HistogramBar]
    total: int
    peak: int
    by_year: bool
    width: int = 720
    height: int = 80
    slot: float = 0.0

    @property
    def first_label(self) -> str:
        return self.bars[0].label if self.bars else ""

    @property
    def last_label(self) -> str:
        return self.bars[-1].label if self.bars else ""


def _month_end(year: int, month: int) -> dt.date:
    first_of_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_of_next - dt.timedelta(days=1)


def _bars(counts: dict[tuple[int, int], int]) -> tuple[list[HistogramBar], bool]:
    first, last = min(counts), max(counts)
    span = (last[0] - first[0]) * 12 + last[1] - first[1] + 1
    if span > MAX_MONTH_BARS:
        per_year: Counter = Counter()
        for (year, _), n in counts.items():
            per_year[year] += n
        return [
            HistogramBar(str(y), f"{y}: {per_year[y]} actions", per_year[y], dt.date(y, 1, 1), dt.date(y, 12, 31))
            for y in range(first[0], last[0] + 1)
        ], True
    bars = []
    year, month = first
    for _ in range(span):
        n = counts.get((year, month), 0)
        name = f"{MONTH_NAMES[month - 1][:3]} {year}"
        bars.append(HistogramBar(name, f"{name}: {n} actions", n, dt.date(year, month, 1), _month_end(year, month)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return bars, False


def _label_ticks(bars: list[HistogramBar], *, by_year: bool, most: int = 8) -> None:
    """Axis labels under some bars: months for a short span, else years, at most `most` of them."""
    if not by_year and len(bars) <= 12:
        for bar in bars:
            bar.tick = bar.label[:3]
        return
    starts = [bar for index, bar in enumerate(bars) if by_year or bar.date_from.month == 1 or index == 0]
    step = -(-len(starts) // most)
    for bar in starts[::step]:
        bar.tick = str(bar.date_from.year)


def histogram(filterset: ActionFilter) -> Histogram:
    """Actions per month of their first day (per year beyond six years), as SVG-ready bars.

    One query, grouped by day so SQLite walks the date index in order; months are summed here.
    """
    actions = filterset.queryset_ignoring(keep_rejected=True)
    rejected = actions.filter(review_state=Action.Review.REJECTED)
    per_day = visible_counts(filterset, _per_day(actions), _per_day(rejected), raw=True)
    counts: Counter = Counter()
    for day, n in per_day.items():  # ISO text on SQLite, a date on PostgreSQL
        counts[(int(day[:4]), int(day[5:7])) if isinstance(day, str) else (day.year, day.month)] += n
    if not counts:
        return Histogram(bars=[], total=0, peak=0, by_year=False)
    bars, by_year = _bars(counts)
    chart = Histogram(bars=bars, total=sum(counts.values()), peak=max(b.count for b in bars), by_year=by_year)
    _label_ticks(bars, by_year=by_year)
    chart.slot = slot = round(chart.width / len(bars), 3)
    for index, bar in enumerate(bars):
        bar.width = round(max(min(slot * 0.78, 48.0), 1.0), 2)
        bar.slot_x = round(index * slot, 2)
        bar.x = round(bar.slot_x + (slot - bar.width) / 2, 2)
        bar.height = round(max(2.0, bar.count / chart.peak * (chart.height - 4)), 1) if bar.count else 0.0
        bar.y = chart.height - bar.height
    return chart


def upcoming_deadlines(*, today: dt.date | None = None, limit: int = 5) -> list[Deadline]:
    """The nearest deadlines still ahead, across every action that is not rejected."""
    today = today or timezone.localdate()
    return list(
        Deadline.objects.filter(due_on__gte=today)
        .exclude(action__review_state=Action.Review.REJECTED)
        .select_related("action__actor")
        .prefetch_related("action__targets")
        .order_by("due_on", "id")[:limit]
    )
