"""Every shipped file validates against the schema ``recoverylab schema`` writes, and the
schemas still catch the mistakes an editor should underline."""

from __future__ import annotations

import datetime
import functools
import json
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from sim import schemas, shipped


def _as_editor_sees_it(value: Any) -> Any:
    """TOML dates and times as the strings a TOML editor hands to the JSON Schema."""
    if isinstance(value, dict):
        return {k: _as_editor_sees_it(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_editor_sees_it(v) for v in value]
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return value


@functools.cache
def _validator(kind: str) -> jsonschema.Draft202012Validator:
    schema = schemas.schema(kind)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def _errors(kind: str, data: dict[str, Any]) -> list[str]:
    return [f"{'.'.join(map(str, e.absolute_path))}: {e.message}"
            for e in _validator(kind).iter_errors(_as_editor_sees_it(data))]


SHIPPED = [(kind, path) for kind in schemas.KINDS
           for path in sorted(shipped.folder(kind).glob(shipped.SHELVES[kind].pattern))]


@pytest.mark.parametrize(("kind", "path"), SHIPPED, ids=lambda v: getattr(v, "name", v))
def test_every_shipped_file_validates(kind: str, path: Path) -> None:
    assert _errors(kind, tomllib.loads(path.read_text("utf-8"))) == []


def test_all_kinds_ship_files_and_inherit_variants_are_among_them() -> None:
    assert {kind for kind, _ in SHIPPED} == set(schemas.KINDS)
    inheriting = [p for k, p in SHIPPED if k == "scenario" and "inherit" in tomllib.loads(
        p.read_text("utf-8"))]
    assert len(inheriting) >= 5


def _baseline() -> dict[str, Any]:
    path = shipped.shipped("scenario", "baseline")
    assert path is not None
    return tomllib.loads(path.read_text("utf-8"))


def test_the_scenario_schema_still_catches_mistakes() -> None:
    whole = _baseline()
    assert _errors("scenario", whole) == []
    typo = {**whole, "horizon": {"dayz": 30}}
    assert any("dayz" in e for e in _errors("scenario", typo))
    no_book = {k: v for k, v in whole.items() if k != "portfolio"}
    assert any("portfolio" in e for e in _errors("scenario", no_book))
    # With inherit, the same omission is fine, but a typo or a bad range still is not.
    assert _errors("scenario", {"inherit": "baseline", "horizon": {"days": 30}}) == []
    assert _errors("scenario", {"inherit": "baseline", "horizon": {"dayz": 30}}) != []
    assert _errors("scenario", {"inherit": "baseline", "horizon": {"days": 0}}) != []


def test_other_kinds_catch_unknown_keys() -> None:
    pack = tomllib.loads((shipped.folder("pack") / "cn.toml").read_text("utf-8"))
    assert _errors("pack", {**pack, "extra": 1}) != []
    drill = tomllib.loads((shipped.folder("drill") / "stop-calling.en-US.toml").read_text("utf-8"))
    assert _errors("drill", {**drill, "nodez": {}}) != []
    assert _errors("experiment", {"name": "x", "scenario": "baseline", "gird": {}}) != []


def test_schema_command_writes_all_four(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    from sim.cli import main

    assert main(["schema", "--out-dir", str(tmp_path)]) == 0
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(f"{k}.schema.json" for k in schemas.KINDS)
    for kind in schemas.KINDS:
        assert json.loads((tmp_path / f"{kind}.schema.json").read_text("utf-8")) == \
            schemas.schema(kind)
    assert main(["schema", "drill"]) == 0
    assert "RecoveryLab role-play drill" in capsys.readouterr().out
