"""Words that signal a government action, and words that change what a signal means.

Promises: `TRIGGER_PATTERN` is one alternation of every trigger, its group tN naming the
action type `TRIGGER_TYPES[N]`; it is only tried where a token starts with one of
`TRIGGER_PREFIXES`. The word sets below are compared with lower-cased token text or lemmas.
Everything is compiled once at import.
"""

from __future__ import annotations

import re

# Order matters only for reading; which type wins in a sentence is TYPE_PRECEDENCE's business.
_TRIGGER_SOURCES: list[tuple[str, str]] = [
    ("executive_order", r"executive\s+orders?|presidential\s+(?:order|memorandum|proclamation|directive|decree)s?"),
    ("executive_order", r"\b(?:orders?|ordered|ordering)\b(?<!in order)(?!\s+(?:to|for)\s+(?:be|the)\b)"),
    ("executive_order", r"\b(?:direct(?:s|ed|ing)?|instruct(?:s|ed|ing)?|proclamation|decree[sd]?)\b"),
    ("ban", r"\b(?:ban(?:s|ned|ning)?|prohibit(?:s|ed|ing|ion|ions)?|outlaw(?:s|ed|ing)?|forb(?:id|ids|ade|idden))\b"),
    (
        "ban",
        r"\b(?:barr?(?:s|ed|ing)?\s+(?:from|\w+\s+from)|block(?:s|ed|ing)?|blacklist(?:s|ed|ing)?|shut(?:s|ting)?\s+down|shutter(?:s|ed)?)\b",
    ),
    (
        "ban",
        r"\b(?:restrict(?:s|ed|ing|ions?)?|prevent(?:s|ed|ing)?|suspend(?:s|ed|ing)?|exclud(?:e|es|ed|ing)\s+\w*\s*from|remov(?:e|ed|al)\s+from)\b",
    ),
    (
        "sanction",
        r"\b(?:sanction(?:s|ed|ing)?|asset\s+freezes?|froze\s+(?:the\s+)?assets|freez(?:e|es|ing)\s+(?:the\s+)?assets|SDN\s+list|specially\s+designated\s+nationals?)\b",
    ),
    (
        "sanction",
        r"\b(?:fined|fines?|penalt(?:y|ies)|penali[sz](?:e|ed|es|ing))\b",
    ),
    (
        "export_control",
        r"\b(?:entity\s+list|export\s+(?:controls?|restrictions?|curbs?|bans?|licen[cs]es?|blacklist)|licen[cs]e\s+requirements?|trade\s+blacklist|unverified\s+list|military\s+end[- ]user\s+list|foreign\s+direct\s+product\s+rule)\b",
    ),
    (
        "divestment_order",
        r"\b(?:divest(?:s|ed|ing|iture|itures|ment|ments)?|disinvest(?:s|ed|ing|ment)?|forced?\s+(?:the\s+)?sale|sell[- ]or[- ]ban|must\s+be\s+sold|unwind(?:s|ing)?\s+(?:the\s+|its\s+)?(?:deal|acquisition|merger|purchase))\b",
    ),
    (
        "investigation",
        r"\b(?:investigat(?:e|es|ed|ing|ion|ions)|probe[sd]?|probing|inquir(?:y|ies)|subpoena(?:s|ed)?|raid(?:s|ed)?)\b",
    ),
    (
        "lawsuit",
        r"\b(?:sue[sd]?|suing|lawsuits?|(?:antitrust|civil|criminal)\s+(?:suit|case|complaint)s?|filed\s+(?:a\s+|an\s+)?(?:\w+\s+)?(?:suit|complaint|case)|indict(?:s|ed|ment|ments)?|(?<!\bon\s)charg(?:ed|es|ing)\b(?!\s+(?:for|per)\b)|prosecut(?:e|es|ed|ing|ion))\b",
    ),
    (
        "court_ruling",
        r"\b(?:rul(?:ed|ing|ings)|upheld|uphold(?:s|ing)?|str(?:uck|ike|ikes)\s+down|enjoin(?:s|ed)?|injunction|verdict|convicted|acquitted|overturn(?:s|ed)?|dismiss(?:ed|es)|sentenced)\b",
    ),
    (
        "regulation",
        r"\b(?:designat(?:e|es|ed|ing|ion|ions)\b[^.;]{0,80}\b(?:national\s+security\s+threats?|gatekeepers?)|gatekeepers?|final(?:ize[sd]?|ized)?\s+(?:a\s+|the\s+)?rules?|(?:proposed|new|final|interim)\s+rules?|rulemaking|regulations?|covered\s+list)\b",
    ),
    ("tariff", r"\b(?:tariffs?|(?:import|anti-?dumping|countervailing|punitive|customs)\s+duties|levies)\b"),
    (
        "legislation",
        r"\b(?:laws?|bills?|legislation|signed\s+into\s+law|enact(?:s|ed|ing)?)\b|(?<=[a-z] )Act\b",
    ),
    (
        "statement",
        r"\b(?:warn(?:s|ed|ing)?|advis(?:e|es|ed|ing)|recommend(?:s|ed|ing)?|caution(?:s|ed)?|threat(?:en|ens|ened|ening)|signal(?:s|ed|led|ing)?|urg(?:e|es|ed|ing)|call(?:s|ed)?\s+on|vow(?:s|ed)?|pledg(?:e|es|ed)|criticiz(?:e|es|ed)|accus(?:e|es|ed)|pressure)\b",
    ),
    ("statement", r"\b(?:looking\s+at|look\s+at|consider(?:s|ed|ing)?|weigh(?:s|ed|ing)?|mull(?:s|ed|ing)?)\b"),
    (
        "other",
        r"\b(?:extend(?:s|ed|ing)?|extensions?|waivers?|reprieve|revok(?:e|es|ed|ing)|approv(?:e|es|ed|al)|"
        r"t(?:ook|ake|akes|aking)\s+control\s+of|seiz(?:e|ed|es|ing)|nationali[sz](?:e|ed|es|ing)|expropriat\w*)\b",
    ),
]
_ALL_SOURCES = [(kind, f"(?-i:{source})" if kind == "legislation" else source) for kind, source in _TRIGGER_SOURCES] + [
    ("legislation", r"\b(?:laws?|bills?|legislation|signed\s+into\s+law|enact(?:s|ed|ing)?)\b"),
]
# One alternation, scanned once per sentence; group tN is the N-th source's type.
TRIGGER_TYPES = [kind for kind, _ in _ALL_SOURCES]
TRIGGER_PATTERN = re.compile(
    "|".join(f"(?P<t{n}>{source})" for n, (_, source) in enumerate(_ALL_SOURCES)), re.IGNORECASE
)


