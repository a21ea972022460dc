"""Structured (JSON) logs, each line with the request id of its request.

A request only hands its record over (``QueueHandler``): a thread formats it
and writes the line (``QueueListener``), so the JSON and the write are not
paid between one answer and the next request on the event loop. The thread
writes what is left when the process exits.
"""

from __future__ import annotations

import atexit
import logging
import queue
import sys
from logging.handlers import QueueHandler, QueueListener

from asgi_correlation_id import CorrelationIdFilter
from pythonjsonlogger.json import JsonFormatter


def configure_logging(level: str = "INFO", json: bool = True, access_log: bool = False) -> None:
    """JSON lines on stderr; uvicorn's own logs through the same handler, its access
    line only with ``access_log`` (PROPGRAPH_ACCESS_LOG: the gateway writes its own
    line per GraphQL request). uvicorn skips an access logger without handlers."""
    handler = logging.StreamHandler(sys.stderr)
    if json:
        handler.setFormatter(
            JsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(message)s %(correlation_id)s",
                rename_fields={"correlation_id": "request_id", "levelname": "level"},
            )
        )
    else:
        handler.setFormatter(
            logging.Formatter(
                "%(asctime)s %(levelname)s [%(correlation_id)s] %(name)s: %(message)s"
            )
        )
    global _listener
    if _listener is not None:
        _listener.stop()
    records: queue.SimpleQueue[logging.LogRecord] = queue.SimpleQueue()
    handoff = _Handoff(records)
    handoff.addFilter(CorrelationIdFilter(uuid_length=32, default_value="-"))  # the request's id
    _listener = QueueListener(records, handler)
    _listener.start()
    root = logging.getLogger()
    root.handlers[:] = [handoff]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = access_log or name != "uvicorn.access"


_listener: QueueListener | None = None


class _Handoff(QueueHandler):
    """Hands the record over as it is: the writing thread formats it (the standard
    ``prepare`` would format it here, and drop ``exc_info`` for the text)."""

    def prepare(self, record: logging.LogRecord) -> logging.LogRecord:
        return record


@atexit.register
def _flush() -> None:
    if _listener is not None:
        _listener.stop()
