"""JSON Schemas of every file a person writes, for editor completion and checks.

An analyst editing a scenario in VS Code (Even Better TOML), PyCharm or any editor
built on ``taplo`` gets key completion, hover documentation and red squiggles when the
file names its schema on its first line (``#:schema ./scenario.schema.json``) or when a
``.taplo.toml`` maps files to schemas. The schemas are generated from the same pydantic
models the loaders use, so the editor and ``recoverylab validate`` agree on fields,
types, ranges and unknown keys. Cross-table checks (shares summing to 1, a ladder
naming a team that exists) stay with the loader.

Two adjustments make the generated schemas fit the files people actually write:

- ``name`` may be left out: the loader takes the file stem.
- A scenario with ``inherit`` states only what it changes, so it is checked against a
  *partial* schema: the same keys, types and ranges, with nothing required.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue

DIALECT = "https://json-schema.org/draft/2020-12/schema"

KINDS = ("scenario", "experiment", "pack", "drill")
"""The file kinds with a schema; each is written as ``<kind>.schema.json``."""

TITLES = {
    "scenario": "RecoveryLab simulation scenario",
    "experiment": "RecoveryLab experiment (sweep) file",
    "pack": "RecoveryLab rule pack",
    "drill": "RecoveryLab role-play drill",
}


def schema(kind: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one kind of file."""
    builders: dict[str, Callable[[], dict[str, Any]]] = {
        "scenario": _scenario, "experiment": _experiment, "pack": _pack, "drill": _drill}
    out = _local_times(builders[kind]())
    return {"$schema": DIALECT, "title": TITLES[kind], **{k: v for k, v in out.items()
                                                          if k not in ("$schema", "title")}}


def text(kind: str) -> str:
    """The schema as the JSON text written to disk (stable key order, trailing newline)."""
    return json.dumps(schema(kind), indent=2, ensure_ascii=False) + "\n"


def _scenario() -> dict[str, Any]:
    from sim.scenario import Scenario

    full = Scenario.model_json_schema()
    _not_required(full, "name")
    defs = full.pop("$defs", {})
    # The partial variant gets its own copies of every definition, all optional.
    partial_defs = {f"Partial{name}": _relaxed(body, "Partial") for name, body in defs.items()}
    partial = _relaxed({k: v for k, v in full.items() if k != "title"}, "Partial")
    partial["required"] = ["inherit"]
    whole = {k: v for k, v in full.items() if k != "title"}
    return {
        "description": "A scenario file. With `inherit` it names a base scenario (a file "
                       "or a shipped name such as \"baseline\") and states only what it "
                       "changes; without it, it describes the whole book and floor.",
        "type": "object",
        "if": {"required": ["inherit"]},
        "then": {"$ref": "#/$defs/PartialScenario"},
        "else": {"$ref": "#/$defs/Scenario"},
        "$defs": {**defs, **partial_defs, "Scenario": whole, "PartialScenario": partial},
    }


def _experiment() -> dict[str, Any]:
    from sim.experiments.spec import ExperimentFile

    return ExperimentFile.model_json_schema()


def _pack() -> dict[str, Any]:
    from sim.rules import RulePack

    return RulePack.model_json_schema()


def _drill() -> dict[str, Any]:
    from trainer.engine.model import Scenario

    return Scenario.model_json_schema(by_alias=True, schema_generator=_TextForCustomTypes)


class _TextForCustomTypes(GenerateJsonSchema):
    """Custom-parsed fields (a drill's ``when = "trust >= 2"`` conditions) are strings in
    the file; the schema says so instead of refusing to describe them."""

    def handle_invalid_for_json_schema(self, schema: Any, error_info: str) -> JsonSchemaValue:
        return {"type": "string"}


LOCAL_DATE_TIME = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$"
"""A date and time with or without a UTC offset: drills give local times such as
``"2026-03-12T20:38"``, which JSON Schema's ``date-time`` format (RFC 3339) rejects."""


def _local_times(node: Any) -> Any:
    if isinstance(node, list):
        return [_local_times(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {k: _local_times(v) for k, v in node.items()}
    if out.get("format") == "date-time":
        del out["format"]
        out["pattern"] = LOCAL_DATE_TIME
    # Bounds declared through custom annotated types arrive under pydantic's own names;
    # editors and validators only know the JSON Schema keywords.
    for ours, standard in BOUND_KEYWORDS.items():
        if ours in out and isinstance(out[ours], int | float) and standard not in out:
            out[standard] = out.pop(ours)
    return out


BOUND_KEYWORDS = {"ge": "minimum", "le": "maximum", "gt": "exclusiveMinimum",
                  "lt": "exclusiveMaximum"}
"""pydantic's bound names -> the JSON Schema keywords with the same meaning."""


def _not_required(node: dict[str, Any], key: str) -> None:
    required = node.get("required")
    if isinstance(required, list) and key in required:
        required.remove(key)
        if not required:
            del node["required"]


def _relaxed(node: Any, prefix: str) -> Any:
    """A deep copy with every ``required`` dropped and ``$ref`` s pointed at prefixed defs."""
    if isinstance(node, list):
        return [_relaxed(item, prefix) for item in node]
    if not isinstance(node, dict):
        return copy.deepcopy(node)
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "required":
            continue
        if key == "$ref" and isinstance(value, str) and value.startswith("#/$defs/"):
            out[key] = "#/$defs/" + prefix + value.removeprefix("#/$defs/")
        else:
            out[key] = _relaxed(value, prefix)
    return out
