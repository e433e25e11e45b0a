"""Lexicons as data: one loader for every YAML file under wirescope/analyse/data, checked against a
schema when it is first read.

Each file's schema names the sections the code reads and their JSON types; a missing section or a
section of the wrong type stops the pipeline at start-up with E106 (naming the file and the
section), instead of failing later on some document. Sections may be added freely: a schema lists
what must be there, not everything that may be.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from wirescope.errors import ConfigError

DATA_DIR = ("analyse", "data")  # relative to the wirescope package

# file -> {section: JSON type}; every section listed is required
SCHEMAS: dict[str, dict[str, str]] = {
    "actor_roles.yaml": {"roles": "array", "needs_modifier": "array", "identity_cues": "array",
        "member_roles": "array", "org_anaphor_nouns": "array", "org_name_titles": "array",
        "name_lead_words": "array", "name_particles": "array", "ranks": "array", "agencies": "array",
        "affiliations": "array", "titles": "array", "titles_also_names": "array", "styled_titles": "array",
        "style_references": "object", "party_families": "array", "facility_words": "array",
        "place_after": "array", "place_before": "array", "non_actor_names": "array", "org_head_words": "array",
        "title_gender": "object", "generic_groups": "array", "government_nouns": "array",
        "org_generic_heads": "array", "org_name_words": "object", "institution_nouns": "object",
        "subtype_keywords": "object", "alias_cues": "array", "alias_name_nouns": "array",
        "alias_cues_reversed": "array", "alias_cues_weak": "array", "pronouns": "object",
        "speech_verbs": "array", "national_actor_nouns": "object", "generic_actor_families": "object",
        "generic_actor_members": "array", "institution_actor_nouns": "object",
        "institution_action_nouns": "array", "institution_heads_only": "array"},
    "cue_families.yaml": {"naming_verbs": "array", "speech_nouns": "object", "directive_verbs": "array",
        "phrasal_cues": "object", "gerund_cues": "array", "assigning_cues": "object",
        "source_phrases": "array", "per_words": "array", "citing_verbs": "array", "made_nouns": "array",
        "making_verbs": "array", "list_nouns": "object", "list_verbs": "array", "passive_np_cues": "array",
        "human_nouns": "array", "not_sources": "array", "platforms": "array", "authoring_verbs": "array",
        "channel_verbs": "array", "raising_verbs": "array", "as_idioms": "array", "not_content": "object"},
    "cues.yaml": {"verbs": "object", "as_content": "object", "view_nouns": "object", "expressing": "object",
        "according": "array", "quoted_as": "array", "document_nouns": "array", "organization_nouns": "array",
        "generic_subjects": "array", "title_markers": "array", "channels": "object"},
    "demonyms.yaml": {"countries": "object"},
    "gazetteer.yaml": {"actors": "array", "countries": "array"},
    "name_parts.yaml": {"titles": "object", "pronouns": "object", "given_names": "array",
        "surname_first": "array", "generic_words": "array", "legal_suffixes": "array",
        "company_words": "array", "place_features": "array"},
    "name_variants.yaml": {"institutions": "array", "people": "array", "namesakes": "array"},
    "place_words.yaml": {"admin_words": "array", "city_words": "array", "directions": "array",
        "name_articles": "array", "locative_prepositions": "array", "regions": "array",
        "admin1_aliases": "object"},
    "plover.yaml": {"category_map": "object", "types": "object", "mode_cues": "object", "of_source": "array",
        "needs_target": "array", "patients": "object", "light_verbs": "array", "patient_frames": "array",
        "not_event_heads": "array", "on_senses": "object",
        "intransitive_senses": "object", "naming_verbs": "array", "praise_words": "array",
        "responsibility": "object"},
    "predicates.yaml": {"nominals": "array", "of_agent_nominals": "array", "place_preps": "array",
        "instrument_preps": "array", "recipient_preps": "array", "instrument_verbs": "array",
        "conditional_marks": "array", "hypothetical_aux": "array", "future_frames": "array",
        "hedge_adverbs": "array", "agent_nouns": "array", "actor_nouns": "object", "quantity_nouns": "array",
        "state_nouns": "array", "causatives": "array", "person_anaphors": "array"},
    "stance.yaml": {"statements": "object", "predicates": "object"},
    "relations.yaml": {"transfer_verbs": "object", "exchange_nouns": "array", "exchange_adverbials": "array",
        "ending_verbs": "array", "negative_prep_verbs": "object", "withholding_verbs": "array",
        "types": "object", "role_phrases": "object", "attack_phrases": "object", "ties": "object"},
    "timex.yaml": {"months": "object", "month_abbreviations": "object", "weekdays": "object",
        "weekday_abbreviations": "object", "weekly_customs": "array", "seasons": "object",
        "season_start_month": "object", "dayparts": "object", "numbers": "object", "vague_numbers": "array",
        "ordinals": "object", "units": "object", "frequency_words": "object", "references": "object",
        "recent_words": "array", "coming_words": "array", "point_modifiers": "object",
        "duration_modifiers": "object", "holidays": "object", "named_dates": "object",
        "named_date_nouns": "array", "time_zones": "object", "quantity_words": "array",
        "year_determiners": "array", "numeric_date_order": "string", "future_cues": "array",
        "past_cues": "array", "clause_words": "object", "famous_day_months": "object", "guards": "object"},
}


def schema_of(name: str) -> dict[str, Any]:
    sections = SCHEMAS.get(name, {})
    return {"type": "object", "required": sorted(sections),
            "properties": {key: {"type": kind} for key, kind in sections.items()}}


@lru_cache(maxsize=None)
def load(name: str) -> Any:
    """The parsed YAML file `name` of the data folder, validated against its schema (E106)."""
    from jsonschema import Draft202012Validator

    try:
        text = resources.files("wirescope").joinpath(*DATA_DIR, name).read_text(encoding="utf-8")
        data = yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError("E106", name=name, where="(file)", reason=str(exc).splitlines()[0]) from None
    data = {} if data is None else data
    errors = sorted(Draft202012Validator(schema_of(name)).iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.absolute_path) or "(top level)"
        raise ConfigError("E106", name=name, where=where, reason=first.message)
    return data
