"""``python -m trainer`` is the same as the ``recoverylab-train`` command."""

from trainer.cli import main

raise SystemExit(main())
