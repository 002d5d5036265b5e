"""What the contests module contributes: the labels of its audit entries."""

from django.utils.translation import gettext_lazy as _

from lantoa.core.audit import register_audit_labels

register_audit_labels(
    actions={
        "lantoa.contests.bank.created": _("Question bank created"),
        "lantoa.contests.bank.updated": _("Question bank changed"),
        "lantoa.contests.bank.imported": _("Questions imported into a bank"),
        "lantoa.contests.question.created": _("Question created"),
        "lantoa.contests.question.revised": _("Question revised"),
        "lantoa.contests.question.retired": _("Question retired"),
    },
    fields={
        "stem": _("question"),
        "options": _("options"),
        "correct": _("correct options"),
        "kind": _("kind"),
        "scoring": _("scoring"),
        "explanation": _("explanation"),
        "tags": _("tags"),
        "questions": _("questions"),
    },
)
