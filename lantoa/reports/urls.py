from django.urls import path

from lantoa.reports import report_urls, request_views, term_views, views

app_name = "reports"
urlpatterns = [
    # The signed-in home page (config/urls.py mounts these before lantoa.web's).
    path("", views.dashboard, name="dashboard"),
    path("reports/dashboard.xlsx", views.dashboard_export, name="dashboard_export"),
    # Data requests (yêu cầu báo cáo).
    path("reports/requests/", request_views.request_list, name="request_list"),
    path("reports/requests/new/", request_views.request_new, name="request_new"),
    path("reports/requests/<int:pk>/", request_views.request_detail, name="request_detail"),
    path("reports/requests/<int:pk>/remind/", request_views.request_remind, name="request_remind"),
    path("reports/requests/<int:pk>/close/", request_views.request_close_view, name="request_close"),
    path("reports/requests/<int:pk>/figures.xlsx", request_views.request_export, name="request_export"),
    path("reports/data-sets/", request_views.data_set_list, name="data_set_list"),
    path("reports/data-sets/new/", request_views.data_set_new, name="data_set_new"),
    path("reports/data-sets/<int:pk>/revise/", request_views.data_set_revise_view, name="data_set_revise"),
    path("reports/data-sets/<int:pk>/retire/", request_views.data_set_retire_view, name="data_set_retire"),
    path("reports/assignments/<int:pk>/", request_views.assignment_detail, name="assignment_detail"),
    path(
        "reports/assignments/<int:pk>/form.xlsx",
        request_views.assignment_form_download,
        name="assignment_form_download",
    ),
    path("reports/assignments/<int:pk>/upload/", request_views.assignment_upload, name="assignment_upload"),
    path("reports/assignments/<int:pk>/approve/", request_views.assignment_approve, name="assignment_approve"),
    # Party terms (nhiệm kỳ), for numbering and the dashboard's periods.
    path("reports/terms/", term_views.term_list, name="term_list"),
    path("reports/terms/<int:pk>/remove/", term_views.term_delete, name="term_delete"),
]
# Official reports (báo cáo).
urlpatterns += report_urls.urlpatterns
