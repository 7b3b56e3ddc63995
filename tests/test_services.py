"""services.py: storing extractions (merging across articles, keeping editors' work),
refusing duplicates, and the claims that keep two workers off one article."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from timeline import services
from timeline.extraction.types import DateWindow, ExtractedAction, ExtractedDeadline, ExtractionResult
from timeline.models import Action, Article, Company, Mention

pytestmark = pytest.mark.django_db


def extracted(
    action_type="divestment_order",
    start=dt.date(2020, 8, 14),
    end=None,
    precision="day",
    targets=("ByteDance",),
    start_char=0,
    summary="Trump orders ByteDance to divest TikTok",
    deadlines=(),
) -> ExtractedAction:
    return ExtractedAction(
        action_type=action_type,
        actor="Donald Trump",
        window=DateWindow(start, end or start, precision, "on Friday"),
        targets=list(targets),
        evidence=f"Evidence sentence at {start_char}.",
        start_char=start_char,
        end_char=start_char + 30,
        confidence=0.8,
        summary=summary,
        deadlines=list(deadlines),
    )


def article(text="Some article text.", published=dt.date(2020, 8, 16)) -> Article:
    return services.article_ingest(title=text[:40], body=text, published_on=published, enqueue=False)


def store(target: Article, *actions: ExtractedAction) -> list[Action]:
    return services.article_store_extraction(
        article=target, result=ExtractionResult(text=target.body, actions=list(actions)), extractor_version="test-1"
    )


def test_the_same_act_from_two_articles_is_one_action_with_two_mentions_and_the_exact_day_narrows_it():
    weekly = article("Last week Trump ordered ByteDance to sell TikTok.", published=dt.date(2020, 8, 20))
    daily = article("On Friday Trump gave ByteDance 90 days to divest.", published=dt.date(2020, 8, 16))
    store(weekly, extracted(start=dt.date(2020, 8, 9), end=dt.date(2020, 8, 15), precision="week"))
    store(
        daily,
        extracted(
            deadlines=[ExtractedDeadline(dt.date(2020, 11, 12), "divest", "90 days after 2020-08-14")],
            start_char=3,
        ),
    )

    action = Action.objects.get()
    assert (action.occurred_from, action.occurred_to, action.precision) == (
        dt.date(2020, 8, 14),
        dt.date(2020, 8, 14),
        "day",
    )
    assert sorted(action.mentions.values_list("article_id", flat=True)) == sorted([weekly.pk, daily.pk])
    assert list(action.deadlines.values_list("due_on", flat=True)) == [dt.date(2020, 11, 12)]
    assert set(action.targets.values_list("name", flat=True)) == {"ByteDance"}
    assert Article.objects.get(pk=daily.pk).status == Article.Status.DONE


def test_different_acts_or_targets_stay_apart():
    first = article("One.")
    store(first, extracted(), extracted(action_type="lawsuit", targets=("Huawei",), start_char=40, summary="suit"))
    assert Action.objects.count() == 2


def test_rerun_keeps_confirmed_and_edited_actions_and_replaces_automatic_ones():
    target = article("Trump ordered things.")
    kept, edited, automatic = store(
        target,
        extracted(),
        extracted(action_type="lawsuit", targets=("Huawei",), start_char=50, summary="Huawei sued"),
        extracted(action_type="tariff", targets=("ZTE",), start_char=90, summary="ZTE tariff"),
    )
    services.actions_review(actions=[kept], state=Action.Review.CONFIRMED)
    Action.objects.filter(pk=edited.pk).update(review_state=Action.Review.EDITED, summary="Edited by hand")

    store(target, extracted(action_type="sanction", targets=("Tencent",), start_char=10, summary="Tencent sanctioned"))

    assert Action.objects.filter(pk=kept.pk, review_state=Action.Review.CONFIRMED).exists()
    assert Action.objects.get(pk=edited.pk).summary == "Edited by hand"
    assert Mention.objects.filter(action=kept, article=target).count() == 1
    assert not Action.objects.filter(pk=automatic.pk).exists()
    assert Action.objects.filter(summary="Tencent sanctioned").count() == 1


def test_rerun_of_the_same_result_does_not_duplicate_mentions():
    target = article("Again and again.")
    store(target, extracted())
    store(target, extracted())
    assert Action.objects.count() == 1
    assert Mention.objects.count() == 1


def test_duplicate_text_is_refused_with_the_first_copy():
    first = article("The same article text.")
    with pytest.raises(services.DuplicateArticle) as caught:
        article("  the SAME   article text. ")
    assert caught.value.existing == first


def test_duplicate_is_refused_even_when_the_check_loses_a_race(monkeypatch):
    """The unique index catches what the pre-check missed; the caller still gets DuplicateArticle."""
    first = article("Raced article text.")
    real = services._article_with_hash
    calls = []

    def missed_once(content_hash):
        calls.append(content_hash)
        return None if len(calls) == 1 else real(content_hash)

    monkeypatch.setattr(services, "_article_with_hash", missed_once)
    with pytest.raises(services.DuplicateArticle) as caught:
        article("Raced article text.")
    assert caught.value.existing == first
    assert Article.objects.count() == 1


def test_a_claim_takes_queued_articles_once():
    one, two = article("First."), article("Second.")
    first = services.articles_claim(article_ids=[one.pk, two.pk])
    second = services.articles_claim(article_ids=[one.pk, two.pk])
    assert [a.pk for a in first.articles] == [one.pk, two.pk]
    assert second.articles == []
    one.refresh_from_db()
    assert (one.status, one.attempts, one.claimed_at) == (Article.Status.RUNNING, 1, first.token)


def test_a_stale_claim_is_taken_over_and_the_old_worker_is_fenced_out(settings):
    settings.ARTICLE_CLAIM_LEASE_SECONDS = 60
    target = article("Slow one.")
    old = services.articles_claim(article_ids=[target.pk])
    Article.objects.filter(pk=target.pk).update(claimed_at=timezone.now() - dt.timedelta(minutes=5))
    old.token = Article.objects.get(pk=target.pk).claimed_at

    new = services.articles_claim(article_ids=[target.pk])
    assert [a.pk for a in new.articles] == [target.pk]

    result = ExtractionResult(text=target.body, actions=[extracted()])
    assert services.article_store_claimed(claim=old, article=target, result=result, extractor_version="v") is False
    assert Action.objects.count() == 0
    assert services.article_store_claimed(claim=new, article=target, result=result, extractor_version="v") is True
    assert Action.objects.count() == 1


def test_requeue_stale_returns_dead_workers_articles_to_the_queue(settings, django_capture_on_commit_callbacks):
    settings.ARTICLE_CLAIM_LEASE_SECONDS = 60
    fresh, stale, exhausted = article("Fresh."), article("Stale."), article("Exhausted.")
    services.articles_claim(article_ids=[fresh.pk, stale.pk, exhausted.pk])
    long_ago = timezone.now() - dt.timedelta(minutes=5)
    Article.objects.filter(pk=stale.pk).update(claimed_at=long_ago)
    Article.objects.filter(pk=exhausted.pk).update(claimed_at=long_ago, attempts=services.MAX_ATTEMPTS)

    with django_capture_on_commit_callbacks() as callbacks:
        requeued = services.articles_requeue_stale()

    assert requeued == [stale.pk]
    assert len(callbacks) == 1  # one enqueue for the batch
    statuses = dict(Article.objects.values_list("pk", "status"))
    assert statuses == {
        fresh.pk: Article.Status.RUNNING,
        stale.pk: Article.Status.QUEUED,
        exhausted.pk: Article.Status.FAILED,
    }
    assert "worker stopped" in Article.objects.get(pk=exhausted.pk).error


def test_companies_merge_moves_targets_children_and_names():
    keep = Company.objects.get(name="ByteDance")
    offered = services.company_offer(name="Byte Dance Ltd")
    child = Company.objects.create(name="Tiny Sub", slug="tiny-sub", parent=offered)
    target = article("Merge me.")
    (action,) = store(target, extracted())
    action.targets.set([offered])

    services.companies_merge(keep=keep, merge=[offered])

    assert list(action.targets.all()) == [keep]
    assert Company.objects.get(pk=child.pk).parent == keep
    assert "Byte Dance Ltd" in Company.objects.get(pk=keep.pk).aliases
    assert not Company.objects.filter(pk=offered.pk).exists()


def test_enqueue_waiting_wakes_queued_articles_only(django_capture_on_commit_callbacks, monkeypatch):
    from timeline import tasks

    woken = []
    monkeypatch.setattr(tasks, "extract_batch", lambda ids: woken.append(list(ids)) or tasks.BatchOutcome())
    waiting, running = article("Waiting."), article("Running.")
    services.articles_claim(article_ids=[running.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert services.articles_enqueue_waiting() == 1
    assert woken == [[waiting.pk]]
