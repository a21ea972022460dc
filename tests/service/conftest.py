"""Service tests change the environment; settings are cached per process."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from propgraph.settings import get_settings


@pytest.fixture(autouse=True)
def fresh_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in (
        "PROPGRAPH_DATABASE_URL",
        "PROPGRAPH_JWT_SECRET",
        "PROPGRAPH_JWT_PUBLIC_KEY",
        "PROPGRAPH_JWT_PRIVATE_KEY",
    ):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
