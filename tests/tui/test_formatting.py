"""The forecast range fits the overview's 13-column Forecast cell."""

from __future__ import annotations

from datetime import date

import pytest

from pullboard.tui.formatting import date_range

TODAY = date(2026, 11, 21)


@pytest.mark.parametrize(
    ("first", "last", "text"),
    [
        (None, None, "-"),
        (date(2026, 12, 28), date(2027, 1, 9), "Dec 28–Jan 09"),
        (date(2026, 12, 3), date(2026, 12, 9), "Dec 03–09"),
        (date(2026, 12, 3), date(2026, 12, 3), "Dec 03"),
        (date(2026, 12, 3), None, "Dec 03+"),  # the far end beyond the horizon
        (date(2028, 5, 8), date(2028, 6, 20), "May–Jun '28"),
        (date(2027, 12, 20), date(2028, 1, 9), "Dec–Jan '28"),
        (date(2028, 5, 8), date(2028, 5, 20), "May '28"),
    ],
)
def test_date_range(first: date | None, last: date | None, text: str) -> None:
    assert date_range(first, last, TODAY) == text
    assert len(text) <= 13
