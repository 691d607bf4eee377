"""Which rule of each pack a behaviour tag cites: the one place that says so.

A tag found in typed words is scored like the same tag carried by an authored option,
so it must cite the same rules. Bad tags cite the rule they break; good tags cite the
rule they fulfil (a debrief can show both). The mapping follows what the shipped drills
already cite and the categories agreed for the packs: threat, insult, false statement
and disclosure cite each pack's critical rule.

When the packs declare behaviour categories themselves, this table is the thing to
replace by a lookup in them; nothing else in the analyser knows rule ids.
"""

from __future__ import annotations

from types import MappingProxyType

_TABLE: dict[str, dict[str, tuple[str, ...]]] = {
    "cn": {
        "threat": ("CN-THREAT",),
        "insult": ("CN-INSULT",),
        "false_statement": ("CN-FALSE",),
        "disclose_debt": ("CN-THIRD-DISCLOSE",),
        "pressure": ("CN-HARASS",),
        "premature_demand": ("CN-VERIFY",),
        "dismiss_feelings": ("CN-CONSUMER",),
        "blame": ("CN-CONSUMER",),
        "unrealistic_promise": ("CN-FALSE",),
        "identify_self": ("CN-IDENTIFY",),
        "mini_miranda": ("CN-IDENTIFY",),
        "verify_identity": ("CN-VERIFY",),
        "respect_request": ("CN-OBJECTION",),
    },
    "us": {
        # Reg F 1006.14 (threats of harm, abuse) and 1006.18 (threat of action not
        # intended or not lawful): a typed threat may be either, so it cites both.
        "threat": ("US-14", "US-13"),
        "insult": ("US-14",),
        "false_statement": ("US-13",),
        "disclose_debt": ("US-10",),
        "pressure": ("US-15",),
        "premature_demand": ("US-VERIFY",),
        "identify_self": ("US-12",),
        "mini_miranda": ("US-12",),
        "verify_identity": ("US-VERIFY",),
        "respect_request": ("US-06",),
    },
    "uk": {
        "threat": ("UK-HARASS", "UK-07"),
        "insult": ("UK-HARASS",),
        "false_statement": ("UK-07",),
        "disclose_debt": ("UK-06",),
        "pressure": ("UK-05",),
        "premature_demand": ("UK-VERIFY",),
        "dismiss_feelings": ("UK-09",),
        "blame": ("UK-02",),
        "unrealistic_promise": ("UK-04",),
        "verify_identity": ("UK-VERIFY",),
        "offer_plan": ("UK-03",),
        "signpost_advice": ("UK-03",),
    },
}

CITATIONS = MappingProxyType({pack: MappingProxyType(rules) for pack, rules in _TABLE.items()})
"""pack id -> tag -> rule ids the tag cites in that pack."""


def rules_for(pack_id: str, tag: str) -> tuple[str, ...]:
    """The rule ids ``tag`` cites in pack ``pack_id`` (empty when the pack has none)."""
    return CITATIONS.get(pack_id, MappingProxyType({})).get(tag, ())