# Every trigger pattern starts where a token starting like this starts: only those are tried.
TRIGGER_PREFIXES = tuple(
    """
    executive presidential order direct instruct proclamation decree ban prohibit outlaw forb bar block
    blacklist shut restrict prevent exclud remov sanction asset froze freez sdn specially ofac fine penal
    entity export licen trade unverified military foreign divest disinvest forc sell must unwind investigat
    probe probing inquir subpoena raid sue suing lawsuit antitrust civil criminal filed indict charg prosecut
    rul upheld uphold struck strik enjoin injunction verdict convict acquit overturn dismiss sentenc designat
    gatekeeper final proposed new interim regulation covered tariff import anti countervailing punitive customs
    levies law bill legislation signed enact act warn threat signal urg call vow pledg critic accus pressure
    look consider weigh mull extend extension waiver reprieve revok suspend approv took take taking seiz
    nationali expropriat advis recommend caution
    """.split()  # noqa: SIM905
)

# When one event carries several triggers, the first type in this list names it.
TYPE_PRECEDENCE = (
    "court_ruling",
    "legislation",
    "divestment_order",
    "executive_order",
    "lawsuit",
    "sanction",
    "export_control",
    "tariff",
    "ban",
    "regulation",
    "investigation",
    "other",
    "statement",
)
# Triggers that name the act only weakly: they need a company in their own clause.
WEAK_TRIGGER_WORDS = {
    "restrict", "restricted", "restricting", "restriction", "restrictions", "prevent", "prevents",
    "prevented", "preventing", "block", "blocks", "blocked", "blocking", "approve", "approved",
    "approval", "approves", "consider", "considers", "considered", "considering", "pressure",
    "direct", "directs", "directed", "directing", "instruct", "instructs", "instructed",
    "suspend", "suspends", "suspended", "suspending",
}  # fmt: skip

