"""Relay global ids: base64 of "<TypeName>:<local id>", opaque to clients."""

from __future__ import annotations

import base64
import binascii
import uuid

from server.graphql.errors import ClientError

# Row ids are PostgreSQL bigints.
MAX_ROW_ID = 2**63 - 1


def to_global_id(type_name: str, local_id: uuid.UUID | int | str) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{local_id}".encode()).decode()


def from_global_id(global_id: str) -> tuple[str, str]:
    """Returns (type name, local id); raises ClientError(INVALID_ID) for garbage."""
    try:
        decoded = base64.urlsafe_b64decode(global_id.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ClientError("INVALID_ID", f"{global_id!r} is not a valid id") from None
    type_name, sep, local_id = decoded.partition(":")
    if not sep or not type_name or not local_id:
        raise ClientError("INVALID_ID", f"{global_id!r} is not a valid id")
    return type_name, local_id


def uuid_of(global_id: str, expected_type: str) -> uuid.UUID | None:
    """The UUID behind a global id of `expected_type`; None when it names another type."""
    type_name, local_id = from_global_id(global_id)
    if type_name != expected_type:
        return None
    try:
        return uuid.UUID(local_id)
    except ValueError:
        raise ClientError("INVALID_ID", f"{global_id!r} is not a valid id") from None


def row_id_of(local_id: str, global_id: str) -> int:
    """The bigint row id of a global id's local part; INVALID_ID when it cannot be one."""
    # isdigit() alone admits "²" and other Unicode digits that int() refuses.
    if not (local_id.isascii() and local_id.isdigit()) or not 0 < int(local_id) <= MAX_ROW_ID:
        raise ClientError("INVALID_ID", f"{global_id!r} is not a valid id")
    return int(local_id)
