from django.urls import path

from lantoa.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("unit/switch/", views.switch_unit, name="switch_unit"),
    path("unit/options/", views.unit_options, name="unit_options"),
    path("language/", views.set_language, name="set_language"),
]
