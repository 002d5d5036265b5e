"""Addresses of the official reports' pages (included by ``reports/urls.py``, app ``reports``).
Each file format has its own named addresses (``report_docx``, ``report_prepare_pdf``…)."""

from django.urls import path

from lantoa.reports import report_views as views

urlpatterns = [
    path("reports/documents/", views.report_list, name="report_list"),
    path("reports/documents/new/", views.report_new, name="report_new"),
    path("reports/documents/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/documents/<int:pk>/generated/", views.report_generated, name="report_generated"),
    path("reports/documents/<int:pk>/issue/", views.report_issue, name="report_issue"),
    path("reports/documents/<int:pk>/tables/<slug:key>.xlsx", views.report_table_export, name="report_table_export"),
    path("reports/templates/<int:pk>/", views.template_detail, name="template_detail"),
    path("reports/templates/<int:pk>/copy/", views.template_copy, name="template_copy"),
]
for _fmt in ("docx", "pdf"):
    urlpatterns += [
        path(f"reports/documents/<int:pk>/report.{_fmt}", views.report_download, {"fmt": _fmt}, name=f"report_{_fmt}"),
        path(
            f"reports/documents/<int:pk>/prepare/{_fmt}/",
            views.report_prepare,
            {"fmt": _fmt},
            name=f"report_prepare_{_fmt}",
        ),
        path(
            f"reports/documents/<int:pk>/file/{_fmt}/",
            views.report_file_status,
            {"fmt": _fmt},
            name=f"report_file_{_fmt}",
        ),
    ]
