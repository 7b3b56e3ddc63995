"""Searching actions' text: PostgreSQL full-text search where it exists, a substring match elsewhere.

On PostgreSQL the vector is `SearchVector("search_text", config="english")`, the very
expression migration 0003 indexes with GIN, so the filter uses the index; words are
stemmed ("bans" finds "banned") and the query takes web-search syntax (`"exact phrase"`,
`-excluded`, `or`). On SQLite both functions fall back to `ActionQuerySet.matching`.

- `text_search` only filters: the timeline keeps its chronological order.
- `rank_search` filters and puts the best matches first (on PostgreSQL).
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.models import QuerySet

SEARCH_CONFIG = "english"


def _on_postgres(queryset: QuerySet) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def _vector_and_query(text: str) -> tuple[SearchVector, SearchQuery]:
    vector = SearchVector("search_text", config=SEARCH_CONFIG)
    return vector, SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)


def _clean(text: str) -> str:
    return text.replace("\x00", "").strip()  # PostgreSQL refuses NUL in any string


def text_search(queryset: QuerySet, text: str) -> QuerySet:
    """Actions in `queryset` whose text matches `text`, in the queryset's own order."""
    text = _clean(text)
    if not text:
        return queryset
    if not _on_postgres(queryset):
        return queryset.matching(text)
    vector, query = _vector_and_query(text)
    return queryset.alias(search_vector=vector).filter(search_vector=query)


def rank_search(queryset: QuerySet, text: str) -> QuerySet:
    """Actions in `queryset` matching `text`, best match first on PostgreSQL (then newest)."""
    text = _clean(text)
    if not text or not _on_postgres(queryset):
        return text_search(queryset, text)
    vector, query = _vector_and_query(text)
    return (
        text_search(queryset, text)
        .annotate(search_rank=SearchRank(vector, query))
        .order_by("-search_rank", "-occurred_from", "-id")
    )
