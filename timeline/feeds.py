"""Placeholder feeds; the timeline issue replaces them."""

from django.contrib.syndication.views import Feed
from django.http import HttpResponse


def deadlines_ics(request):
    return HttpResponse("ics")


class ActionsFeed(Feed):
    title = "Actions"
    link = "/"

    def items(self):
        return []
