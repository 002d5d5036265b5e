"""Interim: being written."""

from django.http import Http404


def document_new(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def document_detail(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def document_edit(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def version_new(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def document_supersede_view(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def print_run_new(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def file_download(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def file_progress(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404
