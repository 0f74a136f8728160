"""When a rule fires: a price that meets its condition while the rule is armed.

A level rule (`price`) is met by a price strictly above (ABOVE) or strictly below (BELOW)
its amount. A move rule (`change_pct`) is met when the price moved at least that many
percent up (ABOVE) or down (BELOW) from the median of the counted prices of the window
before it. A rule fires when met while armed, then stays quiet until a price that does
not meet it re-arms it: a crossing fires once, not every matching price after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

ABOVE = "ABOVE"
BELOW = "BELOW"


@dataclass(frozen=True, slots=True)
class Reading:
    """A rule's view of one price: whether it meets the condition, and the move if any."""

    met: bool
    reference_usd: Decimal | None = None
    change_pct: Decimal | None = None


def level_reading(direction: str, price_usd: Decimal, threshold_usd: Decimal) -> Reading:
    met = price_usd > threshold_usd if direction == ABOVE else price_usd < threshold_usd
    return Reading(met)


def move_reading(
    direction: str, price_usd: Decimal, reference_usd: Decimal, change_pct: Decimal
) -> Reading:
    move = (price_usd - reference_usd) * 100 / reference_usd
    met = move >= change_pct if direction == ABOVE else move <= -change_pct
    return Reading(met, reference_usd, move.quantize(Decimal("0.01")))


@dataclass(slots=True)
class Trigger:
    """A rule's armed state as prices come in, in time order."""

    armed: bool

    def fires(self, reading: Reading) -> bool:
        if not reading.met:
            self.armed = True
            return False
        fired, self.armed = self.armed, False
        return fired
