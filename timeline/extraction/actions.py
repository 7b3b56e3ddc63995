"""Government-action events in one parsed sentence: type, actor, targets, modality.

Promises: `read_events(sentence, entities)` returns one `Event` per predicate that carries a
trigger, typed by `action_types` (the most specific trigger, a `statement` when the act is only
threatened or weighed). The actor is the clause's subject, the agent of a passive, the
possessor of the trigger ("Trump's order") or the speaker above it, with "he", "the
Commission", "the administration" resolved to the last named actor of the fitting kind. A
country acting through a body the sentence names ("India banned ..., the ministry said") is
that body; "EU regulators", "Britain's competition watchdog" are the body the article names or
the gazetteer holds for that union. Companies speaking or suing are no government action. An
event whose subject is a definite action noun ("The move would ...", "That stricter ban ...")
is marked anaphoric: it tells more about an action already told.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from spacy.tokens import Span, Token

from .action_types import action_type as kind_of_act
from .action_types import separate_measure
from .constructions import construction_triggers
from .entities import ActorMention, ArticleEntities
from .lexicon import (
    ANAPHORIC_ACTION_NOUNS,
    COMPANY_DESCRIPTORS,
    SPEECH_LEMMAS,
)
from .targets import TargetPick, event_scope, pick_targets
from .triggers import (
    Trigger,
    agent_of,
    find_triggers,
    group_by_clause,
    speech_verb_above,
    subject_of,
)
from .types import DateWindow, ExtractedDeadline

_OBLIGATION_WORDS = {"must", "should", "required", "ordered", "forced", "instructed", "directed", "told"}
_DEFINITE = {"the", "this", "that", "these", "those"}
_PERSON_PRONOUNS = {"he", "she", "i", "we", "they"}
_SHOUTED_RUN = re.compile(r"\b[A-Z]{2,}\W+[A-Z]{2,}\W+[A-Z]{2,}\W+[A-Z]{2,}\b")
_REGULATOR_NOUNS = {"regulator", "regulators", "watchdog", "watchdogs"}
_BODY_WORDS = {"ministry", "department", "commission", "regulator", "agency", "bureau"}
_SPEAKER_NOUNS = {"spokesperson", "spokesman", "spokeswoman", "executive", "ceo", "founder", "chief"}


@dataclass
class Event:
    sentence: Span
    sentence_index: int
    anchor: Token
    triggers: list[Trigger]
    action_type: str
    actor: str | None
    actor_kind: str
    actor_explicit: bool
    picked: TargetPick
    anaphoric: bool = False
    generic_anaphor: bool = False  # "the move", "this action": may stand for any type
    quote_only: bool = False  # an official's quote naming companies, without a trigger
    separate: bool = False  # a licence extended, third parties obliged: never merged into the main act
    tense: str = "past"
    window: DateWindow | None = None
    date_own: bool = False  # read from the event's own sentence
    date_sure: bool = False  # a release's day or the article's news day, not a vague window
    deadlines: list[ExtractedDeadline] = field(default_factory=list)

    @cached_property
    def shouted(self) -> bool:
        """An all-caps header line: the worst evidence when a body sentence says the same."""
        return bool(_SHOUTED_RUN.search(self.sentence.text))

    @cached_property
    def is_title(self) -> bool:
        """The article's first line when it has no full stop: a headline."""
        return self.sentence.start == 0 and self.sentence.text.rstrip()[-1:] not in {".", "!", "?", '"'}

    @property
    def directive_only(self) -> bool:
        """Only 'ordered it to stop ...': a directive that goes with the decision it is part of."""
        return all(t.token.pos_ == "VERB" and t.token.lemma_ in {"order", "direct", "instruct"} for t in self.triggers)

    @property
    def strong(self) -> bool:
        return any(not t.weak for t in self.triggers)