# Verbs whose complement is hedged: the action is only threatened or weighed.
HEDGE_LEMMAS = {
    "warn", "threaten", "signal", "consider", "weigh", "mull", "look", "explore", "ponder",
    "suggest", "hint", "urge", "vow", "pledge",
}  # fmt: skip
HEDGE_MODALS = {"could", "might", "may", "would"}
# Verbs that suspend or undo what they govern: "delay the enforcement of a ban" is no ban.
SUSPENDING_LEMMAS = {
    "delay", "postpone", "pause", "suspend", "lift", "halt", "stop", "end", "rescind", "revoke",
    "reverse", "overturn", "challenge", "fight", "appeal", "avoid", "evade", "comply", "extend",
    "determine", "decide", "review", "oppose", "criticize", "survive", "decline", "refuse", "fail",
    "shrug", "weather", "withstand", "circumvent", "dodge", "skirt", "ignore", "recover", "remove", "ease",
}  # fmt: skip
SPEECH_LEMMAS = {
    "say", "tell", "announce", "state", "add", "note", "report", "declare", "confirm",
    "explain", "write", "unveil", "release", "publish", "issue", "ask",
}  # fmt: skip
# Prepositions whose object is a reference or a background event, not the act itself.
BACKGROUND_PREPOSITIONS = {"following", "after", "before", "since", "amid", "despite", "like", "unlike"}
LEGAL_BASIS_WORDS = {"under", "pursuant", "authority", "consistent", "according", "accordance"}

# Nouns that stand for an action already told: "the move", "this action", "the ban".
ANAPHORIC_ACTION_NOUNS = {
    "move", "action", "actions", "plan", "plans", "decision", "measure", "measures", "step",
    "announcement", "order", "orders", "ban", "bans", "prohibition", "rule", "restriction",
    "restrictions", "extension", "designation", "designations", "sanctions", "determination",
    "policy", "law", "directive", "ruling", "tariffs", "probe", "investigation", "lawsuit",
    "complaint", "suit", "case", "filing", "fine", "fines", "penalty", "listing",
}  # fmt: skip
# Nouns that stand for a company already named: "the company", "the app".
COMPANY_DESCRIPTORS = {
    "company", "companies", "firm", "firms", "app", "apps", "platform", "platforms", "group",
    "business", "giant", "maker", "operator", "service", "carrier", "provider", "developer",
    "owner", "subsidiary", "unit", "units", "conglomerate", "retailer", "manufacturer",
    "exchange", "bank", "lender", "insurer", "airline", "automaker", "chipmaker", "startup",
}  # fmt: skip
# Nouns whose "with"/"to" object is a partner or buyer, never a target.
DEAL_NOUNS = {
    "talks", "talk", "negotiations", "deal", "agreement", "partnership", "partner", "partners",
    "arrangement", "contract", "discussions", "merger", "venture", "stake", "bid", "offer",
}  # fmt: skip
BUYING_LEMMAS = {"buy", "acquire", "purchase", "invest", "bid", "partner", "take"}
ACQUIRED_NOUNS = {"acquisition", "purchase", "takeover", "buyout"}

