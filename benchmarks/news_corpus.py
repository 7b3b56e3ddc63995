"""A corpus of realistic articles for the extraction benchmarks, built without a database.

`build_corpus(count, seed)` returns the same `count` articles for the same seed:
about half are the real articles stored in benchmarks/corpus/articles.jsonl, each
copy with its companies and actors swapped for others of the seed lists, its years
moved and its paragraphs after the lead shuffled; the rest is news-like text written
from templates over the seeded companies, actors and action types, with the relative
dates ("on Friday", "last week") and deadlines ("within 90 days") real articles use.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SEEDS_DIR = Path(__file__).resolve().parent.parent / "timeline" / "seeds"
STORED_ARTICLES = Path(__file__).resolve().parent / "corpus" / "articles.jsonl"
REAL_SHARE = 0.5

# action type -> past-tense clauses after the actor; {company} is the target.
CLAUSES = {
    "executive_order": (
        "signed an executive order banning transactions with {company}",
        "issued an order that bars U.S. persons from dealing with {company}",
    ),
    "ban": ("banned the sale of {company} products", "banned {company} equipment from government networks"),
    "sanction": ("imposed sanctions on {company}", "added {company} to the Specially Designated Nationals list"),
    "export_control": ("added {company} to the Entity List", "restricted exports of advanced chips to {company}"),
    "divestment_order": ("ordered {company} to sell its U.S. business", "ordered the divestment of {company}"),
    "investigation": ("opened an investigation into {company}", "launched a probe of {company}'s data practices"),
    "lawsuit": ("sued {company} for antitrust violations", "filed a complaint against {company}"),
    "court_ruling": ("blocked the government's ban on {company}", "upheld the restrictions on {company}"),
    "regulation": (
        "adopted a rule barring carriers from buying {company} gear",
        "published a final rule restricting {company} software",
    ),
    "tariff": ("raised tariffs on {company} products to 25%", "imposed duties on imports from {company}"),
    "legislation": ("passed a bill that would force {company} to divest", "approved legislation restricting {company}"),
    "statement": ("said {company} posed a threat to national security", "warned against using {company} apps"),
    "other": ("designated {company} a national security threat", "revoked the licences held by {company}"),
}
ACTOR_KIND_FOR = {"court_ruling": "court", "legislation": "legislature", "lawsuit": "agency"}
DATELINES = (
    "WASHINGTON (Reuters) - ",
    "BEIJING, {month} {day} (Reuters) - ",
    "BRUSSELS (AP) — ",
    "NEW DELHI — ",
    "LONDON, {month} {day} (Reuters) - ",
    "",
)
DEADLINE_SENTENCES = (
    "{company} has {days} days to comply with the order.",
    "The measure takes effect on {due:%B} {due.day}, and existing contracts must be wound down within {days} days.",
    "Under the order, {company} must divest its U.S. assets within {days} days.",
    "The agency gave the company until {due:%B} {due.day}, {due.year} to respond.",
    "Public comments are due {days} days after publication in the Federal Register.",
)
COLOUR = (
    '"We will use every legal avenue to fight this decision," a {company} spokesperson said.',
    "{company} did not immediately respond to a request for comment on {weekday}.",
    "Shares of {company} fell {n}% in Hong Kong after the announcement.",
    "{company} has repeatedly denied sharing user data with the Chinese government.",
    "Analysts said the move could deepen tensions between Washington and Beijing.",
    "The decision follows months of scrutiny over data security and foreign ownership.",
    "Lawmakers from both parties welcomed the step, while trade groups warned of higher costs.",
    "Officials declined to say whether further measures were planned against other firms.",
)


@dataclass(frozen=True)
class CorpusArticle:
    title: str
    text: str
    published: dt.date

    @property
    def words(self) -> int:
        return len(self.text.split())


def build_corpus(count: int, seed: int = 0) -> list[CorpusArticle]:
    """`count` articles: varied copies of the stored real ones and generated ones, interleaved."""
    rng = random.Random(seed)
    stored = stored_articles()
    corpus = []
    for index in range(count):
        if rng.random() < REAL_SHARE:
            corpus.append(_vary(rng, stored[index % len(stored)]))
        else:
            corpus.append(_generate(rng))
    return corpus


@cache
def stored_articles() -> tuple[CorpusArticle, ...]:
    rows = [json.loads(line) for line in STORED_ARTICLES.read_text(encoding="utf-8").splitlines() if line.strip()]
    return tuple(CorpusArticle(r["title"], r["text"], dt.date.fromisoformat(r["published"])) for r in rows)


@cache
def _seeds(name: str) -> list[dict]:
    return json.loads((SEEDS_DIR / f"{name}.json").read_text(encoding="utf-8"))


@cache
def _name_index() -> tuple[re.Pattern, dict[str, tuple[str, str]]]:
    """A pattern for every company and actor name or alias, and surface form -> (kind, canonical)."""
    owner: dict[str, tuple[str, str]] = {}
    for entry in _seeds("actors"):
        for form in (entry["name"], *entry.get("aliases", ())):
            owner.setdefault(form, (f"actor:{entry['kind']}", entry["name"]))
    for entry in _seeds("companies"):
        for form in (entry["name"], *entry.get("aliases", ())):
            owner.setdefault(form, ("company", entry["name"]))
    forms = sorted((form for form in owner if len(form) > 2), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, forms)) + r")(?!\w)"), owner


def _vary(rng: random.Random, article: CorpusArticle) -> CorpusArticle:
    """The article with other companies and actors, other years and its body paragraphs shuffled."""
    pattern, owner = _name_index()
    by_kind: dict[str, list[str]] = {"company": [c["name"] for c in _seeds("companies")]}
    for actor in _seeds("actors"):
        by_kind.setdefault(f"actor:{actor['kind']}", []).append(actor["name"])
    swaps: dict[str, str] = {}

    def swap(match: re.Match) -> str:
        kind, canonical = owner[match.group(0)]
        if canonical not in swaps:
            swaps[canonical] = rng.choice(by_kind[kind])
        return swaps[canonical]

    years = rng.randint(-4, 1)

    def move_year(match: re.Match) -> str:
        return str(int(match.group(0)) + years)

    def rewrite(text: str) -> str:
        return re.sub(r"(?<!\d)20[012]\d(?!\d)", move_year, pattern.sub(swap, text))

    paragraphs = rewrite(article.text).split("\n\n")
    body = paragraphs[1:]
    if rng.random() < 0.7:
        rng.shuffle(body)
    published = article.published
    published = published.replace(year=published.year + years, day=min(published.day, 28))
    return CorpusArticle(rewrite(article.title), "\n\n".join([paragraphs[0], *body]), published)


def _generate(rng: random.Random) -> CorpusArticle:
    """A news report of one action, with background on an earlier one, quotes and colour."""
    companies, actors = _seeds("companies"), _seeds("actors")
    published = dt.date(2016, 1, 1) + dt.timedelta(days=rng.randrange(10 * 365))
    action_type = rng.choice(list(CLAUSES))
    company = rng.choice(companies[:120] if rng.random() < 0.7 else companies)["name"]
    kind = ACTOR_KIND_FOR.get(action_type)
    actor = rng.choice([a for a in actors if kind is None or a["kind"] == kind])["name"]
    occurred = published - dt.timedelta(days=rng.choice((0, 1, 1, 2, 3, 4, 7, 10)))
    when = _relative_phrase(occurred, published)
    clause = rng.choice(CLAUSES[action_type]).format(company=company)
    dateline = rng.choice(DATELINES).format(month=f"{published:%b}", day=published.day)
    title = f"{actor} {clause}"[:200]
    paragraphs = [title, f"{dateline}{actor} {when} {clause}, citing national security concerns."]
    if rng.random() < 0.4:
        days = rng.choice((30, 45, 60, 90, 120, 180))
        due = occurred + dt.timedelta(days=days)
        paragraphs.append(rng.choice(DEADLINE_SENTENCES).format(company=company, days=days, due=due))
    for _ in range(rng.randint(3, 7)):
        paragraphs.append(
            " ".join(
                rng.choice(COLOUR).format(company=company, weekday=f"{published:%A}", n=rng.randint(1, 9))
                for _ in range(rng.randint(1, 3))
            )
        )
    earlier = published - dt.timedelta(days=rng.randint(60, 900))
    other_type = rng.choice(list(CLAUSES))
    other_clause = rng.choice(CLAUSES[other_type]).format(company=rng.choice(companies)["name"])
    paragraphs.insert(
        rng.randint(2, len(paragraphs)), f"In {earlier:%B %Y}, {rng.choice(actors)['name']} {other_clause}."
    )
    return CorpusArticle(title, "\n\n".join(paragraphs), published)


def _relative_phrase(occurred: dt.date, published: dt.date) -> str:
    gap = (published - occurred).days
    if gap == 0:
        return "today"
    if gap < 7:
        return f"on {occurred:%A}"
    if gap < 14:
        return "last week"
    return f"on {occurred:%B} {occurred.day}"
