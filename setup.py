"""Install-time step of the web UI: take Cytoscape.js from the npm registry, never from the repository.

`pip install -e .` and `pip install -e '.[test]'` run setuptools' build_py (editable installs too).
Before it builds, this runs `npm ci` on our own package.json / package-lock.json (the version is
locked there) in build/npm/ and copies node_modules/cytoscape/dist/cytoscape.min.js into
wirescope/web/static/vendor/ (gitignored, shipped as package data). A file already there for the
locked version is kept. Without npm, or when it fails (offline, no registry), the install still
succeeds with a warning: the network page then draws its server-rendered SVG only, and
`wirescope serve` says why on start.

Everything else about the package is declared in pyproject.toml.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
VENDOR = ROOT / "wirescope" / "web" / "static" / "vendor"
WORK = ROOT / "build" / "npm"
FILES = {"cytoscape.min.js": "node_modules/cytoscape/dist/cytoscape.min.js"}  # vendor name -> npm file
STAMP = VENDOR / "cytoscape.version"  # the locked version the files in VENDOR came from
NPM_TIMEOUT = 600  # seconds


def _warn(message: str) -> None:
    # pip shows a build's output only with -v; `wirescope serve` repeats the gist when the file is missing
    print(f"WARNING: wirescope: {message}", file=sys.stderr, flush=True)


def locked_version() -> str | None:
    try:
        lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
        return lock["packages"]["node_modules/cytoscape"]["version"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def vendor_javascript() -> bool:
    """Put the locked Cytoscape.js into wirescope/web/static/vendor/; False (with a warning) when it
    could not, which never fails the install."""
    version = locked_version()
    if version is None:
        _warn("package-lock.json names no cytoscape version; the network page stays server-rendered.")
        return False
    if STAMP.is_file() and STAMP.read_text(encoding="utf-8").strip() == version \
            and all((VENDOR / name).is_file() for name in FILES):
        return True  # already taken for this version
    npm = shutil.which("npm")
    if npm is None:
        _warn(f"npm was not found, so Cytoscape.js {version} was not installed: the network page draws its "
              "server-rendered picture only. Install Node.js and npm, then run `pip install -e .` again.")
        return False
    WORK.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(ROOT / name, WORK / name)
    command = [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--omit=dev", "--loglevel=error"]
    try:
        done = subprocess.run(command, cwd=WORK, capture_output=True, text=True, timeout=NPM_TIMEOUT)
    except (OSError, subprocess.SubprocessError) as exc:
        _warn(f"`npm ci` could not run ({exc}); the network page stays server-rendered.")
        return False
    if done.returncode != 0:
        tail = " ".join((done.stderr or done.stdout or "").strip().splitlines()[-3:])[:500]
        _warn(f"`npm ci` failed (exit {done.returncode}: {tail}); Cytoscape.js was not installed and the "
              "network page stays server-rendered. Run `pip install -e .` again once the npm registry is reachable.")
        return False
    VENDOR.mkdir(parents=True, exist_ok=True)
    for name, source in FILES.items():
        found = WORK / source
        if not found.is_file():
            _warn(f"npm installed cytoscape but {source} is missing; the network page stays server-rendered.")
            return False
        shutil.copyfile(found, VENDOR / name)
    STAMP.write_text(version + "\n", encoding="utf-8")
    print(f"wirescope: Cytoscape.js {version} installed into {VENDOR.relative_to(ROOT)}", file=sys.stderr)
    return True


class BuildPy(build_py):
    """build_py that takes the web UI's JavaScript from npm first (so package data includes it)."""

    def run(self) -> None:
        vendor_javascript()
        super().run()


if __name__ == "__main__":  # setuptools' build backend runs this file as __main__; tests import it
    setup(cmdclass={"build_py": BuildPy})
