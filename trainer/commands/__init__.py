"""Sub-commands of ``recoverylab-train``; each module exposes ``HELP``, ``add_arguments`` and ``run``."""
