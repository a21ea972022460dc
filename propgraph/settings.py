"""Configuration from the environment (prefix ``PROPGRAPH_``) and ``.env``."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PROPGRAPH_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default="sqlite:///propgraph.db",
        description="SQLAlchemy URL; sqlite:/// and postgresql:// get async drivers.",
    )
    # HS256 shared secret; or RS256 with a PEM public key (and, to mint tokens
    # with `propgraph token`, the private key). Values may be PEM text or a path.
    jwt_secret: str | None = None
    jwt_public_key: str | None = None
    jwt_private_key: str | None = None
    jwt_issuer: str = "propgraph"
    token_ttl_seconds: int = 8 * 3600
    redis_url: str | None = None
    # Pins the one clock's date (CONTRACT: PROPGRAPH_TODAY), time of day running.
    today: date | None = None
    upload_dir: Path = Path("propgraph-uploads")
    upload_max_bytes: int = 10 * 1024 * 1024
    # Seconds between outbox deliveries in each gateway process; 0 turns it off.
    outbox_interval_seconds: float = 2.0
    log_level: str = "INFO"
    log_json: bool = True
    # uvicorn's line per HTTP request; off: each GraphQL request already logs one
    # line (role, outcome, duration, request id), and a JSON line costs ~0.1 ms.
    access_log: bool = False

    # Bounds on one request (issue 7; README "Operation limits").
    max_body_bytes: int = Field(
        default=1024 * 1024, description="A JSON request body; uploads get upload_max_bytes more."
    )
    body_timeout_seconds: float = Field(
        default=10.0, description="A request body must arrive within this; else 408."
    )
    operation_timeout_seconds: float = Field(
        default=10.0, description="Wall-clock limit of one request's operations; PostgreSQL too."
    )
    max_response_bytes: int = Field(default=8 * 1024 * 1024, description="The encoded answer.")
    max_requests_per_client: int = Field(
        default=8, description="Requests in flight per account (or per IP without a token)."
    )
    max_anonymous_requests_per_ip: int = Field(
        default=32, description="Requests in flight without a token, per client IP address."
    )
    max_websockets_per_client: int = Field(
        default=4, description="Open WebSockets per account (or per IP without a token)."
    )
    compiled_reads: bool = Field(
        default=True,
        description=(
            "PostgreSQL: answer a query whose fields all have SQL shapes with one "
            "statement (resolvers/compiled); false: always field by field."
        ),
    )
    # Per-role overrides of authz/limits.py, e.g. {"CITY": {"cost": 80000}}.
    limits: dict[str, dict[str, int]] = Field(default_factory=dict)


@lru_cache
def get_settings() -> Settings:
    return Settings()
