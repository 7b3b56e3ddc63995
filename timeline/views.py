"""Placeholder views; the timeline issue replaces them."""

from django.http import HttpResponse


def timeline_index(request):
    return HttpResponse("timeline")


def action_detail(request, pk):
    return HttpResponse("action")


def company_detail(request, slug):
    return HttpResponse("company")


def article_detail(request, pk):
    return HttpResponse("article")


def export_csv(request):
    return HttpResponse("csv")


def export_json(request):
    return HttpResponse("json")