def read_events(
    sentence: Span, index: int, entities: ArticleEntities, *, quote_may_continue: bool = False
) -> list[Event]:
    """The events of one sentence; with `quote_may_continue`, an official's quote naming companies too."""
    triggers = find_triggers(sentence) + construction_triggers(sentence, entities)
    if not triggers:
        quote = _quote_event(sentence, index, entities) if quote_may_continue else None
        return [quote] if quote else []
    groups = group_by_clause(triggers)
    anchors = [sentence.doc[i] for i in groups]
    events = []
    for anchor_i, group in groups.items():
        anchor = sentence.doc[anchor_i]
        if _company_acts(anchor, entities):
            continue
        actor = _actor(anchor, group, sentence, entities)
        action_type = kind_of_act(group, anchor, actor, sentence, entities)
        if action_type is None:
            continue
        scope = event_scope(anchor, anchors)
        event = Event(
            sentence=sentence,
            sentence_index=index,
            anchor=anchor,
            triggers=group,
            action_type=action_type,
            actor=actor[0].name if actor[0] else None,
            actor_kind=actor[0].kind if actor[0] else "",
            actor_explicit=actor[1],
            picked=pick_targets(sentence, scope, group, entities),
            tense=_tense(anchor),
        )
        event.anaphoric, event.generic_anaphor = _anaphoric(anchor, group)
        event.separate = separate_measure(group, sentence)
        events.append(event)
    return events


# -- triggers that need more than one word to be seen --------------------------------------
def _quote_event(sentence: Span, index: int, entities: ArticleEntities) -> Event | None:
    """'"... companies such as Alibaba, Baidu ...," said Pompeo.' extends Pompeo's statement."""
    for token in sentence:
        if token.lemma_ in SPEECH_LEMMAS and token.pos_ == "VERB":
            speaker = subject_of(token)
            actor = entities.actor_at.get(speaker.i) if speaker is not None else None
            if actor is None:
                continue
            picked = pick_targets(sentence, {t.i for t in sentence}, [], entities)
            if picked.explicit:
                return Event(
                    sentence, index, token, [], "statement", actor.name, actor.kind, True, picked, quote_only=True
                )
    return None


# -- who acts ------------------------------------------------------------------------------
def _company_acts(anchor: Token, entities: ArticleEntities) -> bool:
    """A company speaking, suing or fighting back is no government action."""
    subject = subject_of(anchor)
    if subject is None or subject.dep_ == "nsubjpass":
        return False
    if any(c.dep_ == "auxpass" for c in anchor.children) or anchor.lemma_ == "be":
        return False  # "Google is under investigation" is done to Google
    if (
        subject.head.i != anchor.i
    ):  # a subject borrowed through "and": "... said Apple had breached ..., and ordered it"
        above = speech_verb_above(anchor)
        teller = subject_of(above) if above is not None else None
        if teller is not None and teller.i in entities.actor_at:
            return False
    names_company = subject.i in entities.company_at or (
        subject.lower_ in COMPANY_DESCRIPTORS and any(c.lower_ in _DEFINITE for c in subject.children)
    )
    speaker = subject.lower_ in _SPEAKER_NOUNS and any(c.i in entities.company_at for c in subject.children)
    if subject.lower_ in {"it", "they", "we"}:
        above = speech_verb_above(anchor)
        teller = subject_of(above) if above is not None else None
        names_company = teller is not None and teller.i in entities.company_at
        if above is None:  # "Huawei's revenue jumps as it shrugs off U.S. sanctions"
            names_company = _nearest_name_is_company(subject, entities)
    if not (names_company or speaker):
        return False
    verbs = {anchor.i, subject.head.i}
    obliged = any(
        t.lower_ in _OBLIGATION_WORDS
        for verb in verbs
        for t in anchor.doc[verb].subtree
        if t.i < verb + 3 and (t.head.i in verbs or t.i in verbs)
    )
    return not obliged


def _nearest_name_is_company(pronoun: Token, entities: ArticleEntities) -> bool:
    """Whether the closest company or government named before the pronoun is a company."""
    for i in range(pronoun.i - 1, max(-1, pronoun.i - 40), -1):
        if i in entities.company_at:
            return True
        if i in entities.actor_at:
            return False
    return False


