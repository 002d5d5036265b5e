"""Action programmes, inspections and recommendations over the API.

One module a subject, each with its own router: ``main`` (programmes, tasks, requirements,
recommendations, inspections, follow-ups, reminders) and ``papers`` (an inspection's uploaded
papers and its dossier as PDF). Every operation keeps the id it was published with
(``lantoa_plans_api_<name>``)."""

from __future__ import annotations

from ninja import Router

from lantoa.plans.api import main, papers

router = Router(tags=["plans"])
router.add_router("", main.router)
router.add_router("", papers.router)

__all__ = ["router"]
