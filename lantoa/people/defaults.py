"""The network roles, group kinds and activity kinds every deployment starts with (all data:
a deployment adds its own in the admin). Loaded by the migration ``0002_default_kinds``
through the kind registry (:mod:`lantoa.core.kinds`)."""

from __future__ import annotations

from lantoa.core.kinds import KindSeed, register_kind_seeds, seed_kinds

# code, Vietnamese, English
ROLES = [
    ("reporter", "Báo cáo viên", "Reporter"),
    ("propagandist", "Tuyên truyền viên", "Propagandist"),
    ("outreach_cadre", "Cán bộ tuyên vận", "Outreach cadre"),
    ("opinion_collaborator", "Cộng tác viên dư luận xã hội", "Public-opinion collaborator"),
    ("prestigious_person", "Người có uy tín", "Person of prestige"),
    ("jury_member", "Thành viên ban giám khảo", "Jury member"),
    ("presenter", "Người trình bày", "Presenter"),
]

# code, Vietnamese, English, tier of the units that hold them
GROUP_KINDS = [
    ("outreach_board", "Ban tuyên vận", "Outreach board", "commune"),
    ("outreach_team", "Tổ tuyên vận", "Outreach team", "village"),
]

ACTIVITY_KINDS = [
    ("village_meeting", "Họp thôn, tổ dân phố", "Village meeting"),
    ("home_visits", "Đến từng hộ gia đình", "Home visits"),
    ("loudspeaker", "Phát thanh qua loa truyền thanh", "Loudspeaker broadcast"),
    ("dialogue", "Đối thoại với Nhân dân", "Dialogue with residents"),
    ("community_event", "Lồng ghép sinh hoạt cộng đồng, lễ hội", "At a community event or festival"),
    ("online", "Tuyên truyền trên mạng xã hội, nhóm Zalo", "Online, in social-media groups"),
    ("printed_material", "Phát tài liệu, tờ rơi", "Handing out printed material"),
]


register_kind_seeds("people.NetworkRoleKind", (KindSeed(code, vi, en) for code, vi, en in ROLES))
register_kind_seeds(
    "people.GroupKind", (KindSeed(code, vi, en, {"tier_code": tier}) for code, vi, en, tier in GROUP_KINDS)
)
register_kind_seeds("people.ActivityKind", (KindSeed(code, vi, en) for code, vi, en in ACTIVITY_KINDS))


def load_defaults(role_model, group_kind_model, activity_kind_model) -> None:  # type: ignore[no-untyped-def]
    """Create the defaults that do not exist yet (by code); never changes existing rows."""
    for model in (role_model, group_kind_model, activity_kind_model):
        seed_kinds(model)
