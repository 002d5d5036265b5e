"""Judged contests over the API (``/api/v1/judging/…``).

Every endpoint parses, asks a gate of :mod:`lantoa.judging.permissions`, calls the same service
or selector as the pages, and answers. A contest, stage or sheet the caller may not see answers
404 like one that does not exist. A juror's endpoints (``/sheets``) answer only the sheets
assigned to the caller; a score above the criterion's maximum answers 422 and stores nothing.
"""

from __future__ import annotations

from ninja import Router

from lantoa.judging.api import contests, jury, setup, sheets, stages
from lantoa.judging.assessments.api import router as assessments_router
from lantoa.judging.audience.api import router as audience_router
from lantoa.judging.paper.api import router as paper_router

# Added in the order the schema has always listed the paths. A path's methods stay on one router:
# Django would send a second router's method on the same path to the first router's view (405).
router = Router(tags=["judging"])
router.add_router("", contests.router)
router.add_router("", stages.router)
router.add_router("", sheets.router)
router.add_router("", setup.router)
router.add_router("", jury.router)
# The audience vote's endpoints (lantoa.judging.audience.api), under the same prefix.
router.add_router("", audience_router)
router.add_router("", assessments_router)
router.add_router("", paper_router)

__all__ = ["router"]
