"""The domain: articles go in, dated government actions against companies come out.

Reads that filter live here as chainable QuerySet methods, so the timeline page,
its exports and its feeds share one definition of "actions matching a filter".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

# Ownership trees are shallow (group → company → brand); deeper ones would need another level here.
SUBSIDIARY_DEPTH = 4


class CompanyQuerySet(models.QuerySet):
    def family_ids(self, company_ids: Iterable[int]) -> list[int]:
        """These companies and every company below them, down to SUBSIDIARY_DEPTH levels, in one query."""
        ids = list(company_ids)
        condition = Q(id__in=ids)
        path = "parent"
        for _ in range(SUBSIDIARY_DEPTH):
            condition |= Q(**{f"{path}__in": ids})
            path += "__parent"
        return list(self.filter(condition).values_list("id", flat=True))


class Company(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    aliases = models.JSONField(default=list, blank=True, help_text="Other names the press uses, one per entry.")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="subsidiaries")
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2 code.")
    sector = models.CharField(max_length=80, blank=True)
    needs_review = models.BooleanField(
        default=False, help_text="Offered by the extractor as a new company; an editor should check it."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CompanyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "companies"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("company_detail", args=[self.slug])

    def ancestors(self) -> list[Company]:
        chain, seen, node = [], {self.pk}, self.parent
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain


class Actor(models.Model):
    class Kind(models.TextChoices):
        HEAD_OF_STATE = "head_of_state", "Head of state or government"
        OFFICIAL = "official", "Official"
        AGENCY = "agency", "Agency"
        LEGISLATURE = "legislature", "Legislature"
        COURT = "court", "Court"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    aliases = models.JSONField(default=list, blank=True)
    country = models.CharField(max_length=2, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ArticleQuerySet(models.QuerySet):
    def awaiting_extraction(self) -> ArticleQuerySet:
        return self.filter(status=Article.Status.QUEUED)


class Article(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    title = models.CharField(max_length=500)
    source_name = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=2000, blank=True)
    published_on = models.DateField(help_text="Every relative date in the text is read against this day.")
    body = models.TextField(help_text="The readable text of the upload.")
    extracted_text = models.TextField(
        blank=True, editable=False, help_text="The cleaned text that evidence offsets point into."
    )
    original = models.FileField(upload_to="articles/%Y/%m/", blank=True)
    content_hash = models.CharField(
        max_length=64, unique=True, help_text="SHA-256 of the normalized text; the same article twice is refused."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)
    extractor_version = models.CharField(max_length=40, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(
        null=True, blank=True, help_text="When a worker took it; a stale claim means the worker died."
    )
    extracted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-id"]
        indexes = [models.Index(fields=["status", "id"], name="article_status_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("article_detail", args=[self.pk])

    @property
    def is_settled(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}


class ActionQuerySet(models.QuerySet):
    def visible(self) -> ActionQuerySet:
        return self.exclude(review_state=Action.Review.REJECTED)

    def confirmed(self) -> ActionQuerySet:
        return self.filter(review_state__in=[Action.Review.CONFIRMED, Action.Review.EDITED])

    def targeting(self, company_ids: Iterable[int], *, broad: bool = False) -> ActionQuerySet:
        """Actions against any of these companies, without a join or DISTINCT.

        `id IN (their links)` suits a few actions; for a broad choice, EXISTS lets SQLite walk the
        date index and stop at a page, where IN would read and sort every one of, say, 17,000 rows.
        """
        links = Action.targets.through.objects.filter(company_id__in=list(company_ids))
        if broad:
            return self.filter(Exists(links.filter(action_id=OuterRef("pk"))))
        return self.filter(id__in=links.values("action_id"))

    def by_actor(self, actor: Actor) -> ActionQuerySet:
        return self.filter(actor=actor)

    def of_types(self, action_types: Iterable[str]) -> ActionQuerySet:
        return self.filter(action_type__in=list(action_types))

    def between(self, start: dt.date | None, end: dt.date | None) -> ActionQuerySet:
        """Actions whose window overlaps [start, end]; either bound may be open."""
        qs = self
        if start:
            qs = qs.filter(occurred_to__gte=start)
        if end:
            qs = qs.filter(occurred_from__lte=end)
        return qs

    def with_deadline(self) -> ActionQuerySet:
        # EXISTS rather than a join, so no DISTINCT is needed.
        return self.filter(Exists(Deadline.objects.filter(action=OuterRef("pk"))))

    def matching(self, text: str) -> ActionQuerySet:
        """Plain substring search; the PostgreSQL path ranks with full-text search (see search.py)."""
        text = text.strip()
        if not text:
            return self
        return self.filter(Q(search_text__icontains=text))

    def newest_first(self) -> ActionQuerySet:
        return self.order_by("-occurred_from", "-occurred_to", "-id")

    def oldest_first(self) -> ActionQuerySet:
        return self.order_by("occurred_from", "occurred_to", "id")

    def for_listing(self) -> ActionQuerySet:
        """Everything a timeline entry shows, in a constant number of queries, without the long
        texts an entry never shows (search text, article bodies), which were most of a page's cost."""
        mentions = Mention.objects.select_related("article").defer("article__body", "article__extracted_text")
        return (
            self.defer("search_text")
            .select_related("actor")
            .prefetch_related("targets__parent", "deadlines", models.Prefetch("mentions", mentions.order_by("id")))
        )


