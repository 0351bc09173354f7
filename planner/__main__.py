"""``python -m planner`` and the ``planner`` command run the CLI."""

import sys


def main() -> None:
    """The CLI; Ctrl-C while it is still loading (imports take a second) exits 130 quietly too."""
    try:
        from planner.cli import app

        app()
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)


if __name__ == "__main__":
    main()
