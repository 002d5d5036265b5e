from django.urls import path

from lantoa.org import views

app_name = "org"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("units/<str:code>/", views.unit_detail, name="unit_detail"),
    path("units/<str:code>/children/", views.unit_children, name="unit_children"),
]
