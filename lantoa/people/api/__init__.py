"""The outreach network over the API: persons and their roles, groups, activities, coverage.

Every endpoint answers only inside the caller's scope ("not allowed" looks like "not found"),
and every person in an answer is built by :func:`lantoa.people.presenters.person_views`, so
contacts are masked and sensitive fields shown (and their reading logged) exactly as on the
pages. Inspectors see figures: groups and coverage, never persons.

One module a subject, each with its own router, mounted below in the order the schema lists
them: ``persons``, ``roles``, ``groups``, ``activities`` and ``coverage``; ``_common`` holds what
several of them share. Every operation keeps the id it was published with
(``lantoa_people_api_<name>``), which clients generated from the schema name their methods after.
"""

from __future__ import annotations

from ninja import Router

from lantoa.people.api import activities, coverage, groups, persons, roles

router = Router(tags=["people"])
router.add_router("", persons.router)
router.add_router("", roles.router)
router.add_router("", groups.router)
router.add_router("", activities.router)
router.add_router("", coverage.router)

__all__ = ["router"]
