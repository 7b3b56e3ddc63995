"""Triggers that take more than one word to see.

Promises: `construction_triggers(sentence, entities)` adds
- export_control for a listing verb ("added", "will list") in a sentence about the Commerce
  Department or BIS;
- sanction for a designation in a sentence about OFAC, the Treasury or sanctions;
- for "added to / placed on / inclusion on <a list>": export_control when the list is an
  export list (Entity List, Unverified List, trade blacklist), else sanction (an unreliable
  entity list, the SDN list, an investment blacklist);
- sanction (ban outside a sanctions context) for a government requiring others to close, cut
  off or reject a company's accounts or business;
- statement for an official who says a company "should" or "must" do something.
"""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from .entities import ArticleEntities
from .lexicon import COMPANY_DESCRIPTORS
from .triggers import Trigger, speech_verb_above, subject_of

EXPORT_AGENCY = re.compile(r"\b(?:Commerce|Industry and Security|BIS)\b")
_SANCTIONS_AGENCY = re.compile(r"\b(?:OFAC|Office of Foreign Assets Control|Treasury|SDN|sanctions?)\b", re.IGNORECASE)
_LISTING_LEMMAS = {"add", "list", "place", "put"}
# "added to / placed on / inclusion on <a named list>": a listing under any government's list.
_LISTING_WORDS = {"add", "addition", "place", "placement", "put", "include", "inclusion", "listing", "designate"}
_LIST_NOUNS = {"list", "blacklist", "lists", "blacklists", "registry"}
_EXPORT_LIST = re.compile(r"(?i)\b(?:entity|unverified|end[- ]users?|trade|export)\b")
_DEFINITE = {"the", "this", "that", "these", "those"}
_CUTTING_OFF_LEMMAS = {
    "close", "cut", "reject", "block", "freeze", "terminate", "sever", "stop", "end", "divest", "remove",
}  # fmt: skip


def construction_triggers(sentence: Span, entities: ArticleEntities) -> list[Trigger]:
    """Acts that no single word names: an Entity List listing, an OFAC designation, a
    government telling a company what it should do."""
    found = []
    exporting = bool(EXPORT_AGENCY.search(sentence.text))
    sanctioning = bool(_SANCTIONS_AGENCY.search(sentence.text))
    for token in sentence:
        if sanctioning and token.lemma_ in {"designate", "designation"} and token.pos_ in {"VERB", "NOUN"}:
            found.append(Trigger("sanction", token, token.text))  # an OFAC designation is a sanction
        named_list = _named_list(token)
        if named_list is not None:
            kind = "export_control" if _EXPORT_LIST.search(named_list) else "sanction"
            found.append(Trigger(kind, token, token.text))
            continue
        listing = exporting and token.pos_ == "VERB" and token.lemma_ in _LISTING_LEMMAS
        if listing and any(c.dep_ in {"dobj", "nsubjpass"} for c in token.children):
            found.append(Trigger("export_control", token, token.text))
        if _requires_cutting_off(token, entities):
            found.append(Trigger("sanction" if sanctioning else "ban", token, token.text))
        if token.lower_ in {"should", "must"} and token.dep_ == "aux":
            verb = token.head
            subject = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            speech = speech_verb_above(verb)
            if subject is not None and speech is not None and _names_company(subject, entities):
                speaker = subject_of(speech)
                if speaker is not None and speaker.i in entities.actor_at:
                    found.append(Trigger("statement", verb, token.text))
    return found


def _requires_cutting_off(token: Token, entities: ArticleEntities) -> bool:
    """'OFAC is requiring U.S. banks to close any Sberbank accounts': a government obliging
    others to cut a company off acts against that company."""
    if token.lemma_ not in {"require", "oblige", "compel"} or token.pos_ != "VERB":
        return False
    subject = subject_of(token)
    if subject is None or subject.dep_ != "nsubj" or subject.i not in entities.actor_at:
        return False
    done = [c for c in token.children if c.dep_ in {"xcomp", "ccomp"} and c.lemma_ in _CUTTING_OFF_LEMMAS]
    return bool(done)


def _named_list(token: Token) -> str | None:
    """The list a listing word puts something on: 'placed on a Defense Department blacklist'."""
    if token.lemma_.lower() not in _LISTING_WORDS or token.pos_ not in {"VERB", "NOUN"}:
        return None
    for prep in token.subtree:
        if prep.dep_ != "prep" or prep.lower_ not in {"to", "on", "onto"}:
            continue
        if _verb_between(prep, token):
            continue  # the list belongs to another clause
        for noun in prep.children:
            if noun.dep_ == "pobj" and noun.lower_ in _LIST_NOUNS:
                return token.doc[noun.left_edge.i : noun.i + 1].text
    return None


def _verb_between(token: Token, top: Token) -> bool:
    """Whether a verb lies on the way up from `token` to `top` ("inclusion of two companies on
    its list" hangs the list off the object, which is fine)."""
    node = token.head
    while node.i != top.i and node.head.i != node.i:
        if node.pos_ in {"VERB", "AUX"}:
            return True
        node = node.head
    return False


def _names_company(token: Token, entities: ArticleEntities) -> bool:
    if token.i in entities.company_at:
        return True
    return token.lower_ in COMPANY_DESCRIPTORS and any(c.lower_ in _DEFINITE for c in token.children)
