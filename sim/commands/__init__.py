"""Sub-commands of ``recoverylab``; each module exposes ``HELP``, ``add_arguments`` and ``run``.

Keep module top levels light: import numpy, pandas, matplotlib or Dask inside
``run`` so that building the argument parser stays instant.
"""
