"""How sure we are that a search hit is the figure searched for: a 0-1 confidence.

Id-based sources (BrickLink's price guide by item number, BrickOwl by BOID) name the
figure exactly: confidence 1. Search-based sources (eBay) return whatever matches the
query words, so each title is scored against the catalog figure:

    fig number   +0.50  the figure's own number appears as a word (`sw0001a`)
    character    +0.30  x the share of the character's words present ("Luke Skywalker")
    variant      +0.20  x the share of the variant words present ("Tatooine"); a figure
                        without variant words takes the character's share instead
    other number -0.30  another number of the same family appears (`sw0002`): a different
                        figure, or a bundle
    negative     -0.40  per negative word: custom, replica, compatible, lot, parts

The sum is clamped to [0, 1]. The character is the catalog name before the first
"(", "," or " - "; the variant words are the rest ("Luke Skywalker (Tatooine)").
Below MATCH_THRESHOLD the listing is kept but excluded with reason `low_confidence`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

MATCH_THRESHOLD = 0.5
LOW_CONFIDENCE = "low_confidence"

FIG_NUMBER_WEIGHT = 0.5
CHARACTER_WEIGHT = 0.3
VARIANT_WEIGHT = 0.2
OTHER_NUMBER_PENALTY = 0.3
NEGATIVE_PENALTY = 0.4
NEGATIVE_WORDS = frozenset({"custom", "replica", "compatible", "lot", "parts"})

# Words that say nothing about which figure it is.
_NOISE = frozenset(
    {
        "a",
        "an",
        "and",
        "the",
        "of",
        "with",
        "in",
        "on",
        "from",
        "for",
        "lego",
        "minifig",
        "minifigs",
        "minifigure",
        "minifigures",
        "figure",
        "new",
        "used",
    }
)
_WORD = re.compile(r"[a-z0-9]+")
_SPLIT_VARIANT = re.compile(r"\(|,| - ")
# A BrickLink-style number: letters, digits, an optional variant letter (sw0001a, col123).
_FIG_NUMBER = re.compile(r"\b([a-z]{2,4})(\d{3,4})([a-z]?)\b")


@dataclass(frozen=True, slots=True)
class Match:
    confidence: float
    excluded_reason: str | None


def _words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if w not in _NOISE]


def _share(wanted: Sequence[str], present: set[str]) -> float:
    if not wanted:
        return 0.0
    return sum(1 for w in wanted if w in present) / len(wanted)


@dataclass(frozen=True, slots=True)
class _Figure:
    """What a catalog figure's number and name say, worked out once per figure."""

    fig_num: str
    character: tuple[str, ...]
    variant: tuple[str, ...]
    # The letters of a BrickLink-style number (`sw` of sw0001a); None for other numbers.
    family: str | None


@functools.lru_cache(maxsize=8192)
def _figure(fig_num: str, name: str) -> _Figure:
    split = _SPLIT_VARIANT.search(name)
    character = tuple(_words(name[: split.start()] if split else name))
    variant = tuple(w for w in _words(name) if w not in character)
    own = _FIG_NUMBER.fullmatch(fig_num.lower())
    return _Figure(fig_num.lower(), character, variant, None if own is None else own.group(1))


def title_confidence(title: str, fig_num: str, name: str) -> float:
    """The documented score above, for one title against one catalog figure."""
    figure = _figure(fig_num, name)
    text = title.lower()
    present = set(_WORD.findall(text))
    score = 0.0
    if figure.fig_num in present:
        score += FIG_NUMBER_WEIGHT
    character_share = _share(figure.character, present)
    score += CHARACTER_WEIGHT * character_share
    score += VARIANT_WEIGHT * (
        _share(figure.variant, present) if figure.variant else character_share
    )
    if figure.family is not None:
        others = {m.group(0) for m in _FIG_NUMBER.finditer(text) if m.group(1) == figure.family}
        if others - {figure.fig_num}:
            score -= OTHER_NUMBER_PENALTY
    score -= NEGATIVE_PENALTY * len(NEGATIVE_WORDS & present)
    return round(min(1.0, max(0.0, score)), 2)


def match(title: str | None, fig_num: str, name: str, title_reason: str | None) -> Match:
    """Confidence and exclusion of one observation; a title rule's reason comes first."""
    if title is None:
        return Match(1.0, title_reason)
    confidence = title_confidence(title, fig_num, name)
    if title_reason is None and confidence < MATCH_THRESHOLD:
        return Match(confidence, LOW_CONFIDENCE)
    return Match(confidence, title_reason)
