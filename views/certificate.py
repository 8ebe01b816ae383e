"""The 活動証明書 (volunteer hours certificate) of a volunteer's hours."""

from __future__ import annotations

from datetime import date

from db import volunteers
from db.settings import Settings
from locales import _
from printouts.certificate import Activity, render_certificate
from printouts.model import Centre


def certificate_pdf(done: volunteers.Hours, config: Settings, issued_on: date, issuer: str = "") -> bytes:
    """The 活動証明書 (PDF bytes) of a volunteer's hours in one fiscal year
    (`db.volunteers.hours`), issued on `issued_on` (JST date) by the centre of the
    settings, at the settings' body size; `issuer` is the optional 証明者."""
    return render_certificate(
        Centre(name=config.centre_name, phone=config.centre_phone),
        done.name,
        _(volunteers.KINDS.get(done.kind, "")),
        done.fiscal_year,
        [Activity(a.day, a.lesson_title, _(volunteers.ROLES[a.role]), a.minutes) for a in done.activities],
        issued_on,
        issuer,
        body_pt=config.body_pt,
    )
