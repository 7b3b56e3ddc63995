"""Which companies an event is aimed at, and which named companies it is not.

Promises: `pick_targets` returns the companies in an event's own clause except
- media and sources (Reuters, AP, Fox Business);
- buyers and partners: "Microsoft is in talks to buy TikTok", "in talks with Oracle",
  "a deal with X", "sell TikTok to Oracle", "X's bid", and what is acquired ("acquisition of X")
  unless the deal itself is blocked ("blocked X's acquisition of Y" hits X and Y);
- the "Twitter" of "Twitter like platform Weibo", which only describes Weibo;
- app stores: "not available for download in the Apple and Google app stores";
- companies only compared with ("likened its case against A to the case against B" -> A);
- companies in a background phrase that does not hold the trigger ("following his latest
  move against ByteDance");
- the one who merely identifies another: "TikTok's parent company, ByteDance" -> ByteDance,
  "Tencent-owned WeChat" -> WeChat;
and adds owners for "the Chinese owners of TikTok" (TikTok and ByteDance). An organization the
gazetteer does not know counts only with a legal form or as the direct object of the trigger
("sanctions on Kunlun Shipping Company Limited"). With no company named, "its", "it" and
"the company"/"the app" stand for the company last named or the article's topic; a plural
("the two companies", "they") for all companies of the latest sentence naming several; and
"Russia's two largest banks" for the companies a nearby sentence names with the same noun.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from .entities import ArticleEntities, CompanyMention
from .lexicon import ACQUIRED_NOUNS, BUYING_LEMMAS, COMPANY_DESCRIPTORS, DEAL_NOUNS, SPEECH_LEMMAS
from .triggers import Trigger, head_within_clause, in_background_phrase, likeness_label

_STORES_AFTER = re.compile(
    r"^(?:\s*(?:,|and|or)\s*[A-Z][\w.&-]*)*\s*(?:'s\s+)?(?:\w+\s+)?(?:app\s+stores?|play\s+store|stores?|app\s+marketplaces?)\b",
    re.IGNORECASE,
)
_SAYING_LEMMAS = {"say", "tell", "state", "note", "confirm", "explain", "write", "declare"}
_BYSTANDER_NOUNS = {
    "rival", "rivals", "competitor", "competitors", "peer", "peers", "complainant", "complainants",
    "customer", "customers", "client", "clients", "supplier", "suppliers", "advertisers",
}  # fmt: skip
_MEASURE_NOUNS = {
    "turnover", "revenue", "revenues", "sales", "profit", "profits", "shares", "stock", "value",
    "price", "prices", "income", "earnings", "customers", "users", "employees",
}  # fmt: skip
_BLOCKING_LEMMAS = {"block", "prohibit", "ban", "veto", "bar", "reject", "forbid", "stop", "halt", "scupper"}
_OWNER_NOUNS = {"owner", "owners", "parent", "parents", "shareholder", "shareholders"}
_IDENTIFYING_NOUNS = {"parent", "owner", "subsidiary", "unit", "affiliate"}
_POSSESSIVE_PRONOUNS = {"its", "their"}
_OBJECT_PRONOUNS = {"it", "them"}
_ARTICLE_WORDS = {"the", "this", "that", "these", "those"}
# Plural nouns that stand for companies named elsewhere: "the two companies", "its largest banks".
_PLURAL_COMPANY_NOUNS = {
    "companies", "firms", "banks", "lenders", "institutions", "enterprises", "entities", "corporations",
    "businesses", "groups", "operators", "carriers", "makers", "manufacturers", "suppliers", "platforms",
    "apps", "subsidiaries", "affiliates", "exchanges", "insurers", "airlines", "chipmakers", "giants",
}  # fmt: skip
_PLURAL_PRONOUNS = {"they", "them", "their"}
_LOOK_AHEAD_SENTENCES = 6


@dataclass
class TargetPick:
    targets: list[str] = field(default_factory=list)
    new_targets: list[str] = field(default_factory=list)
    explicit: bool = False  # named in the clause, not inferred from a pronoun

    def add(self, name: str, known: bool) -> None:
        if name not in self.targets:
            self.targets.append(name)
            if not known:
                self.new_targets.append(name)


def event_scope(anchor: Token, other_anchors: list[Token]) -> set[int]:
    """Token indices of the anchor's clause without clauses that belong to other events."""
    top = anchor.head if anchor.dep_ in {"amod", "compound", "nmod"} else anchor  # "Trump ordered action" misparsed
    if top.dep_ == "pobj" and top.head.dep_ == "prep" and top.head.head.lemma_ == "be":
        top = top.head.head  # "Among the banned apps is Weibo": the copula names what the act hit
    scope = {t.i for t in top.subtree}
    for other in other_anchors:
        if other.i != anchor.i and other.i in scope:
            scope -= {t.i for t in other.subtree}
    return scope


