"""``python -m sim`` is the same as the ``recoverylab`` command."""

from sim.cli import main

raise SystemExit(main())
