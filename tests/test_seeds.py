"""The seed gazetteer (companies, actors, media) is well-formed and unambiguous.

The extraction pipeline matches every name and alias in these files as a
surface form, so one string may point at one entry only.
"""

import json
import re
from collections import Counter
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parent.parent / "timeline" / "seeds"
ACTOR_KINDS = {"head_of_state", "official", "agency", "legislature", "court", "other"}
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# Empty only for the stateless (a mixer, say); "EU" is the reserved code for the Union.
COUNTRY_PATTERN = re.compile(r"^([A-Z]{2})?$")
SECTOR_PATTERN = re.compile(r"^[a-z]+$")
# Phrases that name a role or a place, never one entry: the pipeline resolves them from context.
FORBIDDEN_SURFACE_FORMS = {"the President", "President", "the House", "Brussels", "X", "the Commission"}


def load(name: str) -> list[dict]:
    with open(SEEDS / name, encoding="utf-8") as seed_file:
        return json.load(seed_file)


@pytest.fixture(scope="module")
def companies() -> list[dict]:
    return load("companies.json")


@pytest.fixture(scope="module")
def actors() -> list[dict]:
    return load("actors.json")


@pytest.fixture(scope="module")
def media() -> list[dict]:
    return load("media.json")


def surface_forms(entry: dict) -> list[str]:
    return [entry["name"], *entry["aliases"]]


def test_enough_companies_and_actors(companies, actors, media):
    assert len(companies) >= 150
    assert len(actors) >= 60
    assert len(media) >= 30


def test_entries_have_the_documented_fields(companies, actors, media):
    for company in companies:
        assert set(company) == {"name", "slug", "aliases", "parent", "country", "sector"}, company
    for actor in actors:
        assert set(actor) == {"name", "slug", "kind", "aliases", "country"}, actor
    for outlet in media:
        assert set(outlet) == {"name", "aliases"}, outlet
    for entry in [*companies, *actors, *media]:
        assert isinstance(entry["aliases"], list), entry["name"]
        for form in surface_forms(entry):
            assert isinstance(form, str) and form == form.strip() and form, entry["name"]


@pytest.mark.parametrize("seed_file", ["companies.json", "actors.json"])
def test_slugs_are_unique_and_well_formed(seed_file):
    slugs = [entry["slug"] for entry in load(seed_file)]
    assert [slug for slug in slugs if not SLUG_PATTERN.match(slug)] == []
    assert [slug for slug, count in Counter(slugs).items() if count > 1] == []


def test_countries_are_two_letter_codes(companies, actors):
    for entry in [*companies, *actors]:
        assert COUNTRY_PATTERN.match(entry["country"]), entry["name"]


def test_companies_name_a_sector(companies):
    assert [c["name"] for c in companies if not SECTOR_PATTERN.match(c["sector"])] == []


def test_names_and_slugs_fit_the_model_columns(companies, actors):
    for entry in [*companies, *actors]:
        assert len(entry["name"]) <= 200 and len(entry["slug"]) <= 200, entry["name"]


def test_no_surface_form_points_at_two_entries(companies, actors, media):
    """A name or alias belongs to exactly one entry across all three files.

    Compared case-folded, because the gazetteer indexes look names up that way.
    """
    owners: dict[str, list[str]] = {}
    for source, entries in (("company", companies), ("actor", actors), ("media", media)):
        for entry in entries:
            for form in {form.casefold() for form in surface_forms(entry)}:
                owners.setdefault(form, []).append(f"{source}:{entry['name']}")
    shared = {form: names for form, names in owners.items() if len(names) > 1}
    assert shared == {}


def test_no_entry_repeats_its_own_alias(companies, actors, media):
    for entry in [*companies, *actors, *media]:
        forms = surface_forms(entry)
        assert len(forms) == len(set(forms)), entry["name"]


def test_role_and_place_phrases_are_not_aliases(companies, actors, media):
    for entry in [*companies, *actors, *media]:
        assert FORBIDDEN_SURFACE_FORMS.isdisjoint(surface_forms(entry)), entry["name"]


def test_every_parent_is_a_known_company(companies):
    names = {company["name"] for company in companies}
    orphans = [c["name"] for c in companies if c["parent"] is not None and c["parent"] not in names]
    assert orphans == []


@pytest.mark.parametrize(
    ("child", "parent"),
    [
        ("TikTok", "ByteDance"),
        ("WeChat", "Tencent"),
        ("Alipay", "Ant Group"),
        ("Ant Group", "Alibaba"),
        ("Google", "Alphabet"),
        ("AO Kaspersky Lab", "Kaspersky"),
    ],
)
def test_known_ownership_links(companies, child, parent):
    parent_of = {company["name"]: company["parent"] for company in companies}
    assert parent_of[child] == parent


def test_parent_links_have_no_cycles(companies):
    parent_of = {company["name"]: company["parent"] for company in companies}
    for start in parent_of:
        seen = {start}
        current = parent_of[start]
        while current is not None:
            assert current not in seen, f"cycle through {start}"
            seen.add(current)
            current = parent_of.get(current)


def test_actor_kinds_are_valid(actors):
    assert [a["name"] for a in actors if a["kind"] not in ACTOR_KINDS] == []
