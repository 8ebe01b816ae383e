"""Open days and desk hours: when the centre can phone a resident, and how long
a freed seat is held for them (DESIGN.md §7).

An open day is a day that is not a national holiday (jpholiday), not in the
year-end closure 12/29–1/3, and not a closure (休館日) of the venue. The desk
phones between `Settings.desk_opens` and `Settings.desk_closes` (JST).

An offer (繰り上げ連絡) holds until the desk closes on the n-th open day after the
day it is made (n = `Settings.offer_open_days`, default 2), and never later than
one hour before the session starts. When no desk hour lies between the offer and
that limit, no call fits: the offer is not made, and staff decide.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlite_utils import Database

from db.clock import JST
from db.sessions import day_note
from db.settings import Settings, desk_hours

# The offer never runs into the class: the resident needs time to come.
BEFORE_START = timedelta(hours=1)
# A call needs a few minutes of desk time to be worth an offer.
SHORTEST_CALL = timedelta(minutes=10)
# Open days are looked for this far ahead (long closures included).
HORIZON_DAYS = 60


@dataclass(frozen=True)
class OpenDays:
    """The open days of one venue from a first date on: national holidays, the
    year-end closure and the venue's closures are closed."""

    closed: frozenset[str]

    def is_open(self, day: date) -> bool:
        """Whether the desk phones on `day` (a JST date)."""
        return not day_note(day) and day.isoformat() not in self.closed


def open_days(db: Database, venue_id: int, first: date, days: int = HORIZON_DAYS) -> OpenDays:
    """The closures of a venue from `first` for `days` days, as `OpenDays`."""
    rows = db.execute(
        "select date from closures where venue_id = ? and date >= ? and date <= ?",
        [venue_id, first.isoformat(), (first + timedelta(days=days)).isoformat()],
    )
    return OpenDays(frozenset(r[0] for r in rows))


def offer_deadline(calendar: OpenDays, config: Settings, offered_at: datetime, starts_at: datetime) -> datetime | None:
    """When an offer made at `offered_at` for a session starting at `starts_at` ends.

    Args:
        calendar: the open days of the session's venue (`open_days`).
        config: the settings (desk hours, offer open days).
        offered_at, starts_at: aware datetimes.
    Returns:
        an aware JST datetime: `desk_closes` on the n-th open day after the
        offer's day, capped at one hour before the start; or None when no call
        of at least 10 minutes fits in desk hours before that.
    """
    offered_at, starts_at = offered_at.astimezone(JST), starts_at.astimezone(JST)
    opens, closes = desk_hours(config)
    day, counted = offered_at.date(), 0
    for _ in range(HORIZON_DAYS):
        day += timedelta(days=1)
        if calendar.is_open(day):
            counted += 1
            if counted == config.offer_open_days:
                break
    deadline = min(datetime.combine(day, closes, tzinfo=JST), starts_at - BEFORE_START)
    day = offered_at.date()
    while day <= deadline.date():
        if calendar.is_open(day):
            start = max(offered_at, datetime.combine(day, opens, tzinfo=JST))
            end = min(deadline, datetime.combine(day, closes, tzinfo=JST))
            if end - start >= SHORTEST_CALL:
                return deadline
        day += timedelta(days=1)
    return None