def pick_targets(sentence: Span, scope: set[int], triggers: list[Trigger], entities: ArticleEntities) -> TargetPick:
    pick = TargetPick()
    trigger_tokens = {t.token.i for t in triggers}
    scope = _without_comparisons(scope, triggers)
    background_ok = any(in_background_phrase(t.token) for t in triggers)
    for mention in entities.companies_in(sentence.start, sentence.end):
        if not any(i in scope for i in range(mention.start, mention.end)):
            continue
        root = sentence.doc[mention.start : mention.end].root
        if not _is_target(mention, root, sentence, trigger_tokens, entities, background_ok):
            continue
        pick.add(mention.name, mention.known)
        pick.explicit = True
        if _named_as_owned(root):
            parent = entities.parents.get(mention.name)
            if parent:
                pick.add(parent, True)
    for token in _pronoun_arguments(sentence, trigger_tokens):
        if not _refers_to_actor(token, sentence, entities):
            name = _antecedent_company(token, sentence, entities)
            if name:
                pick.add(name, True)
    if not pick.targets:
        _add_named_elsewhere(sentence, scope, entities, pick)
    if not pick.targets:
        _add_referred_company(sentence, scope, entities, pick)
    return pick


def _add_named_elsewhere(sentence: Span, scope: set[int], entities: ArticleEntities, pick: TargetPick) -> None:
    """'sanctions on Russia's two largest financial institutions': the companies a later sentence
    names with the same noun ("... financial institutions, Sberbank and VTB"), or "The two
    companies are X and Y" right after; failing that, all companies of the sentence before."""
    plural = next((sentence.doc[i] for i in sorted(scope) if _plural_company_noun(sentence.doc[i])), None)
    if plural is None:
        return
    later = [s for s in sentence.doc.sents if s.start >= sentence.end and _substantive(s)][:_LOOK_AHEAD_SENTENCES]
    for n, other in enumerate(later):
        names = _named_companies(other, entities)
        same_noun = any(t.lower_ == plural.lower_ for t in other)
        if names and (same_noun or (n == 0 and len(names) >= 2)):
            for mention in names:
                pick.add(mention.name, mention.known)
            return
    earlier = [s for s in sentence.doc.sents if s.end <= sentence.start][-2:]
    for other in reversed(earlier):
        names = _named_companies(other, entities)
        if len(names) >= 2:
            for mention in names:
                pick.add(mention.name, mention.known)
            return


def _substantive(sentence: Span) -> bool:
    """A sentence with a few words, not a stray quotation mark or a lone line break."""
    return sum(t.is_alpha for t in sentence) >= 3


def _plural_company_noun(token: Token) -> bool:
    """'two companies', 'the banks', "Russia's largest lenders": counted or definite."""
    if token.lower_ not in _PLURAL_COMPANY_NOUNS or token.tag_ != "NNS":
        return False
    return any(c.dep_ in {"nummod", "poss"} or (c.dep_ == "det" and c.lower_ in _ARTICLE_WORDS) for c in token.children)


