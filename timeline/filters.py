"""The one definition of "actions matching a filter", shared by the timeline page,
its exports and its feeds.

Query parameters: `company=<slug>` (repeatable) with `subsidiaries=1`, `actor=<slug>`,
`type=<action_type>` (repeatable), `from=YYYY-MM-DD`, `to=YYYY-MM-DD`, `q=text`,
`deadline=1`, `review=confirmed`, `order=oldest`. A value that does not validate is
ignored (and reported on the form) rather than emptying the list.
"""

from __future__ import annotations

from collections.abc import Iterable

import django_filters
from django import forms
from django.db.models import QuerySet

from timeline.fulltext import rank_search, text_search
from timeline.models import Action, Actor, Company

ActionTarget = Action.targets.through

# Up to this many search matches, the aggregates take them as a list of ids instead of searching again.
TEXT_MATCH_LIST = 5000
# From this many action–company links on, a company filter walks the actions instead (ActionQuerySet.targeting).
BROAD_COMPANY_LINKS = 500


def is_broad(company_ids: Iterable[int]) -> bool:
    """Whether these companies are named by so many actions that a page of them is found sooner by
    walking all actions newest first than by collecting and sorting theirs (one index-only count)."""
    return ActionTarget.objects.filter(company_id__in=list(company_ids)).count() >= BROAD_COMPANY_LINKS


class ActionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_text", label="Search")
    company = django_filters.ModelMultipleChoiceFilter(
        queryset=Company.objects.all(), to_field_name="slug", method="filter_companies", label="Companies"
    )
    subsidiaries = django_filters.BooleanFilter(
        method="filter_nothing", widget=forms.CheckboxInput, label="Include subsidiaries"
    )
    actor = django_filters.ModelChoiceFilter(
        queryset=Actor.objects.all(), to_field_name="slug", method="filter_actor", label="Actor"
    )
    type = django_filters.MultipleChoiceFilter(choices=Action.Type.choices, method="filter_types", label="Type")
    deadline = django_filters.BooleanFilter(
        method="filter_deadline", widget=forms.CheckboxInput, label="Has a deadline"
    )
    review = django_filters.ChoiceFilter(
        choices=[("confirmed", "Confirmed only")],
        empty_label="Everything but rejected",
        method="filter_review",
        label="Review state",
    )
    order = django_filters.ChoiceFilter(
        choices=[("oldest", "Oldest first"), ("relevance", "Best match first (with a search)")],
        empty_label="Newest first",
        method="filter_order",
        label="Order",
    )

    class Meta:
        model = Action
        fields: list[str] = []

    _aggregating = False  # True while queryset_ignoring() builds a set to count

    def __init__(self, data=None, queryset=None, **kwargs):
        # Rejected actions are dropped in filter_queryset, after the review filter has had its say.
        queryset = Action.objects.newest_first() if queryset is None else queryset
        super().__init__(data, queryset=queryset, **kwargs)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        return queryset.visible() if self.hides_rejected else queryset

    @property
    def hides_rejected(self) -> bool:
        """Confirmed-only already leaves rejected actions out; every other view must drop them."""
        return self.chosen("review") != "confirmed"

    def filter_text(self, queryset, name, value):
        if self._aggregating and (ids := self._text_matches(value)) is not None:
            return queryset.filter(id__in=ids)
        return text_search(queryset, value)

    def _text_matches(self, text: str) -> list[int] | None:
        """The ids the search matches, found once for all the aggregates (each would rescan the
        text); None when there are too many to pass as a list."""
        if not hasattr(self, "_matches"):
            matches = text_search(Action.objects.all(), text).order_by().values_list("id", flat=True)
            ids = list(matches[: TEXT_MATCH_LIST + 1])
            self._matches = ids if len(ids) <= TEXT_MATCH_LIST else None
        return self._matches

    def filter_companies(self, queryset, name, companies):
        if not companies:  # an empty choice arrives as an empty QuerySet, which django-filter does not skip
            return queryset
        if not hasattr(self, "_target_ids"):  # facets filter by company several times: expand once
            chosen = [c.pk for c in companies]
            family = self.form.cleaned_data.get("subsidiaries")
            self._target_ids = Company.objects.family_ids(chosen) if family else chosen
            self._targets_broad = is_broad(self._target_ids)
        # EXISTS finds a page sooner; an aggregate reads every match anyway, and IN reads fewer rows.
        return queryset.targeting(self._target_ids, broad=self._targets_broad and not self._aggregating)

    def filter_nothing(self, queryset, name, value):
        return queryset  # read by filter_companies

    def filter_actor(self, queryset, name, actor):
        return queryset.by_actor(actor)

    def filter_types(self, queryset, name, types):
        return queryset.of_types(types)

    def filter_from(self, queryset, name, day):
        return queryset.between(day, None)

    def filter_to(self, queryset, name, day):
        return queryset.between(None, day)

    def filter_deadline(self, queryset, name, wanted):
        if not wanted:
            return queryset
        return queryset.with_deadline()

    def filter_review(self, queryset, name, value):
        return queryset.confirmed() if value == "confirmed" else queryset

    def filter_order(self, queryset, name, value):
        if value == "relevance" and (text := self.chosen("q")):
            return rank_search(queryset, text)  # ranked on PostgreSQL; newest first elsewhere
        return queryset.oldest_first() if value == "oldest" else queryset.newest_first()

    def queryset_ignoring(self, *names: str, keep_rejected: bool = False) -> QuerySet[Action]:
        """The filtered actions as if the named parameters had not been given (for facet counts).

        With `keep_rejected`, rejected actions stay in even when the view hides them, so a count
        can be taken from indexes alone and the (few) rejected ones subtracted (see search.py).
        """
        self.form.is_valid()  # fills cleaned_data with the valid parameters
        queryset = self.queryset.all()
        self._aggregating = True
        try:
            for name, value in self.form.cleaned_data.items():
                if name not in names:
                    queryset = self.filters[name].filter(queryset, value)
        finally:
            self._aggregating = False
        return queryset.visible() if self.hides_rejected and not keep_rejected else queryset

    @property
    def is_filtered(self) -> bool:
        """Whether any parameter narrows the list (order alone does not)."""
        self.form.is_valid()
        return any(bool(value) for name, value in self.form.cleaned_data.items() if name != "order")

    def chosen(self, name: str):
        """The cleaned value of one parameter, or None when absent or invalid."""
        self.form.is_valid()
        return self.form.cleaned_data.get(name)


# `from` and `to` are Python keywords, so these two join the declared filters by name.
ActionFilter.base_filters["from"] = django_filters.DateFilter(
    field_name="occurred_to", method="filter_from", label="From", widget=forms.DateInput(attrs={"type": "date"})
)
ActionFilter.base_filters["to"] = django_filters.DateFilter(
    field_name="occurred_from", method="filter_to", label="To", widget=forms.DateInput(attrs={"type": "date"})
)
