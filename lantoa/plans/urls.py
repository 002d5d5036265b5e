from django.urls import path

from lantoa.plans.views import calendar, inspection_plans, inspections, reminders
from lantoa.plans.views import programmes as views

app_name = "plans"
urlpatterns = [
    path("", views.index, name="index"),
    path("programmes/new/", views.programme_new, name="programme_new"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("programmes/<int:pk>/import/", views.programme_tasks_import, name="programme_tasks_import"),
    path("programmes/import-template.xlsx", views.tasks_import_template, name="tasks_import_template"),
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("requirements/new/", views.requirement_new, name="requirement_new"),
    path("requirements/<int:pk>/", views.requirement_detail, name="requirement_detail"),
    path("recommendations/", views.recommendation_list, name="recommendation_list"),
    path("recommendations/new/", views.recommendation_new, name="recommendation_new"),
    path("recommendations/<int:pk>/", views.recommendation_detail, name="recommendation_detail"),
    path("inspections/", inspections.inspection_list, name="inspection_list"),
    path("inspections/new/", inspections.inspection_new, name="inspection_new"),
    path("inspections/<int:pk>/", inspections.inspection_detail, name="inspection_detail"),
    path("inspections/<int:pk>/follow-ups.xlsx", inspections.inspection_dossier, name="inspection_dossier"),
    path("inspections/<int:pk>/dossier.docx", inspections.inspection_dossier_docx, name="inspection_dossier_docx"),
    path("inspections/<int:pk>/files/", inspections.inspection_file_add, name="inspection_file_add"),
    path("inspection-files/<int:pk>/", inspections.inspection_file_download, name="inspection_file"),
    path("inspections/<int:pk>/dossier.pdf", inspections.inspection_dossier_pdf, name="inspection_dossier_pdf"),
    path("inspection-plans/", inspection_plans.plan_list, name="inspection_plan_list"),
    path("inspection-plans/new/", inspection_plans.plan_new, name="inspection_plan_new"),
    path("inspection-plans/<int:pk>/", inspection_plans.plan_detail, name="inspection_plan_detail"),
    path("follow-ups/", inspections.follow_up_list, name="follow_up_list"),
    path("follow-ups/<int:pk>/close/", inspections.follow_up_close, name="follow_up_close"),
    path("reminders/", reminders.reminder_list, name="reminder_list"),
    path("calendar/", calendar.deadline_calendar, name="calendar"),
    path("calendar.ics", calendar.deadline_calendar_ics, name="calendar_ics"),
    path("requirements/<int:pk>/remind/", reminders.remind, {"kind": "requirement"}, name="requirement_remind"),
    path("programmes/<int:pk>/remind/", reminders.remind, {"kind": "tasks"}, name="programme_remind"),
    path("inspections/<int:pk>/remind/", reminders.remind, {"kind": "follow_ups"}, name="inspection_remind"),
    path(
        "recommendations/<int:pk>/remind/", reminders.remind, {"kind": "recommendation"}, name="recommendation_remind"
    ),
]
