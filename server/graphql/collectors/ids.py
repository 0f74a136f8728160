"""Global ids of collectors' objects; a malformed or foreign id is simply not found."""

from __future__ import annotations

import uuid

from server.graphql.errors import ClientError
from server.graphql.node import uuid_of


def local_uuid(global_id: str, type_name: str) -> uuid.UUID | None:
    try:
        return uuid_of(global_id, type_name)
    except ClientError:
        return None
