"""Interim: being written."""

from django.http import Http404


def qr_open(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def reader(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def public_file(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404
