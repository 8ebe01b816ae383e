"""Domain errors. Each carries a Japanese message fit to show the user as is."""

from __future__ import annotations


class DeskError(Exception):
    """Base of every rule the desk refuses; `str(err)` is the user-facing message."""


class NotFound(DeskError):
    """The record does not exist (or no longer does)."""


class InvalidInput(DeskError):
    """A field's value is refused; `field` names the form field."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


class SessionFull(DeskError):
    """Every seat of the session is taken."""


class AlreadyBooked(DeskError):
    """The attendee already holds a place in this session."""


class SessionNotOpen(DeskError):
    """The session is cancelled or already over."""


class AttendanceClosed(DeskError):
    """Attendance is marked only from shortly before a session until 14 days after."""


class RoomTaken(DeskError):
    """Another session uses the room at an overlapping time."""


class VenueClosed(DeskError):
    """The venue is closed (休館日) on that date."""


class ShiftConflict(DeskError):
    """A volunteer assignment breaks a staffing rule."""
