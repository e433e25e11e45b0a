"""`python -m bench NAME [args]` runs bench/NAME.py (its main(argv) if it has one, else as a script)."""
from __future__ import annotations

import importlib
import inspect
import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def available() -> list[str]:
    return sorted(p.stem for p in HERE.glob("*.py") if not p.stem.startswith("_"))


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    names = available()
    if not args or args[0] in ("-h", "--help"):
        print("usage: python -m bench NAME [args]\n\nbench modules: " + ", ".join(names))
        return 0 if args else 2
    name = args[0].removesuffix(".py")
    if name not in names:
        print(f"error: no bench module '{name}'. Available: {', '.join(names)}", file=sys.stderr)
        return 2
    module = importlib.import_module(f"bench.{name}")
    entry = getattr(module, "main", None)
    if callable(entry):
        sys.argv = [f"bench/{name}.py", *args[1:]]
        code = entry(args[1:]) if inspect.signature(entry).parameters else entry()
        return code if isinstance(code, int) else 0
    sys.argv = [f"bench/{name}.py", *args[1:]]
    runpy.run_module(f"bench.{name}", run_name="__main__", alter_sys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
