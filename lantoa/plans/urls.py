from django.urls import path

from lantoa.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.index, name="index"),
    path("programmes/new/", views.programme_new, name="programme_new"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("requirements/new/", views.requirement_new, name="requirement_new"),
    path("requirements/<int:pk>/", views.requirement_detail, name="requirement_detail"),
    path("recommendations/", views.recommendation_list, name="recommendation_list"),
    path("recommendations/new/", views.recommendation_new, name="recommendation_new"),
    path("recommendations/<int:pk>/", views.recommendation_detail, name="recommendation_detail"),
]
