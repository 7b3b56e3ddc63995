"""`manage.py generate_demo_data --actions 100000 --articles 20000 --companies 2000 [--seed N] [--clear]`:
fill the database with realistic synthetic actions, for demos and for load tests.

Everything is planned in memory, then written in one transaction with chunked
bulk inserts: generated companies (some owned by others), articles (status done,
every evidence sentence inside their text at its offsets), actions over 2015–2025
of every type with `search_text` filled, their targets, deadlines on a fifth of
them and 1–3 mentions each. Company popularity is Zipf-like, the seeded companies
first. The same seed on the same starting database gives the same data.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from itertools import accumulate

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from timeline.models import Action, Actor, Article, Company, Deadline, Mention
from timeline.seeds import seed_list
from timeline.services import text_fingerprint

FIRST_DAY, LAST_DAY = dt.date(2015, 1, 1), dt.date(2025, 12, 31)
DEADLINE_SHARE = 0.2
ZIPF_EXPONENT = 1.0
EXTRACTOR_VERSION = "demo-data"

# fmt: off
# action type -> (relative frequency, summary after the actor, evidence sentences).
# {actor} opens a sentence, {targets} names the companies, {when} is the date phrase.
PROSE: dict[str, tuple[int, str, tuple[str, ...]]] = {
    "executive_order": (6, "signs executive order restricting transactions with {targets}", (
        "{actor} signed an executive order {when} that bars transactions with {targets}.",
        "{actor} {when} issued an executive order targeting {targets}, citing national security.")),
    "ban": (10, "bans products of {targets}", (
        "{actor} {when} banned the sale of products made by {targets}, citing risks to national security.",
        "{actor} banned {targets} equipment from government networks {when}.")),
    "sanction": (10, "imposes sanctions on {targets}", (
        "{actor} imposed sanctions on {targets} {when}, freezing any assets under its jurisdiction.",
        "{actor} {when} added {targets} to its sanctions list over support for the military.")),
    "export_control": (10, "restricts technology exports to {targets}", (
        "{actor} added {targets} to a trade blacklist {when}, restricting exports of sensitive technology.",
        "{actor} {when} tightened export controls on chips sold to {targets}.")),
    "divestment_order": (3, "orders {targets} to divest local operations", (
        "{actor} ordered {targets} {when} to sell its local operations.",
        "{actor} {when} directed {targets} to divest its business in the country.")),
    "investigation": (14, "opens investigation into {targets}", (
        "{actor} opened an investigation into {targets} {when} over its handling of user data.",
        "{actor} said {when} that it was investigating {targets} for possible violations of trade law.")),
    "lawsuit": (8, "sues {targets}", (
        "{actor} filed a lawsuit against {targets} {when}, alleging unfair business practices.",
        "{actor} sued {targets} {when} over the collection of children's data.")),
    "court_ruling": (6, "rules on restrictions against {targets}", (
        "{actor} ruled {when} that the restrictions on {targets} could take effect.",
        "{actor} {when} blocked the government's ban on {targets}.")),
    "regulation": (8, "issues rule restricting equipment from {targets}", (
        "{actor} published a final rule {when} that restricts the use of equipment from {targets}.",
        "{actor} {when} adopted rules barring carriers from buying gear made by {targets}.")),
    "tariff": (6, "raises tariffs on goods from {targets}", (
        "{actor} announced {when} a 25% tariff on imports from {targets}.",
        "{actor} {when} raised duties on products made by {targets}.")),
    "legislation": (5, "passes bill targeting {targets}", (
        "{actor} passed a bill {when} that would force {targets} to cut ties with its parent company.",
        "{actor} {when} approved legislation restricting {targets}.")),
    "statement": (10, "warns of security risks from {targets}", (
        "{actor} said {when} that {targets} posed an unacceptable risk to national security.",
        "{actor} warned {when} that doing business with {targets} could expose citizens' data.")),
    "other": (4, "designates {targets} a national security threat", (
        "{actor} designated {targets} a national security threat {when}.",
        "{actor} {when} moved to revoke licences held by {targets}.")),
}
# Which Actor kinds act in each way; other types go to heads of state, officials and agencies.
ACTOR_KINDS_BY_TYPE = {"court_ruling": ("court",), "legislation": ("legislature",), "lawsuit": ("agency",)}
GENERAL_ACTOR_KINDS = ("head_of_state", "official", "agency")
UNLISTED_ACTORS = {  # actors the Actor table does not know: stored as actor_name
    "court_ruling": ("The U.S. District Court for the District of Columbia", "The Ninth Circuit Court of Appeals"),
    "legislation": ("The Senate", "The Indian Parliament"),
    "any": ("China's Ministry of Commerce", "The UK Competition and Markets Authority",
            "Germany's Federal Cartel Office", "The Texas Attorney General", "India's Ministry of Electronics"),
}
DEADLINE_WHATS = ("comply with the order", "divest the business", "respond to the complaint",
                  "submit comments", "remove the equipment", "wind down existing transactions")
FILLERS = (
    "{company} said it would challenge the decision.",
    "{company} did not immediately respond to a request for comment.",
    "Shares of {company} fell {n}% in early trading.",
    "{company} has repeatedly denied that it shares data with any government.",
    "Analysts said the move could deepen tensions between Washington and Beijing.",
    "The decision follows months of scrutiny over data security and foreign ownership.",
    "Lawmakers from both parties welcomed the step.",
    "Officials declined to say whether further measures were planned.",
    "Trade groups warned that the measure could disrupt supply chains.",
)
REVIEW_WEIGHTS = {"auto": 85, "confirmed": 8, "edited": 3, "rejected": 4}
PRECISION_WEIGHTS = {"day": 70, "week": 12, "month": 12, "year": 6}
NAME_PARTS = (
    ("Apex", "Nordic", "Golden", "Pacific", "Blue Harbor", "Red Lantern", "Silverline", "Eastern", "Great Wall",
     "Polar", "Crescent", "Summit", "Jade", "Ironbridge", "Sunrise", "Meridian", "Harbin", "Shenzhen", "Volga",
     "Ural", "Baltic", "Caspian", "Orient", "Zenith", "Lotus", "Phoenix", "Aurora", "Cobalt", "Granite", "Vertex"),
    ("Semiconductor", "Telecom", "Robotics", "Biotech", "Logistics", "Data", "Optics", "Energy", "Drone",
     "Payments", "Shipping", "Mining", "Cloud", "Networks", "Vision", "Microelectronics", "Aerospace", "Software"),
    ("Co.", "Ltd.", "Holdings", "Group", "Technologies", "Inc.", "Corp.", "Industries"),
)
COUNTRIES = ("CN", "CN", "CN", "CN", "RU", "RU", "HK", "US", "IR", "KR", "SG", "AE", "IN", "DE")
SUBSIDIARY_PLACES = ("Europe", "America", "International", "(Hong Kong)", "(Singapore)", "Capital", "Labs")
# fmt: on


@dataclass
class PlannedAction:
    action_type: str
    actor: Actor | None
    actor_name: str
    window: tuple[dt.date, dt.date, str, str]  # from, to, precision, phrase
    targets: list[Company]
    summary: str
    review_state: str
    confidence: float
    deadlines: list[tuple[dt.date, str, str]] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    row: Action | None = None


@dataclass
class DemoDataCounts:
    companies_created: int = 0
    articles: int = 0
    actions: int = 0
    targets: int = 0
    deadlines: int = 0
    mentions: int = 0
    seconds: float = 0.0


def demo_data_clear() -> None:
    """Delete every article, action and company that is not one of the seeded companies."""
    seeded = {entry["slug"] for entry in seed_list("companies")}
    with transaction.atomic():
        Mention.objects.all().delete()
        Deadline.objects.all().delete()
        Action.targets.through.objects.all().delete()
        Action.objects.all().delete()
        Article.objects.all().delete()
        Company.objects.exclude(slug__in=seeded).update(parent=None)
        Company.objects.exclude(slug__in=seeded).delete()


def demo_data_generate(
    *, actions: int, articles: int, companies: int, seed: int = 0, clear: bool = False, chunk_size: int = 2000
) -> DemoDataCounts:
    """Create `articles` articles and `actions` actions against `companies` companies (existing ones first)."""
    if actions and (articles < 1 or companies < 1):
        raise ValueError("Actions need at least one article and one company.")
    started = time.perf_counter()
    if clear:
        demo_data_clear()
    counts = DemoDataCounts()
    with transaction.atomic():
        planner = _Planner(random.Random(seed))
        counts.companies_created = planner.choose_companies(companies, chunk_size)
        planned = [planner.action() for _ in range(actions)]
        for planned_action, action_type in zip(planned, PROSE, strict=False):  # every type at least once
            planner.retype(planned_action, action_type)
        for planned_action in planner.rng.sample(planned, round(len(planned) * DEADLINE_SHARE)):
            planner.add_deadlines(planned_action)
        article_rows, placements = planner.articles(planned, articles)
        Article.objects.bulk_create(article_rows, batch_size=chunk_size)
        counts.articles = len(article_rows)
        counts.actions, counts.targets, counts.deadlines = _write_actions(planned, chunk_size)
        mentions = (
            Mention(
                action=planned[index].row,
                article=article_rows[article_index],
                sentence=sentence,
                start_char=start,
                end_char=start + len(sentence),
                date_phrase=planned[index].window[3][:200],
            )
            for article_index, index, sentence, start in placements
        )
        counts.mentions = len(Mention.objects.bulk_create(mentions, batch_size=chunk_size))
    counts.seconds = time.perf_counter() - started
    return counts


class _Planner:
    """Draws companies, actors, dates and prose from one random stream."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.ranked: list[Company] = []
        self.by_pk: dict[int, Company] = {}
        self.popularity: list[float] = []
        self.actors: dict[str, list[Actor]] = {}
        self._fitting: dict[str, tuple[list[Actor], list[int]]] = {}
        for actor in Actor.objects.order_by("id"):
            self.actors.setdefault(actor.kind, []).append(actor)

    def choose_companies(self, wanted: int, chunk_size: int) -> int:
        """Rank the companies actions will target, most popular first: seeded, other existing, then new ones."""
        rng, seeded = self.rng, {entry["slug"] for entry in seed_list("companies")}
        existing = list(Company.objects.filter(needs_review=False).order_by("id"))
        existing.sort(key=lambda c: (c.slug not in seeded, -len(c.aliases)))  # well-known names have more aliases
        ranked = existing[:wanted]
        taken = {name.casefold() for name in Company.objects.values_list("name", flat=True)}
        slugs = set(Company.objects.values_list("slug", flat=True))
        owners: dict[int, Company] = {}
        while len(ranked) < wanted:
            parent = rng.choice(ranked[:100]) if ranked and rng.random() < 0.2 else None
            name = _company_name(rng, parent)
            if name.casefold() in taken:
                continue
            taken.add(name.casefold())
            slug = base = slugify(name)[:180]
            while slug in slugs:
                slug = f"{base}-{rng.randrange(10**6)}"
            slugs.add(slug)
            aliases = [name.rsplit(" ", 1)[0]] if parent is None and rng.random() < 0.5 else []
            country = parent.country if parent else rng.choice(COUNTRIES)
            ranked.append(
                Company(
                    name=name, slug=slug, aliases=aliases, country=country, sector=rng.choice(NAME_PARTS[1]).lower()
                )
            )
            if parent is not None:
                owners[len(ranked) - 1] = parent
        new = ranked[len(existing[:wanted]) :]
        Company.objects.bulk_create(new, batch_size=chunk_size)
        for index, parent in owners.items():
            ranked[index].parent_id = parent.pk
        Company.objects.bulk_update([ranked[i] for i in owners], ["parent"], batch_size=chunk_size)
        self.ranked, self.by_pk = ranked, {c.pk: c for c in ranked}
        self.popularity = list(accumulate(1 / (rank + 1) ** ZIPF_EXPONENT for rank in range(len(ranked))))
        return len(new)

    def popular_company(self) -> Company:
        return self.ranked[bisect_left(self.popularity, self.rng.random() * self.popularity[-1])]

    def action(self) -> PlannedAction:
        rng, targets = self.rng, []
        for _ in range(rng.choices((1, 2, 3), weights=(70, 22, 8))[0]):
            company = self.popular_company()
            if company not in targets:
                targets.append(company)
        parent = self.by_pk.get(targets[0].parent_id)
        if parent is not None and parent not in targets and rng.random() < 0.15:  # the press often names the owner too
            targets.append(parent)
        review = _weighted(rng, REVIEW_WEIGHTS)
        low, high = (0.9, 1.0) if review in {"confirmed", "edited"} else (0.4, 0.95)
        planned = PlannedAction(
            action_type="",
            actor=None,
            actor_name="",
            window=_window(rng),
            targets=targets,
            summary="",
            review_state=review,
            confidence=round(rng.uniform(low, high), 2),
        )
        self.retype(planned, _weighted(rng, {kind: prose[0] for kind, prose in PROSE.items()}))
        return planned

    def retype(self, planned: PlannedAction, action_type: str) -> None:
        """Give the action this type, an actor that fits it, its summary and 1–3 evidence sentences."""
        rng = self.rng
        planned.action_type = action_type
        fitting, weights = self._fitting_actors(action_type)
        if fitting and rng.random() < 0.9:
            planned.actor, planned.actor_name = rng.choices(fitting, cum_weights=weights)[0], ""
        else:
            planned.actor, planned.actor_name = (
                None,
                rng.choice(UNLISTED_ACTORS.get(action_type, UNLISTED_ACTORS["any"])),
            )
        label = _actor_label(planned)
        names = _join_names([c.name for c in planned.targets])
        _, summary, sentences = PROSE[action_type]
        planned.summary = f"{label} {summary.format(targets=names)}"[:500]
        planned.sentences = [
            rng.choice(sentences).format(actor=label, targets=names, when=planned.window[3]).replace("..", ".")
            for _ in range(rng.randint(1, 3))
        ]

    def _fitting_actors(self, action_type: str) -> tuple[list[Actor], list[int]]:
        """Actors of the kinds that take this action, American ones (most of the news) three times as likely."""
        if action_type not in self._fitting:
            kinds = ACTOR_KINDS_BY_TYPE.get(action_type, GENERAL_ACTOR_KINDS)
            fitting = [actor for kind in kinds for actor in self.actors.get(kind, ())]
            weights = list(accumulate(3 if actor.country == "US" else 1 for actor in fitting))
            self._fitting[action_type] = (fitting, weights)
        return self._fitting[action_type]

    def add_deadlines(self, planned: PlannedAction) -> None:
        start = planned.window[1]
        for _ in range(self.rng.choices((1, 2), weights=(80, 20))[0]):
            days = self.rng.choice((30, 45, 60, 75, 90, 120, 180))
            what = self.rng.choice(DEADLINE_WHATS)
            planned.deadlines.append((start + dt.timedelta(days=days), what, f"{days} days after {start.isoformat()}"))
        days, what = planned.deadlines[0][2].split(" after")[0], planned.deadlines[0][1]
        planned.sentences[0] = f"{planned.sentences[0][:-1]}, with {days} to {what}."

    def articles(
        self, planned: list[PlannedAction], count: int
    ) -> tuple[list[Article], list[tuple[int, int, str, int]]]:
        """Articles spread over the years, each reporting actions of the month before it.

        Returns the unsaved articles and where each evidence sentence sits:
        (article index, action index, sentence, start offset).
        """
        rng = self.rng
        days = sorted(
            FIRST_DAY + dt.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1)) for _ in range(count)
        )
        reported: list[list[tuple[int, str]]] = [[] for _ in range(count)]
        for index, action in enumerate(planned):
            low = bisect_left(days, action.window[0])
            high = bisect_right(days, action.window[1] + dt.timedelta(days=30))
            wanted = min(len(action.sentences), count)
            if high - low < wanted:  # no paper on those days: take the nearest ones
                low = max(0, min(low, count - wanted))
                high = low + wanted
            for article_index, sentence in zip(rng.sample(range(low, high), wanted), action.sentences, strict=False):
                reported[article_index].append((index, sentence))
        media = [entry["name"] for entry in seed_list("media")]
        fingerprints: set[str] = set()
        rows, placements = [], []
        for article_index, (day, items) in enumerate(zip(days, reported, strict=True)):
            paragraphs, offset = [], 0
            for index, sentence in items:
                placements.append((article_index, index, sentence, offset))
                paragraphs.append(f"{sentence} {self.filler(planned[index].targets[0].name)}")
                offset += len(paragraphs[-1]) + 2
            body = "\n\n".join(paragraphs) or self.filler(self.popular_company().name)
            while (fingerprint := text_fingerprint(body)) in fingerprints:  # appending keeps offsets valid
                body += " " + self.filler(rng.choice(self.ranked).name)
            fingerprints.add(fingerprint)
            title = planned[items[0][0]].summary if items else f"{self.popular_company().name} under scrutiny"
            source = rng.choice(media)
            rows.append(
                Article(
                    title=title[:500],
                    source_name=source,
                    published_on=day,
                    body=body,
                    extracted_text=body,
                    url=f"https://{slugify(source)}.example/{day:%Y/%m/%d}/{slugify(title)[:80]}-{article_index}",
                    content_hash=fingerprint,
                    status=Article.Status.DONE,
                    extractor_version=EXTRACTOR_VERSION,
                    extracted_at=timezone.now(),
                    attempts=1,
                )
            )
        self._avoid_stored_texts(rows, fingerprints)
        return rows, placements

    def _avoid_stored_texts(self, rows: list[Article], fingerprints: set[str]) -> None:
        """An earlier run without --clear may hold the same texts: lengthen ours until they differ."""
        pending = rows
        while pending:
            hashes = [row.content_hash for row in pending]
            stored = set()
            for start in range(0, len(hashes), 900):  # under SQLite's bound-parameter limit
                query = Article.objects.filter(content_hash__in=hashes[start : start + 900])
                stored |= set(query.values_list("content_hash", flat=True))
            pending = [row for row in pending if row.content_hash in stored]
            for row in pending:
                fingerprints.discard(row.content_hash)
                while row.content_hash in stored or row.content_hash in fingerprints:
                    row.body = row.extracted_text = f"{row.body} {self.filler(self.rng.choice(self.ranked).name)}"
                    row.content_hash = text_fingerprint(row.body)
                fingerprints.add(row.content_hash)

    def filler(self, company: str) -> str:
        return self.rng.choice(FILLERS).format(company=company, n=self.rng.randint(1, 12))


