"""`node(id)` for collectors' objects: the viewer's own only; anyone else's is null, like a
missing one, and so is every such id without READ."""

from __future__ import annotations

import uuid

from strawberry.types import Info

from server.collectors.principal import Scope
from server.graphql.collectors.access import AccessDenied, account_principal
from server.graphql.collectors.alert_types import Alert, AlertEvent
from server.graphql.collectors.collection_types import Holding, WatchlistItem
from server.graphql.collectors.types import ApiKey
from server.graphql.context import Context
from server.graphql.node import MAX_ROW_ID
from server.store.alert_events import event_of
from server.store.alert_rules import rule_of
from server.store.api_keys import api_key_of
from server.store.holdings import holding_of
from server.store.watchlist import watchlist_rows

COLLECTOR_NODE_TYPES = frozenset({"Alert", "AlertEvent", "ApiKey", "Holding", "WatchlistItem"})


async def collector_node(
    info: Info[Context, None], type_name: str, local_id: str
) -> Alert | AlertEvent | ApiKey | Holding | WatchlistItem | None:
    try:
        principal = account_principal(info.context, Scope.READ)
    except AccessDenied:
        return None
    owner = principal.account_id
    assert owner is not None
    if type_name == "AlertEvent":
        if not local_id.isdigit() or int(local_id) > MAX_ROW_ID:
            return None
        async with info.context.session_factory() as session:
            event = await event_of(session, owner, int(local_id))
        return AlertEvent.from_row(event) if event else None
    try:
        object_id = uuid.UUID(local_id)
    except ValueError:
        return None
    async with info.context.session_factory() as session:
        match type_name:
            case "Alert":
                rule = await rule_of(session, owner, object_id)
                return Alert.from_row(rule) if rule else None
            case "ApiKey":
                key = await api_key_of(session, owner, object_id)
                return ApiKey.from_row(key) if key else None
            case "Holding":
                holding = await holding_of(session, owner, object_id)
                return Holding.from_row(holding) if holding else None
            case "WatchlistItem":
                rows = await watchlist_rows(session, owner, item_id=object_id)
                return WatchlistItem.from_row(rows[0]) if rows else None
    return None
