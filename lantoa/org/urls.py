from django.urls import path

from lantoa.org import views

app_name = "org"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("import/", views.tree_import_view, name="tree_import"),
    path("import/template.xlsx", views.tree_import_template, name="tree_import_template"),
    path("unit-options/", views.unit_options, name="unit_options"),
    path("units/<str:code>/", views.unit_detail, name="unit_detail"),
    path("units/<str:code>/children/", views.unit_children, name="unit_children"),
    path("units/<str:code>/restructure/", views.restructure, name="restructure"),
    path("units/<str:code>/export/", views.tree_export, name="tree_export"),
]
