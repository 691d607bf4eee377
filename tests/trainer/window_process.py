"""One trainer window as its own OS process, driven line by line over stdin/stdout.

``python window_process.py DB`` opens the trainee database ``DB`` the way one app
instance does (one :class:`~trainer.storage.Storage`, so one lease holder) and plays a
drill through the engine, committing each turn as the call screen does. The test sends
one JSON command a line and reads one JSON answer a line, so it decides exactly how the
two windows' steps interleave while each keeps its own process, connection and memory:
what two terminals on one database really are.

Commands (``op``): ``sign_in``; ``begin`` (a new drill, this window holds it);
``look`` (the trainee's unfinished drills as this window sees them); ``take``
(``takeover`` true or false); ``renew``; ``resume`` (rebuild the call from the stored
session, as watching does); ``play`` (an option id: played locally, then committed with
the score once the call ends); ``finish`` (store the score again, as the debrief does);
``release``; ``close``. A refused write answers ``{"refused": "lease"}``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from trainer.engine import Session, load_scenario, score
from trainer.screens.drill import attempt_result, scenario_info
from trainer.storage import LeaseLostError, Storage

DRILL = Path(__file__).parent / "fixtures" / "app_library" / "app-drill.en-US.toml"


class Window:
    def __init__(self, db: str) -> None:
        self.storage = Storage.open(db)
        self.scenario = load_scenario(DRILL)
        self.trainee = ""
        self.session: Session | None = None
        self.session_id = 0

    def do(self, command: dict[str, Any]) -> dict[str, Any]:
        op = command["op"]
        db = self.storage
        if op == "sign_in":
            self.trainee = db.sign_in(command["name"], "en").id
            return {"instance": db.instance}
        if op == "begin":
            self.session = Session.start(self.scenario, seed=7, trainee=self.trainee)
            self.session_id = db.begin_session(self.trainee, scenario_info(self.scenario), 7,
                                               self.session.to_json())
            return {"session": self.session_id}
        if op == "look":
            return {"drills": [{"id": a.id, "turns": a.turns, "held_elsewhere": a.held_elsewhere}
                               for a in db.active_sessions(self.trainee)]}
        if op == "take":
            self.session_id = command["session"]
            return {"held": db.take_lease(self.session_id, takeover=command["takeover"])}
        if op == "renew":
            return {"held": db.renew_lease(self.session_id)}
        if op == "release":
            db.release_lease(self.session_id)
            return {}
        if op == "resume":
            stored = db.session_state(self.session_id)
            assert stored is not None
            self.session = Session.from_json(self.scenario, stored)
            return {"turn": self.session.turn}
        assert self.session is not None
        try:
            if op == "play":
                self.session.choose_id(command["option"])
                s = self.session
                result = attempt_result(score(s)) if s.finished else None
                db.record_turn(self.session_id, s.actions[-1], s.to_json(), result)
                return {"turn": s.turn, "finished": s.finished}
            if op == "finish":
                db.finish_session(self.session_id, self.session.to_json(),
                                  attempt_result(score(self.session)))
                return {"stored": True}
        except LeaseLostError:
            return {"refused": "lease"}
        raise ValueError(f"unknown command {op!r}")


def main() -> None:
    window = Window(sys.argv[1])
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        command = json.loads(line)
        if command["op"] == "close":
            window.storage.close()
            print(json.dumps({"closed": True}), flush=True)
            return
        print(json.dumps(window.do(command)), flush=True)


if __name__ == "__main__":
    main()
