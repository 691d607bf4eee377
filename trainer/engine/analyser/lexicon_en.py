# ruff: noqa: E501 -- lexicon regexes read best unbroken; Chinese counts double width
"""English conduct lexicon: cues for each behaviour tag, on folded (lower-case) text.

Written from the training split of ``scenarios/utterances/`` and from how collectors
actually talk (US and UK usage); the held-out split only measures it.
"""

from __future__ import annotations

import re

from trainer.engine.analyser.patterns import Cue, Language

THIRD = (
    r"(?:employer|boss|work|workplace|job|office|colleagues?|co-?workers?|family|wife|husband|"
    r"partner|mother|mom|mum|father|dad|parents?|kids|children|relatives|friends|neighbou?rs|"
    r"references?|contacts|church|everyone|everybody|social media|facebook|manager|hr)"
)
IF = (
    r"(?:if you (?:don't|do not|keep|won't|can't|refuse|hang up|ignore|miss|complain|stop|"
    r"haven't)|unless|otherwise|keep (?:dodging|ignoring|avoiding)|one more|pay (?:up|today|now) or|"
    r"if nothing|if (?:this|it) (?:isn't|is not|hasn't)|or else|or we'll|or we will|or i'll)"
)
DEBT = (
    r"(?:owes?|owed|debts?|overdue|unpaid|behind on|outstanding|in collections|loans?|balance|"
    r"defaulted|past due|arrears|payments)"
)
RELATIVE = (
    r"(?:son|daughter|husband|wife|partner|dad|father|mom|mum|mother|brother|sister|roommate|"
    r"flatmate|tenant|friend|colleague|employee)"
)
LAWFUL = (
    r"(?:written notice|may consider|as the rules require|a judge would|we can't|lawful|"
    r"legally entitled|accurately|told in writing)"
)
WHEN = (
    r"(?:\$\s?\d|£\s?\d|\d+(?:st|nd|rd|th)|monday|tuesday|wednesday|thursday|friday|saturday|"
    r"sunday|tomorrow|end of the month|next week|payday)"
)

