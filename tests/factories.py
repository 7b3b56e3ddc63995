"""Builders for test rows: plain functions with keyword arguments and sensible defaults.

Names carry a counter so they never collide with the companies and actors the
seed migration loads (tests may also use those seeded rows by slug).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from collections.abc import Iterable, Sequence

from django.utils.text import slugify

from timeline.models import Action, Actor, Article, Company, Deadline, Mention
from timeline.services import action_refresh_search_text

_counter = itertools.count(1)


def _next() -> int:
    return next(_counter)


def make_company(
    name: str | None = None, *, parent: Company | None = None, aliases: Sequence[str] = (), **fields
) -> Company:
    name = name or f"Testco {_next()}"
    return Company.objects.create(
        name=name, slug=fields.pop("slug", slugify(name)), parent=parent, aliases=list(aliases), **fields
    )


def make_actor(name: str | None = None, *, kind: str = Actor.Kind.AGENCY, **fields) -> Actor:
    name = name or f"Test Agency {_next()}"
    return Actor.objects.create(name=name, slug=fields.pop("slug", slugify(name)), kind=kind, **fields)


def make_article(
    *,
    title: str | None = None,
    body: str = "The government acted against a company on Friday.",
    extracted_text: str = "",
    source_name: str = "Example News",
    published_on: dt.date = dt.date(2020, 8, 15),
    url: str = "https://news.example.com/story",
    status: str = Article.Status.DONE,
    **fields,
) -> Article:
    title = title or f"Story {_next()}"
    digest = hashlib.sha256(f"{title}\n{body}\n{_next()}".encode()).hexdigest()
    return Article.objects.create(
        title=title,
        body=body,
        extracted_text=extracted_text,
        source_name=source_name,
        published_on=published_on,
        url=url,
        status=status,
        content_hash=digest,
        **fields,
    )


def make_mention(
    action: Action,
    article: Article | None = None,
    *,
    sentence: str | None = None,
    date_phrase: str = "",
    start_char: int | None = None,
) -> Mention:
    """Evidence for the action; by default the sentence is placed in the article's text so offsets hold."""
    article = article or make_article()
    sentence = sentence or f"Officials announced: {action.summary}"
    text = article.extracted_text or article.body
    found = text.find(sentence)
    if start_char is None:
        start_char = found if found >= 0 else len(text) + _next()
    return Mention.objects.create(
        action=action,
        article=article,
        sentence=sentence,
        start_char=start_char,
        end_char=start_char + len(sentence),
        date_phrase=date_phrase,
    )


def make_action(
    *,
    action_type: str = Action.Type.BAN,
    actor: Actor | None = None,
    actor_name: str = "",
    occurred_from: dt.date = dt.date(2020, 8, 14),
    occurred_to: dt.date | None = None,
    precision: str = Action.Precision.DAY,
    summary: str | None = None,
    targets: Iterable[Company] = (),
    review_state: str = Action.Review.AUTO,
    deadlines: Iterable[tuple[dt.date, str, str]] = (),
    mentions: Iterable[Article] = (),
    **fields,
) -> Action:
    """An action with its targets, deadlines (due_on, what, derivation) and one mention per article given."""
    action = Action.objects.create(
        action_type=action_type,
        actor=actor,
        actor_name=actor_name,
        occurred_from=occurred_from,
        occurred_to=occurred_to or occurred_from,
        precision=precision,
        summary=summary or f"Action number {_next()}",
        review_state=review_state,
        **fields,
    )
    action.targets.set(list(targets))
    for due_on, what, derivation in deadlines:
        Deadline.objects.create(action=action, due_on=due_on, what=what, derivation=derivation)
    for article in mentions:
        make_mention(action, article)
    refresh_search_text(action)
    return action


def refresh_search_text(action: Action) -> None:
    """What the ingestion service stores for search, through the service itself."""
    action_refresh_search_text(action=action)
    action.refresh_from_db(fields=["search_text"])


