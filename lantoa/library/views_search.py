"""Interim: being written."""

from django.http import Http404


def library_list(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404
