from django.urls import path

from lantoa.library import views, views_qr, views_search

app_name = "library"
urlpatterns = [
    path("", views_search.library_list, name="list"),
    path("documents/new/", views.document_new, name="document_new"),
    path("documents/<int:pk>/", views.document_detail, name="document_detail"),
    path("documents/<int:pk>/edit/", views.document_edit, name="document_edit"),
    path("documents/<int:pk>/versions/new/", views.version_new, name="version_new"),
    path("documents/<int:pk>/supersede/", views.document_supersede_view, name="document_supersede"),
    path("documents/<int:pk>/print-runs/new/", views.print_run_new, name="print_run_new"),
    path("files/<int:pk>/", views.file_download, name="file_download"),
    path("files/<int:pk>/progress/", views.file_progress, name="file_progress"),
    path("print-runs/<int:pk>/qr.<str:fmt>", views_qr.run_qr, name="run_qr"),
    path("print-runs/<int:pk>/labels.pdf", views_qr.run_labels, name="run_labels"),
    path("allocations/<int:pk>/qr.<str:fmt>", views_qr.allocation_qr, name="allocation_qr"),
]