def _named_companies(sentence: Span, entities: ArticleEntities) -> list[CompanyMention]:
    return [
        m
        for m in entities.companies_in(sentence.start, sentence.end)
        if not m.weak and not any(entities.is_media(i) for i in range(m.start, m.end))
    ]


_COMPARING_LEMMAS = {"liken", "compare", "equate", "similar", "comparable", "akin", "analogous"}


def _comparison_phrase(token: Token) -> Token | None:
    """The 'to X' of "likened its case to X", "similar to X", or 'like X' holding the token."""
    node = token
    while node.head.i != node.i:
        if node.dep_ == "prep" and likeness_label(node):
            node = node.head
            continue
        if node.dep_ == "prep" and (
            node.lower_ in {"like", "unlike"}
            or (node.lower_ in {"to", "with"} and node.head.lemma_ in _COMPARING_LEMMAS)
        ):
            return node
        node = node.head
    return None


def _without_comparisons(scope: set[int], triggers: list[Trigger]) -> set[int]:
    """An act told through a comparison is about what it compares to; an act told outside one
    is not about what it is compared with ("likened its case against A to the case against B")."""
    doc_tokens = [t.token for t in triggers]
    if not doc_tokens:
        return scope
    inside = [p for p in (_comparison_phrase(t) for t in doc_tokens) if p is not None]
    if inside and len(inside) == len(doc_tokens):
        return scope & {t.i for p in inside for t in p.subtree}
    doc = doc_tokens[0].doc
    phrases = {p.i for p in (_comparison_phrase(doc[i]) for i in scope) if p is not None}
    # "compared with the penalty the Commission imposed on Apple" tells an act of its own
    plain = [doc[i] for i in phrases if not any(t.dep_ in {"nsubj", "nsubjpass"} for t in doc[i].subtree)]
    return scope - {t.i for p in plain for t in p.subtree}


def _pronoun_arguments(sentence: Span, trigger_tokens: set[int]) -> list[Token]:
    """'it must be sold', 'banned it': a pronoun the act falls on directly."""
    found = []
    for i in trigger_tokens:
        for child in sentence.doc[i].children:
            if child.lower_ in _OBJECT_PRONOUNS | {"it"} and child.dep_ in {"nsubjpass", "dobj"}:
                found.append(child)
    return found


def _is_target(
    mention: CompanyMention,
    root: Token,
    sentence: Span,
    trigger_tokens: set[int],
    entities: ArticleEntities,
    background_ok: bool,
) -> bool:
    if any(entities.is_media(i) for i in range(mention.start, mention.end)):
        return False
    if mention.weak and (not _direct_argument(root, trigger_tokens) or root.tag_ == "NNPS" or _title_cased(sentence)):
        return False  # "Treasury Designates Russian Cyber Actors" names no company
    if _is_buyer_or_partner(root, entities) or _is_app_store(mention, sentence):
        return False
    if _speaks(root):
        return False
    following = root.doc[mention.end] if mention.end < len(root.doc) else None
    if following is not None and likeness_label(following):
        return False  # the "Twitter" of "Twitter like platform Weibo" only describes Weibo
    if not background_ok and in_background_phrase(root):
        return False
    return not (_only_identifies(root) or _identifies_child(mention, root, entities))


def _title_cased(sentence: Span) -> bool:
    words = [t for t in sentence if t.is_alpha and len(t) > 3]
    return len(words) >= 3 and sum(t.is_title or t.is_upper for t in words) > 0.8 * len(words)


def _direct_argument(root: Token, trigger_tokens: set[int]) -> bool:
    """'sanctioned X', 'sanctions on X', 'added X to the Entity List', 'X was fined'."""
    node = root
    while node.dep_ == "conj" and node.head.i != node.i:
        node = node.head
    head = node.head
    if node.dep_ in {"dobj", "nsubjpass", "dative", "appos"} and (head.i in trigger_tokens or head.pos_ == "VERB"):
        return head.i in trigger_tokens or any(c.i in trigger_tokens for c in head.children)
    if node.dep_ == "pobj" and head.lower_ in {"on", "against", "to"}:
        return head.head.i in trigger_tokens
    return False


