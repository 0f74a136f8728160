"""alertTriggered: the viewer's alert firings, live, with the rules of `priceTicks`.

Gap-free `since` (the replay log), bounded queues and one execution per event for each
shared operation (server/graphql/live_delivery.py); the account is the route, so an
event is offered to its owner's subscriptions only.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

import strawberry
from strawberry.types import Info

from server.collectors.principal import Scope
from server.events import AlertTriggered as AlertTriggeredEvent
from server.events import Envelope
from server.graphql.collectors.access import account_id
from server.graphql.collectors.alert_types import AlertEvent
from server.graphql.context import Context
from server.graphql.subscription import SINCE, served
from server.live.filters import AlertCriteria


@strawberry.type(description="One of your alerts fired.")
class AlertTriggered:
    event_id: str = strawberry.field(description="The event id: pass it as `since` to resume.")
    alert_event: AlertEvent = strawberry.field(description="The firing, as stored.")


def _triggered(envelope: Envelope) -> object:
    assert isinstance(envelope.event, AlertTriggeredEvent)
    return AlertTriggered(event_id=envelope.id, alert_event=AlertEvent.from_event(envelope.event))


@strawberry.type
class AlertSubscription:
    @strawberry.subscription(
        description="Your alerts' firings as they are stored. Needs an access token or READ "
        'key in `connection_init` (`{"authorization": "Bearer ..."}`).'
    )
    async def alert_triggered(
        self, info: Info[Context, None], since: Annotated[str | None, SINCE] = None
    ) -> AsyncIterator[AlertTriggered]:
        owner = account_id(info, Scope.READ)
        return served(info, AlertCriteria(str(owner)), since, _triggered)
