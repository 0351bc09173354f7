"""``python -m planner`` and the ``planner`` command run the CLI."""

import os
import sys


def main() -> None:
    """The CLI; Ctrl-C while it is still loading (imports take a second) exits 130 quietly too."""
    try:
        from planner.cli import app

        app()
    except SystemExit as stop:
        # The help (printed by rich before any command runs) piped into 'head': rich points stdout at the null
        # device and exits 1. The shell's SIGPIPE code instead, as for the commands' own output.
        if stop.code == 1 and _raised_in(stop, "on_broken_pipe"):
            sys.exit(141)
        raise
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)
    except BrokenPipeError:
        # --help (printed before any command runs) piped into 'head': the shell's code for SIGPIPE, quietly,
        # as a command's own output does (planner.cli); Python's flush at exit must not complain either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(141)


def _raised_in(exc: BaseException, function: str) -> bool:
    """Whether ``exc`` was raised in a function of that name (its traceback's last frame)."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb is not None and tb.tb_frame.f_code.co_name == function


if __name__ == "__main__":
    main()
