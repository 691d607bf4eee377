# ruff: noqa: E501 -- lexicon regexes read best unbroken; Chinese counts double width
"""English conduct lexicon: cues for each behaviour tag, on folded (lower-case) text.

Written from the training split of ``scenarios/utterances/``, from the drills' authored
options (a second, independently written labelled source: ``recoverylab-train lint
--cross-check`` lists where the two disagree) and from how collectors actually talk (US
and UK usage); the held-out split only measures it.
"""

from __future__ import annotations

import re

from trainer.engine.analyser.patterns import Cue, Language

THIRD = (
    r"(?:employer|boss|work|workplace|job|office|colleagues?|co-?workers?|family|wife|husband|"
    r"partner|mother|mom|mum|father|dad|parents?|kids|children|relatives|friends|neighbou?rs|"
    r"references?|contacts?|church|everyone|everybody|social media|facebook|manager|hr|landlord|landlady|sister|brother|son|"
    r"daughter|in-laws|grandparents|roommate|flatmate|school|teachers?|pastor|supervisor|team leader|clients|customers|"
    r"payroll|linkedin|instagram|twitter|whatsapp)"
)
IF = (
    r"(?:if you (?:don't|do not|keep|won't|can't|refuse|hang up|ignore|miss|complain|stop|"
    r"haven't)|unless|otherwise|keep (?:dodging|ignoring|avoiding)|one more|pay (?:up|today|now) or|"
    r"if nothing|if (?:this|it) (?:isn't|is not|hasn't)|or else|or we'll|or we will|or i'll|ignore this|"
    r"keep (?:playing|this up)|if you go quiet|if this drags on|no answer|if we can't reach you|if you (?:continue|choose not|"
    r"decide not|fail to|avoid)|should you (?:fail|refuse|not)|failing (?:that|payment)|if (?:we|i) don't (?:hear|see|get|receive)|"
    r"if (?:the )?payment (?:isn't|is not|doesn't)|if the (?:balance|account) (?:isn't|is not|remains|stays)|until (?:you pay|this is paid))"
)
DEBT = (
    r"(?:owes?|owed|debts?|overdue|unpaid|behind on|outstanding|in collections|loans?|balance|"
    r"defaulted|past due|arrears|payments|credit card|paying off|bills?\b)"
)
RELATIVE = (
    r"(?:son|daughter|husband|wife|partner|dad|father|mom|mum|mother|brother|sister|roommate|"
    r"flatmate|tenant|friend|colleague|employee)"
)
LAWFUL = (
    r"(?:written notice|may consider|as the rules require|a judge would|we can't|lawful|"
    r"legally entitled|accurately|told in writing)"
)
INSULT_GLUE = (
    r"\s*(?:(?:a|an|be|being|call|calling|called|you|you're|you are|were|was|said|say|saying|think|"
    r"thinking|mean|meant|suggest|suggesting|that|i'm|i am|at all|one|some|kind of|like)\s+)*"
)
"""What may stand between a negator and an insult it denies ("not calling you a liar")."""
LEGAL = r"(?:legal|attorneys?|lawyers?|solicitors|litigation|court|the bailiffs|enforcement)"
WHEN = (
    r"(?:\$\s?\d|£\s?\d|\d+(?:st|nd|rd|th)|monday|tuesday|wednesday|thursday|friday|saturday|"
    r"sunday|tomorrow|end of the month|next week|payday)"
)

