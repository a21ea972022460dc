"""PROPGRAPH_TODAY pins the date every time rule reads, with a warning at start."""

from __future__ import annotations

import logging
from datetime import date

import pytest

from propgraph.app import create_app
from propgraph.clock import local_date, pinned_clock
from tests.support.app import settings_for


def test_the_pinned_clock_keeps_the_date_and_runs_the_time() -> None:
    clock = pinned_clock(date(2026, 6, 15))
    first, second = clock(), clock()
    assert local_date(first) == date(2026, 6, 15) and second >= first


def test_the_app_reads_the_pinned_day_and_warns(
    empty_db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    settings = settings_for(empty_db_url, today=date(2026, 12, 1))
    with caplog.at_level(logging.WARNING, logger="propgraph"):
        app = create_app(settings)
    assert "PROPGRAPH_TODAY" in caplog.text
    assert app.state.services.today() == date(2026, 12, 1)
