"""`wirescope serve`: the web UI and the JSON API over a knowledge base."""
from __future__ import annotations

import os
from typing import Optional

import typer

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        db: Optional[str] = typer.Option(None, "--db", help="SQLAlchemy URL or SQLite path (default: WIRESCOPE_DB or sqlite:///wirescope.db)."),
        host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (default: this machine only)."),
        port: int = typer.Option(8000, "--port", min=0, max=65535, help="Port to listen on."),
        allow_writes: bool = typer.Option(False, "--allow-writes",
                                          help="Enable POST /api/documents and the merge/split judgements; needs WIRESCOPE_TOKEN."),
        max_body: int = typer.Option(5_000_000, "--max-body", min=1, help="Largest request body in bytes (E504 above)."),
    ) -> None:
        """Serve the web UI (search, actors, relations with evidence, documents, network, timeline)
        and the JSON API (/api/..., documented at /docs) over a knowledge base.

        Read-only unless --allow-writes; writes need `Authorization: Bearer $WIRESCOPE_TOKEN`.

        Examples:

          wirescope serve --db wirescope-demo.db

          WIRESCOPE_TOKEN=s3cret wirescope serve --db kb.db --allow-writes --port 8080
        """
        import uvicorn

        from wirescope.api.app import create_app
        from wirescope.cli.common import err, settings_from

        settings = settings_from(db=db)
        token = settings.token
        application = create_app(settings, allow_writes=allow_writes, token=token, max_body=max_body)
        counts = application.state.ws.kb.counts()
        if host not in LOOPBACK:
            err.print(f"warning: listening on {host}: anyone who can reach this address can read the knowledge base.",
                      markup=False)
        err.print(f"serving {settings.db_url} ({counts['documents']} documents, {counts['actors']} actors) "
                  f"on http://{'[' + host + ']' if ':' in host else host}:{port}/ "
                  f"({'writes enabled' if allow_writes else 'read-only'}); API docs at /docs", markup=False)
        uvicorn.run(application, host=host, port=port, log_level="warning" if not settings.debug else "debug")
