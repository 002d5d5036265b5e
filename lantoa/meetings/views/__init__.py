"""Pages of study conferences, one module a subject (``urls.py`` and ``public_urls.py`` name
them):

* ``conferences`` — the list, planning, a conference with its sites, attachments, marking
  held, cancelling, adding bridge points;
* ``sites`` — a site: headcount, connection reports, settings, removal, and the roster;
* ``reflections`` — study reflection counts;
* ``series`` — recurring series and planning the next conference;
* ``calendar`` — the month as a grid or a list, the feed, the message and reminders;
* ``checkin`` — check-in on a phone (public) and a site's QR code;
* ``rollup`` — the conference figures of a unit and the units under it;
* ``imports`` — past conferences from a spreadsheet;
* ``_common`` — what several of them share (the gate of the lists, a unit named in a form,
  paging).

Each view parses input, asks a gate, calls a service or selector and renders — nothing else.
"""
