"""Question banks, contests and attempts over the API (``/api/v1/contests/…``).

Every endpoint parses, asks a gate of :mod:`lantoa.contests.permissions`, calls the same
service or selector as the pages, and answers. A bank, question, contest or round the caller may
not see answers 404 like one that does not exist; one they may see but not change answers 403.
The contestant's endpoints (:mod:`lantoa.contests.api.attempts`) need no sign-in.
Operations keep the ids they were published with (``lantoa_contests_api_<name>``).
"""

from __future__ import annotations

from ninja import Router

from lantoa.contests.api import attempts, banks, claims, contests, duplicates, eligible, external, questions, results

router = Router(tags=["contests"])
router.add_router("", banks.router)
router.add_router("", questions.router)
router.add_router("", attempts.router)
router.add_router("", contests.router)
router.add_router("", results.router)
router.add_router("", external.router)
router.add_router("", eligible.router)
router.add_router("", claims.router)
router.add_router("", duplicates.router)

__all__ = ["router"]
