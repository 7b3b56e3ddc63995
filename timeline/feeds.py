"""Feeds for following the timeline elsewhere: an iCalendar file of deadlines and an Atom
feed of newly found actions. Both take the timeline's query parameters.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.views.decorators.http import require_GET
from icalendar import Calendar, Event

from timeline.filters import ActionFilter
from timeline.models import Action, Deadline
from timeline.templatetags.timeline_display import window_label

FEED_SIZE = 50
CALENDAR_LIMIT = 5000


def deadline_title(deadline: Deadline) -> str:
    """'TikTok, WeChat: divestment due' — who is affected and what falls due."""
    companies = ", ".join(c.name for c in deadline.action.targets.all()) or deadline.action.actor_label
    what = deadline.what or f"{deadline.action.get_action_type_display()} deadline"
    return f"{companies}: {what}"


def deadlines_calendar(deadlines: list[Deadline], request: HttpRequest) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Policy Action Timeline//Deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Policy action deadlines")
    host = request.get_host().split(":")[0] or "timeline"
    for deadline in deadlines:
        action = deadline.action
        event = Event()
        event.add("uid", f"deadline-{deadline.pk}@{host}")
        event.add("dtstamp", action.updated_at)
        event.add("dtstart", deadline.due_on)
        event.add("dtend", deadline.due_on + dt.timedelta(days=1))
        event.add("summary", deadline_title(deadline))
        details = [action.summary, f"{action.get_action_type_display()} by {action.actor_label}"]
        if deadline.derivation:
            details.append(f"Due {deadline.derivation}.")
        event.add("description", "\n".join(details))
        event.add("url", request.build_absolute_uri(action.get_absolute_url()))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar


@require_GET
def deadlines_ics(request: HttpRequest) -> HttpResponse:
    actions = ActionFilter(request.GET).qs.order_by()
    deadlines = list(
        Deadline.objects.filter(action_id__in=actions.values("id"))
        .select_related("action__actor")
        .prefetch_related("action__targets")
        .order_by("due_on", "id")[:CALENDAR_LIMIT]
    )
    response = HttpResponse(
        deadlines_calendar(deadlines, request).to_ical(), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="deadlines.ics"'
    return response


class ActionsFeed(Feed):
    """Newly found actions, newest first, narrowed by the timeline's query parameters."""

    feed_type = Atom1Feed
    title = "Policy actions"
    subtitle = "Government actions against companies, as they are found in the news."

    def get_object(self, request: HttpRequest, *args, **kwargs) -> ActionFilter:
        return ActionFilter(request.GET)

    def link(self, filterset: ActionFilter) -> str:
        query = filterset.data.urlencode()
        return reverse("timeline_index") + (f"?{query}" if query else "")

    def items(self, filterset: ActionFilter) -> list[Action]:
        return list(
            filterset.qs.order_by("-created_at", "-id").select_related("actor").prefetch_related("targets")[:FEED_SIZE]
        )

    def item_title(self, action: Action) -> str:
        return f"{action.get_action_type_display()}: {action.summary}"

    def item_description(self, action: Action) -> str:
        # Atom marks the summary as HTML, which readers render: the text must arrive escaped.
        targets = ", ".join(c.name for c in action.targets.all()) or "no company named"
        return escape(
            f"{window_label(action.occurred_from, action.occurred_to)} · {action.actor_label} · {targets}\n"
            f"{action.summary}"
        )

    def item_pubdate(self, action: Action) -> dt.datetime:
        return action.created_at

    def item_updateddate(self, action: Action) -> dt.datetime:
        return action.updated_at

    def item_author_name(self, action: Action) -> str:
        return action.actor_label

    def item_categories(self, action: Action) -> list[str]:
        return [action.get_action_type_display()]


# The public side answers GET (and HEAD) only, like every other read-only view.
actions_feed = require_GET(ActionsFeed())
