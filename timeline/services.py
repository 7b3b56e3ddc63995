"""Every write to the domain goes through these functions.

Views, admin actions, tasks and management commands call them and stay thin.
Each is keyword-only and atomic where it saves more than one row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify

from timeline.extraction.types import ExtractedAction, ExtractionResult
from timeline.gazetteer import actor_index, company_index
from timeline.models import Action, Actor, Article, Company, Deadline, Mention

log = logging.getLogger(__name__)

# Two articles may call one order an executive order or a divestment order; other
# types stay apart (a ban and an Entity List listing on the same day are two acts).
TYPE_FAMILY = {
    Action.Type.EXECUTIVE_ORDER: "order",
    Action.Type.DIVESTMENT_ORDER: "order",
}
# An article whose extraction failed (or whose worker died) this often is given up on.
MAX_ATTEMPTS = 3
# Articles per background task: one spaCy pipe batch, small enough to finish well inside a lease.
ENQUEUE_BATCH_SIZE = 16


class DuplicateArticle(Exception):
    """The same text is already stored; `existing` is the first copy."""

    def __init__(self, existing: Article):
        super().__init__(f"This article is already stored as #{existing.pk}: {existing.title}")
        self.existing = existing


def text_fingerprint(text: str) -> str:
    """SHA-256 of the text with case, Unicode forms and white space folded."""
    folded = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def article_find_duplicate(*, text: str) -> Article | None:
    return _article_with_hash(text_fingerprint(text))


def _article_with_hash(content_hash: str) -> Article | None:
    return Article.objects.filter(content_hash=content_hash).first()


def article_ingest(
    *,
    title: str,
    body: str,
    published_on: dt.date,
    source_name: str = "",
    url: str = "",
    original_name: str = "",
    original_bytes: bytes | None = None,
    enqueue: bool = True,
) -> Article:
    """Store a new article as queued and hand its extraction to the background.

    Raises DuplicateArticle when the same text is already stored (checked first,
    and again by the unique index so two simultaneous uploads cannot both win).
    """
    content_hash = text_fingerprint(body)
    if existing := _article_with_hash(content_hash):
        raise DuplicateArticle(existing)
    article = Article(
        title=title.strip()[:500] or "Untitled article",
        body=body,
        published_on=published_on,
        source_name=source_name.strip()[:200],
        url=_web_address(url),
        content_hash=content_hash,
    )
    try:
        with transaction.atomic():
            if original_bytes is not None:
                article.original.save(original_name or "upload.txt", ContentFile(original_bytes), save=False)
            article.save()
    except IntegrityError:
        existing = _article_with_hash(content_hash)
        if existing is None:
            raise
        raise DuplicateArticle(existing) from None
    if enqueue:
        article_enqueue_extraction(article=article)
    return article


def _web_address(url: str) -> str:
    """The URL if it is a valid http(s) address, else nothing (it ends up in a link)."""
    url = url.strip()[:2000]
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return ""
    return url


def article_enqueue_extraction(*, article: Article) -> None:
    """Mark the article queued (a fresh set of attempts) and wake a worker once the row is committed."""
    articles_enqueue_extraction(articles=[article])
    article.status = Article.Status.QUEUED


def articles_enqueue_extraction(*, articles: Iterable[Article]) -> int:
    """Queue these articles for (re-)extraction in batches; returns how many."""
    ids = [a.pk for a in articles]
    Article.objects.filter(pk__in=ids).update(
        status=Article.Status.QUEUED, error="", claimed_at=None, attempts=0, updated_at=timezone.now()
    )
    _enqueue_after_commit(ids)
    return len(ids)


def _enqueue_after_commit(article_ids: Sequence[int]) -> None:
    from timeline.tasks import extract_articles  # tasks import services

    for start in range(0, len(article_ids), ENQUEUE_BATCH_SIZE):
        batch = list(article_ids[start : start + ENQUEUE_BATCH_SIZE])
        transaction.on_commit(lambda batch=batch: extract_articles.enqueue(article_ids=batch))


def article_mark_failed(*, article: Article, error: str) -> None:
    Article.objects.filter(pk=article.pk).update(
        status=Article.Status.FAILED, error=error[:5000], claimed_at=None, updated_at=timezone.now()
    )


def article_store_extraction(*, article: Article, result: ExtractionResult, extractor_version: str) -> list[Action]:
    """Replace the article's automatic actions with this extraction's, in one transaction.

    Actions an editor confirmed or edited keep their place (and their mentions);
    an extracted act that matches an existing action, from this article or another,
    becomes a new mention of it rather than a second action.
    """
    with transaction.atomic():
        _forget_automatic_mentions(article)
        # The name indexes are read once per article, not once per action.
        companies, actors = company_index(), actor_index()
        stored = [
            _store_action(article=article, extracted=extracted, companies=companies, actors=actors)
            for extracted in result.actions
        ]
        Article.objects.filter(pk=article.pk).update(
            status=Article.Status.DONE,
            error="",
            extracted_text=result.text,
            extractor_version=extractor_version,
            extracted_at=timezone.now(),
            claimed_at=None,
            updated_at=timezone.now(),
        )
    return stored


def _forget_automatic_mentions(article: Article) -> None:
    automatic = Mention.objects.filter(article=article, action__review_state=Action.Review.AUTO)
    touched = set(automatic.values_list("action_id", flat=True))
    automatic.delete()
    Action.objects.filter(pk__in=touched, mentions__isnull=True).delete()


def _store_action(
    *, article: Article, extracted: ExtractedAction, companies: dict[str, Company], actors: dict[str, Actor]
) -> Action:
    targets = companies_resolve(names=extracted.targets, new_names=extracted.new_targets, index=companies)
    actor = actors.get((extracted.actor or "").casefold())
    window = extracted.window
    action = _matching_action(extracted, targets, actor)
    if action is None:
        action = Action.objects.create(
            action_type=extracted.action_type,
            actor=actor,
            actor_name="" if actor else (extracted.actor or "")[:200],
            occurred_from=window.start,
            occurred_to=window.end,
            precision=window.precision,
            summary=extracted.summary[:500],
            confidence=extracted.confidence,
        )
        action.targets.set(targets)
    else:
        _narrow_window(action, extracted)
        action.targets.add(*targets)
        if action.actor is None and actor is not None:
            action.actor = actor
        action.confidence = max(action.confidence, extracted.confidence)
        action.save()
    known = set(action.deadlines.values_list("due_on", flat=True))
    Deadline.objects.bulk_create(
        Deadline(action=action, due_on=d.due_on, what=d.what[:300], derivation=d.derivation[:300])
        for d in extracted.deadlines
        if d.due_on not in known
    )
    Mention.objects.get_or_create(
        action=action,
        article=article,
        start_char=extracted.start_char,
        defaults={
            "sentence": extracted.evidence,
            "end_char": extracted.end_char,
            "date_phrase": window.phrase[:200],
        },
    )
    action_refresh_search_text(action=action)
    return action


def _matching_action(extracted: ExtractedAction, targets: Sequence[Company], actor: Actor | None) -> Action | None:
    """An existing action reporting the same act: same type family, a shared target, overlapping
    windows, and the same actor unless one side does not know it or both name the same week."""
    if not targets:
        return None
    family = TYPE_FAMILY.get(extracted.action_type)
    same_family = (
        Q(action_type__in=[t for t, f in TYPE_FAMILY.items() if f == family])
        if family
        else Q(action_type=extracted.action_type)
    )
    slack = dt.timedelta(days=3)
    candidates = (
        Action.objects.exclude(review_state=Action.Review.REJECTED)
        .filter(same_family, targets__in=targets)
        .filter(occurred_from__lte=extracted.window.end + slack, occurred_to__gte=extracted.window.start - slack)
        .distinct()
        .order_by("occurred_to", "id")
    )
    extracted_width = extracted.window.end - extracted.window.start
    week = dt.timedelta(days=7)

    def same_actor(candidate: Action) -> bool:
        if actor is None or candidate.actor_id is None or candidate.actor_id == actor.pk:
            return True
        # Two papers may credit one act to a department or to its bureau: a shared week decides.
        return extracted_width < week and candidate.occurred_to - candidate.occurred_from < week

    # Prefer the most precise candidate: a 'last week' order should join the dated one.
    return min((c for c in candidates if same_actor(c)), key=lambda a: a.occurred_to - a.occurred_from, default=None)


def _narrow_window(action: Action, extracted: ExtractedAction) -> None:
    """A later article that gives the exact day narrows the window; an editor's window stays."""
    if action.review_state == Action.Review.EDITED:
        return
    window = extracted.window
    inside = action.occurred_from <= window.start and window.end <= action.occurred_to
    if inside and (window.end - window.start) < (action.occurred_to - action.occurred_from):
        action.occurred_from, action.occurred_to, action.precision = window.start, window.end, window.precision


