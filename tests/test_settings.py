"""Settings from the environment: typed, refused with E103 when malformed, overridden by flags."""
from __future__ import annotations

import pytest

from wirescope.errors import ConfigError
from wirescope.settings import Settings, env_values


@pytest.mark.parametrize("env, field, expected", [
    ({"WIRESCOPE_DB": "kb.db"}, "db_url", "kb.db"),
    ({"WIRESCOPE_BATCH_SIZE": "4"}, "batch_size", 4),
    ({"WIRESCOPE_STAGE_BUDGET": "2.5"}, "stage_budget", 2.5),
    ({"WIRESCOPE_MAX_CHARS": ""}, "max_chars", Settings().max_chars),
    ({}, "model", None),
])
def test_from_env(env, field, expected):
    assert getattr(Settings.from_env(env), field) == expected


@pytest.mark.parametrize("env", [{"WIRESCOPE_MAX_CHARS": "lots"}, {"WIRESCOPE_STAGE_BUDGET": "soon"}])
def test_malformed_values_are_refused(env):
    with pytest.raises(ConfigError) as info:
        Settings.from_env(env)
    assert info.value.code == "E103" and next(iter(env)) in info.value.message


def test_flags_override_the_environment():
    assert Settings.from_env({"WIRESCOPE_DB": "env.db"}, db_url="flag.db").db_url == "flag.db"


def test_env_values_leaves_unset_out():
    assert env_values({"A": "1"}, {"a": ("A", int), "b": ("B", int)}) == {"a": 1}
