from django.urls import path

from lantoa.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LantoaLoginView.as_view(), name="login"),
    path("logout/", views.LantoaLogoutView.as_view(), name="logout"),
    path("verify/", views.verify, name="verify"),
    path("two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/disable/", views.two_factor_disable, name="two_factor_disable"),
    path("password-reset/", views.LantoaPasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", views.LantoaPasswordResetDoneView.as_view(), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", views.LantoaPasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("reset/done/", views.LantoaPasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("me/", views.my_account, name="my_account"),
    path("me/language/", views.set_language, name="set_language"),
    path("me/password/", views.password_change, name="password_change"),
    path("me/tokens/", views.api_token_create, name="api_token_create"),
    path("me/tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("manage/", views.manage, name="manage"),
    path("manage/units/<str:code>/", views.manage, name="manage_unit"),
    path("manage/grant/", views.grant, name="grant"),
    path("manage/users/<str:username>/", views.manage_user, name="manage_user"),
    path("manage/users/<str:username>/assignments/", views.assignment_add, name="assignment_add"),
    path("manage/assignments/<int:pk>/end/", views.assignment_end, name="assignment_end"),
    path("manage/import/", views.import_users, name="import_users"),
    path("manage/import/template.xlsx", views.import_template, name="import_template"),
]