def action_refresh_search_text(*, action: Action) -> None:
    parts = [action.summary, action.actor_label]
    parts += [f"{c.name} {' '.join(c.aliases)}" for c in action.targets.all()]
    parts += list(action.mentions.values_list("sentence", flat=True))
    Action.objects.filter(pk=action.pk).update(search_text="\n".join(parts))


def companies_resolve(
    *, names: Iterable[str], new_names: Iterable[str] = (), index: dict[str, Company] | None = None
) -> list[Company]:
    """Companies for these names (canonical or alias); unknown ones are offered as new, needing review."""
    index = company_index() if index is None else index
    found: dict[int, Company] = {}
    for name in dict.fromkeys([*names, *new_names]):
        company = index.get(name) or index.get(name.casefold())
        if company is None:
            company = company_offer(name=name)
        found[company.pk] = company
    return list(found.values())


def company_offer(*, name: str) -> Company:
    """A company the extractor met for the first time, stored for an editor to check."""
    name = " ".join(name.split())[:200]
    if existing := Company.objects.filter(name__iexact=name).first():
        return existing
    base = slugify(name)[:180] or "company"
    slug, n = base, 1
    while Company.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return Company.objects.create(name=name, slug=slug, needs_review=True)


def companies_merge(*, keep: Company, merge: Iterable[Company]) -> Company:
    """Move every reference from `merge` onto `keep`, fold their names into its aliases, delete them."""
    with transaction.atomic():
        for other in merge:
            if other.pk == keep.pk:
                continue
            for action in other.actions.all():
                action.targets.remove(other)
                action.targets.add(keep)
            Company.objects.filter(parent=other).exclude(pk=keep.pk).update(parent=keep)
            if keep.parent_id == other.pk:
                keep.parent = other.parent if other.parent_id != keep.pk else None
            keep.aliases = sorted({*keep.aliases, other.name, *other.aliases} - {keep.name})
            other.delete()
        keep.save()
    return keep