CUES: tuple[Cue, ...] = (
    # ------------------------------------------------------------------ threat
    Cue("threat", IF + r"[^.?!]{0,40}?(?:we'll|we will|i'll|i will|we're going to|we are going to|"
        r"going to|have to|no choice but to|be|we're)[^.?!]{0,15}?(?P<core>call|calling|contact|"
        r"contacting|tell|telling|let|inform|ring|ringing|visit|show up|knock|knocking|post|posting|"
        r"send someone|come)[^.?!]{0,30}?" + THIRD, negatable=True),
    Cue("threat", r"(?:your |the )?" + THIRD + r"[^.?!]{0,25}?(?P<core>find out|hear about|hears about|"
        r"know what you owe|learn about)", negatable=True),
    Cue("threat", r"(?P<core>let|tell)\s(?:your|everyone|everybody|all)[^.?!]{0,30}(?:know|hear)",
        negatable=True),
    Cue("threat", r"(?P<core>send someone|show up|come (?:round|around|to your)|knocking on your door|"
        r"knock on your door|visit you|turn up at)", negatable=True),
    Cue("threat", r"(?P<core>call|calling|contact|contacting|ring|ringing|text|message)\s(?:everyone|"
        r"everybody|anyone|all)[^.?!]{0,12}(?:contacts|phone|friends|family)", negatable=True),
    Cue("threat", r"you'll regret|watch (?:yourself|your back|out)|you'd better|get ugly|"
        r"know where you (?:live|work)|make your life (?:very )?(?:difficult|hell|miserable)|"
        r"don't make me|you don't want this to|what your neighbou?rs will (?:say|think)|"
        r"before (?:this|things) get (?:ugly|worse)|or else"),
    Cue("threat", IF + r"[^.?!]{0,40}?(?P<core>sue|suing|lawsuit|court|arrest|arrested|jail|prison|"
        r"police|garnish|take your (?:wages|house|car|home)|seize|bailiffs?)", negatable=True,
        unless=LAWFUL),
    Cue("threat", r"(?P<core>have you arrested|get you arrested|put you in jail|send you to jail|"
        r"lock you up|throw you in)", negatable=True),
    Cue("threat", r"if you complain[^.]{0,30}(?:i'll|we'll|i will|we will)"),
    Cue("threat", r"(?P<core>post|share|put)[^.?!]{0,20}(?:social media|facebook|online|internet)",
        negatable=True),
    Cue("threat", r"make sure (?:everyone|everybody|the whole)[^.?!]{0,30}(?:hears?|knows?|finds? out)"),
    # ------------------------------------------------------------------ insult
    Cue("insult", r"\b(?P<core>deadbeats?|losers?|cheat|stupid|idiots?|morons?|freeloaders?|pathetic|"
        r"useless|scammers?|scum|disgrace|brat|leech|clowns?|liar|waste of (?:my )?(?:time|space|oxygen)|"
        r"joke of a person|fool|dumb|worthless|parasites?|bum|lowlife|trash|garbage|shut up|"
        r"scroungers?|spongers?|good[- ]for[- ]nothing)\b", negatable=True,
        unless=r"scam calls|pretending to be us|beware"),
    # ------------------------------------------------------------------ false statement
    Cue("false_statement", r"(?P<core>\bcrime\b|criminal|\bjail\b|prison|arrest(?:ed)?|warrant|fraud|"
        r"police will|sheriff)", negatable=True, unless=r"civil matter|isn't a crime"),
    Cue("false_statement", r"(?:i'm|i am|this is|calling from|we are|we're)[^.?!]{0,25}?(?P<core>court|"
        r"sheriff|police|officer|attorney|lawyer|law firm|judge|government|irs|crimes unit)",
        negatable=True, unless=r"your (?:attorney|lawyer)"),
    Cue("false_statement", r"(?:already|has been|have been)\s(?:ruled|filed|issued|served|sued)|"
        r"ruled against you|lawsuit (?:is|has been) (?:already )?filed|you've been served"),
    Cue("false_statement", r"(?P<core>forever|permanent record|for the rest of your life|blacklist)|"
        r"(?:kids|children)[^.?!]{0,30}(?:student loans?|school|college|jobs?)", negatable=True),
    Cue("false_statement", r"(?:wiped|removed|erased|deleted) (?:from|off) your|(?:wipe|erase|delete) "
        r"(?:the |your )?(?:late payments|record|history)"),
    Cue("false_statement", r"complaining (?:won't|will not|doesn't|does not) help|no point complaining|"
        r"(?:regulators?|cfpb|ombudsman)[^.?!]{0,20}(?:don't|do not|won't) care"),
    Cue("false_statement", r"note (?:down )?that you refused|refused to pay[^.?!]{0,20}(?:record|file)"),
    Cue("false_statement", r"(?:the law|legally)[^.?!]{0,20}(?:must|have to|require)[^.?!]{0,20}"
        r"(?:today|now|immediately|full)"),
    Cue("false_statement", r"(?:pay|send)\s[$£]?\d[\d,]*\sfirst|first and then i'll|otherwise there (?:are|is) "
        r"no (?:options?|plan)|no options at all"),
    Cue("false_statement", r"(?P<core>freeze|garnish|seize|take it (?:straight )?out of)[^.?!]{0,30}"
        r"(?:account|paycheck|wages|salary|bank)", negatable=True,
        unless=r"court order|judgment|a judge|can't|cannot"),
    Cue("false_statement", r"without (?:going to|a) court|(?P<core>lose your (?:house|home|kids)|"
        r"tak(?:e|ing) your (?:wages|house|home|car|paycheck))",
        negatable=True),
    # ------------------------------------------------------------------ disclosure to a third party
    Cue("disclose_debt", r"\b(?:he|she|him|her|his)\b[^.?!]{0,30}?(?P<core>" + DEBT[3:], negatable=True),
    Cue("disclose_debt", r"your " + RELATIVE + r"(?:'s)?[^.?!,]{0,25}?" + DEBT, negatable=True),
    Cue("disclose_debt", r"\b(?!you\b|we\b|i\b|it\b)[a-z]+ (?:is|has been) behind on|"
        r"message for [a-z]+[^.?!]{0,40}?" + DEBT),
    # ------------------------------------------------------------------ pressure
    Cue("pressure", r"full (?:amount|balance)[^.?!]{0,25}(?:today|now|tonight|by \d|one payment)|"
        r"by \d+ ?(?:pm|am|p\.m\.) today|borrow (?:it|from|the money)|lend it to you|"
        r"put it on (?:a|your) credit card|credit card and pay|sell (?:the|your) (?:car|house)|"
        r"payday loan|no negotiation|not negotiable|all or nothing|instal?ments? (?:aren't|are not|isn't) "
        r"an option|within the hour|right now while|send us all of it|(?:has|needs?) to be (?:paid )?today|"
        r"it has to be today|needs paying today|by tonight|today,? no (?:excuses|exceptions)", negatable=True),
    # ------------------------------------------------------------------ premature demand
    Cue("premature_demand", r"when (?:are you going to|will you|can you) pay|when will the money|skip the story|"
        r"don't need (?:explanations|the story|excuses)|not interested in (?:reasons|excuses)|"
        r"we can talk after|before you say anything|let's not get into your|just pay the balance|"
        r"sort out the payment|pay immediately|thought about paying|whatever your situation|"
        r"(?:^|[.!?]\s*)(?:hi|hello|hey|yeah)\b[^.!]{0,25}(?:pay|payment|clear the balance)[^.!]{0,25}"
        r"(?:today|right now|immediately|yet)"),
    Cue("pressure", r"within the hour|by tonight|right now while|we're done talking"),
    # ------------------------------------------------------------------ dismissing feelings
    Cue("dismiss_feelings", r"being upset won't|crying (?:isn't|won't)|everyone has problems|"
        r"(?:not|isn't) (?:an |my )?(?:excuse|concern)|i don't want to hear|only care about|"
        r"not a big deal|just get another|nothing to do with me|doesn't mean you can skip|sob story|"
        r"leave the emotions|spare me|your business|nothing to get worked up|not really relevant|"
        r"i don't care what|don't care about your|whatever your situation"),
    # ------------------------------------------------------------------ blame
    Cue("blame", r"got yourself into|should have thought|nobody forced you|if you'd paid|irresponsible|"
        r"whose fault|now you're paying for it|where was this concern|broke your promise|"
        r"dragged this out|if you hadn't|should have known|beyond your means|it's on you|your own fault|"
        r"brought this on yourself|only a fool would|your own doing"),
    # ------------------------------------------------------------------ unrealistic promise
    Cue("unrealistic_promise", r"let's just say you'll|promise me|just tell me[^.?!]{0,40}(?:and i'll|works)|"
        r"i don't care if you can|just commit|give me any date|something for my notes|"
        r"wherever the money comes from|put down the full amount|say yes for now|worry about it later|"
        r"whether you can or not|if it falls through|even if you're not sure|"
        r"do me a favou?r and promise|so i can log it|give me your word"),
    # ------------------------------------------------------------------ good conduct
    Cue("identify_self", r"(?:this is|my name is|i'm|i am|it's|you're speaking with|[a-z]+ speaking)[^.?!]{0,30}?"
        r"(?:\bfrom|\bwith|\bat|on behalf of|work for)\s(?!you\b|me\b|him\b|her\b|them\b|us\b|it\b|this\b|that\b)[a-z]|"
        r"here from|let me introduce myself|\bagent \d+|my name is|i work for",
        unless=r"debt collector|collection agency|communication from|court|police|officer|sheriff|"
        r"attorney|crimes|message is from"),
    Cue("verify_identity", r"am i speaking (?:with|to)|speaking to (?:mr|ms|mrs|miss)|is this (?!his\b|her\b|a\b|the\b)"
        r"[a-z]+ [a-z]+\?|(?:is that|are) you,? (?:mr|ms|mrs|miss)|are you [a-z]+ [a-z]+\?|"
        r"date of birth|first line of your address|postcode|zip code|last (?:four|4) digits|"
        r"account holder|named on the account|confirm who i'm speaking|talking to [a-z]+ [a-z]+ "
        r"(?:herself|himself)|confirm your (?:full )?name|to verify|verify your"),
    Cue("mini_miranda", r"debt collector|collection agency|debt collection|attempt(?:ing)? to collect|"
        r"collect(?:ing)? a debt|used for (?:that|this) purpose|purpose of collecting"),
    Cue("explain_purpose", r"(?:i'm|i am) (?:calling|ringing|getting in touch|writing this down|noting this|"
        r"asking)[^.?!]{0,15}?\b(?:to|about|because|so)\b|the (?:reason|purpose) (?:for|of) (?:my|this) call|"
        r"i ask these questions|i wanted to let you know|i'd like to talk|so (?:i|we) can|so my colleagues|"
        r"(?:i'm|i am) calling to", unless=r"collect a debt|debt collector"),
    Cue("empathy", r"sounds like you(?:'ve| have)? been|(?:really|so|very|incredibly) (?:hard|difficult|tough|"
        r"stressful)|i understand|i can hear|must be (?:really |so )?(?:hard|difficult|tough|awful)|"
        r"sorry for your loss|i'm (?:so |really |very )?sorry|i can see why|i'd feel|i get it|"
        r"makes (?:complete |total )?sense|i know (?:this|it's)|i feel for you|frightening|worried|"
        r"anxious|struggling|awkward for you|tough situation|it's been a hard|must have been"),
    Cue("paraphrase", r"what you're saying|if i've understood|if i understand|let me make sure i(?:'ve)? got|"
        r"in other words|you're saying|it sounds like your|so you'd prefer|what i'm hearing|"
        r"let me check i heard|in your view|you mentioned|is that what you mean|if i follow you|"
        r"you're telling me|so you're (?:saying|telling|asking|looking|hoping|planning)|"
        r"so,? you(?:'d)? (?:would|want|feel|think|prefer|like)"),
    Cue("open_question", r"(?:^|[.?!,;]\s*|\b(?:and|so)\s)(?:how|what|which|why|could you walk|can you tell me|"
        r"tell me)(?!\s(?:date|day|amount|exact|are the last|card))[^.?!]{0,60}\?"),
    Cue("set_boundary", r"(?:if|while)[^.?!]{0,30}(?:swearing|shouting|insults?|abuse|abusing|threaten|"
        r"speaking to me like that|name-calling)[^.?!]{0,50}(?:end|hang up|call back|ends here|"
        r"can't continue|try another day)|(?:don't|do not) (?:use that language|swear|shout|insult)|"
        r"watch your language|won't accept being|ask for (?:some )?respect|keep (?:it|this) (?:civil|calm)|"
        r"leave the name-calling|personal insults aren't|can't (?:continue|carry on) while|"
        r"take a breath|stick to the facts|if you keep swearing"),
    Cue("offer_plan", r"payment plan|instal?ment plan|payment holiday|(?:freeze|pause|stop) (?:the )?interest|"
        r"(?:spread|split) (?:it|the)|over \d+ months|minimum (?:payment )?for now|waive|"
        r"moving your payment date|work out a plan|put the account on hold|hardship (?:programme|program|"
        r"fund|scheme)|[$£]\d+ a month|token payment|reduced settlement|repayment plan|arrangement|"
        r"set up a plan"),
    Cue("pin_date", r"what (?:date|day)|which day|what amount|exact (?:payment )?date|specific date|"
        r"pin down|the 30th or|does the \d+(?:st|nd|rd|th) work|when can the (?:transfer|payment)|"
        r"roughly which day|what day suits|let's (?:set|pick) (?:it|a day)|on what date|date and amount|"
        r"when could the"),
    Cue("recap_promise", r"(?:just to confirm|to confirm|read that back|so we've agreed|have i got that right|"
        r"to sum up|let me repeat|we're agreed|check the details|does this sound right|last check|noted|"
        r"once more|so that's|that's)[^?]{0,60}?" + WHEN),
    Cue("recap_promise", WHEN + r"[^?]{0,60}?(?:is that right|all correct|have i got that right|correct\?|"
        r"yes\?|can you confirm|is that what we said|right\?)"),
    Cue("signpost_advice", r"stepchange|national debtline|citizens advice|moneyhelper|samaritans|ombudsman|"
        r"cfpb|legal aid|credit counsel+ing|debt advi[cs]e|free (?:debt |money )?advice|money advice|"
        r"attorney general|consumer protection|welfare|breathing space|debt adviser|nonprofit|"
        r"support team"),
    Cue("respect_request", r"(?:of course|understood|sure|okay|no problem|got it|fine|as you asked|"
        r"i'll respect|you asked|you'd (?:like|prefer|rather))[^.?!]{0,50}(?:from now on|won't call|"
        r"stop calling|won't bother|only (?:email|speak|text|write|call)|in writing|call you back|"
        r"i've noted|noted that|put a note|deal with them|i'll call you|record that|we'll do that)|"
        r"go through your (?:attorney|lawyer|solicitor|representative)|"
        r"(?:deal|speak) with your (?:attorney|lawyer|solicitor)"),
)

EN = Language(
    cues=CUES,
    negator=re.compile(
        r"\b(?:not|never|won't|wouldn't|don't|doesn't|didn't|isn't|aren't|can't|cannot|haven't|"
        r"hasn't|nobody|nothing|nor)\b"
    ),
    new_subject=re.compile(r"\b(?:we|we'll|we're|i|i'll|i'm|they|they'll|he|she|but|then)\b"),
    clause_break=re.compile(r"[,.;:!?\n]|\bbut\b"),
    sentence_break=re.compile(r"[.!?;\n]"),
    reach=30,
)
