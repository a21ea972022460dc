"""The per-request registry of loaders, created on first use."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, Concatenate, ParamSpec, TypeVar, cast

from strawberry.dataloader import DataLoader

from propgraph.authz.viewer import Viewer
from propgraph.db import RequestDB

P = ParamSpec("P")
L = TypeVar("L", bound=DataLoader[Any, Any])


class Loaders:
    """One loader per (class, parameters) for the request.

    A loader class declares how it is created by its constructor,
    ``cls(db, viewer, *params)``; its key is the class and those parameters
    (a node kind, a level, a relation), which must therefore be hashable.
    What varies per load (an id, a page, a filter) goes in the load key::

        row = await info.context.loaders.get(NodeByIdLoader, PROJECT).load(pk)
    """

    def __init__(self, db: RequestDB, viewer: Viewer) -> None:
        self.db = db
        self.viewer = viewer
        self._loaders: dict[Hashable, DataLoader[Any, Any]] = {}

    def get(
        self,
        loader: Callable[Concatenate[RequestDB, Viewer, P], L],
        *params: P.args,
        **named: P.kwargs,
    ) -> L:
        """The request's loader of this class and parameters, created on first use."""
        key = (loader, params, tuple(sorted(named.items())))
        found = self._loaders.get(key)
        if found is None:
            found = self._loaders[key] = loader(self.db, self.viewer, *params, **named)
        return cast(L, found)
