"""Public addresses of the check-in: the QR code shown at a site opens the first; the second
takes the short code typed on a phone. No sign-in needed (a signed-in user checks in as
their linked person)."""

from django.urls import path

from lantoa.meetings.views import checkin

app_name = "meetings_public"
urlpatterns = [
    path("c/<str:code>", checkin.check_in_site, name="checkin_site"),
    path("checkin/", checkin.check_in_code, name="checkin"),
]