# A small, realistic timeline for screenshots and browser tests: (type, actor slug, target slugs,
# window, precision, summary, evidence sentence, date phrase, source, deadlines as (days after, what, why)).
SHOWCASE = [
    (
        "executive_order",
        "donald-trump",
        ["tiktok", "bytedance"],
        ("2020-08-06", "2020-08-06"),
        "day",
        "Trump signs executive order banning transactions with ByteDance",
        "President Trump on Aug. 6, 2020 signed an executive order banning transactions with ByteDance, TikTok's owner.",
        "Aug. 6, 2020",
        "Reuters",
        [(45, "Transaction ban takes effect", "45 days after the order")],
    ),
    (
        "divestment_order",
        "donald-trump",
        ["bytedance"],
        ("2020-08-14", "2020-08-14"),
        "day",
        "Trump orders ByteDance to divest TikTok's US business",
        "On Aug. 14, 2020, Trump ordered ByteDance to sell TikTok's US operations within 90 days.",
        "Aug. 14, 2020",
        "The Verge",
        [(90, "Divest TikTok US", "90 days after the order")],
    ),
    (
        "lawsuit",
        None,
        ["tiktok"],
        ("2020-08-24", "2020-08-24"),
        "day",
        "TikTok sues the Trump administration over the ban",
        "TikTok sued the administration on Monday, calling the executive order unconstitutional.",
        "on Monday",
        "Associated Press",
        [],
    ),
    (
        "court_ruling",
        "dc-district-court",
        ["tiktok"],
        ("2020-09-27", "2020-09-27"),
        "day",
        "Judge blocks the app-store ban on TikTok",
        "A federal judge late Sunday blocked the Commerce Department's ban on TikTok downloads.",
        "late Sunday",
        "Reuters",
        [],
    ),
    (
        "export_control",
        "bureau-of-industry-and-security",
        ["huawei", "hisilicon"],
        ("2020-08-17", "2020-08-17"),
        "day",
        "Commerce tightens chip export rules for Huawei and its affiliates",
        "The Commerce Department on Monday, Aug. 17, 2020 added 38 Huawei affiliates to the Entity List.",
        "Monday, Aug. 17, 2020",
        "Financial Times",
        [],
    ),
    (
        "ban",
        "government-of-india",
        ["tiktok", "wechat", "uc-browser"],
        ("2020-06-29", "2020-06-29"),
        "day",
        "India bans 59 Chinese apps including TikTok and WeChat",
        "India's government on June 29, 2020 banned 59 apps, including TikTok and WeChat, citing sovereignty.",
        "June 29, 2020",
        "BBC News",
        [],
    ),
    (
        "sanction",
        "office-of-foreign-assets-control",
        ["sberbank", "vtb"],
        ("2022-02-21", "2022-02-27"),
        "week",
        "Treasury sanctions Russia's largest banks",
        "Treasury imposed sanctions on Sberbank and VTB during the week of Feb. 21, 2022.",
        "the week of Feb. 21, 2022",
        "Bloomberg",
        [(30, "Wind-down licence expires", "30 days after the sanctions")],
    ),
    (
        "investigation",
        "federal-trade-commission",
        ["meta"],
        ("2019-07-01", "2019-07-31"),
        "month",
        "FTC opens antitrust investigation into Facebook",
        "The FTC opened an antitrust investigation into Facebook in July 2019, the company disclosed.",
        "July 2019",
        "The Washington Post",
        [],
    ),
    (
        "regulation",
        "european-commission",
        ["apple", "alphabet", "meta"],
        ("2023-09-06", "2023-09-06"),
        "day",
        "EU designates six gatekeepers under the Digital Markets Act",
        "On Sept. 6, 2023 the European Commission designated Apple, Alphabet and Meta as gatekeepers.",
        "Sept. 6, 2023",
        "Politico Europe",
        [(180, "Comply with the DMA", "six months after designation")],
    ),
    (
        "ban",
        "federal-communications-commission",
        ["huawei", "zte"],
        ("2022-11-25", "2022-11-25"),
        "day",
        "FCC bans new Huawei and ZTE telecom equipment",
        "The FCC on Friday, Nov. 25, 2022 banned approvals of new equipment from Huawei and ZTE.",
        "Friday, Nov. 25, 2022",
        "Reuters",
        [],
    ),
    (
        "legislation",
        "congress",
        ["tiktok", "bytedance"],
        ("2024-04-24", "2024-04-24"),
        "day",
        "Congress passes the law forcing a TikTok sale or ban",
        "President Biden signed the divest-or-ban bill into law on April 24, 2024.",
        "April 24, 2024",
        "NPR",
        [(270, "Divest TikTok or face a ban", "270 days after enactment")],
    ),
    (
        "export_control",
        "bureau-of-industry-and-security",
        ["smic"],
        ("2020-12-01", "2020-12-31"),
        "month",
        "SMIC added to the Entity List",
        "The Commerce Department added SMIC to its trade blacklist in December 2020.",
        "December 2020",
        "Nikkei Asia",
        [],
    ),
    (
        "investigation",
        "state-administration-for-market-regulation",
        ["alibaba"],
        ("2020-12-24", "2020-12-24"),
        "day",
        "China opens antitrust probe into Alibaba",
        "Chinese regulators on Dec. 24, 2020 opened an antitrust investigation into Alibaba.",
        "Dec. 24, 2020",
        "South China Morning Post",
        [],
    ),
    (
        "statement",
        "state-department",
        ["kaspersky"],
        ("2019-01-01", "2019-12-31"),
        "year",
        "State Department warns agencies against Kaspersky software",
        "Throughout 2019 the State Department warned agencies about Kaspersky products.",
        "2019",
        "Wired",
        [],
    ),
    (
        "tariff",
        "office-of-the-united-states-trade-representative",
        ["byd"],
        ("2024-05-13", "2024-05-24"),
        "day",
        "US quadruples tariffs on Chinese electric vehicles",
        "Between May 13 and May 24, 2024 the administration raised tariffs on Chinese electric vehicles to 100%.",
        "Between May 13 and May 24, 2024",
        "CNBC",
        [],
    ),
]


