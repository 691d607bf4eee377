"""RecoveryLab trainer: role-play drills that teach compliant, calm collection calls.

The pure dialogue engine lives in :mod:`trainer.engine` and never imports Textual;
the terminal app is a thin shell over it.
"""

__all__: list[str] = []
