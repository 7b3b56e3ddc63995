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
