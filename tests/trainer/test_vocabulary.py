"""One vocabulary for debtor types, outcomes and channels: every place that needs a word
reads it from ``vocabulary.toml``, and a gap fails here, loudly."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import pytest
from engine_support import SHIPPED_DIR, write_variant

from sim.errors import ConfigError
from trainer.engine import load_library, load_scenario
from trainer.engine.model import Outcome
from trainer.engine.scoring import RIGHT_RESOLUTION
from trainer.i18n import Translator
from trainer.messages import CATALOGUE
from trainer.report import CORE_DEBTOR_TYPES
from trainer.vocabulary import OUTCOMES, channels, debtor_types, vocabulary


def test_outcomes_are_the_engines() -> None:
    assert set(get_args(Outcome)) == set(OUTCOMES)


@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_every_debtor_type_is_labelled_and_resolvable(language: str) -> None:
    tr = Translator(language)
    catalogue = CATALOGUE["zh" if language.startswith("zh") else "en"]
    for name in debtor_types():
        assert tr.has(f"debtor_type.{name}"), name
        assert f"debtor.{name}" in catalogue, name
        assert RIGHT_RESOLUTION[name], name
    for family in vocabulary().families:
        assert tr.has(f"family.{family}"), family
    for channel in channels():
        assert tr.has(f"channel.{channel}"), channel
    assert debtor_types() == CORE_DEBTOR_TYPES


def test_escapes_are_never_a_types_right_resolution() -> None:
    for name, right in RIGHT_RESOLUTION.items():
        assert not right & {"escalated", "hung_up"}, name


def test_every_shipped_drill_uses_declared_words() -> None:
    library = load_library(SHIPPED_DIR)
    assert [e.render() for e in library.errors] == []
    for scenario in library:
        assert scenario.meta.debtor_type in debtor_types()


def test_channels_are_the_simulators() -> None:
    """A contact history means the same on both sides: trainer channels are simulator
    channel names (``field_visit``, not ``visit``)."""
    from sim.scenario.channels import Channels

    assert set(channels()) <= set(Channels.model_fields)
    assert "field_visit" in channels()


def test_an_undeclared_debtor_type_is_refused_with_a_suggestion(tmp_path: Path) -> None:
    path = write_variant(tmp_path, 'debtor_type = "hardship"', 'debtor_type = "hardshp"')
    with pytest.raises(ConfigError) as caught:
        load_scenario(path)
    problem = next(p for p in caught.value.problems if p.key == "meta.debtor_type")
    assert problem.suggestion == "hardship"


def test_an_undeclared_channel_is_refused(tmp_path: Path) -> None:
    path = write_variant(tmp_path, 'channel = "call"', 'channel = "visit"')
    with pytest.raises(ConfigError) as caught:
        load_scenario(path)
    assert [(p.key, p.value) for p in caught.value.problems] == [
        ("brief.contact_history[0].channel", "visit")]
