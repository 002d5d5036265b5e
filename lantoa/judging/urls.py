from django.urls import path

from lantoa.judging import views
from lantoa.judging.assessments import views as assessments
from lantoa.judging.audience import views as audience
from lantoa.judging.paper import views as paper
from lantoa.judging.setup import views as setup

app_name = "judging"
urlpatterns = [
    path("", views.competition_list, name="competition_list"),
    path("new/", views.competition_new, name="competition_new"),
    path("rubrics/new/", views.rubric_new, name="rubric_new"),
    path("rubrics/", setup.rubric_list, name="rubric_list"),
    path("rubrics/<int:pk>/revise/", setup.rubric_revise, name="rubric_revise"),
    path("<int:pk>/conflicts/", setup.competition_conflicts, name="competition_conflicts"),
    path("sheets/<int:pk>/conflict/", setup.sheet_conflict, name="sheet_conflict"),
    path("stages/<int:pk>/paper/", paper.stage_paper, name="stage_paper"),
    path("stages/<int:pk>/paper.pdf", paper.stage_paper_pdf, name="stage_paper_pdf"),
    path("sheets/<int:pk>/paper/", paper.sheet_paper, name="sheet_paper"),
    path("<int:pk>/", views.competition_detail, name="competition_detail"),
    path("<int:pk>/stages/new/", views.stage_new, name="stage_new"),
    path("<int:pk>/entries/new/", views.entry_new, name="entry_new"),
    path("stages/<int:pk>/", views.stage_detail, name="stage_detail"),
    path("stages/<int:pk>/assign/", views.stage_assign, name="stage_assign"),
    path("stages/<int:pk>/results/", views.stage_compute, name="stage_compute"),
    path("stages/<int:pk>/advance/", views.stage_advance, name="stage_advance"),
    path("stages/<int:pk>/jurors/new/", views.juror_new, name="juror_new"),
    path("stages/<int:pk>/certificates.pdf", views.stage_certificates, name="stage_certificates"),
    path("stages/<int:pk>/publication/", views.stage_publish, name="stage_publish"),
    # Published results: public (LANTOA_PUBLIC_PATHS), no sign-in, no cookie.
    path("results/<int:pk>/", views.public_results, name="public_results"),
    path("stages/<int:pk>/audience/", audience.audience_detail, name="audience_detail"),
    path("stages/<int:pk>/audience/open/", audience.audience_open, name="audience_open"),
    path("stages/<int:pk>/audience/close/", audience.audience_close, name="audience_close"),
    path("stages/<int:pk>/audience/ballots/", audience.audience_ballots, name="audience_ballots"),
    path("stages/<int:pk>/audience/ballots.pdf", audience.audience_ballots_pdf, name="audience_ballots_pdf"),
    # The audience vote: public (LANTOA_PUBLIC_PATHS), no sign-in, no cookie.
    path("vote/<int:pk>/", audience.vote, name="vote"),
    path("assessments/", assessments.campaign_list, name="campaign_list"),
    path("assessments/new/", assessments.campaign_new, name="campaign_new"),
    path("assessments/<int:pk>/", assessments.campaign_detail, name="campaign_detail"),
    path("assessments/<int:pk>/results.xlsx", assessments.campaign_export, name="campaign_export"),
    path("assessments/subjects/<int:pk>/", assessments.assessment_detail, name="assessment_detail"),
    path("assessments/subjects/<int:pk>/self/", assessments.assessment_self, name="assessment_self"),
    path("assessments/subjects/<int:pk>/verify/", assessments.assessment_verify, name="assessment_verify"),
    path("assessments/subjects/<int:pk>/reopen/", assessments.assessment_reopen, name="assessment_reopen"),
    path("assessments/subjects/<int:pk>/evidence/", assessments.evidence_add, name="evidence_add"),
    path("assessments/evidence/<int:pk>/", assessments.evidence_download, name="evidence_download"),
    path("assessments/evidence/<int:pk>/remove/", assessments.evidence_remove, name="evidence_remove"),
    path("assessments/units/<str:code>/", assessments.unit_history, name="assessment_history"),
    path("sheets/", views.sheet_list, name="sheet_list"),
    path("sheets/<int:pk>/", views.sheet_detail, name="sheet_detail"),
    path("sheets/<int:pk>/scores/<int:criterion_id>/", views.sheet_score, name="sheet_score"),
    path("sheets/<int:pk>/reopen/", views.sheet_reopen, name="sheet_reopen"),
]
