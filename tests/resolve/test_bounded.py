"""Bounded work per actor: however many stored actors a name reaches, a document's actor scores at
most SCORE_MAX of them, the established ones first."""
from __future__ import annotations

from sqlalchemy import select

import wirescope.resolve as R
from wirescope.resolve import match as M
from wirescope.resolve.state import Q_NAME_BLOCK
from wirescope.store import schema as S

from test_rules import make

COUNTRIES = ["Kenya", "Peru", "Norway", "Vietnam", "Chile", "Ghana", "Poland", "Nepal", "Bolivia", "Finland",
             "Senegal", "Uruguay", "Mongolia", "Latvia", "Zambia", "Ecuador", "Tunisia", "Estonia", "Laos",
             "Paraguay", "Malawi", "Jordan"]


def test_a_name_reaching_many_namesakes_scores_a_bounded_few(fresh_kb):
    for i, country in enumerate(COUNTRIES):
        fresh_kb.save(make(f"Ahmed Ali, a trader in {country}, said prices rose {i}.",
                           [("e1", "Ahmed Ali", "person"), ("e2", country, "location")]))
    with fresh_kb.engine.connect() as conn:
        ids = set(conn.execute(Q_NAME_BLOCK, {"keys": [M.key("Ahmed Ali")]}).scalars())
        oldest = conn.execute(select(S.kb_names.c.kb_entity).where(S.kb_names.c.key == M.key("Ahmed Ali"))
                              .order_by(S.kb_names.c.id).limit(1)).scalar()
        assert len(ids) > R.SCORE_MAX  # namesakes in documents of different countries stay apart
        entity = make("Ahmed Ali spoke.", [("e1", "Ahmed Ali", "person")]).entities[0]
        prof = R._profile_of(entity)
        got = R._candidates(conn, ids, entity, prof)
        assert len(got) == R.SCORE_MAX
        assert oldest in got  # the established actor is always among them
        assert len(R._candidates(conn, ids, entity)) == len(ids)  # without a profile: every one
