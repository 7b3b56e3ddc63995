"""Background extraction: claim queued articles, run the pipeline over them as one
batch, store each in its own transaction.

A failing article is retried (up to services.MAX_ATTEMPTS) without holding up the
others of its batch; a worker that dies leaves claims that go stale and are taken
over (see services.articles_requeue_stale and the run_worker command).

Test hook: TIMELINE_TEST_EXTRACT_DELAY (seconds, default 0) sleeps before storing
each article, so a test can kill a worker mid-batch. Never set it in production.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from django.tasks import task

from timeline import services
from timeline.extraction import EXTRACTOR_VERSION, extract, extract_many
from timeline.extraction.types import ExtractionResult, Gazetteer
from timeline.gazetteer import gazetteer_current, media_names
from timeline.models import Article

log = logging.getLogger(__name__)

PIPE_BATCH_SIZE = 8


@dataclass
class BatchOutcome:
    done: list[int] = field(default_factory=list)
    retry: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    lost: list[int] = field(default_factory=list)  # taken over by another worker after our lease ran out
    actions_found: int = 0

    def as_json(self) -> dict:
        return {"done": self.done, "retry": self.retry, "failed": self.failed, "lost": self.lost}


@task
def extract_articles(article_ids: list[int]) -> dict:
    """Extract and store these articles; the ones that failed but may try again are enqueued again."""
    outcome = extract_batch(article_ids)
    if outcome.retry:
        services._enqueue_after_commit(outcome.retry)
    return outcome.as_json()


def extract_batch(
    article_ids: Sequence[int], *, on_article: Callable[[Article, str], None] | None = None
) -> BatchOutcome:
    """Claim, extract and store; `on_article(article, outcome)` is told of each one as it settles."""
    outcome = BatchOutcome()
    claim = services.articles_claim(article_ids=article_ids)
    if not claim.articles:
        return outcome
    remaining = {a.pk for a in claim.articles}
    gazetteer, media = gazetteer_current(), media_names()
    for article, result in _extract_each(claim.articles, gazetteer, media):
        _test_delay()
        remaining.discard(article.pk)
        verdict = _settle(claim, article, result, outcome)
        getattr(outcome, verdict).append(article.pk)
        if on_article:
            on_article(article, verdict)
        if remaining:
            services.claim_renew(claim=claim, article_ids=remaining)
    return outcome


def _settle(
    claim: services.Claim, article: Article, result: ExtractionResult | Exception, outcome: BatchOutcome
) -> str:
    if isinstance(result, ExtractionResult):
        try:
            stored = services.article_store_claimed(
                claim=claim, article=article, result=result, extractor_version=EXTRACTOR_VERSION
            )
        except Exception as exc:  # a store that fails must not take the rest of the batch with it
            log.exception("Storing the extraction of article %s failed", article.pk)
            result = exc
        else:
            if stored:
                outcome.actions_found += len(result.actions)
            return "done" if stored else "lost"
    return services.article_record_failure(claim=claim, article=article, error=_describe(result))


def _extract_each(
    articles: list[Article], gazetteer: Gazetteer, media: Sequence[str]
) -> Iterator[tuple[Article, ExtractionResult | Exception]]:
    """Each article with its result or the exception it raised.

    The batch runs through extract_many (one spaCy pipe); if that breaks, the
    rest run one by one so the failure is pinned on the article that caused it.
    """
    done = 0
    try:
        results = iter(
            extract_many(
                ((a.body, a.published_on) for a in articles), gazetteer, media=media, batch_size=PIPE_BATCH_SIZE
            )
        )
        while done < len(articles):
            result = next(results)
            yield articles[done], result
            done += 1
    except StopIteration:
        pass  # fewer results than texts: the rest go one by one
    except Exception:
        log.warning(
            "Batch extraction broke after %d of %d articles; going one by one", done, len(articles), exc_info=True
        )
    for article in articles[done:]:
        try:
            result = extract(article.body, article.published_on, gazetteer, media=media)
        except Exception as exc:  # the pipeline's bugs become this article's error, not the batch's
            log.exception("Extraction of article %s failed", article.pk)
            yield article, exc
        else:
            yield article, result


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"


def _test_delay() -> None:
    if delay := float(os.environ.get("TIMELINE_TEST_EXTRACT_DELAY") or 0):
        time.sleep(delay)
