"""Live to-dos over ``graphql-transport-ws`` (CONTRACT "Live updates and exports")."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from propgraph.resolvers.workflow.lists import todos_by_ids
from propgraph.schema.context import Info
from propgraph.schema.workflow.types import Todo


@strawberry.type(description="One of your to-dos opened or closed.")
class TodoChange:
    todo: Todo = strawberry.field(description="The to-do as it is now.")


@strawberry.type(description="Live updates; subscribe over graphql-transport-ws on /graphql.")
class Subscription:
    @strawberry.subscription(
        description="Your to-dos as they open and close, changed through any gateway process."
    )
    async def todo_changed(self, info: Info) -> AsyncGenerator[TodoChange, None]:
        context = info.context
        fanout = context.services.extras["live"]
        queue = fanout.subscribe()
        try:
            while True:
                ids = await queue.get()
                # read through the viewer's own scope: an announcement is only ids
                for row in await todos_by_ids(context.db, context.viewer, ids):
                    yield TodoChange(todo=Todo.from_row(row))
        finally:
            fanout.unsubscribe(queue)
