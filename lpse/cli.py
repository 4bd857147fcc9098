"""The `lpse` console command: Django's management commands on this project.

`.venv/bin/lpse migrate`, `lpse audit verify`, `lpse demo`, `lpse serve`, ...
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lpse.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["lpse", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