def _company_name(rng: random.Random, parent: Company | None) -> str:
    if parent is not None:
        stem = parent.name.rsplit(" ", 1)[0] if parent.name.endswith(NAME_PARTS[2]) else parent.name
        return f"{stem} {rng.choice(SUBSIDIARY_PLACES)}"
    return " ".join(rng.choice(part) for part in NAME_PARTS)


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _actor_label(planned: PlannedAction) -> str:
    if planned.actor is None:
        return planned.actor_name
    name = planned.actor.name
    return f"The {name}" if planned.actor.kind in {"agency", "legislature", "court"} and " " in name else name


def _join_names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _window(rng: random.Random) -> tuple[dt.date, dt.date, str, str]:
    """A date window over 2015–2025 at a random precision, with the phrase an article would use."""
    day = FIRST_DAY + dt.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))
    precision = _weighted(rng, PRECISION_WEIGHTS)
    if precision == "day":
        return day, day, precision, f"on {day:%B} {day.day}, {day.year}"
    if precision == "week":
        monday = max(day - dt.timedelta(days=day.weekday()), FIRST_DAY)
        sunday = min(monday + dt.timedelta(days=6), LAST_DAY)
        return monday, sunday, precision, f"in the week of {monday:%B} {monday.day}, {monday.year}"
    if precision == "month":
        first = day.replace(day=1)
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        return first, last, precision, f"in {day:%B %Y}"
    return day.replace(month=1, day=1), day.replace(month=12, day=31), precision, f"in {day.year}"


