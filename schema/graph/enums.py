"""GraphQL enums of the graph, backed by the models' enums."""

from __future__ import annotations

import strawberry

from propgraph.models import enums

Role = strawberry.enum(enums.Role, description="The one role of an account.")
Position = strawberry.enum(enums.Position, description="负责人 HEAD or 经办人 CLERK of an office.")
ProjectKind = strawberry.enum(enums.ProjectKind, description="The kind of a property project.")
OwnerVerification = strawberry.enum(
    enums.OwnerVerification, description="How an owner's identity was checked."
)
