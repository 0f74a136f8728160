"""Delivering an alert's firing to its webhook: a signed POST, retried with backoff.

Each attempt is logged with its status code (or why none came). 2xx delivers; anything
else is retried after ALERT_WEBHOOK_RETRY_S, doubled each time, until
ALERT_WEBHOOK_MAX_TRIES attempts failed; a refused target fails at once. The target is
checked again before each attempt: its name may resolve elsewhere than at creation.
Redirects are not followed (they could lead anywhere). Delivery is at least once: a
worker killed mid-POST retries it; receivers dedupe on `alertEventId`.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import httpx
from arq import Retry

from server.alerts.payload import EVENT_TYPE, webhook_body
from server.alerts.signature import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature
from server.alerts.webhook_target import (
    WebhookTargetRefusedError,
    WebhookUrlError,
    check_target,
)
from server.models import WebhookStatus
from server.settings import Settings
from server.store.webhook_deliveries import DeliveryTarget, delivery_target, record_attempt
from workers.context import services_of

logger = logging.getLogger(__name__)

# Tries spent waiting for the ingest transaction that enqueued the job to commit.
UNCOMMITTED_TRIES = 3
_ERROR_LENGTH = 300


async def deliver_alert_webhook(ctx: dict[str, Any], alert_event_id: int) -> str:
    """POSTs one firing; returns the outcome (ARQ keeps it as the job's result)."""
    services = services_of(ctx)
    settings = services.settings
    async with services.session_factory() as session:
        target = await delivery_target(session, alert_event_id)
    if target is None:
        # Not committed yet, or rolled back (then the retried ingest enqueues its own).
        if int(ctx.get("job_try", 1)) < UNCOMMITTED_TRIES:
            raise Retry(defer=1.0)
        return "no such event"
    url = target.rule.webhook_url
    if target.event.webhook_status != WebhookStatus.PENDING or url is None:
        return "nothing to deliver"
    attempt = target.attempts_made + 1
    status_code, error, refused = await _post(settings, url, target)
    if status_code is not None and 200 <= status_code < 300:
        outcome = WebhookStatus.DELIVERED
    elif refused or attempt >= settings.alert_webhook_max_tries:
        outcome = WebhookStatus.FAILED
    else:
        outcome = WebhookStatus.PENDING
    async with services.session_factory() as session, session.begin():
        await record_attempt(
            session,
            target.event,
            attempt=attempt,
            url=url,
            status_code=status_code,
            error=error,
            outcome=outcome,
        )
    if outcome == WebhookStatus.PENDING:
        raise Retry(defer=settings.alert_webhook_retry_s * 2 ** (attempt - 1))
    return outcome


async def _post(
    settings: Settings, url: str, target: DeliveryTarget
) -> tuple[int | None, str | None, bool]:
    """(status code, error, refused): one attempt."""
    try:
        await check_target(url, allow_private=settings.alert_webhook_allow_private)
    except (WebhookUrlError, WebhookTargetRefusedError) as refusal:
        return None, str(refusal)[:_ERROR_LENGTH], True
    body = webhook_body(target.event, target.rule, target.minifigure)
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "MinifigureStonks-Webhooks/1",
        "X-Stonks-Event": EVENT_TYPE,
        "X-Stonks-Delivery": str(target.event.id),
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(target.rule.webhook_secret, timestamp, body),
    }
    try:
        async with httpx.AsyncClient(
            timeout=settings.alert_webhook_timeout_s, follow_redirects=False
        ) as client:
            response = await client.post(url, content=body, headers=headers)
    except httpx.HTTPError as error:
        message = f"{type(error).__name__}: {error}"[:_ERROR_LENGTH]
        logger.info("webhook of alert event %s failed: %s", target.event.id, message)
        return None, message, False
    error_text = None if response.is_success else f"HTTP {response.status_code}"
    return response.status_code, error_text, False