GOVERNMENT_WORDS = re.compile(
    r"\b(?:Department|Ministry|Ministers?|Commission|Court|Agency|Bureau|Office|Administration|"
    r"Congress|Senate|House|Parliament|Council|Authority|Regulator|Tribunal|Government|Treasury|"
    r"Cabinet|Committee|Board|Service|Police|Prosecutors?|Attorney|Customs|Directorate|Inspectorate|"
    r"State|Republic|Kingdom|Union|Federal|National|Judge|Justice)\b"
)
OFFICIAL_TITLES = re.compile(
    r"\b(?:President|Prime\s+Minister|Premier|Chancellor|Secretary|Minister|Commissioner|Judge|"
    r"Justice|Attorney\s+General|Senator|Sen\.|Rep\.|Representative|Governor|Gov\.|Chairman|"
    r"Chairwoman|Chair|Ambassador|Director|Administrator|Spokes(?:man|woman|person))\b"
)
# Words that name a government without naming which one: resolved to the last actor of a kind.
GENERIC_ACTOR_WORDS = {
    "administration": "head_of_state", "white": "head_of_state", "president": "head_of_state",
    "government": "any", "commission": "Commission", "department": "Department",
    "bureau": "Bureau", "committee": "Committee", "agency": "any", "ministry": "Ministry",
    "court": "court", "judge": "court", "regulator": "any", "regulators": "any", "watchdog": "any",
    "prosecutors": "any", "authorities": "any", "officials": "any", "congress": "legislature",
    "lawmakers": "legislature", "senate": "legislature", "parliament": "legislature",
    "senators": "legislature", "legislators": "legislature", "house": "legislature",
}  # fmt: skip
COMPANY_SUFFIX = re.compile(
    r"(?:\b(?:Co\.?,?\s+Ltd\.?|Company\s+Limited|Co\.|Ltd\.?|Limited|Inc\.?|Incorporated|LLC|L\.L\.C\.|"
    r"Corp\.?|Corporation|Company|GmbH|AG|S\.A\.|SA|PLC|plc|N\.V\.|B\.V\.|PJSC|JSC|OJSC|LLP|LP|Pte\.?\s+Ltd\.?|"
    r"OU|O\u00dc|AS|Oy|Oyj|SRL|S\.r\.l\.|SpA|S\.p\.A\.|KG|SAS|SARL|Bhd|FZE|FZCO|DMCC|Pvt\.?\s+Ltd\.?|"
    r"Group|Holdings?|Technologies|Technology|Shipping|Trading|Industries|Bank|Labs?|Systems|Airlines?|"
    r"Energy|Petroleum|Telecom|Electronics|Semiconductor|Pharmaceuticals?|Robotics|Logistics|Capital|"
    r"Partners|Enterprises?)(?!\w))\.?\s*$"
)
COMPANY_PREFIX = re.compile(r"^(?:AO|OOO|PAO|PJSC|JSC|OAO|ZAO|TOO|LLC)\s")
# Governments named by their country or union: "India banned ...", "the EU fined ...".
COUNTRY_NAMES = set(
    """
    Afghanistan Albania Algeria Argentina Armenia Australia Austria Azerbaijan Bahrain Bangladesh Belarus
    Belgium Bolivia Brazil Britain Bulgaria Cambodia Canada Chile China Colombia Croatia Cuba Cyprus Czechia
    Denmark Ecuador Egypt Estonia Ethiopia EU Finland France Georgia Germany Ghana Greece Hungary Iceland India
    Indonesia Iran Iraq Ireland Israel Italy Japan Jordan Kazakhstan Kenya Korea Kuwait Latvia Lebanon
    Lithuania Luxembourg Malaysia Mexico Moldova Mongolia Morocco Myanmar Nepal Netherlands Nigeria Norway Oman
    Pakistan Peru Philippines Poland Portugal Qatar Romania Russia Rwanda Serbia Singapore Slovakia Slovenia
    Spain Sweden Switzerland Syria Taiwan Tanzania Thailand Tunisia Turkey Turkiye Uganda Ukraine UAE UK
    Uruguay US U.S. USA Uzbekistan Venezuela Vietnam Zimbabwe Beijing Moscow Washington Brussels Tokyo Seoul
    Delhi London Paris Berlin Kyiv Tehran Ankara Canberra Ottawa
    """.split()  # noqa: SIM905
) | {
    "United States",
    "United Kingdom",
    "European Union",
    "South Korea",
    "North Korea",
    "Saudi Arabia",
    "South Africa",
    "New Zealand",
    "Hong Kong",
    "New Delhi",
    "the United States",
    "the European Union",
}
DEADLINE_CUE_BEFORE = re.compile(
    r"(?i)\b(?:until|by|beginning|starting|effective|from|as\s+of|no\s+later\s+than|not\s+later\s+than|"
    r"before|deadline(?:\s+of)?|expires?|expiring|ends?|through|take\s+effect|takes\s+effect|"
    r"go\s+into\s+effect|goes\s+into\s+effect|due)\s*(?:on\s+)?$"
)
PAST_EFFECT_BEFORE = re.compile(r"(?i)\b(?:took|went\s+into|came\s+into)\s+(?:effect|force)\s+(?:on\s+)?$")
