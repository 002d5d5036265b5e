from django.urls import path

from lantoa.meetings.views import calendar, checkin, conferences, imports, reflections, rollup, series, sites

app_name = "meetings"
urlpatterns = [
    path("", conferences.conference_list, name="list"),
    path("new/", conferences.conference_new, name="conference_new"),
    path("<int:pk>/", conferences.conference_detail, name="detail"),
    path("<int:pk>/edit/", conferences.conference_edit, name="conference_edit"),
    path("<int:pk>/held/", conferences.conference_held, name="conference_held"),
    path("<int:pk>/cancel/", conferences.conference_cancel_view, name="conference_cancel"),
    path("<int:pk>/points/add/", conferences.points_add_view, name="points_add"),
    path("<int:pk>/points/add-children/", conferences.points_add_children, name="points_add_children"),
    path("<int:pk>/attachments/", conferences.attachment_add_view, name="attachment_add"),
    path("attachments/<int:pk>/", conferences.attachment_download, name="attachment"),
    path("<int:pk>/message/", calendar.copy_message, name="message"),
    path("<int:pk>/remind/", calendar.send_reminders, name="remind"),
    path("units/search/", conferences.unit_search, name="unit_search"),
    path("points/<int:pk>/", sites.point_detail, name="point_detail"),
    path("points/<int:pk>/attendance/", sites.point_attendance, name="point_attendance"),
    path("points/<int:pk>/connection/", sites.point_connection, name="point_connection"),
    path("points/<int:pk>/roster/", sites.point_roster_view, name="point_roster"),
    path("points/<int:pk>/register/", sites.point_register, name="point_register"),
    path("points/<int:pk>/edit/", sites.point_edit, name="point_edit"),
    path("points/<int:pk>/remove/", sites.point_remove_view, name="point_remove"),
    path("points/<int:pk>/qr.<str:fmt>", checkin.point_qr, name="point_qr"),
    path("reflections/", reflections.reflections, name="reflections"),
    path("series/", series.series_list, name="series_list"),
    path("series/new/", series.series_new, name="series_new"),
    path("series/<int:pk>/", series.series_detail, name="series_detail"),
    path("series/<int:pk>/plan-next/", series.series_plan_next_view, name="series_plan_next"),
    path("calendar/", calendar.calendar_month_view, name="calendar"),
    path("calendar/list/", calendar.calendar_list, name="calendar_list"),
    path("calendar/<str:code>.ics", calendar.ics_feed, name="ics"),
    path("rollup/", rollup.rollup, name="rollup"),
    path("import/", imports.import_view, name="import"),
    path("import/template.xlsx", imports.import_template, name="import_template"),
]
