"""GraphQL enums of the owners area, backed by the models' enums."""

from __future__ import annotations

from typing import TYPE_CHECKING

import strawberry

from propgraph.models import voting

if TYPE_CHECKING:  # strawberry.enum returns the class it is given, registered for GraphQL
    from propgraph.models.voting import MeetingStatus as MeetingStatus
    from propgraph.models.voting import VoteChoice as VoteChoice
    from propgraph.models.voting import VotingRule as VotingRule
else:
    VoteChoice = strawberry.enum(voting.VoteChoice, description="同意, 不同意 or 弃权.")
    VotingRule = strawberry.enum(
        voting.VotingRule,
        description="How a topic passes: DOUBLE_TWO_THIRDS (seed 003), MAJOR or ORDINARY "
        "(Civil Code art. 278).",
    )
    MeetingStatus = strawberry.enum(
        voting.MeetingStatus,
        description="PUBLICITY before votingStartsAt, VOTING until votingEndsAt, then CLOSED; "
        "or CANCELLED.",
    )
