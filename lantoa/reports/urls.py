from django.urls import path

from lantoa.reports import report_urls, views

app_name = "reports"
urlpatterns = [
    # The signed-in home page (config/urls.py mounts these before lantoa.web's).
    path("", views.dashboard, name="dashboard"),
    path("reports/dashboard.xlsx", views.dashboard_export, name="dashboard_export"),
]
# Official reports (báo cáo).
urlpatterns += report_urls.urlpatterns
