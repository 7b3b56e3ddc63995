"""Mentions of one act gathered into one action.

Promises: `merge_events(events)` walks the events in article order and returns `Draft`s:
- an anaphoric event ("The move would ...", "that stricter ban") joins the latest action it
  can stand for and brings its deadlines and any new targets;
- an official's quote that only names companies joins that official's statement just before;
- a separate measure (banks obliged to close X's accounts, a licence extended) stays apart;
- two events of one type family (an executive order and the divestment it orders count as
  one family) with overlapping targets and compatible dates are one action;
- a statement that only announces an act told in full elsewhere on the same day (its own date
  or the article's news day) is dropped;
- "The ban will go into effect Sunday" about a law only named inside another act ("upheld a
  law banning X") is an act of its own, dated and due that day;
- events left with no company target are dropped.
The evidence kept is the best-dated, most explicit mention.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .actions import Event
from .entities import normalized_company
from .lexicon import TYPE_PRECEDENCE
from .types import DateWindow, ExtractedDeadline

_LAW_NOUNS = {"law", "act", "bill", "statute", "legislation"}
_FAMILIES = {"executive_order": "order", "divestment_order": "order"}


def family(action_type: str) -> str:
    return _FAMILIES.get(action_type, action_type)


@dataclass
class Draft:
    action_type: str
    events: list[Event]
    targets: list[str] = field(default_factory=list)
    new_targets: list[str] = field(default_factory=list)
    deadlines: list[ExtractedDeadline] = field(default_factory=list)

    @property
    def main(self) -> Event:
        return max(self.events, key=_evidence_score)

    @property
    def window(self) -> DateWindow:
        dated = [e for e in self.events if e.date_own and e.window] or [e for e in self.events if e.date_sure]
        chosen = max(dated, key=_evidence_score) if dated else self.events[0]
        return chosen.window

    @property
    def date_own(self) -> bool:
        return any(e.date_own for e in self.events)

    @property
    def actor(self) -> str | None:
        explicit = [e for e in self.events if e.actor and e.actor_explicit]
        return (max(explicit, key=_evidence_score) if explicit else self.events[0]).actor

    def absorb(self, event: Event) -> None:
        self.events.append(event)
        more_specific = TYPE_PRECEDENCE.index(event.action_type) < TYPE_PRECEDENCE.index(self.action_type)
        if more_specific and not event.anaphoric and event.action_type != "statement":
            self.action_type = event.action_type
        self.add_targets(event)
        self.add_deadlines(event.deadlines)

    def add_targets(self, event: Event) -> None:
        for name in event.picked.targets:
            if name not in self.targets:
                self.targets.append(name)
                if name in event.picked.new_targets:
                    self.new_targets.append(name)

    def add_deadlines(self, deadlines: list[ExtractedDeadline]) -> None:
        for deadline in deadlines:
            if all(abs((d.due_on - deadline.due_on).days) > 1 for d in self.deadlines):
                self.deadlines.append(deadline)


def _evidence_score(event: Event) -> tuple:
    return (
        not event.shouted and not event.is_title,
        event.date_own,
        not event.anaphoric and not event.quote_only,
        event.strong,
        event.actor_explicit,
        event.picked.explicit,
        -event.sentence_index,
    )


def _share_targets(a: list[str], b: list[str]) -> bool:
    """Overlapping targets, counting "Garantex Europe OU" and "Garantex" as one."""
    if set(a) & set(b):
        return True
    for x in a:
        for y in b:
            short, long = sorted((normalized_company(x).split(), normalized_company(y).split()), key=len)
            if short and long[: len(short)] == short:
                return True
    return False


def _windows_compatible(a: Event | Draft, b: Event) -> bool:
    wa, wb = a.window, b.window
    if wa is None or wb is None:
        return True
    if not (a.date_own and b.date_own):
        return wa.start <= wb.end and wb.start <= wa.end
    if wa.precision == "day" and wb.precision == "day":
        return abs((wa.start - wb.start).days) <= 1
    return wa.start == wb.start and wa.end == wb.end


DeadlineReader = Callable[[Event, DateWindow], list[ExtractedDeadline]]


def merge_events(events: list[Event], read_deadlines: DeadlineReader) -> list[Draft]:
    """Drafts in article order; `read_deadlines` reads an event's deadlines against a window."""
    drafts: list[Draft] = []
    for event in events:
        if event.quote_only:
            _join_statement(drafts, event)
            continue
        if event.anaphoric and _join_antecedent(drafts, event, read_deadlines):
            continue
        if event.anaphoric and _takes_effect_separately(drafts, event, read_deadlines):
            continue
        if not event.picked.targets:
            continue
        event.deadlines = read_deadlines(event, event.window)
        same = next(
            (
                d
                for d in reversed(drafts)
                if (family(d.action_type) == family(event.action_type) or _goes_with(event, d))
                and not event.separate
                and _share_targets(d.targets, event.picked.targets)
                and _windows_compatible(d, event)
            ),
            None,
        )
        if same is not None:
            same.absorb(event)
            continue
        draft = Draft(event.action_type, [event])
        draft.add_targets(event)
        draft.add_deadlines(event.deadlines)
        drafts.append(draft)
    return _drop_announcing_statements(drafts)


