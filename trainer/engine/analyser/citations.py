"""Which rule of each pack a behaviour tag cites: the one place that says so.

A tag found in typed words is scored like the same tag carried by an authored option,
so it must cite the same rules. Tags that belong to a behaviour category
(``[categories.*]`` in ``scenarios/roleplay/tags.toml``: threat, insult, false statement,
disclosure, ...) cite the first rule the pack lists for that category, its primary
rule; that is where each pack says what such a behaviour breaks, so it is read from
there and never repeated here. The table below covers only the tags outside any
category: bad tags cite the rule they break, good tags the rule they fulfil, following
what the shipped drills cite. Nothing else in the analyser knows rule ids.
"""

from __future__ import annotations

from types import MappingProxyType

_TABLE: dict[str, dict[str, tuple[str, ...]]] = {
    "cn": {
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
        "pressure": ("US-15",),
        "premature_demand": ("US-VERIFY",),
        "identify_self": ("US-12",),
        "mini_miranda": ("US-12",),
        "verify_identity": ("US-VERIFY",),
        "respect_request": ("US-06",),
    },
    "uk": {
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
"""pack id -> tag -> rule ids, for tags outside the behaviour categories."""


def rules_for(pack_id: str, tag: str) -> tuple[str, ...]:
    """The rule ids ``tag`` cites in pack ``pack_id`` (empty when the pack has none)."""
    from sim.rules import load_rule_pack
    from trainer.engine.tags import load_tags

    for category in load_tags().categories_of((tag,)):
        judged = load_rule_pack(pack_id).category_rules(category)
        if judged is not None and judged.rules:
            return (judged.rules[0],)
    return CITATIONS.get(pack_id, MappingProxyType({})).get(tag, ())
