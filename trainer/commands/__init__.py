"""Sub-commands of ``recoverylab-train``.

Each module exposes ``HELP``, ``add_arguments`` and ``run``.
"""
