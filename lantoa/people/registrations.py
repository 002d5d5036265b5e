"""What the people module contributes: navigation, "my work", indicators, restructuring handlers."""

from django.utils.translation import gettext_lazy as _

from lantoa.core.audit import register_audit_labels
from lantoa.core.indicators import (
    Aggregation,
    Counting,
    Indicator,
    Measure,
    Reallocation,
    RecordSource,
    register_indicator,
    register_source,
)
from lantoa.core.registry import NavItem, register_my_work, register_nav

register_nav(
    NavItem(key="people", label=_("Outreach network"), url_name="people:home", order=20, capability="view_aggregates")
)


def _my_work(user, unit):  # type: ignore[no-untyped-def]
    from lantoa.people.selectors import my_work_items

    return my_work_items(user, unit)


register_my_work("people", _my_work)

# Groups in existence on the period's last day, per kind.
for kind in ("outreach_board", "outreach_team"):
    register_source(
        RecordSource(
            key=f"people.groups.{kind}",
            model="people.NetworkGroup",
            unit_field="unit",
            date_field="valid_from",
            valid_to_field="valid_to",
            measures={"count": Measure.count()},
            filters={"kind__code": kind},
        )
    )

# Roles held on the period's last day; a person holding the role twice counts once.
_ROLE_SOURCES: list[tuple[str, dict[str, object]]] = [
    ("people.roles.commune_outreach_cadre", {"role__code": "outreach_cadre", "unit__kind__tier__code": "commune"}),
    ("people.roles.village_propagandist", {"role__code": "propagandist", "unit__kind__tier__code": "village"}),
    ("people.roles.reporter", {"role__code": "reporter"}),
]
for key, filters in _ROLE_SOURCES:
    register_source(
        RecordSource(
            key=key,
            model="people.RoleAssignment",
            unit_field="unit",
            date_field="valid_from",
            valid_to_field="valid_to",
            measures={"people": Measure.distinct("person_id")},
            filters=filters,
        )
    )

# Activities count unless withdrawn: confirmation is the officer's check, not a condition
# for counting (see docs/decisions/0009-outreach-counts-first.md).
register_source(
    RecordSource(
        key="people.activities",
        model="people.Activity",
        unit_field="unit",
        date_field="held_on",
        measures={"sessions": Measure.sum("sessions"), "people_reached": Measure.sum("people_reached")},
        filters={"status__in": ["submitted", "confirmed"]},
    )
)


register_indicator(
    Indicator(
        module="people",
        code="outreach_boards",
        name_vi="Ban tuyên vận xã",
        name_en="Commune outreach boards",
        measure_vi="ban",
        measure_en="boards",
        aggregation=Aggregation.SNAPSHOT,
        counting=Counting.ITEMS,
        reallocation=Reallocation.RECOMPUTE,
        source="people.groups.outreach_board",
        measure="count",
    )
)
register_indicator(
    Indicator(
        module="people",
        code="outreach_teams",
        name_vi="Tổ tuyên vận thôn, tổ dân phố",
        name_en="Village outreach teams",
        measure_vi="tổ",
        measure_en="teams",
        aggregation=Aggregation.SNAPSHOT,
        counting=Counting.ITEMS,
        reallocation=Reallocation.RECOMPUTE,
        source="people.groups.outreach_team",
        measure="count",
    )
)
register_indicator(
    Indicator(
        module="people",
        code="outreach_commune_cadres",
        name_vi="Cán bộ tuyên vận cấp xã",
        name_en="Commune outreach cadres",
        measure_vi="người",
        measure_en="people",
        aggregation=Aggregation.SNAPSHOT,
        counting=Counting.PEOPLE,
        reallocation=Reallocation.RECOMPUTE,
        source="people.roles.commune_outreach_cadre",
        measure="people",
    )
)
register_indicator(
    Indicator(
        module="people",
        code="village_propagandists",
        name_vi="Tuyên truyền viên ở thôn, tổ dân phố",
        name_en="Village propagandists",
        measure_vi="người",
        measure_en="people",
        aggregation=Aggregation.SNAPSHOT,
        counting=Counting.PEOPLE,
        reallocation=Reallocation.RECOMPUTE,
        source="people.roles.village_propagandist",
        measure="people",
    )
)
register_indicator(
    Indicator(
        module="people",
        code="reporters",
        name_vi="Báo cáo viên",
        name_en="Reporters",
        measure_vi="người",
        measure_en="people",
        aggregation=Aggregation.SNAPSHOT,
        counting=Counting.PEOPLE,
        reallocation=Reallocation.RECOMPUTE,
        source="people.roles.reporter",
        measure="people",
    )
)
register_indicator(
    Indicator(
        module="people",
        code="outreach_activities",
        name_vi="Buổi tuyên truyền, vận động",
        name_en="Outreach sessions",
        measure_vi="buổi",
        measure_en="sessions",
        aggregation=Aggregation.SUM,
        counting=Counting.ITEMS,
        reallocation=Reallocation.WHOLE_TO_DEFAULT,
        source="people.activities",
        measure="sessions",
    )
)
register_indicator(
    Indicator(
        module="people",
        code="people_reached",
        name_vi="Lượt người được tuyên truyền",
        name_en="People reached (attendances)",
        measure_vi="lượt người",
        measure_en="attendances",
        aggregation=Aggregation.SUM,
        counting=Counting.ATTENDANCES,
        reallocation=Reallocation.WHOLE_TO_DEFAULT,
        source="people.activities",
        measure="people_reached",
    )
)


def _register_pointer_handlers() -> None:
    from lantoa.org.restructuring import register_pointer_handler
    from lantoa.people.services import (
        groups_follow_successor,
        person_home_units_follow_successor,
        roles_follow_successor,
    )

    register_pointer_handler("network_groups", groups_follow_successor)
    register_pointer_handler("network_roles", roles_follow_successor)
    register_pointer_handler("person_home_units", person_home_units_follow_successor)


_register_pointer_handlers()

register_audit_labels(
    actions={
        "lantoa.people.activity.confirmed": _("Activity confirmed"),
        "lantoa.people.activity.withdrawn": _("Activity withdrawn"),
        "lantoa.people.group.absorbed": _("Group absorbed"),
        "lantoa.people.group.dissolved": _("Group dissolved"),
        "lantoa.people.group.followed_unit": _("Group followed its unit"),
        "lantoa.people.group.formed": _("Group formed"),
        "lantoa.people.group.leader_set": _("Group leader set"),
        "lantoa.people.group.member_added": _("Group member added"),
        "lantoa.people.group.member_ended": _("Group membership ended"),
        "lantoa.people.group.merged": _("Groups merged"),
        "lantoa.people.person.anonymised": _("Person anonymised"),
        "lantoa.people.person.created": _("Person recorded"),
        "lantoa.people.person.exported": _("Person's data exported"),
        "lantoa.people.person.home_unit_followed": _("Person's home unit followed a restructuring"),
        "lantoa.people.person.sensitive_read": _("Sensitive details read"),
        "lantoa.people.person.updated": _("Person changed"),
        "lantoa.people.person.user_linked": _("Person linked to an account"),
        "lantoa.people.role.assigned": _("Network role assigned"),
        "lantoa.people.role.ended": _("Network role ended"),
        "lantoa.people.roster.exported": _("Roster exported"),
        "lantoa.people.roster.imported": _("Roster imported"),
    },
    fields={
        "members": _("members"),
        "memberships": _("memberships"),
        "persons": _("persons"),
        "roles": _("roles"),
        "full_name": _("full name"),
        "is_leader": _("leader"),
    },
)
