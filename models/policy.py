"""The Casbin rule table, owned by our migrations.

The columns are exactly those ``casbin_async_sqlalchemy_adapter`` reads and
writes; declaring the table here keeps schema changes in Alembic.
"""

from __future__ import annotations

from sqlalchemy import Index, String, func
from sqlalchemy.orm import Mapped, mapped_column

from propgraph.models.base import Base


class CasbinRule(Base):
    __tablename__ = "casbin_rule"

    id: Mapped[int] = mapped_column(primary_key=True)
    ptype: Mapped[str | None] = mapped_column(String(255))
    v0: Mapped[str | None] = mapped_column(String(255))
    v1: Mapped[str | None] = mapped_column(String(255))
    v2: Mapped[str | None] = mapped_column(String(255))
    v3: Mapped[str | None] = mapped_column(String(255))
    v4: Mapped[str | None] = mapped_column(String(255))
    v5: Mapped[str | None] = mapped_column(String(255))

    def __str__(self) -> str:
        # The adapter loads each row by parsing this text as a policy line.
        values = [self.v0, self.v1, self.v2, self.v3, self.v4, self.v5]
        present = [v for v in values if v is not None]
        return ", ".join([self.ptype or "", *present])


# One row per line (migration 0016): a racing twin of addPolicyRule fails to insert.
Index(
    "uq_casbin_rule_line",
    *(
        func.coalesce(getattr(CasbinRule, name), "")
        for name in ("ptype", "v0", "v1", "v2", "v3", "v4", "v5")
    ),
    unique=True,
)
