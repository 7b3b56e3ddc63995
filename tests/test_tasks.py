"""The extraction task: claims, bounded retries, and one bad article never sinking its batch.

The pipeline is replaced by a fake here so failures can be placed exactly; the
admin and import tests run the real one.
"""

from __future__ import annotations

import datetime as dt

import pytest

from timeline import services, tasks
from timeline.extraction.types import DateWindow, ExtractedAction, ExtractionResult
from timeline.models import Action, Article

pytestmark = pytest.mark.django_db

POISON = "POISON"


def fake_result(text: str) -> ExtractionResult:
    if POISON in text:
        raise RuntimeError("the pipeline choked on this one")
    action = ExtractedAction(
        action_type="sanction",
        actor="Donald Trump",
        window=DateWindow(dt.date(2020, 8, 14), dt.date(2020, 8, 14), "day", "on Friday"),
        targets=[text.split()[0]],
        evidence=text,
        start_char=0,
        end_char=len(text),
        confidence=0.9,
        summary=f"{text.split()[0]} sanctioned",
    )
    return ExtractionResult(text=text, actions=[action])


@pytest.fixture
def fake_pipeline(monkeypatch):
    """extract_many dies at the first poisoned text, like a broken spaCy batch; extract fails only on it."""
    calls = {"many": 0, "one": []}

    def extract_many(items, gazetteer, *, media=(), batch_size=32):
        calls["many"] += 1
        for text, _published in items:
            yield fake_result(text)

    def extract(text, published, gazetteer, *, media=()):
        calls["one"].append(text)
        return fake_result(text)

    monkeypatch.setattr(tasks, "extract_many", extract_many)
    monkeypatch.setattr(tasks, "extract", extract)
    return calls


def queued(*texts: str) -> list[Article]:
    return [services.article_ingest(title=t, body=t, published_on=dt.date(2020, 8, 16), enqueue=False) for t in texts]


def test_a_batch_stores_every_article_once(fake_pipeline):
    articles = queued("Huawei is sanctioned.", "ZTE is sanctioned.")
    outcome = tasks.extract_batch([a.pk for a in articles])
    assert outcome.done == [a.pk for a in articles]
    assert outcome.actions_found == 2
    assert set(Article.objects.values_list("status", flat=True)) == {Article.Status.DONE}
    assert Action.objects.count() == 2
    assert tasks.extract_batch([a.pk for a in articles]).done == []  # nothing left to claim


def test_one_bad_article_does_not_sink_the_batch(fake_pipeline):
    good1, bad, good2 = queued("Huawei is sanctioned.", f"{POISON} pill.", "ZTE is sanctioned.")
    outcome = tasks.extract_batch([good1.pk, bad.pk, good2.pk])
    assert outcome.done == [good1.pk, good2.pk]
    assert outcome.retry == [bad.pk]
    assert fake_pipeline["one"] == [f"{POISON} pill.", "ZTE is sanctioned."]  # the rest went one by one
    bad.refresh_from_db()
    assert bad.status == Article.Status.QUEUED
    assert "Attempt 1 of 3 failed" in bad.error and "choked" in bad.error


def test_retries_are_bounded_and_end_failed_with_the_error(fake_pipeline, django_capture_on_commit_callbacks):
    (bad,) = queued(f"{POISON} again.")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.article_enqueue_extraction(article=bad)
    bad.refresh_from_db()
    assert bad.status == Article.Status.FAILED
    assert bad.attempts == services.MAX_ATTEMPTS == 3
    assert bad.error == "RuntimeError: the pipeline choked on this one"
    assert len(callbacks) == 3  # the first enqueue and two retries, then no more


def test_a_failure_while_storing_is_that_articles_failure(fake_pipeline, monkeypatch):
    good, unlucky = queued("Huawei is sanctioned.", "Tencent is sanctioned.")
    real_store = services.article_store_extraction

    def store(*, article, result, extractor_version):
        if article.pk == unlucky.pk:
            raise ValueError("disk full")
        return real_store(article=article, result=result, extractor_version=extractor_version)

    monkeypatch.setattr(services, "article_store_extraction", store)
    outcome = tasks.extract_batch([unlucky.pk, good.pk])
    assert outcome.done == [good.pk] and outcome.retry == [unlucky.pk]
    assert "ValueError: disk full" in Article.objects.get(pk=unlucky.pk).error


def test_the_task_enqueues_retries_and_reports(fake_pipeline, django_capture_on_commit_callbacks):
    good, bad = queued("Huawei is sanctioned.", f"{POISON} pill.")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = tasks.extract_articles.call(article_ids=[good.pk, bad.pk])
    assert report == {"done": [good.pk], "retry": [bad.pk], "failed": [], "lost": []}
    assert len(callbacks) == 1


def test_the_test_delay_hook_is_off_by_default(monkeypatch):
    slept = []
    monkeypatch.setattr(tasks.time, "sleep", slept.append)
    monkeypatch.delenv("TIMELINE_TEST_EXTRACT_DELAY", raising=False)
    tasks._test_delay()
    monkeypatch.setenv("TIMELINE_TEST_EXTRACT_DELAY", "0.25")
    tasks._test_delay()
    assert slept == [0.25]