def build_showcase(today: dt.date | None = None) -> list[Action]:
    """Load SHOWCASE against the seeded companies and actors; deadlines near today are added so
    the upcoming panel and the countdowns have something to show."""
    from django.utils import timezone

    today = today or timezone.localdate()
    built = []
    for index, row in enumerate(SHOWCASE):
        kind, actor_slug, target_slugs, window, precision, summary, sentence, phrase, source, deadlines = row
        start, end = (dt.date.fromisoformat(day) for day in window)
        body = f"{summary}.\n\n{sentence}\n\nOfficials did not immediately respond to a request for comment."
        article = make_article(
            title=summary,
            body=body,
            extracted_text=body,
            source_name=source,
            published_on=end,
            url=f"https://news.example.com/{slugify(summary)}",
        )
        action = make_action(
            action_type=kind,
            actor=Actor.objects.filter(slug=actor_slug).first() if actor_slug else None,
            actor_name="" if actor_slug else "TikTok",
            occurred_from=start,
            occurred_to=end,
            precision=precision,
            summary=summary,
            targets=Company.objects.filter(slug__in=target_slugs),
            review_state=Action.Review.CONFIRMED if index % 3 == 0 else Action.Review.AUTO,
            deadlines=[(end + dt.timedelta(days=days), what, why) for days, what, why in deadlines],
        )
        make_mention(action, article, sentence=sentence, date_phrase=phrase)
        second = make_article(
            title=f"Follow-up: {summary}",
            body=f"Earlier: {sentence}",
            source_name="Wire Service",
            published_on=end + dt.timedelta(days=1),
            url="javascript:alert(1)",
        )
        make_mention(action, second, sentence=sentence, date_phrase=phrase)
        refresh_search_text(action)
        built.append(action)
    soon = make_action(
        action_type=Action.Type.DIVESTMENT_ORDER,
        actor=Actor.objects.filter(slug="committee-on-foreign-investment-in-the-united-states").first(),
        occurred_from=today - dt.timedelta(days=20),
        summary="CFIUS orders the sale of a stake in a chip designer",
        targets=Company.objects.filter(slug__in=["nexperia"]),
        deadlines=[
            (today + dt.timedelta(days=12), "Complete the sale", "30 days after the order"),
            (today + dt.timedelta(days=70), "Certify compliance", "90 days after the order"),
        ],
    )
    built.append(soon)
    built.append(
        make_action(
            action_type=Action.Type.INVESTIGATION,
            actor=Actor.objects.filter(slug="european-commission").first(),
            occurred_from=today - dt.timedelta(days=3),
            summary="Commission opens a DSA probe into Temu's marketplace",
            targets=Company.objects.filter(slug__in=["temu"]),
            deadlines=[(today + dt.timedelta(days=25), "Reply to the request for information", "within four weeks")],
        )
    )
    return built
