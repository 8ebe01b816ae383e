"""The bench's arithmetic: a growth ratio is judged on pairs of samples taken a
moment apart, so a burst of load on one side does not decide it."""

from __future__ import annotations

import pytest

from bench import harness


def test_a_burst_of_load_on_one_side_does_not_make_a_flat_page_grow():
    # Three of five samples at 0.25× fell in a quiet spell, three at 1× in a busy
    # one: the ratio of the medians says 1.5 ×, the pairs say the page is flat.
    at_1x = [100, 150, 150, 150, 100]
    at_quarter = [100, 150, 100, 100, 100]
    assert harness.median_of(at_1x) / harness.median_of(at_quarter) == 1.5
    pairs = [a / b for a, b in zip(at_1x, at_quarter)]
    assert harness.paired_ratio(at_1x, at_quarter) == sorted(pairs)[2] == 1.0


def test_a_page_that_grows_shows_its_growth():
    assert harness.paired_ratio([130, 260, 130, 140, 130], [100, 200, 100, 100, 100]) == pytest.approx(1.3)


def test_too_few_pairs_are_refused():
    with pytest.raises(ValueError):
        harness.paired_ratio([100] * 10, [100] * (harness.MIN_SAMPLES - 1))