CUES: tuple[Cue, ...] = (
    # ------------------------------------------------------------------ threat
    Cue("threat", IF + r"[^.?!]{0,40}?(?:we'll|we will|i'll|i will|we're going to|we are going to|"
        r"going to|have to|no choice but to|be|we're)[^.?!]{0,15}?(?P<core>call|calling|contact|"
        r"contacting|tell|telling|let|inform|ring|ringing|visit|show up|knock|knocking|post|posting|"
        r"send someone|come|bring it up with|having a word with|have a word with|reach out to|ask)[^.?!]{0,30}?" + THIRD,
        negatable=True),
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
        r"before (?:this|things) get (?:ugly|worse)|or else|you'll be sorry|someone waiting (?:outside|for you)"),
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
        r"scroungers?|spongers?|good[- ]for[- ]nothing|make me sick|hopeless|liars like you|con artist|complete joke|jerk|creep|imbecile|halfwit|dimwit|thick|"
        r"lazy|greedy|disgusting|shameful|crook|thief|low-life|piece of work|grow up|pig|rat|bloody|damn you|"
        r"scumbag|dirtbag|dumbass|cheapskate|fraudster|you fraud|con man|embarrassment|shame on you|ashamed|no shame|"
        r"spineless|coward|gutless|clueless|brainless|ignorant|bottom feeder|get a job|losers? like you|weasel|failure|joke of a|"
        r"shameless|incompetent|numpty|muppet|plonker|idiotic|braindead|childish|get a life|what a joke|people like you|"
        r"your sort|your kind|sponging|mooching|moocher|leeches|slob|good-for-nothing|nutcase|half-wit|sad little)\b", negatable=True,
        negation_gap=INSULT_GLUE, unless=r"scam calls|pretending to be us|beware"),
    # ------------------------------------------------------------------ false statement
    Cue("false_statement", r"(?P<core>\bcrime\b|criminal|\bjail\b|prison|arrest(?:ed)?|warrant|fraud|"
        r"police will|sheriff)", negatable=True,
        # the debtor's own fraud report is no claim about them
        unless=r"civil matter|isn't a crime|fraud (?:file|team|alert|department)|identity[- ]theft|\bftc\b"),
    Cue("false_statement", r"(?:i'm|i am|this is|calling from|we are|we're)[^.?!]{0,25}?(?P<core>court|"
        r"sheriff|police|officer|attorney|lawyer|law firm|judge|government|irs|crimes unit)",
        negatable=True, unless=r"your (?:attorney|lawyer)"),
    Cue("false_statement", r"(?:already|has been|have been)\s(?:ruled|filed|issued|served|sued)|"
        r"ruled against you|lawsuit (?:is|has been) (?:already )?filed|you've been served"),
    Cue("false_statement", r"(?P<core>forever|permanent record|for the rest of your life|blacklist)|"
        r"(?:kids|children)[^.?!]{0,30}(?:student loans?|school|college|jobs?|study|abroad|university|visas?)",
        negatable=True),
    Cue("false_statement", r"(?P<core>illegal not to pay|against the law|breaking the law|criminal record|prosecut|press charges|"
        r"jail time|arrest warrant|court summons|summons|bailiffs? (?:will|are|is)|repossess|deport|immigration|"
        r"passport|never get credit again|blacklisted|(?:spouse|husband|wife|family|parents) (?:is|are|will be) "
        r"(?:liable|responsible)|(?:fees?|interest) will (?:double|triple)|(?:federal|criminal) offen[cs]e|garnish|"
        r"(?:is|are) legally responsible|legal proceedings have|paperwork has been filed|"
        r"we've (?:started|begun) legal|our legal department has|lose your job|employer will be (?:told|notified))",
        negatable=True, unless=LAWFUL),
    Cue("false_statement", r"(?:disappears?|vanish(?:es)?) from your (?:file|record|credit)|"
        r"legally[^.?!]{0,6}your (?:husband|wife|partner|family|parents?)[^.?!]{0,15}(?:has|have) to pay|"
        r"legally obliged to pay[^.?!]{0,10}today|that's the law|(?:triple|double)[^.?!]{0,4}by law|complaining is pointless|regulators know|enforcement notice|"
        r"(?:house|home|car) is going to (?:auction|be sold|be seized)|going to auction"),
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
    Cue("false_statement", r"(?:pension|benefits|wages|salary|savings|assets)[^.?!]{0,20}(?P<core>frozen|seized|taken)",
        negatable=True),
    Cue("false_statement", r"without (?:going to|a) court|(?P<core>lose your (?:house|home|kids)|"
        r"tak(?:e|ing) your (?:wages|house|home|car|paycheck))",
        negatable=True),
    # ------------------------------------------------------------------ disclosure to a third party
    Cue("disclose_debt", r"\b(?:he|she|him|her|his)\b[^.?!]{0,30}?(?P<core>" + DEBT[3:], negatable=True),
    Cue("disclose_debt", r"your " + RELATIVE + r"(?:'s)?[^.?!,]{0,25}?" + DEBT, negatable=True),
    Cue("disclose_debt", r"(?:looking for|calling for|trying to reach|speak to) (?:mr|ms|mrs|miss)\.? [a-z]+ [^?!]{0,30}?" + DEBT),
    Cue("disclose_debt", r"\b(?!you\b|we\b|i\b|it\b)[a-z]+ (?:is|has been) behind on|"
        r"message for [a-z]+[^.?!]{0,40}?" + DEBT),
    # ------------------------------------------------------------------ pressure
    Cue("pressure", r"full (?:amount|balance)[^.?!]{0,25}(?:today|now|tonight|by \d|one payment)|"
        r"by \d+ ?(?:pm|am|p\.m\.) today|borrow (?:it|from|the money)|lend it to you|"
        r"put it on (?:a|your) credit card|credit card and pay|sell (?:the|your) (?:car|house)|"
        r"payday loan|no negotiation|not negotiable|all or nothing|instal?ments? (?:aren't|are not|isn't) "
        r"an option|within the hour|right now while|send us all of it|(?:has|needs?) to be (?:paid )?today|"
        r"it has to be today|needs paying today|by tonight|today,? no (?:excuses|exceptions)|"
        r"sell your (?:phone|car|house|jewell?ery)|scrape (?:it|the money) together|nothing to discuss|"
        r"you've got \w+ minutes|at the very least", negatable=True),
    # ------------------------------------------------------------------ premature demand
    Cue("premature_demand", r"when (?:are you going to|will you|can you) pay|when will the money|skip the story|"
        r"don't need (?:explanations|the story|excuses)|not interested in (?:reasons|excuses)|"
        r"we can talk after|before you say anything|let's not get into your|just pay the balance|"
        r"sort out the payment|pay immediately|thought about paying|whatever your situation|"
        r"when are you going to (?:clear|settle)|pay [$£]?\d+ right now|don't want your reasons|settle the balance first|"
        r"just make the payment|you picked up|you answered|can you pay something|"
        r"(?:^|[.!?,]\s*)(?:hi|hello|hey|yeah)\b[^.!]{0,25}(?:pay|payment|clear the balance)[^.!]{0,25}"
        r"(?:today|right now|immediately|yet)"),
    Cue("pressure", r"within the hour|by tonight|right now while|we're done talking"),
    # ------------------------------------------------------------------ dismissing feelings
    Cue("dismiss_feelings", r"being upset won't|crying (?:isn't|won't)|everyone has problems|"
        r"(?:not|isn't) (?:an |my )?(?:excuse|concern)|i don't want to hear|only care about|"
        r"not a big deal|just get another|nothing to do with me|doesn't mean you can skip|sob story|"
        r"leave the emotions|spare me|your business|nothing to get worked up|not really relevant|"
        r"i don't care what|don't care about your|whatever your situation|doesn't stop the bill|not the end of the world|"
        r"it's only a|none of (?:that|this) matters|just excuses|(?:excuses|that)[^.?!]{0,12}not interested|isn't our problem|nothing to do with this|"
        r"aren't special|feelings aside|a contract is a contract|isn't something i can deal with|how you feel isn't"),
    # ------------------------------------------------------------------ blame
    Cue("blame", r"got yourself into|should have thought|nobody forced you|if you'd paid|irresponsible|"
        r"whose fault|now you're paying for it|where was this concern|broke your promise|"
        r"dragged this out|if you hadn't|should have known|beyond your means|it's on you|your own fault|"
        r"brought this on yourself|only a fool would|your own doing|if you'd (?:planned|listened)|wouldn't have come to this|"
        r"did this to yourself|to blame (?:here )?but you|result of you not|don't take your credit seriously|"
        r"no tomorrow|now you blame us|point the finger at us|seen this coming"),
    # ------------------------------------------------------------------ unrealistic promise
    Cue("unrealistic_promise", r"let's just say you'll|promise me|just tell me[^.?!]{0,40}(?:and i'll|works)|"
        r"i don't care if you can|just commit|give me any date|something for my notes|"
        r"wherever the money comes from|put down the full amount|say yes for now|worry about it later|"
        r"whether you can or not|if it falls through|even if you're not sure|"
        r"do me a favou?r and promise|so i can log it|give me your word|promise the full amount|give me a promise|"
        r"never mind whether you can|, deal\b|worry if it|pick any date|off the top of your head|close this out|"
        r"put you down for the full|and we'll see what happens"),
    # ------------------------------------------------------------------ good conduct
    Cue("identify_self", r"(?:this is|my name is|my name's|i'm|i am|it's|you're speaking with|you've reached|here|speaking)"
        r"[^.?!]{0,40}?(?:\bfrom|\bwith|\bat|on behalf of|work for)\s(?:the\s)?(?:[a-z]+\s){0,3}?"
        r"(?:bank|finance|financial|credit|lending|lenders?|recover(?:y|ies)|collections?|services|servicing|"
        r"capital|loans?|group|union|agency|team|partners|solutions)\b|"
        r"let me introduce myself|\bagent \d+|my name is|my name's|i work for",
        unless=r"debt collector|collection agency|communication from|court|police|officer|sheriff|"
        r"attorney|crimes|message is from|speaking (?:with|to) (?:mr|ms|mrs|miss)"),
    Cue("verify_identity", r"am i (?:speaking|talking) (?:with|to)|speaking to (?:mr|ms|mrs|miss)|is this (?!his\b|her\b|a\b|the\b)"
        r"[a-z]+ [a-z]+\?|(?:is that|are) you,? (?:mr|ms|mrs|miss)|are you (?!his\b|her\b|the\b|a\b|[a-z]+ing\b)[a-z]+ [a-z]+\?|"
        r"date of birth|first line of your address|postcode|zip code|last (?:four|4) digits|"
        r"account holder|named on the account|confirm who i'm speaking|i'm speaking (?:with|to) (?:mr|ms|mrs|miss)|talking to [a-z]+ [a-z]+ "
        r"(?:herself|himself)|confirm your (?:full )?name|to verify|verify your"),
    Cue("mini_miranda", r"debt collector|collection agency|debt collection|attempt(?:ing)? to collect|"
        r"collect(?:ing)? a debt|used for (?:that|this) purpose|purpose of collecting"),
    Cue("explain_purpose", r"(?:i'm|i am) (?:calling|ringing|getting in touch|writing this down|noting this|"
        r"asking)[^.?!]{0,15}?\b(?:to|about|because|so)\b|the (?:reason|purpose) (?:for|of) (?:my|this) call|"
        r"i ask these questions|i wanted to let you know|i'd like to talk|so (?:i|we) can(?! only imagine)|so my colleagues|"
        r"(?:i'm|i am) calling to|(?:i need|i have) to (?:confirm|check|ask)[^.?!]{0,30}\bso\b", unless=r"collect a debt|debt collector"),
    Cue("empathy", r"(?:that|it|this)(?:'s| is| has been| sounds| must be| seems)(?: really| so| very| incredibly| such)?(?: a)? "
        r"(?:hard|difficult|tough|stressful|worrying|upsetting|frightening|scary|exhausting|painful|awful|heavy|lot)|"
        r"(?:i'm|i am) (?:so |really |very )?sorry(?! to bother| i| but| for the (?:delay|wait))|i can (?:hear|see|tell|understand)|"
        r"(?:you're|you are|you've been|you must be|you must feel|you feel) (?:really |so |very )?(?:worried|anxious|upset|"
        r"frustrated|overwhelmed|struggling|stressed|scared|exhausted|angry|hurt)"),
    Cue("empathy", r"sounds like you(?:'ve| have)? been|(?:really|so|very|incredibly) (?:hard|difficult|tough|"
        r"stressful)|i understand(?! correctly)|i can hear|must be (?:really |so )?(?:hard|difficult|tough|awful|exhausted|exhausting)|"
        r"sorry for your loss|i'm (?:so |really |very )?sorry|i can see why|i'd feel|i get it|"
        r"makes (?:complete |total )?sense|i know (?:this|it's)|i feel for you|frightening|worried|"
        r"anxious|struggling|awkward for you|tough situation|it's been a hard|must have been|i can (?:only )?imagine|"
        r"weighing on you|natural to feel|a lot to deal with|(?:going|been) through a lot|(?<!feeling )overwhelm|can't have been easy|"
        r"i appreciate you telling|understandable|i hear you|i'm (?:so |really )?sorry (?:to hear|things|you)|sorry you've"),
    Cue("paraphrase", r"if i've followed|so i've got it right|(?:check|make sure) i've understood|you're saying|you're worried (?:that|about)|so basically|basically,? you|sounds like you're|if i'm understanding|"
        r"so the (?:issue|problem|main thing) is|what you're getting at|you'd rather|you feel (?:that|like)|your concern is|"
        r"you're concerned (?:that|about)|to recap what you said|to make sure i understand|let me see if i|am i right (?:that|in)|you've told me|you were saying|"
        r"what you're telling|if i heard you|(?:so|and) you(?:'re| are) (?:worried|saying|telling|feeling)|you said (?:that )?you"),
    Cue("paraphrase", r"what you're saying|if i've understood|if i understand|let me make sure i(?:'ve)? got|"
        r"in other words|you're saying|it sounds like your|so you'd prefer|what i'm hearing|"
        r"let me check i heard|in your view|you mentioned|is that what you mean|if i follow you|"
        r"you're telling me|so you're (?:saying|telling|asking|looking|hoping|planning)|"
        r"so,? you(?:'d)? (?:would|want|feel|think|prefer|like)|play that back|put another way|correct me if i'm wrong|in short,|it sounds like you feel|"
        r"repeat that back|what i'm understanding|the main thing for you is|what you need is|if i've got this right|"
        r"from what you're saying|check i've followed|if i'm following"),
    Cue("open_question", r"how are you thinking|(?:^|[.?!,;]\s*|\b(?:and|so)\s)(?:how(?! about| much can you (?:pay|do|manage)| would you like to (?:pay|take care|settle|clear))|what(?!\s(?:you|i)\b)|which(?<!,\swhich)(?<!,which)|why(?! not\b)|could you walk|(?:can|could) you tell me|"
        r"tell me)(?!\s(?:date|day|amount|exact|are the last|card|much|soon|time suits))[^.?!]{0,60}(?:\?|$)"),
    Cue("set_boundary", r"(?:swear|swearing|sworn|shout|shouting|insult|insults|abuse|abusive|language|name-calling|threaten|"
        r"rude|yell|yelling|spoken to|speak to me|talk to me)",
        requires=r"please|stop|don't|won't|can't|cannot|end (?:the|this)|hang up|call back|not acceptable|isn't acceptable|"
        r"aren't acceptable|respect|calm|civil|not willing"),
    Cue("set_boundary", r"(?:if|while)[^.?!]{0,30}(?:swearing|shouting|insults?|abuse|abusing|threaten|"
        r"speaking to me like that|name-calling)[^.?!]{0,50}(?:end|hang up|call back|ends here|"
        r"can't continue|try another day)|(?:don't|do not) (?:use that language|swear|shout|insult)|"
        r"watch your language|won't accept being|ask for (?:some )?respect|keep (?:it|this) (?:civil|calm)|"
        r"leave the name-calling|personal insults aren't|can't (?:continue|carry on) while|"
        r"take a breath|stick to the facts|if you keep swearing|keep it (?:polite|civil)|talking to me like that|"
        r"attacks aren't acceptable|no name-calling|stop (?:the )?(?:name-calling|swearing|shouting)|"
        r"not willing to be sworn at|end the call if|if you continue to shout|language isn't acceptable|"
        r"if the (?:insults|abuse|swearing|shouting) continue|won't be spoken to like that|keep this respectful|"
        r"while you're shouting|once things are (?:a bit )?calmer"),
    Cue("offer_plan", r"payment plan|instal?ment plan|payment holiday|(?:freeze|pause|stop) (?:the )?interest|interest to be frozen|"
        r"move your (?:due|payment) date|payment break|start small|we'll adjust|"
        r"(?:spread|split) (?:it|the)|over \d+ months|minimum (?:payment )?for now|waive|"
        r"moving your payment date|work out a plan|put the account on hold|hardship (?:programme|program|"
        r"fund|scheme)|[$£]\d+ a month|token payment|reduced settlement|repayment plan|arrangement|"
        r"set up a plan"),
    Cue("pin_date", r"what (?:date|day)|which day|what amount|exact (?:payment )?date|specific date|"
        r"pin down|the 30th or|does the \d+(?:st|nd|rd|th) work|when can the (?:transfer|payment)|"
        r"roughly which day|what day suits|let's (?:set|pick) (?:it|a day)|on what date|date and amount|"
        r"when could the|which date|fix a (?:specific )?(?:payment )?date|settle the date|the date and the amount"),
    Cue("recap_promise", r"(?:just to confirm|to confirm|read that back|so we've agreed|have i got that right|"
        r"to sum up|let me repeat|we're agreed|check the details|does this sound right|last check|noted|"
        r"once more|so that's|that's)[^?]{0,60}?" + WHEN),
    Cue("recap_promise", WHEN + r"[^?]{0,60}?(?:is that right|all correct|have i got that right|correct\?|"
        r"yes\?|can you confirm|is that what we said|right\?)"),
    Cue("signpost_advice", r"free(?: and)?(?: confidential| impartial| independent)? (?:debt |money |legal )?(?:advice|help|support|"
        r"service|guidance|counsel)|advice (?:service|line|charity)|helpline|charit(?:y|ies)|counsell?ing|counsell?or|"
        r"nfcc|financial counsel|debt charity|independent advice"),
    Cue("signpost_advice", r"stepchange|national debtline|citizens advice|moneyhelper|samaritans|ombudsman|"
        r"cfpb|legal aid|credit counsel+ing|debt advi[cs]e|free (?:debt |money )?advice|money advice|"
        r"attorney general|consumer protection|welfare|breathing space|debt adviser|nonprofit|"
        r"support team"),
    Cue("respect_request", r"(?:of course|understood|sure|okay|no problem|got it|fine|as you asked|you said|"
        r"i'll respect|you asked|you'd (?:like|prefer|rather))[^.?!]{0,50}(?:from now on|won't call|instead|call back|"
        r"stop calling|won't bother|only (?:email|speak|text|write|call)|in writing|call you back|"
        r"i've noted|noted that|put a note|deal with them|i'll call you|record that|recorded that|we'll do that)|"
        r"go through your (?:attorney|lawyer|solicitor|representative)|"
        r"(?:deal|speak) with your (?:attorney|lawyer|solicitor)"),

    # ------------------------------------------------------------------ from the drills'
    # authored options (a second, independently written source of labelled lines)
    Cue("threat", r"(?P<core>go(?:es)?|going|passed|sent|handed|referred|end up|ends up|escalat\w*)\s(?:straight\s|right\s)?"
        r"(?:to|in|into)\s(?:our\s|the\s)?" + LEGAL + r"|(?P<c2>take you to court|garnish your)",
        negatable=True, unless=LAWFUL + r"|nothing is|no lawsuit",
        requires=r"\bif\b|\bunless\b|otherwise|or else|\bthen\b|doesn't stop|won't stop|last chance|too|cut off|"
        r"once|before we|hate (?:for )?that|better to|while you still"),
    Cue("threat", r"last chance before|before we escalate|(?P<core>keep calling you)(?: every day| daily| until)|"
        r"we'd have to (?:go back to|call|contact) your " + THIRD, negatable=True),
    Cue("false_statement", r"(?:won't|will not|wouldn't|never) (?:show|appear|be reported|get reported|go on|stay on|be on)"
        r"[^.?!]{0,30}(?:credit (?:file|report|record|history)|bureaus?)"),
    Cue("false_statement", r"(?:his|her|their) debts? (?:pass(?:es)?|goes|go|transfer) to you|"
        r"(?:responsible|liable) for (?:his|her|their) debts?|debts die with|"
        r"as (?:his|her) (?:wife|husband|widow|widower|next of kin|spouse)[^.?!]{0,25}(?:responsible|liable|pass|have to pay)|"
        r"writes? (?:those|them|these) off when|(?:throw|ignore) (?:those|the|these) (?:letters|statements)",
        negatable=True),
    Cue("false_statement", r"(?:complaint|complaining|cfpb|regulator|ombudsman)[^.?!]{0,40}(?:won't make any difference|"
        r"makes? no difference|sends? (?:complaints|it) (?:straight )?back|pointless|a waste of)"),
    Cue("false_statement", r"(?:required|obliged) to keep calling|allowed to call (?:as often|any ?time|whenever|every)|"
        r"doesn't stop us (?:from )?calling|calls will (?:carry on|continue) as normal|"
        r"(?:i'm|i am|we're|calling) (?:with|from) (?:the |our )?(?:pre-?legal|legal|litigation) (?:department|team)|"
        r"(?:passed|sent|referred|transferred) to (?:our|the) (?:litigation|legal) (?:department|team)", negatable=True),
    Cue("false_statement", r"(?:need|needs|require|requires)[^.?!]{0,15}[$£]\d[\d,]*[^.?!]{0,15}(?:down|first|up ?front)|"
        r"(?:wipe out|knock off|write off) the rest|(?:rest|remainder) of the balance waived|"
        r"won't hear about this debt|all of this goes away|if you don't file"),
    Cue("explain_purpose", r"(?:^|[.!?;:]\s*)(?:it's|this is|the call is|this call is)[^.?!]{0,12}?\b(?:about|regarding) "
        r"(?:your|the|a)\b|it's only so|(?:that's|it's) for (?:his|her|your) privacy|(?:it's )?only used (?:to|for)|"
        r"i'd like to (?:understand|note|go through|discuss|explain)", unless=r"collect a debt|debt collector"),
    Cue("respect_request", r"as (?:you|she|he) (?:asked|requested|prefer|said)|as (?:her|his|your) (?:note|email|message|text) "
        r"(?:asks|asked|says|said)|do-not-call|no calls (?:at|to|before|after)|noting no calls|"
        r"(?:email|text|letters?) only|(?:i'll|we'll|i will|we will)[^.?!]{0,40}\binstead\b|noting that you're represented|"
        r"(?:contact|go through|goes through|speak to) (?:her|his|your) (?:office|attorney|lawyer|solicitor)|"
        r"all (?:communication|contact)[^.?!]{0,40}goes to|respect (?:his|her|your) request|stop everything"),
    Cue("verify_identity", r"may i (?:speak|talk) (?:with|to)|(?:what's|what is) your full name|"
        r"(?:^|[.!?,]\s*)(?:hi,? |hello,? )?is (?:this|that) (?!ok\b|okay|right|correct|true|fine|clear|possible|"
        r"manageable|doable|realistic|so\b|it\b|all\b|you\b|he\b|she\b|him\b|her\b|enough|better|worse|what|how|why|really)[a-z]+\?"),
