"""What the extractor knows, read from the Company and Actor tables.

The pipeline never touches the ORM: this module turns the tables into the plain
Gazetteer it is given, and maps the names it returns back onto rows. Each index
is rebuilt only when its table changes (one cheap aggregate query per call).
"""

from __future__ import annotations

from django.db import DatabaseError
from django.db.models import Count, Max

from timeline.extraction.seeds import gazetteer_from_seed_files, media_from_seed_files
from timeline.extraction.types import Gazetteer, KnownActor, KnownCompany
from timeline.models import Actor, Company

_cache: dict[str, tuple[tuple, object]] = {}


def _table_version(model) -> tuple:
    # Row count, newest id and newest edit together change on every insert,
    # delete and update (an alias added in the admin included).
    stamp = model.objects.aggregate(n=Count("id"), top=Max("id"), edited=Max("updated_at"))
    return (stamp["n"], stamp["top"], stamp["edited"])


def _cached(key: str, model, build):
    version = _table_version(model)
    hit = _cache.get(key)
    if hit and hit[0] == version:
        return hit[1]
    value = build()
    _cache[key] = (version, value)
    return value


def gazetteer_current() -> Gazetteer:
    """The known companies and actors, as the extraction pipeline wants them."""

    def build() -> Gazetteer:
        companies = tuple(
            KnownCompany(
                name=c.name,
                aliases=tuple(c.aliases),
                parent=c.parent.name if c.parent else None,
                country=c.country,
            )
            for c in Company.objects.select_related("parent").filter(needs_review=False)
        )
        actors = tuple(
            KnownActor(name=a.name, kind=a.kind, aliases=tuple(a.aliases), country=a.country)
            for a in Actor.objects.all()
        )
        return Gazetteer(companies=companies, actors=actors)

    try:
        return _cached("gazetteer", Company, build)
    except DatabaseError:
        # An unmigrated database (a bare `extract` run) still knows the seeded names.
        return gazetteer_from_seed_files()


def media_names() -> tuple[str, ...]:
    """News organisations and their aliases: sources, never targets."""
    return media_from_seed_files()


def company_index() -> dict[str, Company]:
    """Company rows by name and alias, exact and case-folded."""

    def build() -> dict[str, Company]:
        index: dict[str, Company] = {}
        for company in Company.objects.all():
            for name in (company.name, *company.aliases):
                index.setdefault(name, company)
                index.setdefault(name.casefold(), company)
        return index

    return _cached("companies", Company, build)


def actor_index() -> dict[str, Actor]:
    def build() -> dict[str, Actor]:
        index: dict[str, Actor] = {}
        for actor in Actor.objects.all():
            for name in (actor.name, *actor.aliases):
                index.setdefault(name.casefold(), actor)
        return index

    return _cached("actors", Actor, build)
