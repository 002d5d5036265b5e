from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator


@method_decorator(login_not_required, name="dispatch")
class LantoaLoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LantoaLogoutView(auth_views.LogoutView):
    pass


def verify(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/verify.html")


def two_factor_setup(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/two_factor_setup.html")


def my_account(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/my_account.html")