class Action(models.Model):
    class Type(models.TextChoices):
        EXECUTIVE_ORDER = "executive_order", "Executive order"
        BAN = "ban", "Ban"
        SANCTION = "sanction", "Sanction"
        EXPORT_CONTROL = "export_control", "Export control"
        DIVESTMENT_ORDER = "divestment_order", "Divestment order"
        INVESTIGATION = "investigation", "Investigation"
        LAWSUIT = "lawsuit", "Lawsuit"
        COURT_RULING = "court_ruling", "Court ruling"
        REGULATION = "regulation", "Regulation"
        TARIFF = "tariff", "Tariff"
        LEGISLATION = "legislation", "Legislation"
        STATEMENT = "statement", "Statement"
        OTHER = "other", "Other"

    class Precision(models.TextChoices):
        DAY = "day", "Day"
        WEEK = "week", "Week"
        MONTH = "month", "Month"
        YEAR = "year", "Year"

    class Review(models.TextChoices):
        AUTO = "auto", "Automatic"
        CONFIRMED = "confirmed", "Confirmed"
        EDITED = "edited", "Edited"
        REJECTED = "rejected", "Rejected"

    action_type = models.CharField(max_length=20, choices=Type.choices)
    actor = models.ForeignKey(Actor, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions")
    actor_name = models.CharField(
        max_length=200, blank=True, help_text="The actor as the text names it, when no Actor row matches."
    )
    occurred_from = models.DateField()
    occurred_to = models.DateField()
    precision = models.CharField(max_length=5, choices=Precision.choices, default=Precision.DAY)
    summary = models.CharField(max_length=500)
    targets = models.ManyToManyField(Company, blank=True, related_name="actions")
    review_state = models.CharField(max_length=10, choices=Review.choices, default=Review.AUTO)
    confidence = models.FloatField(default=0.5)
    search_text = models.TextField(blank=True, editable=False, help_text="Summary, actor, targets and evidence.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_from", "-id"]
        indexes = [
            models.Index(fields=["occurred_from", "id"], name="action_from_idx"),
            models.Index(fields=["action_type", "occurred_from", "occurred_to"], name="action_type_window_idx"),
            models.Index(fields=["review_state", "occurred_from"], name="action_review_from_idx"),
            models.Index(fields=["created_at"], name="action_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(occurred_from__lte=models.F("occurred_to")), name="action_window_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.summary

    def get_absolute_url(self) -> str:
        return reverse("action_detail", args=[self.pk])

    @property
    def actor_label(self) -> str:
        return self.actor.name if self.actor else (self.actor_name or "Unknown actor")

    @property
    def is_reviewed(self) -> bool:
        return self.review_state in {self.Review.CONFIRMED, self.Review.EDITED}


class Deadline(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="deadlines")
    due_on = models.DateField()
    what = models.CharField(max_length=300, blank=True)
    derivation = models.CharField(
        max_length=300, blank=True, help_text='How it was worked out: "90 days after 2020-08-14".'
    )

    class Meta:
        ordering = ["due_on"]
        indexes = [models.Index(fields=["due_on"], name="deadline_due_idx")]

    def __str__(self) -> str:
        return f"{self.due_on}: {self.what}"


class Mention(models.Model):
    """The evidence: where an article reports an action."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="mentions")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="mentions")
    sentence = models.TextField()
    start_char = models.PositiveIntegerField()
    end_char = models.PositiveIntegerField()
    date_phrase = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["article__published_on", "start_char"]
        constraints = [models.UniqueConstraint(fields=["action", "article", "start_char"], name="mention_unique_place")]

    def __str__(self) -> str:
        return self.sentence[:80]
