"""Observations to and from their stored raw form (server/store/provenance.py)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import fields
from datetime import datetime
from decimal import Decimal
from typing import Any

from server.store.provenance import RawRecord
from workers.pipeline.observation import Observation, Rejection

_DECIMALS = {"price", "shipping"}
_FIELDS = tuple(item.name for item in fields(Observation))
# The digest's text: keys sorted, so equal payloads hash equally whatever the field order.
_DIGEST_ENCODER = json.JSONEncoder(sort_keys=True, default=str)


def to_json(observation: Observation) -> dict[str, Any]:
    """Every field, JSON-safe: decimals as text (exact), times as ISO text."""
    values: dict[str, Any] = {}
    for name in _FIELDS:
        value = getattr(observation, name)
        if isinstance(value, Decimal):
            value = str(value)
        elif isinstance(value, datetime):
            value = value.isoformat()
        values[name] = value
    return values


def from_json(values: dict[str, Any]) -> Observation:
    restored = dict(values)
    restored["observed_at"] = datetime.fromisoformat(values["observed_at"])
    for name in _DECIMALS:
        if restored.get(name) is not None:
            restored[name] = Decimal(restored[name])
    return Observation(**restored)


def raw_records(
    observations: Sequence[Observation], rejections: Sequence[Rejection]
) -> list[RawRecord]:
    """One record per observation, with the pipeline's verdict on it."""
    reasons = {id(r.observation): r.reason for r in rejections}
    records = []
    for observation in observations:
        values = to_json(observation)
        document = _DIGEST_ENCODER.encode(values)
        digest = hashlib.sha256(document.encode()).hexdigest()
        reason = reasons.get(id(observation))
        records.append(
            RawRecord(
                source=observation.source,
                external_id=observation.external_id,
                observed_key=values["observed_at"],
                digest=digest,
                document=document,
                status="accepted" if reason is None else "rejected",
                reason=reason,
            )
        )
    return records
