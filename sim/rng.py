"""Named random streams, so that runs are reproducible and comparisons fair.

Every stochastic source (the starting book, debtor traits, self-cure, the inflow, call
outcomes, handle times, ...) gets its own ``numpy.random.Generator`` seeded from
``SeedSequence([seed, replication, key(name)])``. Keying by *name* rather than by
spawn order means adding a new source never shifts the draws of the others. Sources that
do not depend on the strategy (the book, traits, self-cure thresholds, inflow) are only
ever drawn in a strategy-independent order, so two strategies run with the same seed
face the same debtors: common random numbers, which make paired comparisons sharp.
"""

from __future__ import annotations

import hashlib

import numpy as np


def _key(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "little")


class Streams:
    """One generator per named source, created on first use."""

    __slots__ = ("_gens", "namespace", "replication", "seed")

    def __init__(self, seed: int, replication: int = 0, namespace: str = "") -> None:
        if seed < 0 or replication < 0:
            raise ValueError("seed and replication must be non-negative integers")
        self.seed = seed
        self.replication = replication
        self.namespace = namespace
        """Prefix of every name: a run inside a run (the burn-in) draws apart from it."""
        self._gens: dict[str, np.random.Generator] = {}

    def __getitem__(self, name: str) -> np.random.Generator:
        gen = self._gens.get(name)
        if gen is None:
            key = _key(self.namespace + name)
            sequence = np.random.SeedSequence([self.seed, self.replication, key])
            gen = np.random.Generator(np.random.PCG64(sequence))
            self._gens[name] = gen
        return gen
