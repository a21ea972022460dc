"""What every resolver gets as ``info.context``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from strawberry.types import Info as StrawberryInfo

from propgraph.authz.limits import CostBudget, Limits
from propgraph.authz.viewer import Viewer
from propgraph.db import RequestDB
from propgraph.resolvers.loaders import Loaders

if TYPE_CHECKING:
    from propgraph.services import Services


@dataclass
class Context:
    request: Any
    response: Any
    db: RequestDB
    viewer: Viewer
    services: Services
    loaders: Loaders = field(init=False)
    # Set by the gateway: the role's operation limits and the request's cost budget.
    limits: Limits | None = None
    cost_budget: CostBudget | None = None
    # Set by the gateway: try the operation's compiled plan first (resolvers/compiled).
    compiled_reads: bool = False
    # An HTTP answer may carry a compiled read's JSON text unparsed (role_app.encode_json).
    raw_json: bool = False

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.db, self.viewer)


Info = StrawberryInfo[Context, None]
