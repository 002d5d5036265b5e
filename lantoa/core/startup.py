"""What a server process does once, before its first request (``config/wsgi.py``).

* Every URL pattern is loaded: the API builds its operations' models when its URLconf is first
  imported, 2–3 s that the first visitor of each worker would otherwise wait for.
* The objects made while starting (modules, settings, URL patterns, templates' machinery) are
  moved out of the garbage collector's reach with :func:`gc.freeze`: they live as long as the
  process, and a full collection scanning their hundreds of thousands stopped whichever request
  triggered it for 100–400 ms (docs/benchmarks.md, the dashboard).
"""

from __future__ import annotations

import gc

from django.urls import get_resolver


def warm_up() -> None:
    """Load the URLconf with every pattern, then freeze what exists (call it once, last)."""
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 — importing the URLconf builds the API's operations
    resolver.reverse_dict  # noqa: B018 — and the reverse lookup every page needs
    gc.freeze()
