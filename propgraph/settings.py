"""Configuration from the environment (prefix ``PROPGRAPH_``) and ``.env``."""

from __future__ import annotations

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
    upload_dir: Path = Path("propgraph-uploads")
    upload_max_bytes: int = 10 * 1024 * 1024
    # Seconds between outbox deliveries in each gateway process; 0 turns it off.
    outbox_interval_seconds: float = 2.0
    log_level: str = "INFO"
    log_json: bool = True


@lru_cache
def get_settings() -> Settings:
    return Settings()
