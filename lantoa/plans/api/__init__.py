"""Action programmes, inspections and recommendations over the API.

One module a subject, each with its own router: ``main`` (requirements, programmes, tasks,
recommendations), ``inspections`` (inspections, follow-ups, the yearly plans), ``reminders`` and
``papers`` (an inspection's uploaded papers and its dossier as PDF) and ``calendar`` (the deadlines
as iCalendar). Every operation keeps the id it was published with
(``lantoa_plans_api_<name>``)."""

from __future__ import annotations

from ninja import Router

from lantoa.plans.api import calendar, inspections, main, papers, reminders

router = Router(tags=["plans"])
router.add_router("", main.router)
router.add_router("", inspections.router)
router.add_router("", reminders.router)
router.add_router("", papers.router)
router.add_router("", calendar.router)

__all__ = ["router"]
