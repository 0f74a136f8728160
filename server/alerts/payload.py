"""The JSON body a webhook receives when its alert fires."""

from __future__ import annotations

import json

from server.models import AlertEvent, AlertRule, Minifigure

EVENT_TYPE = "alert.triggered"


def _amount(value: object) -> str | None:
    return None if value is None else str(value)


def webhook_body(event: AlertEvent, rule: AlertRule, minifigure: Minifigure) -> bytes:
    body = {
        "type": EVENT_TYPE,
        "alertEventId": event.id,
        "alertId": str(rule.id),
        "minifigure": {
            "id": str(minifigure.id),
            "figNum": minifigure.fig_num,
            "name": minifigure.name,
        },
        "rule": {
            "kind": rule.kind,
            "condition": rule.condition,
            "direction": rule.direction,
            "price": _amount(rule.price),
            "currency": rule.currency,
            "changePct": _amount(rule.change_pct),
            "windowDays": rule.window_days,
        },
        "source": event.source,
        "priceUsd": _amount(event.price_usd),
        "observedAt": event.observed_at.isoformat(),
        "referenceUsd": _amount(event.reference_usd),
        "changePct": _amount(event.change_pct),
        "firedAt": event.fired_at.isoformat(),
    }
    return json.dumps(body, separators=(",", ":")).encode()
