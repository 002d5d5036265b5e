"""What the contests module contributes: navigation and the labels of its audit entries."""

from django.utils.translation import gettext_lazy as _

from lantoa.core.audit import register_audit_labels
from lantoa.core.registry import NavItem, register_nav

register_nav(
    NavItem(
        key="contests", label=_("Question banks"), url_name="contests:bank_list", order=18, capability="view_documents"
    )
)

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
