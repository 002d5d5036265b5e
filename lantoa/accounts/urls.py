from django.urls import path

from lantoa.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LantoaLoginView.as_view(), name="login"),
    path("logout/", views.LantoaLogoutView.as_view(), name="logout"),
    path("verify/", views.verify, name="verify"),
    path("two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("me/", views.my_account, name="my_account"),
]
