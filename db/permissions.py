"""Who may do what: the permission matrix, enforced in every `db/` function that
writes or reads personal data, and by every page (README "Permissions").

Roles (DESIGN.md §2): ``admin`` (everything), ``staff`` (everything operational),
``volunteer`` (own schedule, open shifts, rosters of their sessions without phone
numbers). ``system`` is the command line and the demo seeder.
"""

from __future__ import annotations

from dataclasses import dataclass

from db.errors import PermissionDenied
from locales import _

ROLES = {"admin": "管理者", "staff": "職員", "volunteer": "ボランティア"}
STAFF_ROLES = frozenset({"admin", "staff"})

# action → roles allowed. "system" is always allowed.
MATRIX: dict[str, frozenset[str]] = {
    # operations
    "sessions.create": STAFF_ROLES,
    "attendees.register": STAFF_ROLES,
    "attendees.read": STAFF_ROLES,
    "attendees.import": STAFF_ROLES,
    "attendees.export": STAFF_ROLES,
    "bookings.book": STAFF_ROLES,
    "bookings.cancel": STAFF_ROLES,
    "bookings.read": STAFF_ROLES,
    "volunteers.register": STAFF_ROLES,
    "shifts.assign": STAFF_ROLES,
    "shifts.take": frozenset({"volunteer"}),
    "shifts.remove": STAFF_ROLES,
    "roster.read": frozenset({"admin", "staff", "volunteer"}),
    "shifts.minutes": STAFF_ROLES,
    # loan phones (貸出機): the inventory, allocation and returns
    "loans.manage": STAFF_ROLES,
    "hours.read": frozenset({"admin", "staff", "volunteer"}),
    "feeds.manage": frozenset({"admin", "staff", "volunteer"}),
    # help desk: volunteers staff the desk too, so they open and work tickets
    "tickets.work": frozenset({"admin", "staff", "volunteer"}),
    "tickets.read": frozenset({"admin", "staff", "volunteer"}),
    "reports.read": STAFF_ROLES,
    # 出前講座・出張相談 requests (db.outreach): their contacts are residents' data
    "outreach.manage": STAFF_ROLES,
    "outreach.read": STAFF_ROLES,
    "surveys.enter": STAFF_ROLES,
    "surveys.read": STAFF_ROLES,
    "targets.set": frozenset({"admin"}),
    # administration
    "settings.update": frozenset({"admin"}),
    "venues.manage": frozenset({"admin"}),
    "accounts.manage": frozenset({"admin"}),
    "audit.read": frozenset({"admin"}),
    "retention.anonymise": frozenset({"admin"}),
    "backups.manage": frozenset({"admin"}),
}


@dataclass(frozen=True)
class Actor:
    """Who is acting: the signed-in account, or ``system`` for the command line.

    username: written to the audit log. role: a key of `ROLES`, or "system".
    volunteer_id: the linked volunteer profile of a volunteer account, else None.
    """

    username: str
    role: str
    volunteer_id: int | None = None

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES or self.role == "system"


SYSTEM = Actor("system", "system")


def allowed(actor: Actor, action: str) -> bool:
    """Whether `actor` may perform `action` (a key of `MATRIX`).

    Raises:
        KeyError: an action missing from the matrix (a programming error).
    """
    roles = MATRIX[action]
    return actor.role == "system" or actor.role in roles


def require(actor: Actor, action: str) -> None:
    """Refuse unless `actor` may perform `action`.

    Raises:
        PermissionDenied: with a Japanese message naming no internals.
    """
    if not allowed(actor, action):
        raise PermissionDenied(_("この操作をする権限がありません。"))
