"""Uploaded files on disk, under the configured upload folder.

Names on disk are random; the user's filename is kept in the database only.
The content type is decided from the file's first bytes, not from what the
client claims.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from propgraph.workflows.errors import invalid

# Magic numbers of the types we accept as evidence.
SIGNATURES: list[tuple[bytes, str, str]] = [
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
]


@dataclass(frozen=True)
class StoredFile:
    stored_as: str  # path relative to the upload folder
    content_type: str
    size: int
    sha256: str


def sniff(content: bytes) -> tuple[str, str] | None:
    for signature, content_type, suffix in SIGNATURES:
        if content.startswith(signature):
            return content_type, suffix
    return None


class FileStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def save(self, folder: str, content: bytes, content_type: str, suffix: str) -> StoredFile:
        relative = Path(folder) / f"{secrets.token_hex(16)}{suffix}"
        target = self.root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        return StoredFile(
            str(relative), content_type, len(content), hashlib.sha256(content).hexdigest()
        )

    def delete(self, stored_as: str) -> None:
        (self.root / stored_as).unlink(missing_ok=True)

    def path(self, stored_as: str) -> Path:
        return self.root / stored_as


def display_name(raw: str | None) -> str:
    """The user's filename without any folder part, at most 255 characters.

    Only printable characters are kept: no NUL (PostgreSQL refuses it), no
    lone surrogate (no driver can encode it), no control characters.
    """
    name = PurePath((raw or "").replace("\\", "/")).name
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return (name or "upload")[:255]


@dataclass(frozen=True)
class AcceptedUpload:
    content: bytes
    content_type: str
    suffix: str
    filename: str  # display_name of what the client called it


async def upload_bytes(upload: Any, max_bytes: int) -> bytes:
    """A multipart upload's bytes, 1 to ``max_bytes`` of them (never more are read);
    otherwise a typed ``VALIDATION`` error on ``file``."""
    if not hasattr(upload, "read"):
        raise invalid("file", "Send the file as a multipart upload.")
    content: bytes = await upload.read(max_bytes + 1)
    if not content:
        raise invalid("file", "The file is empty.")
    if len(content) > max_bytes:
        raise invalid("file", f"The file is larger than {max_bytes // (1024 * 1024)} MB.")
    return content


async def accepted_upload(upload: Any, max_bytes: int) -> AcceptedUpload:
    """A multipart upload's bytes, if it is a PDF, JPEG or PNG of 1 to ``max_bytes``
    bytes; otherwise a typed ``VALIDATION`` error on ``file``."""
    content = await upload_bytes(upload, max_bytes)
    sniffed = sniff(content)
    if sniffed is None:
        raise invalid("file", "Only PDF, JPEG and PNG files are accepted.")
    name = display_name(getattr(upload, "filename", None))
    return AcceptedUpload(content, sniffed[0], sniffed[1], name)