def _goes_with(event: Event, draft: Draft) -> bool:
    """A regulator's 'and ordered it to stop within 60 days' belongs to its fine of that day."""
    return event.directive_only and draft.action_type != "statement"


def _join_statement(drafts: list[Draft], event: Event) -> None:
    for draft in reversed(drafts[-3:]):
        last = draft.events[-1]
        if (
            draft.action_type == "statement"
            and draft.actor == event.actor
            and event.sentence_index - last.sentence_index <= 2
        ):
            draft.events.append(event)
            draft.add_targets(event)
            return


def _join_antecedent(drafts: list[Draft], event: Event, read_deadlines: DeadlineReader) -> bool:
    for draft in reversed(drafts):
        if draft.action_type == "statement" and event.action_type != "statement":
            continue
        if event.date_own and not _windows_compatible(draft, event):
            continue  # "The President's August 6 Order" is not the August 14 one
        fits = event.generic_anaphor or family(draft.action_type) == family(event.action_type)
        overlaps = not event.picked.targets or _share_targets(event.picked.targets, draft.targets)
        if fits and overlaps:
            event.window = draft.window
            event.date_own = False
            draft.events.append(event)
            draft.add_targets(event)
            draft.add_deadlines(read_deadlines(event, draft.window))
            return True
    return False


def _takes_effect_separately(drafts: list[Draft], event: Event, read_deadlines: DeadlineReader) -> bool:
    """'The ban will go into effect Sunday' after 'the court upheld a law banning X': the law
    only named inside another act is an act of its own, dated by the day it takes effect."""
    for draft in reversed(drafts):
        inner = [t for e in draft.events for t in e.triggers if family(t.action_type) == family(event.action_type)]
        if not inner or family(draft.action_type) == family(event.action_type):
            continue
        deadlines = read_deadlines(event, event.window)
        if not deadlines:
            return False
        due = deadlines[0].due_on
        event.window = DateWindow(due, due, "day", deadlines[0].what)
        event.date_own = True
        made_by_law = any(t.token.head.lower_ in _LAW_NOUNS for t in inner)
        lawmaker = next((e for d in reversed(drafts) for e in d.events if e.actor_kind == "legislature"), None)
        if made_by_law and lawmaker is not None:
            event.actor, event.actor_kind = lawmaker.actor, lawmaker.actor_kind
        new = Draft("legislation" if made_by_law else event.action_type, [event])
        new.targets = list(draft.targets)
        new.add_deadlines(deadlines)
        drafts.append(new)
        return True
    return False


def _drop_announcing_statements(drafts: list[Draft]) -> list[Draft]:
    kept = []
    for draft in drafts:
        if draft.action_type == "statement" and any(
            other is not draft
            and other.action_type != "statement"
            and set(draft.targets) <= set(other.targets)
            and other.window.start <= draft.window.end
            and draft.window.start <= other.window.end
            and (other.date_own or any(e.date_sure for e in other.events))
            for other in drafts
        ):
            continue
        kept.append(draft)
    return kept