def actions_review(*, actions: Iterable[Action], state: str) -> int:
    """Confirm or reject in bulk; returns how many changed."""
    ids = [a.pk for a in actions]
    return (
        Action.objects.filter(pk__in=ids)
        .exclude(review_state=state)
        .update(review_state=state, updated_at=timezone.now())
    )


# Claims: a worker owns an article while status is running and claimed_at is its
# token. The token doubles as a fence: a worker whose claim was taken over (after
# its lease ran out) finds the token changed and stores nothing.


@dataclass
class Claim:
    token: dt.datetime
    articles: list[Article]


def claim_lease() -> dt.timedelta:
    """How long a claim holds without renewal before another worker may take the article over."""
    seconds = getattr(settings, "ARTICLE_CLAIM_LEASE_SECONDS", None) or os.environ.get(
        "ARTICLE_CLAIM_LEASE_SECONDS", "600"
    )
    return dt.timedelta(seconds=float(seconds))


def _lock_rows(queryset):
    # PostgreSQL: lock the rows and skip those another worker holds. SQLite: the
    # settings open every transaction IMMEDIATE, which already serialises writers.
    if connection.features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True)
    return queryset


def articles_claim(*, article_ids: Iterable[int]) -> Claim:
    """Take the given articles that are queued (or whose claim went stale) and mark them running."""
    now = timezone.now()
    stale = Q(claimed_at__lt=now - claim_lease()) | Q(claimed_at__isnull=True)
    claimable = Q(status=Article.Status.QUEUED) | (Q(status=Article.Status.RUNNING, attempts__lt=MAX_ATTEMPTS) & stale)
    with transaction.atomic():
        ids = list(
            _lock_rows(Article.objects.filter(pk__in=list(article_ids)).filter(claimable)).values_list("pk", flat=True)
        )
        Article.objects.filter(pk__in=ids).update(
            status=Article.Status.RUNNING, claimed_at=now, attempts=F("attempts") + 1, updated_at=now
        )
    return Claim(token=now, articles=list(Article.objects.filter(pk__in=ids).order_by("pk")))


