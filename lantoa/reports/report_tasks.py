"""Background work for official reports: drawing a large report's DOCX or PDF."""

from __future__ import annotations

from django_tasks import task

from lantoa.reports.report_services import report_file_render


@task()
def render_report_file(file_id: int) -> None:
    """Draw the queued :class:`~lantoa.reports.models.ReportFile` (its progress is polled)."""
    report_file_render(file_id)
