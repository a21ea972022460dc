"""GraphQL enums of the graph, backed by the models' enums."""

from __future__ import annotations

from typing import TYPE_CHECKING

import strawberry

from propgraph.models import enums

if TYPE_CHECKING:  # strawberry.enum returns the class it is given, registered for GraphQL
    from propgraph.models.enums import OwnerVerification as OwnerVerification
    from propgraph.models.enums import Position as Position
    from propgraph.models.enums import ProjectKind as ProjectKind
    from propgraph.models.enums import Role as Role
else:
    Role = strawberry.enum(enums.Role, description="The one role of an account.")
    Position = strawberry.enum(
        enums.Position, description="负责人 HEAD or 经办人 CLERK of an office."
    )
    ProjectKind = strawberry.enum(enums.ProjectKind, description="The kind of a property project.")
    OwnerVerification = strawberry.enum(
        enums.OwnerVerification, description="How an owner's identity was checked."
    )
