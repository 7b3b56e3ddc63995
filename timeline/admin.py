"""The editors' side: upload articles, review and correct what the extractor found.

Every write goes through services; the admin only gathers input and reports.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from timeline import services
from timeline.forms import ArticleUploadForm
from timeline.models import Action, Actor, Article, Company, Deadline, Mention


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "source_name", "published_on", "status_with_error", "action_count", "extractor_version"]
    list_filter = ["status", "source_name", "extractor_version", ("published_on", admin.DateFieldListFilter)]
    search_fields = ["title", "source_name", "url", "body"]
    date_hierarchy = "published_on"
    actions = ["rerun_extraction"]
    readonly_fields = [
        "public_page",
        "status",
        "error",
        "attempts",
        "extractor_version",
        "extracted_at",
        "action_count",
        "original",
        "body",
    ]
    fields = ["title", "source_name", "url", "published_on", *readonly_fields]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(action_total=Count("mentions__action", distinct=True))

    @admin.display(description="Status", ordering="status")
    def status_with_error(self, article: Article) -> str:
        if article.status == Article.Status.FAILED and article.error:
            return format_html(
                '{}<br><small class="errornote-inline">{}</small>', article.get_status_display(), article.error[:200]
            )
        return article.get_status_display()

    @admin.display(description="Actions", ordering="action_total")
    def action_count(self, article: Article) -> int:
        total = getattr(article, "action_total", None)
        return total if total is not None else article.mentions.values("action").distinct().count()

    @admin.display(description="Public page")
    def public_page(self, article: Article) -> str:
        return format_html('<a href="{}">{}</a>', article.get_absolute_url(), article.get_absolute_url())

    @admin.action(description="Re-run extraction")
    def rerun_extraction(self, request, queryset):
        count = services.articles_enqueue_extraction(articles=list(queryset))
        self.message_user(request, f"Queued {count} article(s) for extraction.", messages.SUCCESS)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "published_on" in form.changed_data:  # relative dates now read differently
            services.article_enqueue_extraction(article=obj)
            self.message_user(request, "The publication date changed; extraction queued again.", messages.INFO)

    def add_view(self, request, form_url="", extra_context=None):
        """Upload instead of the model form: one article from pasted text, or one per file."""
        if not self.has_add_permission(request):
            return self.changeform_view(request, None, form_url, extra_context)  # raises PermissionDenied
        form = ArticleUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid() and (articles := form.save()):
            return self._after_upload(request, articles)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Add articles",
            "form": form,
            "media": self.media + form.media,
            "has_view_permission": self.has_view_permission(request),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/timeline/article/upload.html", context)

    def _after_upload(self, request, articles: list[Article]):
        links = format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            ((reverse("admin:timeline_article_change", args=[a.pk]), a.title) for a in articles),
        )
        self.message_user(
            request,
            format_html("Added {} article(s), extraction queued: {}", len(articles), links),
            messages.SUCCESS,
        )
        if len(articles) == 1:
            return HttpResponseRedirect(reverse("admin:timeline_article_change", args=[articles[0].pk]))
        return HttpResponseRedirect(reverse("admin:timeline_article_changelist"))


class DeadlineInline(admin.TabularInline):
    model = Deadline
    extra = 0
    fields = ["due_on", "what", "derivation"]


class MentionInline(admin.StackedInline):
    model = Mention
    extra = 0
    fields = ["article", "sentence", "date_phrase", "start_char", "end_char"]
    readonly_fields = ["start_char", "end_char"]
    raw_id_fields = ["article"]


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = [
        "summary",
        "action_type",
        "actor_label",
        "target_names",
        "occurred_from",
        "occurred_to",
        "precision",
        "review_state",
        "confidence",
    ]
    list_filter = [
        "action_type",
        "review_state",
        "precision",
        ("actor", admin.RelatedOnlyFieldListFilter),
        ("targets", admin.RelatedOnlyFieldListFilter),
        ("occurred_from", admin.DateFieldListFilter),
    ]
    date_hierarchy = "occurred_from"
    search_fields = ["summary", "actor__name", "actor_name", "targets__name", "targets__aliases"]
    autocomplete_fields = ["actor", "targets"]
    inlines = [DeadlineInline, MentionInline]
    actions = ["confirm", "reject"]
    fields = [
        "summary",
        "action_type",
        "actor",
        "actor_name",
        ("occurred_from", "occurred_to", "precision"),
        "targets",
        "review_state",
        "confidence",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor").prefetch_related("targets")

    @admin.display(description="Targets")
    def target_names(self, action: Action) -> str:
        return ", ".join(company.name for company in action.targets.all())

    @admin.display(description="Actor", ordering="actor__name")
    def actor_label(self, action: Action) -> str:
        return action.actor_label

    @admin.action(description="Confirm selected actions")
    def confirm(self, request, queryset):
        count = services.actions_review(actions=queryset, state=Action.Review.CONFIRMED)
        self.message_user(request, f"Confirmed {count} action(s).", messages.SUCCESS)

    @admin.action(description="Reject selected actions")
    def reject(self, request, queryset):
        count = services.actions_review(actions=queryset, state=Action.Review.REJECTED)
        self.message_user(request, f"Rejected {count} action(s).", messages.SUCCESS)

    def save_model(self, request, obj, form, change):
        # An editor's change protects the action from re-extraction, unless they chose a state themselves.
        if change and form.has_changed() and "review_state" not in form.changed_data:
            obj.review_state = Action.Review.EDITED
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        action = form.instance
        inline_edit = any(formset.has_changed() for formset in formsets)
        if change and inline_edit and not form.has_changed() and action.review_state == Action.Review.AUTO:
            Action.objects.filter(pk=action.pk).update(review_state=Action.Review.EDITED)
        services.action_refresh_search_text(action=action)


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "country", "sector", "needs_review", "action_count", "alias_list"]
    list_filter = ["needs_review", "country", "sector"]
    search_fields = ["name", "aliases", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    actions = ["merge_companies", "mark_reviewed"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("parent").annotate(action_total=Count("actions"))

    @admin.display(description="Actions", ordering="action_total")
    def action_count(self, company: Company) -> int:
        return company.action_total

    @admin.display(description="Aliases")
    def alias_list(self, company: Company) -> str:
        return ", ".join(company.aliases)

    @admin.action(description="Mark as reviewed")
    def mark_reviewed(self, request, queryset):
        count = queryset.update(needs_review=False)
        self.message_user(request, f"{count} company(ies) marked as reviewed.", messages.SUCCESS)

    @admin.action(description="Merge these companies")
    def merge_companies(self, request, queryset):
        """Ask which company to keep (an intermediate page), then fold the others into it."""
        companies = list(queryset.order_by("-action_total", "created_at"))
        if len(companies) < 2:
            self.message_user(request, "Select at least two companies to merge.", messages.WARNING)
            return None
        if request.POST.get("post") == "yes":
            keep = next((c for c in companies if str(c.pk) == request.POST.get("keep")), None)
            if keep is None:
                self.message_user(request, "Choose the company to keep.", messages.ERROR)
            else:
                merged = [c.name for c in companies if c.pk != keep.pk]
                services.companies_merge(keep=keep, merge=[c for c in companies if c.pk != keep.pk])
                self.message_user(request, f"Merged {', '.join(merged)} into {keep.name}.", messages.SUCCESS)
                return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Merge companies",
            "companies": companies,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/timeline/company/merge_confirmation.html", context)


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "aliases"]
    prepopulated_fields = {"slug": ["name"]}
