"""Document kinds every deployment starts with (data: add more in the admin). Loaded by the
migration ``0002_default_kinds`` through the kind registry (:mod:`lantoa.core.kinds`)."""

from __future__ import annotations

from lantoa.core.kinds import KindSeed, register_kind_seeds, seed_kinds

# code, Vietnamese, English
KINDS = [
    ("resolution", "Nghị quyết", "Resolution"),
    ("conclusion", "Kết luận", "Conclusion"),
    ("directive", "Chỉ thị", "Directive"),
    ("regulation", "Quy định", "Regulation"),
    ("guidance", "Hướng dẫn", "Guidance"),
    ("plan", "Kế hoạch", "Plan"),
    ("report", "Báo cáo", "Report"),
    ("decision", "Quyết định", "Decision"),
    ("study_material", "Tài liệu học tập", "Study material"),
    ("handbook", "Sổ tay, cẩm nang", "Handbook"),
    ("outreach_material", "Tài liệu tuyên truyền", "Outreach material"),
]


register_kind_seeds("library.DocumentKind", (KindSeed(code, vi, en) for code, vi, en in KINDS))


def load_defaults(kind_model) -> None:  # type: ignore[no-untyped-def]
    """Create the default kinds that do not exist yet (by code); never changes existing rows."""
    seed_kinds(kind_model)