def _actor(
    anchor: Token, group: list[Trigger], sentence: Span, entities: ArticleEntities
) -> tuple[ActorMention | None, bool]:
    """The acting government and whether the sentence names it outright."""
    candidates: list[Token] = []
    subject = subject_of(anchor)
    if subject is not None and subject.dep_ == "nsubj":
        candidates.append(subject)
    agent = agent_of(anchor)
    if agent is not None:
        candidates.append(agent)
    for trigger in group:
        candidates.extend(c for c in trigger.token.children if c.dep_ in {"poss", "compound", "nmod"})
        candidates.extend(  # "a probe by Chinese regulators"
            g for c in trigger.token.children if c.lower_ == "by" for g in c.children if g.dep_ == "pobj"
        )
        agent = agent_of(trigger.token) if trigger.token.pos_ == "VERB" else None
        if agent is not None:
            candidates.append(agent)
    if subject is not None:
        candidates.extend(c for c in subject.children if c.dep_ in {"poss", "compound"})
    speech = speech_verb_above(anchor)
    if speech is not None and subject_of(speech) is not None:
        candidates.append(subject_of(speech))
    for token in candidates:
        found = _actor_at(token, entities)
        if found is not None:
            if found.kind == "country":
                found = _body_of_country(sentence, entities) or found
            return found, token.lower_ not in _PERSON_PRONOUNS | {"it", "they", "its"}
    named = entities.actors_in(sentence.start, sentence.end)
    if named:
        closest = min(named, key=lambda m: abs(m.start - anchor.i))
        return closest, True
    return entities.last_actor(sentence.start, "government") or entities.last_actor(sentence.start, "any"), False


def _body_of_country(sentence: Span, entities: ArticleEntities) -> ActorMention | None:
    """The body acting for a country: "India banned ..., the Ministry of ... said"; the body
    the sentence names, or the named one it calls "the ministry"."""
    bodies = [m for m in entities.actors_in(sentence.start, sentence.end) if m.kind == "agency"]
    if bodies:
        return bodies[0]
    for token in sentence:
        if token.lower_ in _BODY_WORDS and token.pos_ == "NOUN" and token.tag_ == "NN":
            found = entities.resolve_generic_actor(token)
            if found is not None and found.kind == "agency" and len(found.name.split()) > 1:
                return found  # a bare "Ministry" says less than the country
    return None


def _actor_at(token: Token, entities: ArticleEntities) -> ActorMention | None:
    """The actor a noun phrase names, the gazetteer's first when it holds several
    ("the Department of the Treasury's Office of Foreign Assets Control (OFAC)" -> OFAC)."""
    if token.lower_ in _REGULATOR_NOUNS:  # "European Union regulators" are its Commission, not the Union
        described = entities.resolve_generic_actor(token)
        if described is not None and described.kind == "agency":
            return described
    phrase = {token.i}
    for child in token.children:
        if child.dep_ not in {"relcl", "acl", "advcl", "ccomp"}:
            phrase.update(t.i for t in child.subtree)
    inside = entities.actors_in(min(phrase), max(phrase) + 1)
    if token.i in entities.actor_at and entities.actor_at[token.i].known:
        return entities.actor_at[token.i]
    known = [m for m in inside if m.known]
    if known:
        return known[0]
    if token.i in entities.actor_at:
        return entities.actor_at[token.i]
    return entities.resolve_generic_actor(token)


def _anaphoric(anchor: Token, group: list[Trigger]) -> tuple[bool, bool]:
    """Whether the event retells an action already named, and whether its noun is generic."""
    subject = subject_of(anchor)
    if subject is not None and subject.lemma_.lower() in ANAPHORIC_ACTION_NOUNS and _is_definite(subject):
        generic = not any(t.token.i == subject.i for t in group)
        return True, generic
    nouns = [t for t in group if t.token.pos_ in {"NOUN", "PROPN"}]
    if nouns and len(nouns) == len(group) and all(_is_definite(t.token) for t in nouns):
        return True, False
    return False, False


def _is_definite(token: Token) -> bool:
    """'the ban', 'this extension', "Trump's order", 'that stricter ban' (parsed as a mark)."""
    return any(
        (c.lower_ in _DEFINITE and c.i < token.i and c.dep_ in {"det", "mark"}) or c.dep_ == "poss"
        for c in token.children
    )


def _tense(anchor: Token) -> str:
    verbs = [anchor, anchor.head] if anchor.dep_ == "conj" else [anchor]
    auxes = [c for verb in verbs for c in verb.children if c.dep_ in {"aux", "auxpass"}]
    words = {a.lower_ for a in auxes}
    if words & {"must", "should", "can", "may"}:
        return "present"
    if words & {"will", "shall", "'ll"} or anchor.lower_ in {"will", "plans", "intends"}:
        return "future"
    if words & {"has", "have", "'s", "'ve"} and anchor.tag_ == "VBN":
        return "perfect"
    if anchor.tag_ in {"VBZ", "VBP"} or words & {"is", "are", "am"}:
        return "present"
    return "past"
