"""Background load for the benchmark scripts: ``--background-load N`` runs each figure again with N busy
processes beside it (this module is imported from the scripts' own folder, ``benchmarks/``)."""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Iterator
from contextlib import contextmanager


def _busy() -> None:
    while True:  # a busy process: the load another program puts on the machine
        pass


@contextmanager
def busy_processes(n: int) -> Iterator[None]:
    """``n`` busy processes for the duration of the ``with`` block (none for 0), stopped on the way out."""
    workers = [mp.Process(target=_busy, daemon=True) for _ in range(n)]
    for w in workers:
        w.start()
    try:
        yield
    finally:
        for w in workers:
            w.terminate()
