"""Print a pip constraints file pinning every base dependency to its declared minimum.

`make test-min` installs these and runs the fast suite, so the lower bounds in
pyproject.toml are tested rather than hoped for.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9_.\-]+)(\[[^\]]*\])?\s*>=\s*([^,;\s]+)")


def main() -> int:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    for requirement in project["dependencies"]:
        match = REQUIREMENT.match(requirement)
        if match is None:
            print(f"no lower bound in {requirement!r}", file=sys.stderr)
            return 2
        name, _, version = match.groups()
        print(f"{name}=={version}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
