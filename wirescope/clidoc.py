"""The README's command reference, generated from the CLI itself (a test keeps the README current).

    python -m wirescope.clidoc            # print the reference
    python -m wirescope.clidoc --write    # rewrite the block between the markers in README.md
"""
from __future__ import annotations

import sys
from pathlib import Path

START = "<!-- cli-reference:start -->"
END = "<!-- cli-reference:end -->"
README = Path(__file__).resolve().parent.parent / "README.md"


def _help(args: list[str]) -> str:
    from typer.testing import CliRunner

    from wirescope.cli import app

    result = CliRunner().invoke(app, [*args, "--help"], prog_name="wirescope", env={"COLUMNS": "100", "TERM": "dumb"})
    return result.output.rstrip() + "\n"


def reference() -> str:
    from wirescope.cli import app

    names = [c.name or c.callback.__name__ for c in app.registered_commands]  # type: ignore[union-attr]
    parts = ["```", _help([]).rstrip(), "```", ""]
    for name in names:
        parts += [f"### wirescope {name}", "", "```", _help([name]).rstrip(), "```", ""]
    return "\n".join(parts)


def block() -> str:
    return f"{START}\n{reference()}{END}"


def write(readme: Path = README) -> None:
    text = readme.read_text(encoding="utf-8")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    readme.write_text(head + block() + tail, encoding="utf-8")


if __name__ == "__main__":
    if "--write" in sys.argv:
        write()
    else:
        print(reference())
