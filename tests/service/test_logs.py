"""What `serve` logs: the gateway's line per request; uvicorn's access line only on request."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from propgraph.logs import configure_logging


@pytest.fixture
def restored_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    names = ("uvicorn", "uvicorn.error", "uvicorn.access")
    saved = {n: (logging.getLogger(n).handlers[:], logging.getLogger(n).propagate) for n in names}
    yield
    root.handlers[:], root.level = handlers, level
    for name, (kept, propagate) in saved.items():
        logging.getLogger(name).handlers[:] = kept
        logging.getLogger(name).propagate = propagate


@pytest.mark.parametrize("access_log", [False, True])
def test_uvicorns_access_line_follows_the_setting(restored_logging: None, access_log: bool) -> None:
    configure_logging("INFO", True, access_log)
    # uvicorn writes its access line only when this logger has a handler (its protocols
    # check hasHandlers()); the gateway's own line and uvicorn's errors always reach one
    assert logging.getLogger("uvicorn.access").hasHandlers() is access_log
    assert logging.getLogger("uvicorn.error").hasHandlers()
    assert logging.getLogger("propgraph.gateway").hasHandlers()
