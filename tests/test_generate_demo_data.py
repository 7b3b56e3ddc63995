"""`manage.py generate_demo_data` creates what it announces, in the shape the timeline expects."""

import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F

from timeline.models import Action, Article, Company, Deadline, Mention
from timeline.seeds import seed_list

pytestmark = pytest.mark.django_db

SMALL = {"actions": 200, "articles": 50, "companies": 30}


def generate(**options) -> str:
    out = io.StringIO()
    call_command("generate_demo_data", stdout=out, **{**SMALL, **options})
    return out.getvalue()


def test_creates_the_numbers_it_is_asked_for():
    """200 actions, 50 articles (all done), every action targets one of 30 companies."""
    output = generate()
    assert Action.objects.count() == 200
    assert Article.objects.count() == 50
    assert set(Article.objects.values_list("status", flat=True)) == {Article.Status.DONE}
    assert Company.objects.filter(actions__isnull=False).distinct().count() <= 30
    assert "200 actions" in output and "50 articles" in output


def test_every_type_is_present_and_windows_are_ordered():
    generate()
    assert set(Action.objects.values_list("action_type", flat=True)) == set(Action.Type.values)
    assert not Action.objects.filter(occurred_from__gt=F("occurred_to")).exists()
    years = {d.year for d in Action.objects.values_list("occurred_from", flat=True)}
    assert min(years) >= 2015 and max(years) <= 2025


def test_a_fifth_of_the_actions_have_deadlines_after_their_window():
    generate()
    with_deadline = Action.objects.filter(deadlines__isnull=False).distinct().count()
    assert with_deadline == 40
    assert not Deadline.objects.filter(due_on__lte=F("action__occurred_to")).exists()


def test_mentions_point_at_their_sentence_in_the_article():
    """1–3 mentions per action, and each offset pair cuts the sentence out of the article text."""
    generate()
    per_action = Counter(Action.objects.annotate(n=Count("mentions")).values_list("n", flat=True))
    assert set(per_action) <= {1, 2, 3}
    for mention in Mention.objects.select_related("article")[:100]:
        assert mention.article.extracted_text[mention.start_char : mention.end_char] == mention.sentence


def test_search_text_holds_summary_actor_targets_and_evidence():
    generate()
    action = Action.objects.exclude(actor=None).prefetch_related("targets", "mentions").first()
    assert action.summary in action.search_text
    assert action.actor.name in action.search_text
    for company in action.targets.all():
        assert company.name in action.search_text
    for mention in action.mentions.all():
        assert mention.sentence in action.search_text


def test_most_actions_are_automatic_with_some_reviewed():
    generate(actions=1000)
    states = Counter(Action.objects.values_list("review_state", flat=True))
    assert states["auto"] > 700
    assert states["confirmed"] > 0 and states["rejected"] > 0


def test_popularity_is_skewed_towards_the_first_companies():
    """Zipf-like: the most targeted company gets many times the median company's share."""
    generate(actions=1000, companies=100)
    counts = sorted(Company.objects.annotate(n=Count("actions")).filter(n__gt=0).values_list("n", flat=True))
    assert counts[-1] >= 8 * counts[len(counts) // 2]


def test_generates_companies_beyond_the_seeded_ones_some_with_parents():
    seeded = len(seed_list("companies"))
    output = generate(companies=seeded + 60)
    new = Company.objects.exclude(slug__in=[entry["slug"] for entry in seed_list("companies")])
    assert new.count() == 60
    assert new.filter(parent__isnull=False).exists()
    assert "Created 60 companies" in output


def test_running_twice_without_clear_adds_and_clear_replaces():
    generate(seed=1)
    generate(seed=1)
    assert Action.objects.count() == 400
    assert Article.objects.count() == 100
    generate(seed=1, clear=True)
    assert Action.objects.count() == 200
    assert Article.objects.count() == 50


def test_the_same_seed_gives_the_same_data():
    generate(seed=7, clear=True)
    first = list(Action.objects.order_by("id").values_list("summary", "occurred_from", "action_type"))
    generate(seed=7, clear=True)
    second = list(Action.objects.order_by("id").values_list("summary", "occurred_from", "action_type"))
    assert first == second


def test_refuses_actions_without_articles():
    with pytest.raises(CommandError):
        generate(articles=0)
