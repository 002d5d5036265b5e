from django.urls import path

from lantoa.surveys.views import organiser as views

app_name = "surveys"
urlpatterns = [
    path("", views.survey_list, name="list"),
    path("new/", views.survey_new, name="new"),
    path("<int:pk>/", views.survey_detail, name="detail"),
    path("<int:pk>/edit/", views.survey_edit, name="edit"),
    path("<int:pk>/status/", views.survey_status, name="status"),
    path("<int:pk>/sections/", views.section_new, name="section_new"),
    path("<int:pk>/sections/<int:section_pk>/", views.section_edit, name="section_edit"),
    path("<int:pk>/sections/<int:section_pk>/move/", views.section_move, name="section_move"),
    path("<int:pk>/sections/<int:section_pk>/remove/", views.section_remove, name="section_remove"),
    path("<int:pk>/sections/<int:section_pk>/questions/new/", views.question_new, name="question_new"),
    path("<int:pk>/questions/<int:question_pk>/", views.question_edit, name="question_edit"),
    path("<int:pk>/questions/<int:question_pk>/move/", views.question_move, name="question_move"),
    path("<int:pk>/batches/", views.batch_new, name="batch_new"),
    path("<int:pk>/links/", views.links_send, name="links_send"),
    path("<int:pk>/batches/<int:batch_pk>/cards.pdf", views.batch_cards, name="batch_cards"),
    path("<int:pk>/results/", views.survey_results, name="results"),
    path("<int:pk>/results.xlsx", views.survey_results_xlsx, name="results_xlsx"),
]
