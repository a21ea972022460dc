"""Compiled viewers cached per process, dropped on every announced change (issue 8)."""

from __future__ import annotations

import asyncio
import time
from datetime import date

import pytest
from sqlalchemy import update

from propgraph.authz.viewer_cache import ViewerCache
from propgraph.models import Account
from tests.support.app import RunningApp, running_app, statements_sent
from tests.support.databases import SERVER_URL

TODAY = date(2026, 11, 23)
ME = "{ me { username } }"


def _viewer() -> object:
    return object()  # the cache never looks inside


def test_nothing_is_kept_while_changes_cannot_be_heard() -> None:
    cache = ViewerCache()
    cache.put("a", TODAY, _viewer(), cache.generation)  # type: ignore[arg-type]
    assert cache.get("a", TODAY) is None


def test_an_announcement_drops_the_account_and_a_star_drops_all() -> None:
    cache = ViewerCache()
    cache.connected()
    a, b = _viewer(), _viewer()
    cache.put("a", TODAY, a, cache.generation)  # type: ignore[arg-type]
    cache.put("b", TODAY, b, cache.generation)  # type: ignore[arg-type]
    assert cache.get("a", TODAY) is a and cache.get("a", date(2026, 11, 24)) is None
    cache.changed("a")
    assert cache.get("a", TODAY) is None and cache.get("b", TODAY) is b
    cache.changed("*")
    assert cache.get("b", TODAY) is None


def test_a_viewer_loaded_before_a_change_is_not_kept() -> None:
    cache = ViewerCache()
    cache.connected()
    loaded_at = cache.generation
    cache.changed("a")  # heard while the old row was being read
    cache.put("a", TODAY, _viewer(), loaded_at)  # type: ignore[arg-type]
    assert cache.get("a", TODAY) is None


def test_reconnecting_forgets_everything() -> None:
    cache = ViewerCache()
    cache.connected()
    cache.put("a", TODAY, _viewer(), cache.generation)  # type: ignore[arg-type]
    cache.disconnected()
    assert cache.get("a", TODAY) is None
    cache.connected()
    assert cache.get("a", TODAY) is None


async def _listening(app: RunningApp) -> None:
    async with asyncio.timeout(5):
        await app.app.state.live_listener.listening.wait()


@pytest.mark.skipif(SERVER_URL is None, reason="the cache runs only with PostgreSQL's NOTIFY")
async def test_an_account_disabled_anywhere_is_refused_by_every_process(
    fresh_tiny_url: str,
) -> None:
    async with running_app(fresh_tiny_url) as first, running_app(fresh_tiny_url) as second:
        await _listening(first)
        await _listening(second)
        client = second.client("city_head")
        # given a warm cache in the second process: the account is not read again
        await client.data(ME)
        before = statements_sent()
        await client.data(ME)
        cached_statements = statements_sent() - before
        await first.client("city_head").data(ME)
        # when the account is disabled (here by hand in SQL: triggers announce any change)
        async with first.services.engine.begin() as conn:
            await conn.execute(
                update(Account).where(Account.username == "city_head").values(disabled=True)
            )
        # then the other process refuses it within a second
        started = time.monotonic()
        while (await client.post(ME)).status_code != 401:
            assert time.monotonic() - started < 1.0, "still served from a stale cache"
            await asyncio.sleep(0.01)
        assert cached_statements == 0, cached_statements
