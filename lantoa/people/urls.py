from django.urls import path

from lantoa.people.views import activities, coverage, groups, persons, roster

app_name = "people"
urlpatterns = [
    path("", roster.home, name="home"),
    path("units/<str:code>/roster/", roster.roster, name="roster"),
    path("units/<str:code>/roster/export/", roster.roster_export, name="roster_export"),
    path("units/<str:code>/roster/import/", roster.roster_import, name="roster_import"),
    path("roster/template.xlsx", roster.roster_template, name="roster_template"),
    path("units/<str:code>/groups/", groups.groups, name="groups"),
    path("units/<str:code>/coverage/", coverage.coverage_page, name="coverage"),
    path("units/<str:code>/activities/", activities.activities, name="activities"),
    path("persons/new/", persons.person_new, name="person_new"),
    path("persons/<int:pk>/", persons.person_detail, name="person_detail"),
    path("persons/<int:pk>/edit/", persons.person_edit, name="person_edit"),
    path("persons/<int:pk>/roles/new/", persons.role_new, name="role_new"),
    path("persons/<int:pk>/account/", persons.person_account, name="person_account"),
    path("persons/<int:pk>/privacy/", persons.person_privacy, name="person_privacy"),
    path("persons/<int:pk>/privacy/export.json", persons.person_export_json, name="person_export"),
    path("persons/<int:pk>/anonymise/", persons.person_anonymise_view, name="person_anonymise"),
    path("roles/<int:pk>/end/", persons.role_end_view, name="role_end"),
    path("groups/new/", groups.group_new, name="group_new"),
    path("groups/<int:pk>/", groups.group_detail, name="group_detail"),
    path("groups/<int:pk>/members/add/", groups.group_member_add_view, name="group_member_add"),
    path("groups/<int:pk>/dissolve/", groups.group_dissolve_view, name="group_dissolve"),
    path("groups/<int:pk>/merge/", groups.group_merge_view, name="group_merge"),
    path("memberships/<int:pk>/end/", groups.member_end_view, name="member_end"),
    path("activities/new/", activities.activity_new, name="activity_new"),
    path("activities/summary/", activities.team_summary, name="team_summary"),
    path("activities/confirm/", activities.activities_confirm_view, name="activities_confirm"),
    path("activities/<int:pk>/withdraw/", activities.activity_withdraw_view, name="activity_withdraw"),
]
