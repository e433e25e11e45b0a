"""Export buttons: the selection on screen (an actor and its neighbourhood, with the page's relation
types, dates and minimum sources) as STIX 2.1, GraphML or CSV, through wirescope.export (the same
writers as `wirescope export`). CSV is one file per table, sent as a zip archive."""
from __future__ import annotations

import io
import re
import tempfile
import zipfile
from pathlib import Path

from fastapi import APIRouter, Path as PathParam, Query, Request
from fastapi.responses import Response

from wirescope.api.common import MAX_NAME, NO_CONTROL, check_date, check_types, reading, resolve_actor
from wirescope.web.common import _date_query

router = APIRouter(include_in_schema=False)
FORMATS = {  # format -> (exporter, media type, file suffix)
    "stix": ("stix", "application/stix+json;version=2.1", ".stix.json"),
    "graphml": ("graphml", "application/graphml+xml", ".graphml"),
    "csv": ("csv", "application/zip", ".csv.zip"),
}
_SLUG = re.compile(r"[^A-Za-z0-9]+")


def file_name(name: str, suffix: str) -> str:
    slug = _SLUG.sub("-", name).strip("-")[:60] or "actor"
    return f"wirescope-{slug}{suffix}"


@router.get("/export/{fmt}")
def export(request: Request, fmt: str = PathParam(..., pattern="^(stix|graphml|csv)$"),
           actor: str = Query(..., min_length=1, max_length=MAX_NAME, pattern=NO_CONTROL),
           type: list[str] | None = Query(None), since: str | None = _date_query(), until: str | None = _date_query(),
           min_sources: int = Query(0, ge=0, le=1000)) -> Response:
    from wirescope.export import Filters, get_exporter

    types = check_types(type)
    since, until = check_date(since, "since"), check_date(until, "until")
    name, media, suffix = FORMATS[fmt]
    exporter = get_exporter(name)
    with reading(request) as conn:
        found = resolve_actor(conn, actor)
        filters = Filters(entity=found["id"], types=tuple(types or ()), since=since, until=until,
                          min_sources=min_sources)
        if exporter.multi_file:
            with tempfile.TemporaryDirectory(prefix="wirescope-export-") as tmp:
                exporter.write(conn, Path(tmp), filters)
                buffer = io.BytesIO()
                with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                    for path in sorted(Path(tmp).iterdir()):
                        archive.write(path, arcname=path.name)
                body = buffer.getvalue()
        else:
            out = io.StringIO()
            exporter.write(conn, out, filters)
            body = out.getvalue().encode("utf-8")
    headers = {"content-disposition": f'attachment; filename="{file_name(found["name"], suffix)}"'}
    return Response(body, media_type=media, headers=headers)
