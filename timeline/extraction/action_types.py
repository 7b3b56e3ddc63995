"""What kind of act an event is, once its triggers and actor are known.

Promises: `action_type(...)` returns the most specific trigger's type (TYPE_PRECEDENCE), or
None when no trigger names an act here. An order of a commission or ministry is rule-making, a
court's is a ruling; a threat only counts from a government, and a hedged act ("could impose",
"would consider") is a `statement`. An extension or revocation takes the type of the regime its
licence belongs to (export control, sanction, divestment); an entry ban on people is a
sanction. `separate_measure(...)` says whether an event stands beside the act it serves (a
licence extended, third parties obliged to cut a company off) rather than retelling it.
"""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from .constructions import EXPORT_AGENCY
from .entities import ActorMention, ArticleEntities
from .lexicon import HEDGE_LEMMAS, HEDGE_MODALS, TYPE_PRECEDENCE
from .triggers import Trigger, subject_of

_DIRECTIVE_WORDS = re.compile(r"^(?:direct|instruct|order)", re.IGNORECASE)
_COURT_WORDS = re.compile(r"\b(?:court|judge|justices?|tribunal|jury|appeals?)\b", re.IGNORECASE)
_LICENCE = re.compile(r"\b(?:licen[cs]es?|authori[sz]ations?|permits?)\b", re.IGNORECASE)
_DIVEST_CONTEXT = re.compile(r"\b(?:divest|disinvest|CFIUS|Committee on Foreign Investment)", re.IGNORECASE)
_EXPORT_ACTOR = re.compile(r"\b(?:Commerce Department|Department of Commerce|Industry and Security|BIS)\b")
_SANCTIONS_CONTEXT = re.compile(r"\b(?:OFAC|Office of Foreign Assets Control|sanction\w*)\b", re.IGNORECASE)
_PERSON_PRONOUNS = {"he", "she", "i", "we", "they"}


def action_type(
    group: list[Trigger],
    anchor: Token,
    actor: tuple[ActorMention | None, bool],
    sentence: Span,
    entities: ArticleEntities,
) -> str | None:
    mention = actor[0]
    kind = mention.kind if mention else ""
    court_context = kind == "court" or bool(_COURT_WORDS.search(sentence.text))
    types = []
    for trigger in group:
        action_type = trigger.action_type
        constructed = trigger.text in {"should", "must"}
        if action_type == "statement" and not constructed and not _government_speaks(trigger.token, entities):
            continue
        if action_type == "executive_order" and _agency_order(trigger, kind):
            action_type = "regulation"  # an order of a commission or ministry is rule-making
        if action_type == "executive_order" and _DIRECTIVE_WORDS.match(trigger.token.lower_):
            if trigger.token.pos_ == "VERB" and kind == "court":
                action_type = "court_ruling"
            elif trigger.token.pos_ == "VERB" and kind != "head_of_state" and not _order_is_subject(anchor):
                if trigger.token.lemma_ != "order" or kind not in {"agency", "country"}:
                    continue
                action_type = "regulation"  # a regulator's order: "the Fair Trade Commission ordered Google to stop"
        if action_type == "court_ruling" and not court_context:
            continue
        types.append((action_type, trigger))
    if not types:
        return None
    if kind == "court":
        types = [("court_ruling", t) if a not in {"statement", "lawsuit"} else (a, t) for a, t in types]
    central = [(a, t) for a, t in types if not _circumstantial(t.token)]
    types = central or types
    strong = [(a, t) for a, t in types if not t.weak] or types
    best = min(strong, key=lambda pair: TYPE_PRECEDENCE.index(pair[0]))[0]
    if best == "other" and (
        (kind == "agency" and "Committee on Foreign Investment" in (mention.name if mention else ""))
        or _DIVEST_CONTEXT.search(sentence.text)
    ):
        best = "divestment_order"  # an extension granted on a divestment is part of it
    elif best == "other" and any(t.token.lemma_ == "revoke" for _, t in strong) and _LICENCE.search(sentence.text):
        best = "export_control" if EXPORT_AGENCY.search(sentence.text) else "ban"  # "revoked licenses to sell to X"
    elif best == "other" and _LICENCE.search(sentence.text):
        # a licence extended or granted belongs to the regime it relaxes
        if EXPORT_AGENCY.search(sentence.text) or _EXPORT_ACTOR.search(mention.name if mention else ""):
            best = "export_control"
        elif _SANCTIONS_CONTEXT.search(sentence.text):
            best = "sanction"
    if best == "ban" and any(_bars_entry(t.token) for _, t in strong):
        best = "sanction"  # barring named people from entering a country is a sanction
    if best != "statement" and _hedged(strong, anchor):
        return "statement"
    return best


def separate_measure(group: list[Trigger], sentence: Span) -> bool:
    """'OFAC is requiring banks to close X's accounts', 'will extend the Temporary General License':
    measures beside the act they serve, with their own deadlines."""
    lemmas = {t.token.lemma_ for t in group}
    if lemmas <= {"require", "oblige", "compel"}:
        return True
    return lemmas <= {"extend", "extension"} and bool(_LICENCE.search(sentence.text))


def _bars_entry(token: Token) -> bool:
    """'prohibited from entering China', 'banned from entry', 'an entry ban'."""
    entering = any(
        t.lower_ in {"entering", "entry", "visiting"} and (t.head.lower_ == "from" or 0 < t.i - token.i <= 3)
        for t in token.subtree
    )
    before = token.doc[token.i - 1].lower_ if token.i > 0 else ""
    return entering or before in {"entry", "travel"}


def _government_speaks(token: Token, entities: ArticleEntities) -> bool:
    """A threat or warning counts only from a government: not 'any activity that threatens'."""
    if token.pos_ != "VERB":
        return True
    subject = subject_of(token)
    if subject is None:
        return True
    if subject.i in entities.actor_at or subject.lower_ in _PERSON_PRONOUNS:
        return True
    return entities.resolve_generic_actor(subject) is not None and subject.lower_ not in {"it", "its", "they", "their"}


def _circumstantial(token: Token) -> bool:
    """'fines Google ... in first antitrust case': the case is the setting, not the act."""
    return (
        token.pos_ in {"NOUN", "PROPN"}
        and token.dep_ == "pobj"
        and token.head.lower_ in {"in", "for", "over", "amid", "during", "under", "despite"}
    )


def _agency_order(trigger: Trigger, kind: str) -> bool:
    token = trigger.token
    if token.pos_ not in {"NOUN", "PROPN"} or kind in {"head_of_state", ""}:
        return False
    if re.search(r"executive|presidential", trigger.text, re.IGNORECASE):
        return False
    return not any(c.dep_ == "poss" and c.lower_ in {"president", "his", "her"} for c in token.children)


def _order_is_subject(anchor: Token) -> bool:
    subject = subject_of(anchor)
    return subject is not None and subject.lower_ in {"order", "proclamation", "memorandum", "directive"}


def _hedged(group: list[tuple[str, Trigger]], anchor: Token) -> bool:
    """Only threatened, weighed or signalled: 'warned he could impose', 'would consider'."""
    for _, trigger in group:
        node = trigger.token
        while True:
            if node.lemma_ in HEDGE_LEMMAS and node.pos_ == "VERB":
                return True
            for child in node.children:
                if child.dep_ == "aux" and child.lower_ in HEDGE_MODALS and node.pos_ in {"VERB", "AUX"}:
                    subject = subject_of(node)
                    if child.lower_ != "would" or (subject is not None and subject.lower_ in _PERSON_PRONOUNS):
                        return True
            if node.i == anchor.i or node.head.i == node.i:
                break
            node = node.head
    return False
