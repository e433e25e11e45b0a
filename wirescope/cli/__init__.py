"""The `wirescope` command line: thin Typer commands over the package's functions.

Every command lives in this package (one module per group, each with `register(app)`, attached in
the one explicit list `COMMANDS`); nothing below the CLI imports it. Results go to stdout (JSON
Lines with --format json), logs, progress and errors to stderr. Errors print as `error [CODE]:
message` plus a hint; exit status 1 for failed inputs, 2 for usage errors; a traceback only with
--debug.
"""
from __future__ import annotations

import logging
import os
import sys

import typer

from wirescope import __version__
from wirescope.cli import analyse, eval as eval_, export, query, review, serve, watch
from wirescope.cli.common import State, err, report_error, settings_from
from wirescope.errors import WirescopeError

__all__ = ["app", "main", "entry", "run_ingest", "settings_from", "report_error", "err"]

run_ingest = analyse.run_ingest

app = typer.Typer(
    name="wirescope",
    help=(
        "Read news reports, keep who said what, through whom, and how sure.\n\n"
        "Start with `wirescope demo`; analyse files with `wirescope extract FILE`; build a knowledge base "
        "with `wirescope ingest FILE... --db URL` and read it with show, relations, timeline and search."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


# the command groups, in the order the help lists them
COMMANDS = (analyse, serve, export, query, review, watch, eval_)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"wirescope {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks and debug logs."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    State.debug = debug
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING, format="%(levelname)s %(name)s: %(message)s",
                        stream=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the app, render WirescopeErrors, exit cleanly on a broken pipe."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    try:
        code = app(args=args, prog_name="wirescope", standalone_mode=False)
    except WirescopeError as exc:
        if debug:
            raise
        report_error(exc)
        return exc.exit_code
    except typer.Exit as exc:
        return exc.exit_code
    except (typer.Abort, KeyboardInterrupt):
        err.print("aborted", markup=False)
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return 0
    except Exception as exc:  # click usage errors and the unexpected
        usage, click_error = _click_exception_types()
        if isinstance(exc, usage):
            exc.show(file=sys.stderr)
            return 2
        if isinstance(exc, click_error):
            exc.show(file=sys.stderr)
            return exc.exit_code
        if debug:
            raise
        err.print(f"error [E301]: unexpected {type(exc).__name__}: {exc}", markup=False)
        err.print("hint: run again with --debug for the traceback and report it.", markup=False)
        return 1
    return code if isinstance(code, int) else 0


def _click_exception_types() -> tuple[tuple[type, ...], tuple[type, ...]]:
    """Click's usage and general exceptions: the installed click's, and the copy newer Typer bundles."""
    import click

    usage: list[type] = [click.exceptions.UsageError]
    general: list[type] = [click.exceptions.ClickException]
    try:
        from typer._click import exceptions as bundled  # Typer >= 0.24 ships its own click
    except ImportError:
        pass
    else:
        usage.append(bundled.UsageError)
        general.append(bundled.ClickException)
    return tuple(usage), tuple(general)


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass


def entry() -> None:
    sys.exit(main())




def _register() -> None:
    for module in COMMANDS:
        module.register(app)


_register()
