"""Scenario files: frozen, validated descriptions of a collections what-if."""

from sim.scenario.root import Scenario, load_scenario, validate_scenario

__all__ = ["Scenario", "load_scenario", "validate_scenario"]