def claim_renew(*, claim: Claim, article_ids: Iterable[int]) -> None:
    """Extend the lease on the articles of this claim not yet finished (those taken over stay lost)."""
    now = timezone.now()
    Article.objects.filter(pk__in=list(article_ids), status=Article.Status.RUNNING, claimed_at=claim.token).update(
        claimed_at=now
    )
    claim.token = now


def _held(claim: Claim, article: Article):
    return _lock_rows(Article.objects.filter(pk=article.pk, status=Article.Status.RUNNING, claimed_at=claim.token))


def article_store_claimed(*, claim: Claim, article: Article, result: ExtractionResult, extractor_version: str) -> bool:
    """Store the extraction if this claim still holds the article; False when it was taken over."""
    with transaction.atomic():
        if not _held(claim, article).exists():
            return False
        article_store_extraction(article=article, result=result, extractor_version=extractor_version)
    return True


def article_record_failure(*, claim: Claim, article: Article, error: str) -> str:
    """After a failed extraction: back to the queue while attempts remain, else failed.

    Returns "retry" (the caller enqueues it again), "failed", or "lost" when the claim was taken over.
    """
    with transaction.atomic():
        row = _held(claim, article).first()
        if row is None:
            return "lost"
        if row.attempts < MAX_ATTEMPTS:
            Article.objects.filter(pk=row.pk).update(
                status=Article.Status.QUEUED,
                claimed_at=None,
                error=f"Attempt {row.attempts} of {MAX_ATTEMPTS} failed, will retry: {error}"[:5000],
                updated_at=timezone.now(),
            )
            return "retry"
        article_mark_failed(article=row, error=error)
        return "failed"


def articles_requeue_stale() -> list[int]:
    """Return articles left running by a dead worker to the queue, and enqueue them.

    A claim is stale once its lease has run out without renewal. An article that
    has already used its attempts is marked failed instead (it may be what kills
    the worker). Returns the ids queued again.
    """
    now = timezone.now()
    with transaction.atomic():
        stale = _lock_rows(
            Article.objects.filter(status=Article.Status.RUNNING).filter(
                Q(claimed_at__lt=now - claim_lease()) | Q(claimed_at__isnull=True)
            )
        )
        rows = list(stale.values_list("pk", "attempts"))
        retry = [pk for pk, attempts in rows if attempts < MAX_ATTEMPTS]
        exhausted = [pk for pk, attempts in rows if attempts >= MAX_ATTEMPTS]
        Article.objects.filter(pk__in=retry).update(status=Article.Status.QUEUED, claimed_at=None, updated_at=now)
        Article.objects.filter(pk__in=exhausted).update(
            status=Article.Status.FAILED,
            claimed_at=None,
            error=f"The worker stopped {MAX_ATTEMPTS} times while extracting this article; giving up.",
            updated_at=now,
        )
        _enqueue_after_commit(retry)
    if rows:
        log.warning("Requeued %d stale articles, gave up on %d", len(retry), len(exhausted))
    return retry


def articles_enqueue_waiting() -> int:
    """Enqueue every queued article again, for when their tasks were lost; the claim makes extra tasks no-ops."""
    ids = list(Article.objects.awaiting_extraction().order_by("pk").values_list("pk", flat=True))
    _enqueue_after_commit(ids)
    return len(ids)
