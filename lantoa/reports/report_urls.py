"""Addresses of the official reports' pages (included by ``reports/urls.py``, app ``reports``)."""

from django.urls import path

from lantoa.reports import report_views as views

urlpatterns = [
    path("reports/documents/", views.report_list, name="report_list"),
    path("reports/documents/new/", views.report_new, name="report_new"),
    path("reports/documents/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/documents/<int:pk>/generated/", views.report_generated, name="report_generated"),
    path("reports/documents/<int:pk>/issue/", views.report_issue, name="report_issue"),
    path("reports/documents/<int:pk>/report.<str:fmt>", views.report_download, name="report_download"),
    path("reports/documents/<int:pk>/prepare/<str:fmt>/", views.report_prepare, name="report_prepare"),
    path("reports/documents/<int:pk>/file/<str:fmt>/", views.report_file_status, name="report_file_status"),
    path("reports/documents/<int:pk>/tables/<slug:key>.xlsx", views.report_table_export, name="report_table_export"),
    path("reports/templates/<int:pk>/", views.template_detail, name="template_detail"),
    path("reports/templates/<int:pk>/copy/", views.template_copy, name="template_copy"),
]
