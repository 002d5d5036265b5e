from django.urls import path

from lantoa.meetings import views, views_calendar, views_checkin, views_import, views_rollup

app_name = "meetings"
urlpatterns = [
    path("", views.conference_list, name="list"),
    path("new/", views.conference_new, name="conference_new"),
    path("<int:pk>/", views.conference_detail, name="detail"),
    path("<int:pk>/edit/", views.conference_edit, name="conference_edit"),
    path("<int:pk>/held/", views.conference_held, name="conference_held"),
    path("<int:pk>/cancel/", views.conference_cancel_view, name="conference_cancel"),
    path("<int:pk>/points/add/", views.points_add_view, name="points_add"),
    path("<int:pk>/points/add-children/", views.points_add_children, name="points_add_children"),
    path("<int:pk>/attachments/", views.attachment_add_view, name="attachment_add"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("<int:pk>/message/", views_calendar.copy_message, name="message"),
    path("<int:pk>/remind/", views_calendar.send_reminders, name="remind"),
    path("units/search/", views.unit_search, name="unit_search"),
    path("points/<int:pk>/", views.point_detail, name="point_detail"),
    path("points/<int:pk>/attendance/", views.point_attendance, name="point_attendance"),
    path("points/<int:pk>/connection/", views.point_connection, name="point_connection"),
    path("points/<int:pk>/roster/", views.point_roster_view, name="point_roster"),
    path("points/<int:pk>/register/", views.point_register, name="point_register"),
    path("points/<int:pk>/edit/", views.point_edit, name="point_edit"),
    path("points/<int:pk>/remove/", views.point_remove_view, name="point_remove"),
    path("points/<int:pk>/qr.<str:fmt>", views_checkin.point_qr, name="point_qr"),
    path("reflections/", views.reflections, name="reflections"),
    path("series/", views.series_list, name="series_list"),
    path("series/new/", views.series_new, name="series_new"),
    path("series/<int:pk>/", views.series_detail, name="series_detail"),
    path("series/<int:pk>/plan-next/", views.series_plan_next_view, name="series_plan_next"),
    path("calendar/", views_calendar.calendar_month_view, name="calendar"),
    path("calendar/list/", views_calendar.calendar_list, name="calendar_list"),
    path("calendar/<str:code>.ics", views_calendar.ics_feed, name="ics"),
    path("rollup/", views_rollup.rollup, name="rollup"),
    path("import/", views_import.import_view, name="import"),
    path("import/template.xlsx", views_import.import_template, name="import_template"),
]
