"""Seed lists of companies, government actors and media, shared by the data
migration that loads them and by the extraction tests that need no database."""

import json
from functools import cache
from pathlib import Path

SEEDS_DIR = Path(__file__).resolve().parent


@cache
def seed_list(name: str) -> list[dict]:
    """The entries of companies.json, actors.json or media.json."""
    return json.loads((SEEDS_DIR / f"{name}.json").read_text(encoding="utf-8"))


def seed_database(apps) -> None:
    """Create or update every seeded company and actor (idempotent).

    Takes an app registry so the data migration can pass its historical models
    and `manage.py sync_seeds` the live ones.
    """
    Company = apps.get_model("timeline", "Company")
    Actor = apps.get_model("timeline", "Actor")
    by_name = {}
    for entry in seed_list("companies"):
        company, _ = Company.objects.update_or_create(
            slug=entry["slug"],
            defaults={
                "name": entry["name"],
                "aliases": entry.get("aliases", []),
                "country": entry.get("country", ""),
                "sector": entry.get("sector", ""),
            },
        )
        by_name[entry["name"]] = company
    for entry in seed_list("companies"):
        if entry.get("parent"):
            Company.objects.filter(slug=entry["slug"]).update(parent=by_name[entry["parent"]])
    for entry in seed_list("actors"):
        Actor.objects.update_or_create(
            slug=entry["slug"],
            defaults={
                "name": entry["name"],
                "kind": entry["kind"],
                "aliases": entry.get("aliases", []),
                "country": entry.get("country", ""),
            },
        )
