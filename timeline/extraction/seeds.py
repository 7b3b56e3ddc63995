"""The gazetteer and media names read from timeline/seeds/*.json, for tests and the CLI only.

The app builds its Gazetteer from the database; this loader lets the pipeline run without one.
"""

from __future__ import annotations

from functools import cache

from timeline.seeds import seed_list as _load  # plain JSON reading: no Django involved

from .types import Gazetteer, KnownActor, KnownCompany


@cache
def gazetteer_from_seed_files() -> Gazetteer:
    """Every company and actor in companies.json and actors.json."""
    companies = tuple(
        KnownCompany(
            name=entry["name"],
            aliases=tuple(entry.get("aliases", ())),
            parent=entry.get("parent"),
            country=entry.get("country", ""),
        )
        for entry in _load("companies")
    )
    actors = tuple(
        KnownActor(
            name=entry["name"],
            kind=entry["kind"],
            aliases=tuple(entry.get("aliases", ())),
            country=entry.get("country", ""),
        )
        for entry in _load("actors")
    )
    return Gazetteer(companies=companies, actors=actors)


@cache
def media_from_seed_files() -> tuple[str, ...]:
    """Every media name and alias in media.json, the canonical name first."""
    names: list[str] = []
    for entry in _load("media"):
        names.extend([entry["name"], *entry.get("aliases", ())])
    return tuple(names)
