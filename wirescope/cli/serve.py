"""`wirescope serve`: the web UI and the JSON API over a knowledge base."""
from __future__ import annotations

from typing import List, Optional

import typer

MIN_PUBLIC_TOKEN = 32  # characters of WIRESCOPE_TOKEN needed to accept writes on a public address


def check_bind(host: str, public: bool, allow_writes: bool, token: str | None, allowed_host: list[str]) -> None:
    """Refuse unsafe combinations before anything is opened: a non-loopback address without
    --public (E507, exit 2), writes on a public address with a short token (E508, exit 1), an
    --allowed-host that is not a host name (E103, exit 2)."""
    from wirescope.api.security import is_loopback, normalise_host
    from wirescope.errors import ConfigError, UsageError

    for value in allowed_host:
        if normalise_host(value) is None:
            raise UsageError("E103", name="--allowed-host", value=value[:80], reason="not a host name or IP address")
    if is_loopback(host):
        return
    if not public:
        raise UsageError("E507", host=host[:80])
    if allow_writes and token and len(token) < MIN_PUBLIC_TOKEN:
        raise ConfigError("E508", length=len(token), minimum=MIN_PUBLIC_TOKEN)


def _shown_url(url: str) -> str:
    """The knowledge base URL with any password masked."""
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not a URL (a bare path): nothing to hide
        return url


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        db: Optional[str] = typer.Option(None, "--db", help="SQLAlchemy URL or SQLite path (default: WIRESCOPE_DB or sqlite:///wirescope.db)."),
        host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (default: this machine only; another needs --public)."),
        port: int = typer.Option(8000, "--port", min=0, max=65535, help="Port to listen on."),
        public: bool = typer.Option(False, "--public", help="Allow a --host other machines can reach (writes then need a token of 32+ characters)."),
        allowed_host: List[str] = typer.Option([], "--allowed-host", help="A Host name clients may use besides loopback and --host (repeatable)."),
        allow_writes: bool = typer.Option(False, "--allow-writes",
                                          help="Enable POST /api/documents and the merge/split judgements; needs WIRESCOPE_TOKEN."),
        token_name: str = typer.Option("api-token", "--token-name", help="Who writes with the token: the author of merges and splits and the identity in the audit log."),
        max_body: int = typer.Option(5_000_000, "--max-body", min=1, help="Largest request body in bytes (E504 above)."),
    ) -> None:
        """Serve the web UI (search, actors, relations with evidence, documents, network, timeline)
        and the JSON API (/api/..., documented at /docs) over a knowledge base.

        Read-only and on this machine only unless told otherwise: --public to listen on another
        address, --allow-writes for writes (they need `Authorization: Bearer $WIRESCOPE_TOKEN` and
        are recorded in the knowledge base's audit log).

        Examples:

          wirescope serve --db wirescope-demo.db

          WIRESCOPE_TOKEN=s3cret wirescope serve --db kb.db --allow-writes --port 8080

          wirescope serve --db kb.db --host 0.0.0.0 --public --allowed-host kb.example.org
        """
        import uvicorn

        from wirescope.api.app import create_app
        from wirescope.api.security import is_loopback
        from wirescope.cli.common import err, settings_from

        settings = settings_from(db=db)
        token = settings.token
        check_bind(host, public, allow_writes, token, allowed_host)
        application = create_app(settings, allow_writes=allow_writes, token=token, max_body=max_body, host=host,
                                 allowed_host=allowed_host, identity=token_name)
        counts = application.state.ws.kb.counts()
        shown = "[" + host + "]" if ":" in host else host
        if not is_loopback(host):
            err.print(f"warning: listening on {shown}: anyone who can reach this address can read the knowledge base.",
                      markup=False)
            if host.strip() in ("0.0.0.0", "::") and not allowed_host:
                err.print("note: only requests addressed to 127.0.0.1 or localhost are answered; "
                          "give the names other machines use with --allowed-host.", markup=False)
        err.print(f"serving {_shown_url(settings.db_url)} ({counts['documents']} documents, {counts['actors']} actors) "
                  f"on http://{shown}:{port}/ "
                  f"({'writes enabled' if allow_writes else 'read-only'}); API docs at /docs", markup=False)
        uvicorn.run(application, host=host, port=port, server_header=False,
                    log_level="warning" if not settings.debug else "debug")
