"""Property-service enterprises (物业服务企业)."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from propgraph.models.base import Base


class Enterprise(Base):
    __tablename__ = "enterprises"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    # 统一社会信用代码, 18 characters.
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    # One receiving account per enterprise, never per project (seed 000, FAQ 5):
    # it is a column of the enterprise, so a second one cannot exist.
    bank_name: Mapped[str | None] = mapped_column(String(64))
    bank_account: Mapped[str | None] = mapped_column(String(32))
