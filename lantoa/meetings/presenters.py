"""What a conference shows of the people around it, decided once for the page, the API and exports.

A site's contact (name and phone) is a person's contact detail: it is shown to those who record
the site and to those who may see contact details in the site's unit, and to nobody else (an
inspector, a viewer, an officer of another unit sees "—"). A presenter's name is a public role at
a public event: it is shown to everyone who sees the conference (docs/decisions/0012).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from lantoa.accounts.permissions import scope_root_ids
from lantoa.accounts.roles import Capability
from lantoa.meetings.models import BridgePoint, ConferencePresenter
from lantoa.org.selectors import last_open_day, today, within_on_days


@dataclass(frozen=True)
class SiteContact:
    name: str = ""
    phone: str = ""

    @property
    def shown(self) -> bool:
        return bool(self.name or self.phone)


HIDDEN = SiteContact()


def site_contacts(by: Any, points: Iterable[BridgePoint], *, recordable: set[int]) -> dict[int, SiteContact]:
    """Site id → the contact ``by`` may read (empty when hidden), for sites whose ids in
    ``recordable`` ``by`` records. One query for the rest, whatever the number of sites."""
    points = list(points)
    roots = scope_root_ids(by, Capability.VIEW_CONTACTS)
    unit_days = {p.unit_id: last_open_day(p.unit) or today() for p in points if p.pk not in recordable}
    with_contacts = set(roots) | (within_on_days(unit_days, roots) if roots and unit_days else set())
    shown = {p.pk for p in points if p.pk in recordable or p.unit_id in with_contacts}
    return {p.pk: SiteContact(p.contact_name, p.contact_phone) if p.pk in shown else HIDDEN for p in points}


def site_contact(by: Any, point: BridgePoint, *, may_record: bool) -> SiteContact:
    return site_contacts(by, [point], recordable={point.pk} if may_record else set())[point.pk]


@dataclass(frozen=True)
class PresenterView:
    person_id: int | None
    name: str
    topic: str


def presenter_views(presenters: Iterable[ConferencePresenter]) -> list[PresenterView]:
    """Presenters as everyone who sees the conference reads them: name and topic, no contact."""
    return [PresenterView(p.person_id, p.display_name, p.topic) for p in presenters]
