"""Study conferences over the API: conferences and their sites, attendance, check-in, study
reflections, recurring series and the spreadsheet import.

Every endpoint parses, asks a gate of :mod:`lantoa.meetings.permissions`, calls the same
service or selector as the pages, and answers. A conference (or site) the caller may not see
answers 404 like one that does not exist; one they may see but not change answers 403.
Check-in is public, like the QR page at the site.

One module a subject, each with its own router, mounted below in the order the schema lists
them: ``conferences``, ``sites``, ``checkin``, ``reflections``, ``series`` and ``files``
(attachments, the calendar, the import); ``_common`` holds what several of them share. Every
operation keeps the id it was published with (``lantoa_meetings_api_<name>``), which clients
generated from the schema name their methods after.
"""

from __future__ import annotations

from ninja import Router

from lantoa.meetings.api import checkin, conferences, files, reflections, series, sites

router = Router(tags=["meetings"])
router.add_router("", conferences.router)
router.add_router("", sites.router)
router.add_router("", checkin.router)
router.add_router("", reflections.router)
router.add_router("", series.router)
router.add_router("", files.router)

__all__ = ["router"]
