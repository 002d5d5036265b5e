from django.urls import path

from lantoa.people import views, views_roster

app_name = "people"
urlpatterns = [
    path("", views.home, name="home"),
    path("units/<str:code>/roster/", views.roster, name="roster"),
    path("units/<str:code>/roster/export/", views_roster.roster_export, name="roster_export"),
    path("units/<str:code>/roster/import/", views_roster.roster_import, name="roster_import"),
    path("roster/template.xlsx", views_roster.roster_template, name="roster_template"),
    path("units/<str:code>/groups/", views.groups, name="groups"),
    path("units/<str:code>/coverage/", views.coverage_page, name="coverage"),
    path("units/<str:code>/activities/", views.activities, name="activities"),
    path("persons/new/", views.person_new, name="person_new"),
    path("persons/<int:pk>/", views.person_detail, name="person_detail"),
    path("persons/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("persons/<int:pk>/roles/new/", views.role_new, name="role_new"),
    path("persons/<int:pk>/account/", views.person_account, name="person_account"),
    path("persons/<int:pk>/privacy/", views.person_privacy, name="person_privacy"),
    path("persons/<int:pk>/privacy/export.json", views.person_export_json, name="person_export"),
    path("persons/<int:pk>/anonymise/", views.person_anonymise_view, name="person_anonymise"),
    path("roles/<int:pk>/end/", views.role_end_view, name="role_end"),
    path("groups/new/", views.group_new, name="group_new"),
    path("groups/<int:pk>/", views.group_detail, name="group_detail"),
    path("groups/<int:pk>/members/add/", views.group_member_add_view, name="group_member_add"),
    path("groups/<int:pk>/dissolve/", views.group_dissolve_view, name="group_dissolve"),
    path("groups/<int:pk>/merge/", views.group_merge_view, name="group_merge"),
    path("memberships/<int:pk>/end/", views.member_end_view, name="member_end"),
    path("activities/new/", views.activity_new, name="activity_new"),
    path("activities/summary/", views.team_summary, name="team_summary"),
    path("activities/confirm/", views.activities_confirm_view, name="activities_confirm"),
    path("activities/<int:pk>/withdraw/", views.activity_withdraw_view, name="activity_withdraw"),
]
