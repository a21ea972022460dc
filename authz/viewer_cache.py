"""Compiled viewers kept between requests, in a process that hears of every change.

Loading the account and compiling its scope is a statement and some Python
on every request. On PostgreSQL each process listens for the announcements
that triggers make on every change to ``accounts``, ``delegations`` and
``casbin_rule`` (migration 0005), even changes made by hand in SQL, and
drops the affected entries; the cache is used only while that listener is
connected and is emptied whenever it (re)connects, so an account disabled
through any process is refused by every process on its next request.
Without a listener (SQLite, one process) nothing is cached.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import date

from propgraph.authz.viewer import Viewer

MAX_ENTRIES = 10_000


class ViewerCache:
    def __init__(self) -> None:
        self.entries: OrderedDict[tuple[str, date], Viewer] = OrderedDict()
        self.active = False  # set while the listener is connected
        # Bumped by every announcement: a viewer loaded before a change is not kept.
        self.generation = 0

    def get(self, username: str, today: date) -> Viewer | None:
        if not self.active:
            return None
        viewer = self.entries.get((username, today))
        if viewer is not None:
            self.entries.move_to_end((username, today))
        return viewer

    def put(self, username: str, today: date, viewer: Viewer, generation: int) -> None:
        """Keep ``viewer``, loaded when ``generation`` was current, unless a change came since."""
        if not self.active or generation != self.generation:
            return
        self.entries[(username, today)] = viewer
        if len(self.entries) > MAX_ENTRIES:
            self.entries.popitem(last=False)

    def changed(self, username: str) -> None:
        """An announcement: one account, or "*" for anything."""
        self.generation += 1
        if username == "*":
            self.entries.clear()
            return
        for key in [k for k in self.entries if k[0] == username]:
            del self.entries[key]

    def connected(self) -> None:
        """Listening (again): whatever changed meanwhile was not heard."""
        self.generation += 1
        self.entries.clear()
        self.active = True

    def disconnected(self) -> None:
        self.active = False
        self.entries.clear()
