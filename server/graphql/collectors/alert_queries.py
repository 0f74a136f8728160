"""The viewer's alerts and firings (READ scope, own objects only)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from strawberry.types import Info

from server.collectors.principal import Scope
from server.graphql.collectors.access import account_id
from server.graphql.collectors.alert_types import (
    Alert,
    AlertEvent,
    AlertEventConnection,
    alerts_with_deliveries,
)
from server.graphql.collectors.ids import local_uuid
from server.graphql.context import Context
from server.graphql.errors import ClientError
from server.graphql.pagination import cursor_int, decode_cursor, encode_cursor, page_size
from server.graphql.types.connections import forward_page
from server.store.alert_events import events_page
from server.store.alert_rules import rules_of

_CURSOR = "alertEvent"


def _selects(fields: Iterable[Any], name: str) -> bool:
    """Whether a field of this name is selected anywhere below (fragments included)."""
    return any(
        getattr(field, "name", None) == name or _selects(getattr(field, "selections", ()), name)
        for field in fields
    )


async def viewer_alerts(info: Info[Context, None]) -> list[Alert]:
    owner = account_id(info, Scope.READ)
    async with info.context.session_factory() as session:
        rules = await rules_of(session, owner)
    return await alerts_with_deliveries(
        info, rules, with_deliveries=_selects(info.selected_fields, "webhookDeliveries")
    )


async def viewer_alert_events(
    info: Info[Context, None], first: int | None, after: str | None, alert_id: str | None
) -> AlertEventConnection:
    owner = account_id(info, Scope.READ)
    size = page_size(first)
    before_id = None
    if after is not None:
        (raw,) = decode_cursor(after, _CURSOR, 1)
        before_id = cursor_int(raw)
    only = None
    if alert_id is not None:
        only = local_uuid(alert_id, "Alert")
        if only is None:
            raise ClientError("INVALID_ID", f"{alert_id!r} is not an alert id")
    async with info.context.session_factory() as session:
        rows = await events_page(session, owner, before_id=before_id, limit=size + 1, alert_id=only)
    edges, page_info = forward_page(
        rows,
        size,
        node=AlertEvent.from_row,
        cursor=lambda row: encode_cursor(_CURSOR, row.id),
        had_cursor=after is not None,
    )
    return AlertEventConnection(edges=edges, page_info=page_info)
