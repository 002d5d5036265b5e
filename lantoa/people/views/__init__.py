"""Pages of the outreach network: rosters, persons, groups, activities and coverage.

Each view parses input, asks a gate, calls a service or selector and renders — nothing else.
The JSON API (lantoa/people/api.py) calls the same services and selectors.

One module a page family: ``roster`` (the roster page and its spreadsheet), ``persons``,
``groups``, ``activities`` and ``coverage``; ``common`` holds what they share.
"""