def _write_actions(planned: list[PlannedAction], chunk_size: int) -> tuple[int, int, int]:
    """Insert the actions (search text as services.action_refresh_search_text builds it), targets and deadlines."""
    for action in planned:
        start, end, precision, _ = action.window
        search = [action.summary, action.actor.name if action.actor else action.actor_name]
        search += [f"{c.name} {' '.join(c.aliases)}" for c in action.targets]
        action.row = Action(
            action_type=action.action_type,
            actor=action.actor,
            actor_name=action.actor_name[:200],
            occurred_from=start,
            occurred_to=end,
            precision=precision,
            summary=action.summary,
            review_state=action.review_state,
            confidence=action.confidence,
            search_text="\n".join(search + action.sentences),
        )
    Action.objects.bulk_create([a.row for a in planned], batch_size=chunk_size)
    through = Action.targets.through
    targets = through.objects.bulk_create(
        [through(action_id=a.row.pk, company_id=c.pk) for a in planned for c in a.targets], batch_size=chunk_size
    )
    deadlines = Deadline.objects.bulk_create(
        [
            Deadline(action=a.row, due_on=due, what=what, derivation=how)
            for a in planned
            for due, what, how in a.deadlines
        ],
        batch_size=chunk_size,
    )
    return len(planned), len(targets), len(deadlines)


class Command(BaseCommand):
    help = "Fill the database with synthetic articles and actions (for demos and load tests)."

    def add_arguments(self, parser):
        parser.add_argument("--actions", type=int, default=1000)
        parser.add_argument("--articles", type=int, default=200)
        parser.add_argument("--companies", type=int, default=300, help="How many companies the actions target.")
        parser.add_argument("--seed", type=int, default=0, help="Random seed; the same seed gives the same data.")
        parser.add_argument(
            "--clear", action="store_true", help="First delete all articles, actions and non-seeded companies."
        )
        parser.add_argument("--chunk-size", type=int, default=2000)

    def handle(self, *args, actions, articles, companies, seed, clear, chunk_size, **options):
        if min(actions, articles, companies) < 0 or (actions and (articles < 1 or companies < 1)):
            raise CommandError("Actions need at least one article and one company.")
        counts = demo_data_generate(
            actions=actions, articles=articles, companies=companies, seed=seed, clear=clear, chunk_size=chunk_size
        )
        self.stdout.write(
            f"Created {counts.companies_created} companies, {counts.articles} articles, {counts.actions} actions "
            f"({counts.targets} targets, {counts.deadlines} deadlines, {counts.mentions} mentions) in {counts.seconds:.1f} s"
        )