def _is_buyer_or_partner(root: Token, entities: ArticleEntities) -> bool:
    node = root
    while node.dep_ in {"conj", "appos", "compound"} and node.head.i != node.i:
        node = node.head
    head = node.head
    if node.dep_ == "nsubj" and head.lemma_ in BUYING_LEMMAS:
        return True
    if (
        node.dep_ == "nsubj"
        and head.lemma_ == "be"
        and any(c.dep_ == "prep" and any(g.lower_ in DEAL_NOUNS for g in c.children) for c in head.children)
    ):
        return True  # "Microsoft is in talks to buy ..."
    if _among_rivals(node):
        return True
    if node.dep_ == "poss" and head.lower_ in {"bid", "offer", "proposal", "stake", "talks"}:
        return True  # "Oracle's bid": a buyer
    if node.dep_ == "pobj" and head.lower_ in {"with", "to", "by"}:
        governor = head.head
        if head.lower_ == "with" and governor.lower_ in DEAL_NOUNS and governor.pos_ in {"NOUN", "PROPN"}:
            return True
        sold = [c for c in governor.children if c.dep_ == "dobj" and c.i in entities.company_at]
        if head.lower_ == "to" and governor.lemma_ in {"sell", "sale", "transfer"} and sold:
            return True  # "sell TikTok to Oracle", not "sell chips to Huawei"
        if head.lower_ == "by" and governor.lower_ in ACQUIRED_NOUNS:
            return True
    if node.dep_ == "pobj" and head.lower_ in {"of", "for"} and _blocked_deal(head.head):
        return False  # "blocked X's acquisition of Y": a deal stopped hits both parties
    # "acquisition of Musical.ly", "5% of the turnover of Alphabet"
    return node.dep_ == "pobj" and head.lower_ == "of" and head.head.lower_ in ACQUIRED_NOUNS | _MEASURE_NOUNS


def _blocked_deal(noun: Token) -> bool:
    """'block the acquisition', 'blocked the $69 billion deal', 'the takeover was prohibited'."""
    if noun.lower_ not in ACQUIRED_NOUNS | {"deal", "merger", "acquisitions", "mergers", "deals"}:
        return False
    return noun.dep_ in {"dobj", "nsubjpass"} and noun.head.lemma_ in _BLOCKING_LEMMAS


def _among_rivals(node: Token) -> bool:
    """'rivals such as Spotify', 'competitors including Yelp': bystanders, not targets."""
    return head_within_clause(node, _BYSTANDER_NOUNS, steps=3)


def _is_app_store(mention: CompanyMention, sentence: Span) -> bool:
    doc = sentence.doc
    following = doc[mention.end : min(sentence.end, mention.end + 12)]
    after = doc[mention.end - 1].whitespace_ + following.text
    return "store" in after.lower() and bool(_STORES_AFTER.match(after))


def _speaks(root: Token) -> bool:
    """The company is the one talking: 'Kaspersky said', 'a TikTok spokesperson said'."""
    node = root
    if node.dep_ == "compound" and node.head.lower_ in {"spokesperson", "spokesman", "spokeswoman", "executive", "ceo"}:
        node = node.head
    verb = node.head
    if node.dep_ != "nsubj" or verb.lemma_ not in SPEECH_LEMMAS:
        return False
    return verb.lemma_ in _SAYING_LEMMAS or any(c.dep_ in {"ccomp", "parataxis"} for c in verb.children)


def _only_identifies(root: Token) -> bool:
    """'TikTok's parent company, ByteDance': TikTok names whose parent is meant."""
    head = root.head
    if root.dep_ == "poss" and (
        head.lower_ in _IDENTIFYING_NOUNS or any(c.lower_ in _IDENTIFYING_NOUNS for c in head.children)
    ):
        return any(child.dep_ == "appos" for child in head.children)
    return root.dep_ == "npadvmod" and head.lower_ in {"owned", "backed", "controlled"}  # "Tencent-owned WeChat"


