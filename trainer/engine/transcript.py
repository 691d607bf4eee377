"""Plain-text transcripts of drills, for authors, reviewers and golden tests.

A call-quality reviewer reads a call as a script with margin notes: who said what, the
behaviours shown, the rules broken, how the debtor's mood moved, how it ended and how
it scored. :func:`render` writes exactly that for a session, deterministically (no
clock, no terminal width), so transcripts can be diffed and kept as golden files.

The transcript is an authoring document: its headings and score explanations are
English, and the drill's own terms stay as the author wrote them (see
:class:`~trainer.messages.Messages` with ``authored=True``).
"""

from __future__ import annotations

from trainer.engine.scoring import Score, score
from trainer.engine.session import Session
from trainer.messages import Messages


def _mood(mood: dict[str, int] | None) -> str:
    if not mood:
        return ""
    return " ".join(f"{name}={value}" for name, value in mood.items())


def render(session: Session, result: Score | None = None, *, items: bool = True) -> str:
    """The session as readable text: header, lines, ending, note and score."""
    scenario = session.scenario
    result = result or score(session)
    say = Messages(scenario, "en", authored=True)
    actions = " ".join(
        a["option"] if a["do"] == "choose" else a["do"]
        for a in session.actions
        if a["do"] != "note"
    )
    out = [
        f"# {scenario.meta.id}.{scenario.meta.language}: {scenario.meta.title}",
        f"# pack {scenario.pack.id} · seed {session.seed} · trainee {session.trainee or '-'}",
        f"# path: {actions}",
        f"# start mood: {_mood(dict(session.start_mood))}",
        "",
    ]
    for entry in session.transcript:
        if entry.speaker == "trainee":
            marks = []
            if entry.option:
                marks.append(entry.option)
            if entry.tags:
                marks.append("tags " + ",".join(entry.tags))
            if entry.violations:
                marks.append("BREAKS " + ",".join(entry.violations))
            out.append(f"[{entry.turn}] TRAINEE: {say.said(entry.action or '', entry.text)}")
            out.append(f"      ({'; '.join(marks)}) -> {_mood(dict(entry.mood or {}))}")
        else:
            out.append(f"[{entry.turn}] {entry.speaker.upper()}: {entry.text}")
    end = session.ending
    out.append("")
    if end is None:
        out.append("== unfinished")
    else:
        reached = f" at ending {end.ending!r}" if end.ending else ""
        out.append(f"== ended: {end.outcome}{reached} ({end.cause})")
    if session.promise is not None:
        p = session.promise.promise
        realistic = "realistic" if session.promise.realistic else "UNREALISTIC"
        due = session.promise.due.isoformat()
        out.append(
            f"== promise: {p.amount:.2f} {scenario.brief.currency} on {due} via {p.channel}"
            f" ({realistic})"
        )
    if session.note is not None:
        n = session.note
        out.append(f"== note: {n.amount:.2f} on {n.date} via {n.channel}")
    verdict = result.grade.upper() + (" (critical violation)" if result.critical else "")
    out.append(
        f"== score: overall {result.overall:.1f} / pass mark {result.pass_mark}: {verdict}; "
        f"compliance {result.compliance:.1f}, de-escalation {result.deescalation:.1f}, "
        f"outcome {result.outcome:.1f}"
    )
    if items:
        for item in result.items:
            turn = f"turn {item.turn}" if item.turn is not None else "call"
            out.append(f"   {item.component:<12} {item.points:+6.1f}  {turn:<8} {say.item(item)}")
    return "\n".join(out) + "\n"
