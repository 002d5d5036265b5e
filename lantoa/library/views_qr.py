"""Interim: being written."""

from django.http import Http404


def run_qr(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def run_labels(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def allocation_qr(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404