def _identifies_child(mention: CompanyMention, root: Token, entities: ArticleEntities) -> bool:
    """ "Alphabet's Google", "ByteDance's TikTok": the parent only says whose the company is."""
    doc = root.doc
    after = mention.end
    if after + 1 >= len(doc) or doc[after].lower_ not in {"'s", "'"}:
        return False
    owned = entities.company_at.get(after + 1)
    return owned is not None and entities.parents.get(owned.name) == mention.name


def _named_as_owned(root: Token) -> bool:
    """'the Chinese owners of TikTok': the owner is meant as much as the app."""
    node = root
    while node.dep_ == "conj" and node.head.i != node.i:
        node = node.head
        if node.lower_ in _OWNER_NOUNS:
            return True  # "the owners of TikTok and the messaging app WeChat", parsed as owners + WeChat
    return node.dep_ == "pobj" and node.head.lower_ == "of" and node.head.head.lower_ in _OWNER_NOUNS


def _add_referred_company(sentence: Span, scope: set[int], entities: ArticleEntities, pick: TargetPick) -> None:
    """'its main antivirus product', 'the company should ensure': the company meant."""
    for i in sorted(scope):
        token = sentence.doc[i]
        is_pronoun = token.lower_ in _POSSESSIVE_PRONOUNS or (
            token.lower_ in _OBJECT_PRONOUNS and token.dep_ in {"dobj", "pobj", "nsubjpass"}
        )
        is_descriptor = (
            token.lower_ in COMPANY_DESCRIPTORS
            and token.pos_ == "NOUN"
            and any(c.lower_ in _ARTICLE_WORDS for c in token.children)
        )
        if not (is_pronoun or is_descriptor):
            continue
        if is_pronoun and _refers_to_actor(token, sentence, entities):
            continue
        if token.lower_ in _PLURAL_PRONOUNS or _plural_company_noun(token):
            several = _latest_several(sentence, entities)
            if several:
                for mention in several:
                    pick.add(mention.name, mention.known)
                return
        name = _antecedent_company(token, sentence, entities)
        if name:
            pick.add(name, True)
            return


def _latest_several(sentence: Span, entities: ArticleEntities) -> list[CompanyMention]:
    """The companies of the latest earlier sentence that names two or more: what "they" and
    "the two companies" stand for."""
    earlier = [s for s in sentence.doc.sents if s.end <= sentence.start][-3:]
    for other in reversed(earlier):
        names = _named_companies(other, entities)
        if names:
            distinct = {m.name for m in names}
            return names if len(distinct) >= 2 else []
    return []


def _refers_to_actor(pronoun: Token, sentence: Span, entities: ArticleEntities) -> bool:
    """'the Commission said it would fine' - the pronoun is the government itself."""
    if pronoun.lower_ in _POSSESSIVE_PRONOUNS and pronoun.head.dep_ in {"dobj", "pobj"}:
        return False  # an agency does not act against its own products
    for i in range(pronoun.i - 1, sentence.start - 1, -1):
        if i in entities.company_at:
            return False
        if i in entities.actor_at:
            return True
    return False


def _antecedent_company(token: Token, sentence: Span, entities: ArticleEntities) -> str | None:
    for i in range(token.i - 1, sentence.start - 1, -1):
        mention = entities.company_at.get(i)
        if mention and mention.known and not entities.is_media(i):
            return mention.name
    earlier = [m for m in entities.companies if m.known and m.start < sentence.start]
    recent_start = max(0, sentence.start - 80)
    recent = [m for m in earlier if m.start >= recent_start]
    topic = entities.topic_company(sentence.start)
    if recent and topic not in {m.name for m in recent}:
        return recent[-1].name
    return topic