# "So, ..." with a pause is a filler; "So you've lost ..." restates what was said.
    Cue("paraphrase", r"(?:^|[.!?]\s*)so (?:you(?:'ve| have|'re| are)|since)\b"),
    Cue("paraphrase", r"have i got that right\?", unless=r"[$£]\d|\d+(?:st|nd|rd|th)\b|" + WHEN),
    Cue("offer_plan", r"[$£]?\d[\d,]*(?:\.\d+)? (?:a|per|each|every|every other) (?:month|week|fortnight|payday)|"
        r"every other payday|afford each month|(?:set|put down|agree) (?:an amount|something|a smaller)[^.?!]{0,20}"
        r"(?:afford|keep|manage)|plan options|on hold for \d+|something small", unless=r"interest of|fee of"),
    Cue("open_question", r"can i ask (?:how|what|why|which|where)|help me understand|walk me through"),

    # ------------------------------------------------------------------ broader wording
    # (synonyms of the verbs and frames above, from how collectors talk; train-checked)
    Cue("threat", IF + r"[^.?!]{0,40}?(?:we'll|we will|i'll|i will|we're going to|we are going to|going to|have to|"
        r"no choice but to|be|we're|we may|we might)[^.?!]{0,15}?(?P<core>get in touch with|drop by|pop round|pay (?:you )?a visit|"
        r"speak (?:to|with)|talk to|email|write to|notify|involve|loop in|get[^.?!]{0,10}involved)[^.?!]{0,30}?" + THIRD,
        negatable=True),
    Cue("false_statement", r"(?P<core>federal (?:crime|offen[cs]e)|criminal charges|go to prison|locked up|(?:a|the) warrant|"
        r"reported (?:you )?to the police|law enforcement|official (?:legal )?(?:notice|summons)|lose your (?:licen[cs]e|passport|benefits)|"
        r"(?:benefits|social security) (?:will be )?(?:stopped|cut)|(?:kids|children) will (?:have to )?pay|passes to your (?:kids|children)|"
        r"you have no rights|you can't dispute|nothing you can do about it|call (?:you )?as (?:often|much) as we (?:like|want)|"
        r"interest will keep (?:doubling|tripling|growing)|(?:fees?|penalt(?:y|ies))[^.?!]{0,20}(?:per|a|every) (?:day|call))",
        negatable=True, unless=LAWFUL + r"|scam|pretend"),
    Cue("paraphrase", r"as i understand it|just so i'm clear|if i'm hearing you|so what you'd like|you mean that|"
        r"you're asking (?:if|whether|for)|what you want is|you'd like (?:us|me) to|sounds like (?:the|your|it's)|you've said|"
        r"you told me|let me summari[sz]e what you|so for you,"),
    Cue("verify_identity", r"(?:can|could) you confirm (?:your|you're|that you are|who)|security questions?|"
        r"(?:make sure|check) (?:that )?i'm (?:speaking|talking) (?:to|with) the right person|the right person|"
        r"who am i (?:speaking|talking) (?:to|with)|may i ask who|are you the (?:account holder|borrower|cardholder)|"
        r"memorable (?:word|information)|social security number|\bssn\b"),
    Cue("offer_plan", r"(?:break|split) (?:it|this|the (?:balance|amount|arrears)) (?:up|down|into)|smaller (?:payments|instal?ments|amounts)|"
        r"lower (?:the )?(?:payments|monthly)|reduce (?:the|your) (?:payments|monthly|instal?ments)|"
        r"pay (?:it )?(?:off )?(?:in|over) (?:parts|stages|instal?ments)|temporary (?:plan|arrangement|reduction)|"
        r"pause (?:the |your )?payments|settle for less|settlement offer|affordable (?:plan|amount|payments)|"
        r"(?:what|whatever) you can afford|deferr?(?:al|ed)?\b|forbearance|skip a (?:month|payment)|extend (?:the|your) (?:term|loan)|"
        r"(?:lower|reduced?) (?:the )?(?:interest|rate)|weekly payments|fortnightly payments|monthly payments"),

    # ------------------------------------------------------------------ pressure, from the drills'
    # authored options: money found by borrowing or raiding savings, and haggling upward
    Cue("pressure", r"(?P<core>(?<!you )(?<!to )borrow(?!ed)|lend you|lend (?:it|them|the)|put (?:it|them|that) on (?:another|a|your) (?:card|credit card)|"
        r"401\(?k\)?|severance|retirement (?:savings|fund)|stretch to|(?:barely|won't (?:really )?make) a dent|no less\b|"
        r"give me a number right now|find a way if you|has to come first|other bills can wait|need an amount today|"
        r"payment set up tonight|sooner rather than later|a family member help)", negatable=True),

    # ------------------------------------------------------------------ implied leverage and false
    # claims, general forms (what Regulation F / CONC 7 list; train-checked)
    Cue("threat", r"(?:we've got|we have|i have|i've got) your " + THIRD + r"(?:'s)? (?:number|address|details|phone)|"
        r"(?:imagine|think about) what your " + THIRD + r" (?:would|will|might) (?:think|say)|(?:be a )?shame if[^.?!]{0,30}" + THIRD + r"|"
        r"(?:do you|you don't|you wouldn't) want your " + THIRD + r" to (?:know|find out|hear|get a call)"),
    Cue("false_statement", r"(?P<core>never (?:be able to )?(?:get|take out|have) (?:a |another )?(?:mortgage|loan|credit card|credit|car loan|"
        r"phone contract)|ruin your credit|banned from|(?:freeze|close) (?:all )?your bank accounts?|stop your (?:benefits|pension)|"
        r"report you to (?:immigration|the police|the fbi|the irs|hmrc)|tax (?:fraud|evasion)|"
        r"legal action (?:has been|is being|was) (?:taken|started|filed)|court date (?:has been|is) set|"
        r"judg(?:e)?ment (?:has been|was) (?:entered|made|issued) against you|bailiffs are on their way|"
        r"(?:by law|legally),? you (?:must|have to))", negatable=True, unless=LAWFUL + r"|scam|pretend"),
)

EN = Language(
    cues=CUES,
    negator=re.compile(
        r"\b(?:not|never|won't|wouldn't|don't|doesn't|didn't|isn't|aren't|can't|cannot|haven't|"
        r"hasn't|nobody|nothing|nor)\b(?<!why don't)"
    ),
    new_subject=re.compile(r"\b(?:we|we'll|we're|i|i'll|i'm|they|they'll|he|she|but|then)\b"),
    clause_break=re.compile(r"[,.;:!?\n]|\bbut\b"),
    sentence_break=re.compile(r"[.!?;\n]"),
    reach=30,
)
