"""Settings from the environment: typed, refused with E103 when malformed, overridden by flags."""
from __future__ import annotations

import pytest

from wirescope.errors import ConfigError
from wirescope.settings import Environment, Settings


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


def test_every_variable_is_read_through_one_reader():
    env = Environment.read({"WIRESCOPE_TOKEN": "t" * 40, "WIRESCOPE_FETCH_RETRIES": "2", "OTHER": "x"})
    assert env.token == "t" * 40 and env.fetch_retries == 2 and env.db is None
    assert Settings.from_env({"WIRESCOPE_ANALYST": "ana"}).analyst == "ana"


def test_no_module_reads_wirescope_variables_itself():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "wirescope"
    readers = [p.name for p in root.rglob("*.py") if p.name != "settings.py"
               and ('environ.get("WIRESCOPE_' in p.read_text() or "getenv(\"WIRESCOPE_" in p.read_text())]
    assert readers == []
