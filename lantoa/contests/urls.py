from django.urls import path

from lantoa.contests.views import banks, contests, eligible, files, play, questions, results

app_name = "contests"
urlpatterns = [
    path("", banks.bank_list, name="bank_list"),
    path("banks/new/", banks.bank_new, name="bank_new"),
    path("banks/<int:pk>/", banks.bank_detail, name="bank_detail"),
    path("banks/<int:pk>/edit/", banks.bank_edit, name="bank_edit"),
    path("banks/<int:pk>/questions/new/", questions.question_new, name="question_new"),
    path("banks/<int:pk>/questions/preview/", questions.question_preview, name="question_preview"),
    path("banks/<int:pk>/import/", files.bank_import, name="bank_import"),
    path("banks/<int:pk>/export.xlsx", files.bank_export_xlsx, name="bank_export_xlsx"),
    path("banks/<int:pk>/export.xml", files.bank_export_moodle, name="bank_export_moodle"),
    path("questions/<int:pk>/", questions.question_detail, name="question_detail"),
    path("questions/<int:pk>/edit/", questions.question_edit, name="question_edit"),
    path("questions/<int:pk>/retire/", questions.question_retire, name="question_retire"),
    path("import/template.xlsx", files.import_template, name="import_template"),
    path("contests/", contests.contest_list, name="contest_list"),
    path("contests/new/", contests.contest_new, name="contest_new"),
    path("contests/<int:pk>/", contests.contest_detail, name="contest_detail"),
    path("contests/<int:pk>/edit/", contests.contest_edit, name="contest_edit"),
    path("contests/<int:pk>/external/", files.contest_external, name="contest_external"),
    path("contests/<int:pk>/external/template.xlsx", files.contest_external_template, name="contest_external_template"),
    path("contests/<int:pk>/eligible/", eligible.contest_eligible, name="contest_eligible"),
    path(
        "contests/<int:contest_id>/eligible/<int:eligible_id>/remove/",
        eligible.contest_eligible_remove,
        name="contest_eligible_remove",
    ),
    path(
        "contests/<int:pk>/eligible/template.xlsx", eligible.contest_eligible_template, name="contest_eligible_template"
    ),
    path("contests/<int:pk>/eligible/list.xlsx", eligible.contest_eligible_export, name="contest_eligible_export"),
    path("contests/<int:pk>/overall/", results.contest_overall, name="contest_overall"),
    path("contests/<int:pk>/overall.xlsx", results.contest_overall_export, name="contest_overall_export"),
    path("contests/<int:pk>/rounds/new/", contests.round_new, name="round_new"),
    path("rounds/<int:pk>/", contests.round_detail, name="round_detail"),
    path("rounds/<int:pk>/edit/", contests.round_edit, name="round_edit"),
    path("rounds/<int:pk>/results/", results.round_results, name="round_results"),
    path("rounds/<int:pk>/close/", results.round_close, name="round_close"),
    path("rounds/<int:pk>/publish/", results.round_publish, name="round_publish"),
    path("rounds/<int:pk>/items/", results.round_items, name="round_items"),
    path("rounds/<int:pk>/certificates.pdf", results.round_certificates, name="round_certificates"),
    path("rounds/<int:pk>/export/<slug:kind>.xlsx", results.round_export, name="round_export"),
    # The contestant's pages: public (LANTOA_PUBLIC_PATHS), no sign-in, no cookie.
    path("play/<int:contest_id>/", play.register, name="play_register"),
    path("play/results/<int:round_id>/", results.public_results, name="public_results"),
    path("play/me/<str:token>/", play.me, name="play_me"),
    path("play/me/<str:token>/rounds/<int:round_id>/start/", play.start, name="play_start"),
    path("play/me/<str:token>/attempts/<uuid:attempt_id>/", play.attempt, name="play_attempt"),
    path("play/me/<str:token>/attempts/<uuid:attempt_id>/submit/", play.submit, name="play_submit"),
]
