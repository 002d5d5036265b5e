"""Public addresses: no sign-in. Short links printed as QR codes, and the public reader."""

from django.urls import path

from lantoa.library import views_public

app_name = "public"
urlpatterns = [
    path("q/<slug:code>", views_public.qr_open, name="qr_open"),
    path("d/<slug:slug>/", views_public.reader, name="reader"),
    path("d/<slug:slug>/files/<int:pk>", views_public.public_file, name="public_file"),
]
