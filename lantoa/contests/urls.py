from django.urls import path

from lantoa.contests.views import banks, files, questions

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
]
