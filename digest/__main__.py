"""``digest`` and ``python -m digest``: the command line, with a broken install said in one line.

Only the standard library is imported before the command line itself, so that a package that
cannot be imported (missing, or broken by an upgrade under it) is named in one line, never
shown as a traceback.
"""

from __future__ import annotations

import sys

from digest.dependencies import describe_import_error


def run() -> None:
    try:
        from digest.cli import main

        main()
    except ImportError as exc:
        sys.exit(f"Error: {describe_import_error(exc)}")


if __name__ == "__main__":
    run()
