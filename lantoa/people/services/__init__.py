"""Writes for persons, network roles, groups and activities. Nothing else writes these tables.

Every staff write is audited with the names of the fields it set, never their values.
Activities are the network's own high-volume records: they are not audited one by one, but
they are never edited — a wrong one is withdrawn with a reason, and that is audited.

One module a subject: ``persons``, ``roles``, ``groups``, ``activities``, and ``restructuring``
(the handlers that move what points at a closing unit); ``common`` holds what they share.
Callers import from here.
"""

from lantoa.people.services.activities import (
    MAX_PEOPLE_PER_SESSION,
    ActivityData,
    activities_confirm,
    activity_record,
    activity_validate,
    activity_withdraw,
)
from lantoa.people.services.common import DECISION_LIMIT
from lantoa.people.services.groups import (
    MEMBER_ROLES,
    group_create,
    group_dissolve,
    group_leader_set,
    group_member_add,
    group_member_end,
    groups_merge,
)
from lantoa.people.services.persons import (
    ANONYMOUS_GIVEN_NAME,
    NAME_LIMIT,
    PERSON_FIELDS,
    SENSITIVE_FIELDS,
    SORT_KEY_LIMIT,
    DuplicatePerson,
    PersonData,
    person_anonymise,
    person_create,
    person_derived,
    person_duplicates,
    person_export_record,
    person_link_user,
    person_update,
    person_validate,
    sensitive_fields_enabled,
)
from lantoa.people.services.restructuring import (
    groups_follow_successor,
    person_home_units_follow_successor,
    roles_follow_successor,
)
from lantoa.people.services.roles import role_assign, role_end

__all__ = [
    "ANONYMOUS_GIVEN_NAME",
    "DECISION_LIMIT",
    "MAX_PEOPLE_PER_SESSION",
    "MEMBER_ROLES",
    "NAME_LIMIT",
    "PERSON_FIELDS",
    "SENSITIVE_FIELDS",
    "SORT_KEY_LIMIT",
    "ActivityData",
    "DuplicatePerson",
    "PersonData",
    "activities_confirm",
    "activity_record",
    "activity_validate",
    "activity_withdraw",
    "group_create",
    "group_dissolve",
    "group_leader_set",
    "group_member_add",
    "group_member_end",
    "groups_follow_successor",
    "groups_merge",
    "person_anonymise",
    "person_create",
    "person_derived",
    "person_duplicates",
    "person_export_record",
    "person_home_units_follow_successor",
    "person_link_user",
    "person_update",
    "person_validate",
    "role_assign",
    "role_end",
    "roles_follow_successor",
    "sensitive_fields_enabled",
]
