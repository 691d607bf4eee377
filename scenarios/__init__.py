"""Shipped data only, no code: installed as the package ``recoverylab_scenarios``.

This marker lets :mod:`importlib.resources` find the scenarios, rule packs, drills and
experiments in an editable checkout and in a wheel alike (see :mod:`sim.shipped`).
"""
