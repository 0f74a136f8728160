"""Search hits scored against the figure: the documented 0-1 confidence and its threshold."""

from __future__ import annotations

import pytest

from workers.pipeline.match import LOW_CONFIDENCE, MATCH_THRESHOLD, match, title_confidence

LUKE = ("sw0001a", "Luke Skywalker (Tatooine)")


@pytest.mark.parametrize(
    ("title", "confidence"),
    [
        # number 0.5 + character 0.3 + variant 0.2
        ("LEGO Star Wars Luke Skywalker Tatooine sw0001a Minifigure 1999", 1.0),
        ("Lego Luke Skywalker (Tatooine) sw0001a - New from set 7140", 1.0),
        # no variant word
        ("Lego Star Wars Luke Skywalker sw0001a Minifig", 0.8),
        # half the character, no number
        ("LEGO Skywalker Tatooine minifigure", 0.35),
        ("LEGO sw0001a", 0.5),
        # another figure of the family: -0.3
        ("LEGO Star Wars Han Solo sw0002 minifigure", 0.0),
        ("LEGO Luke Skywalker Tatooine sw0001a sw0002", 0.7),
        # negative words: -0.4 each
        ("LEGO Star Wars Minifigure Lot of 10 incl. Luke Skywalker sw0001a", 0.4),
        ("Custom Luke Skywalker Tatooine minifigure compatible with LEGO", 0.0),
        ("Luke Skywalker Tatooine sw0001a replica", 0.6),
    ],
)
def test_documented_score(title: str, confidence: float) -> None:
    assert title_confidence(title, *LUKE) == confidence


def test_a_figure_without_variant_words_scores_the_character_twice() -> None:
    assert title_confidence("LEGO Stormtrooper minifig", "sw0188", "Stormtrooper") == 0.5
    assert title_confidence("LEGO Stormtrooper sw0188", "sw0188", "Stormtrooper") == 1.0


def test_below_the_threshold_is_excluded_as_low_confidence_but_a_title_rule_wins() -> None:
    low = match("LEGO Luke Skywalker minifigure", *LUKE, title_reason=None)
    lot = match("Lot of Luke Skywalker", *LUKE, title_reason="lot")
    sure = match("LEGO Luke Skywalker Tatooine sw0001a", *LUKE, title_reason=None)

    assert (low.confidence, low.excluded_reason) == (0.3, LOW_CONFIDENCE)
    assert low.confidence < MATCH_THRESHOLD
    assert (lot.excluded_reason, sure.excluded_reason, sure.confidence) == ("lot", None, 1.0)


def test_a_listing_found_by_id_is_certain() -> None:
    assert match(None, *LUKE, title_reason=None).confidence == 1.0
