"""Public addresses of the answer page: the QR code on a card opens ``/s/<code>``; ``/s/`` takes
the code typed from the card; ``/s/o/<link>`` (and ``/s/o/<link>/<unit code>``) is the open link of
a public survey. No sign-in, no cookie."""

from django.urls import path

from lantoa.surveys.views import public

app_name = "surveys_public"
urlpatterns = [
    path("s/", public.answer_code, name="code"),
    path("s/o/<str:link>", public.answer_open, name="open"),
    path("s/o/<str:link>/<str:unit_code>", public.answer_open, name="open_unit"),
    path("s/<str:code>", public.answer_card, name="card"),
]
