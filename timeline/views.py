"""The reading side: the filtered timeline, and one page per action, company and article.

One view and one template serve each page and its htmx fragment: with `HX-Request`
the view renders a named partial of the same template (`timeline/index.html#results`).
"""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import reswap, retarget

from timeline.filters import ActionFilter, is_broad
from timeline.models import Action, Article, Company
from timeline.search import (
    facet_counts,
    group_by_period,
    histogram,
    page_number_from,
    timeline_page,
    upcoming_deadlines,
)

PAGE_SIZE = 25
COMPANY_PAGE_SIZE = 50
LOAD_MORE_TARGET = "load-more"
INSIGHTS_TARGET = "insights"


def is_fragment_request(request: HttpRequest) -> bool:
    """An htmx swap, not a history restore (which wants the whole page back)."""
    return bool(request.htmx) and not request.htmx.history_restore_request


@require_GET
@vary_on_headers("HX-Request", "HX-Target")
def timeline_index(request: HttpRequest) -> TemplateResponse:
    """The timeline page, and its three htmx fragments by target.

    `results` (a filter changed) answers with the page of actions alone, so it comes back at
    once; it then asks for `insights`: the count, the histogram and the facet counts, which
    aggregate the whole filtered set. `load-more` appends the next page.
    """
    filterset = ActionFilter(request.GET)
    number = page_number_from(request.GET.get("page"))
    target = request.htmx.target if is_fragment_request(request) else None
    context = {"filterset": filterset, "today": timezone.localdate()}

    if target == INSIGHTS_TARGET:
        chart = histogram(filterset)
        context.update(chart=chart, total=chart.total, facets=facet_counts(filterset))
        return TemplateResponse(request, "timeline/index.html#insights_fragment", context)
    if target is not None:
        continuing = target == LOAD_MORE_TARGET
        context["page"] = timeline_page(filterset.qs, number=number, size=PAGE_SIZE, continuing=continuing)
        if continuing:
            return TemplateResponse(request, "timeline/index.html#more", context | {"continuing": True})
        # The search box keeps its own text while the person is still typing in it.
        context.update(fragment=True, swap_search=request.htmx.trigger_name != "q")
        return TemplateResponse(request, "timeline/index.html#results", context)

    chart = histogram(filterset)
    context.update(
        chart=chart,
        total=chart.total,
        facets=facet_counts(filterset),
        page=timeline_page(filterset.qs, number=number, size=PAGE_SIZE, total=chart.total),
        upcoming=upcoming_deadlines(today=context["today"]),
    )
    return TemplateResponse(request, "timeline/index.html", context)


@require_GET
def action_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    action = get_object_or_404(Action.objects.for_listing(), pk=pk)
    targets = [(company, company.ancestors()) for company in action.targets.all()]
    return TemplateResponse(
        request,
        "timeline/action_detail.html",
        {"action": action, "targets": targets, "today": timezone.localdate()},
    )


@require_GET
def company_detail(request: HttpRequest, slug: str) -> TemplateResponse:
    company = get_object_or_404(Company.objects.select_related("parent"), slug=slug)
    subsidiaries = list(company.subsidiaries.order_by("name"))
    company_ids = Company.objects.family_ids([company.pk])
    actions = Action.objects.visible().targeting(company_ids, broad=is_broad(company_ids)).newest_first()
    total = actions.count()
    shown = list(actions.for_listing()[:COMPANY_PAGE_SIZE])
    for action in shown:
        # Marked when the company itself is not a target: the action reached it through a subsidiary.
        target_ids = {t.pk for t in action.targets.all()}
        action.via_subsidiaries = [] if company.pk in target_ids else list(action.targets.all())
    return TemplateResponse(
        request,
        "timeline/company_detail.html",
        {
            "company": company,
            "ancestors": company.ancestors(),
            "subsidiaries": subsidiaries,
            "groups": group_by_period(shown),
            "total": total,
            "shown": len(shown),
            "today": timezone.localdate(),
            "company_name": company.name,
        },
    )


@require_GET
@vary_on_headers("HX-Request")
def article_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    article = get_object_or_404(Article, pk=pk)
    mentions = list(article.mentions.select_related("action__actor").order_by("start_char", "id"))
    actions = list({m.action_id: m.action for m in mentions}.values())
    context = {
        "article": article,
        "text": article.extracted_text or article.body,
        "mentions": mentions,
        "actions": actions,
    }
    if is_fragment_request(request):
        if not article.is_settled:
            return TemplateResponse(request, "timeline/article_detail.html#status", context)
        # Extraction finished: replace the whole article section, now with its highlights.
        response = TemplateResponse(request, "timeline/article_detail.html#article", context)
        return reswap(retarget(response, "#article"), "outerHTML")
    return TemplateResponse(request, "timeline/article_detail.html", context)
