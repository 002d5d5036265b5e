"""Writes for data sets and data requests: define a set, send a request, file, approve, correct,
remind, and follow a reorganisation. The only code that writes the tables of
:mod:`lantoa.reports.models`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.accounts.selectors import unit_recipients
from lantoa.core.audit import actor_or_none, audit_record, audit_record_many
from lantoa.core.errors import Conflict, ValidationFailed
from lantoa.core.indicators import get_indicator
from lantoa.core.models import Period
from lantoa.core.services import data_value_record, period_ensure
from lantoa.core.text import clean_text
from lantoa.org import selectors as org_selectors
from lantoa.org.models import Tier, Unit
from lantoa.reports.models import (
    CODE_MAX,
    DESCRIPTION_MAX,
    EXPLANATION_MAX,
    FIELDS_PER_SET,
    HELP_MAX,
    INTEGER_MAX,
    INTEGER_MIN,
    LABEL_MAX,
    MESSAGE_MAX,
    NAME_MAX,
    REASON_MAX,
    RULES_PER_SET,
    TEXT_VALUE_MAX,
    AssignmentStatus,
    DataField,
    DataReminder,
    DataRequest,
    DataRequestAssignment,
    DataSet,
    DataSubmission,
    FieldKind,
    Severity,
    SubmissionSource,
    ValidationRule,
)
from lantoa.reports.rules import RuleSyntaxError, parse_rule

_CODE = re.compile(r"^[a-z][a-z0-9_]*$")


def _invalid(message: str, field_name: str, **extra: Any) -> ValidationFailed:
    return ValidationFailed(message, extra={"field": field_name, **extra})


# --- Data sets -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldSpec:
    code: str
    label: str
    kind: str
    indicator: str = ""
    required: bool = True
    min_value: int | None = None
    max_value: int | None = None
    max_length: int | None = None
    help_text: str = ""


@dataclass(frozen=True)
class RuleSpec:
    expression: str
    severity: str
    message: str


def _checked_fields(specs: Sequence[FieldSpec]) -> list[FieldSpec]:
    if not specs:
        raise _invalid(_("A data set needs at least one field."), "fields")
    if len(specs) > FIELDS_PER_SET:
        raise _invalid(_("A data set has at most %(n)s fields.") % {"n": FIELDS_PER_SET}, "fields")
    seen: set[str] = set()
    checked = []
    for index, spec in enumerate(specs, start=1):
        where = f"fields.{index}"
        code = spec.code.strip().lower()
        if not _CODE.match(code) or len(code) > CODE_MAX:
            raise _invalid(
                _("Field %(n)s: a code is lower-case letters, digits and _ (at most %(max)s), starting with a letter.")
                % {"n": index, "max": CODE_MAX},
                where,
            )
        if code in seen:
            raise _invalid(_("Field %(n)s: the code %(code)s is used twice.") % {"n": index, "code": code}, where)
        seen.add(code)
        label = clean_text(spec.label)
        if not label or len(label) > LABEL_MAX:
            raise _invalid(
                _("Field %(n)s needs a label of at most %(max)s characters.") % {"n": index, "max": LABEL_MAX}, where
            )
        help_text = clean_text(spec.help_text)[:HELP_MAX]
        if spec.kind not in FieldKind.values:
            raise _invalid(_("Field %(n)s: unknown kind %(kind)s.") % {"n": index, "kind": spec.kind}, where)
        indicator = spec.indicator.strip()
        min_value, max_value, max_length = spec.min_value, spec.max_value, spec.max_length
        if spec.kind == FieldKind.INDICATOR:
            definition = get_indicator(indicator)
            if definition is None or definition.reported:
                raise _invalid(
                    _("Field %(n)s: %(code)s is not an indicator Lantoa computes from records.")
                    % {"n": index, "code": indicator or "—"},
                    where,
                )
            min_value = max_value = max_length = None
        elif spec.kind == FieldKind.INTEGER:
            if indicator:
                definition = get_indicator(indicator)
                if definition is None or not definition.reported:
                    raise _invalid(
                        _("Field %(n)s: %(code)s is not an indicator that units report.")
                        % {"n": index, "code": indicator},
                        where,
                    )
            low = INTEGER_MIN if min_value is None else min_value
            high = INTEGER_MAX if max_value is None else max_value
            if not INTEGER_MIN <= low <= high <= INTEGER_MAX:
                raise _invalid(
                    _("Field %(n)s: the bounds must lie between %(low)s and %(high)s, smallest first.")
                    % {"n": index, "low": INTEGER_MIN, "high": INTEGER_MAX},
                    where,
                )
            min_value, max_value, max_length = low, high, None
        else:
            if indicator:
                raise _invalid(_("Field %(n)s: a text field names no indicator.") % {"n": index}, where)
            max_length = max_length or 200
            if not 1 <= max_length <= TEXT_VALUE_MAX:
                raise _invalid(
                    _("Field %(n)s: a text is at most %(max)s characters.") % {"n": index, "max": TEXT_VALUE_MAX}, where
                )
            min_value = max_value = None
        checked.append(
            FieldSpec(code, label, spec.kind, indicator, spec.required, min_value, max_value, max_length, help_text)
        )
    return checked


def _checked_rules(specs: Sequence[RuleSpec], fields: Sequence[FieldSpec]) -> list[RuleSpec]:
    if len(specs) > RULES_PER_SET:
        raise _invalid(_("A data set has at most %(n)s rules.") % {"n": RULES_PER_SET}, "rules")
    numeric = {spec.code for spec in fields if spec.kind != FieldKind.TEXT}
    checked = []
    for index, spec in enumerate(specs, start=1):
        where = f"rules.{index}"
        expression = " ".join(spec.expression.split())
        try:
            rule = parse_rule(expression)
        except RuleSyntaxError as error:
            raise _invalid(_("Rule %(n)s: %(error)s") % {"n": index, "error": error}, where) from None
        unknown = sorted(rule.fields() - numeric)
        if unknown:
            raise _invalid(
                _("Rule %(n)s names %(codes)s, which is not a number field of this set.")
                % {"n": index, "codes": ", ".join(unknown)},
                where,
            )
        if spec.severity not in Severity.values:
            raise _invalid(_("Rule %(n)s: the severity is warn or block.") % {"n": index}, where)
        message = clean_text(spec.message)
        if not message or len(message) > MESSAGE_MAX:
            raise _invalid(
                _("Rule %(n)s needs a message of at most %(max)s characters.") % {"n": index, "max": MESSAGE_MAX}, where
            )
        checked.append(RuleSpec(expression.lower(), spec.severity, message))
    return checked


def data_set_create(
    *,
    by: Any,
    unit: Unit,
    code: str,
    name: str,
    fields: Sequence[FieldSpec],
    rules: Sequence[RuleSpec] = (),
    description: str = "",
) -> tuple[DataSet, bool]:
    """Define a data set for ``unit``. The code names it for ever: asking again with a code the
    unit already uses returns that set (and False) when the name matches, and refuses otherwise."""
    code = code.strip().lower()
    if not re.match(r"^[a-z0-9][a-z0-9_-]*$", code) or len(code) > CODE_MAX:
        raise _invalid(
            _("A code is lower-case letters, digits, - and _ (at most %(max)s).") % {"max": CODE_MAX}, "code"
        )
    clean_name, clean_description = _checked_texts(name, description)
    checked_fields = _checked_fields(fields)
    checked_rules = _checked_rules(rules, checked_fields)
    existing = DataSet.objects.filter(code=code).order_by("-version").first()
    if existing is not None:
        if existing.unit_id == unit.pk and existing.name == clean_name:
            return existing, False
        raise Conflict(
            _("The code %(code)s is already used by another data set.") % {"code": code}, extra={"field": "code"}
        )
    try:
        with transaction.atomic():
            data_set = _write_data_set(
                by=by,
                unit=unit,
                code=code,
                name=clean_name,
                description=clean_description,
                fields=checked_fields,
                rules=checked_rules,
            )
            audit_record(
                action="lantoa.reports.data_set.created",
                by=by,
                target=data_set,
                unit=unit,
                changed=["code", "name", "fields", "rules"],
            )
    except IntegrityError:
        raise Conflict(
            _("The code %(code)s is already used by another data set.") % {"code": code}, extra={"field": "code"}
        ) from None
    return data_set, True


def _checked_texts(name: str, description: str) -> tuple[str, str]:
    clean_name = clean_text(name)
    if not clean_name or len(clean_name) > NAME_MAX:
        raise _invalid(_("A name of at most %(max)s characters is needed.") % {"max": NAME_MAX}, "name")
    clean_description = clean_text(description, multiline=True)
    if len(clean_description) > DESCRIPTION_MAX:
        raise _invalid(_("The description is at most %(max)s characters.") % {"max": DESCRIPTION_MAX}, "description")
    return clean_name, clean_description


def _write_data_set(
    *,
    by: Any,
    unit: Unit,
    code: str,
    name: str,
    description: str,
    fields: Sequence[FieldSpec],
    rules: Sequence[RuleSpec],
    replaces: DataSet | None = None,
) -> DataSet:
    """One version of a data set with its fields and rules (checked already)."""
    data_set = DataSet.objects.create(
        code=code,
        version=replaces.version + 1 if replaces is not None else 1,
        replaces=replaces,
        name=name,
        description=description,
        unit=unit,
        created_by=actor_or_none(by),
    )
    DataField.objects.bulk_create(
        DataField(
            data_set=data_set,
            position=position,
            code=spec.code,
            label=spec.label,
            help_text=spec.help_text,
            kind=spec.kind,
            indicator=spec.indicator,
            required=spec.required,
            min_value=spec.min_value,
            max_value=spec.max_value,
            max_length=spec.max_length,
        )
        for position, spec in enumerate(fields, start=1)
    )
    ValidationRule.objects.bulk_create(
        ValidationRule(
            data_set=data_set,
            position=position,
            expression=spec.expression,
            severity=spec.severity,
            message=spec.message,
        )
        for position, spec in enumerate(rules, start=1)
    )
    return data_set


def _refuse_if_retired(data_set: DataSet) -> None:
    if data_set.retired_at is not None:
        raise Conflict(
            _("Version %(version)s of %(name)s is retired; use its current version.")
            % {"version": data_set.version, "name": data_set.name},
            code="data_set_retired",
        )


def data_set_revise(
    *,
    by: Any,
    data_set: DataSet,
    name: str,
    fields: Sequence[FieldSpec],
    rules: Sequence[RuleSpec] = (),
    description: str = "",
) -> DataSet:
    """The next version of ``data_set`` (same code and owner): the one given is retired, and the
    requests already sent keep the fields they were sent with. Only the current version is
    revised, once: two revisions at once give one new version and one refusal."""
    clean_name, clean_description = _checked_texts(name, description)
    checked_fields = _checked_fields(fields)
    checked_rules = _checked_rules(rules, checked_fields)
    try:
        with transaction.atomic():
            retired = DataSet.objects.filter(pk=data_set.pk, retired_at__isnull=True).update(retired_at=timezone.now())
            if not retired:
                _refuse_if_retired(DataSet.objects.get(pk=data_set.pk))
            revision = _write_data_set(
                by=by,
                unit=data_set.unit,
                code=data_set.code,
                name=clean_name,
                description=clean_description,
                fields=checked_fields,
                rules=checked_rules,
                replaces=data_set,
            )
            audit_record(
                action="lantoa.reports.data_set.revised",
                by=by,
                target=revision,
                unit=data_set.unit,
                changed=["name", "description", "fields", "rules"],
            )
    except IntegrityError:  # another revision of the same version was written first
        raise Conflict(
            _("Version %(version)s of %(name)s is retired; use its current version.")
            % {"version": data_set.version, "name": data_set.name},
            code="data_set_retired",
        ) from None
    return revision


def data_set_retire(*, by: Any, data_set: DataSet) -> DataSet:
    """No more requests with ``data_set`` (those sent carry on)."""
    with transaction.atomic():
        if not DataSet.objects.filter(pk=data_set.pk, retired_at__isnull=True).update(retired_at=timezone.now()):
            _refuse_if_retired(DataSet.objects.get(pk=data_set.pk))
        audit_record(
            action="lantoa.reports.data_set.retired", by=by, target=data_set, unit=data_set.unit, changed=["retired_at"]
        )
    data_set.refresh_from_db(fields=["retired_at"])
    return data_set


# --- Requests --------------------------------------------------------------------------------------


def request_send(
    *,
    by: Any,
    data_set: DataSet,
    unit: Unit,
    tier_code: str,
    start: dt.date,
    end: dt.date,
    deadline: dt.date,
    title: str,
    instructions: str = "",
    period_kind: str = Period.Kind.RANGE,
    cutoff: dt.date | None = None,
    sent_on: dt.date | None = None,
    territorial_only: bool = True,
) -> DataRequest:
    """Send ``data_set`` from ``unit`` to every unit of ``tier_code`` in its subtree as it stands on
    ``sent_on`` (today by default), for ``[start, end]``, due by ``deadline``: one assignment each.
    ``cutoff`` (the data cut-off) lies within the period and not after the deadline; without one it
    is the period's end, or the deadline when that comes first. Computed figures count the records
    up to it.
    ``territorial_only`` (the default) leaves out functional units of the tier (the grassroots
    organisations of a bloc), so "every commune" means the communes, wards and special zones.
    A retired version of a data set is not sent (409 ``data_set_retired``)."""
    _refuse_if_retired(data_set)
    day = sent_on or org_selectors.today()
    clean_title = clean_text(title)
    if not clean_title or len(clean_title) > NAME_MAX:
        raise _invalid(_("A title of at most %(max)s characters is needed.") % {"max": NAME_MAX}, "title")
    clean_instructions = clean_text(instructions, multiline=True)
    if len(clean_instructions) > DESCRIPTION_MAX:
        raise _invalid(_("The instructions are at most %(max)s characters.") % {"max": DESCRIPTION_MAX}, "instructions")
    if end < start:
        raise _invalid(_("The period must end on or after its start."), "end")
    if deadline < day:
        raise _invalid(_("The deadline cannot be before the day the request is sent."), "deadline")
    if cutoff is None:
        cutoff = min(end, deadline)
    if cutoff < start:
        raise _invalid(_("The data cut-off cannot be before the period starts."), "cutoff")
    if cutoff > end:
        raise _invalid(_("The data cut-off cannot be after the period ends."), "cutoff")
    if cutoff > deadline:
        raise _invalid(_("The data cut-off cannot be after the deadline."), "cutoff")
    tier = Tier.objects.filter(code=tier_code).first()
    if tier is None:
        raise _invalid(_("Unknown tier %(tier)s.") % {"tier": tier_code}, "tier")
    if not unit.is_open_on(day):
        raise _invalid(_("%(unit)s is not open on the day the request is sent.") % {"unit": unit.name}, "unit")
    targets = list(
        org_selectors.unit_subtree(unit, as_of=day)
        .filter(org_selectors.open_on(day), kind__tier=tier)
        .filter(**({"kind__is_territorial": True} if territorial_only else {}))
        .exclude(pk=unit.pk)
        .order_by("code")
    )
    if not targets:
        raise _invalid(
            _("There is no unit of the tier %(tier)s under %(unit)s.") % {"tier": tier.name, "unit": unit.name}, "tier"
        )
    with transaction.atomic():
        period = period_ensure(kind=period_kind, start=start, end=end)
        request = DataRequest.objects.create(
            data_set=data_set,
            unit=unit,
            tier=tier,
            period=period,
            title=clean_title,
            instructions=clean_instructions,
            sent_on=day,
            deadline=deadline,
            cutoff=cutoff,
            created_by=actor_or_none(by),
        )
        DataRequestAssignment.objects.bulk_create(
            DataRequestAssignment(request=request, unit=target, assigned_unit=target) for target in targets
        )
        audit_record(
            action="lantoa.reports.request.sent",
            by=by,
            target=request,
            unit=unit,
            changed=["data_set", "tier", "period", "cutoff", "deadline", "assignments"],
        )
    return request


# --- Filing ----------------------------------------------------------------------------------------


@dataclass
class Problem:
    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


@dataclass
class Checked:
    values: dict[str, Any] = field(default_factory=dict)
    explanations: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[dict[str, str]] = field(default_factory=list)


def _as_integer(raw: Any) -> int | None:
    """An integer from the API (an int, not a bool) or from a form or sheet (digits, with the
    thousands separators people type: 1.234 or 1,234 or 1 234)."""
    if isinstance(raw, bool):
        raise ValueError
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        if raw.is_integer():
            return int(raw)
        raise ValueError
    text = str(raw).strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", text):
        text = text.replace(".", "").replace(",", "")
    if not re.fullmatch(r"\d{1,15}", text):
        raise ValueError
    return int(text)


def check_values(
    fields: Sequence[DataField],
    rules: Sequence[ValidationRule],
    raw: Mapping[str, Any],
    explanations: Mapping[str, Any],
    computed: Mapping[str, Any],
) -> Checked:
    """Clean what a unit filed against the set's fields and rules: every problem is listed (a
    blocking rule is a problem; a warning rule that fails is a warning)."""
    checked = Checked()
    known = {data_field.code for data_field in fields}
    for code in sorted(set(raw) - known):
        checked.problems.append(Problem(code, _("%(code)s is not a field of this form.") % {"code": code}))
    for data_field in fields:
        given = raw.get(data_field.code)
        note = clean_text(str(explanations.get(data_field.code) or ""), multiline=True)
        if len(note) > EXPLANATION_MAX:
            checked.problems.append(
                Problem(data_field.code, _("An explanation is at most %(max)s characters.") % {"max": EXPLANATION_MAX})
            )
            continue
        if data_field.kind == FieldKind.TEXT:
            text = clean_text(str(given or ""), multiline=False)
            if len(text) > (data_field.max_length or TEXT_VALUE_MAX):
                checked.problems.append(
                    Problem(data_field.code, _("At most %(max)s characters.") % {"max": data_field.max_length})
                )
            elif not text and data_field.required:
                checked.problems.append(Problem(data_field.code, _("This field is required.")))
            else:
                checked.values[data_field.code] = text or None
            continue
        try:
            number = None if given is None else _as_integer(given)
        except ValueError:
            checked.problems.append(Problem(data_field.code, _("Enter a whole number, zero or more.")))
            continue
        if data_field.kind == FieldKind.INDICATOR:
            lantoa_figure = computed.get(data_field.code)
            if number is None or number == lantoa_figure:
                number = lantoa_figure
            elif lantoa_figure is not None and not note:
                checked.problems.append(
                    Problem(
                        data_field.code,
                        _("Lantoa computed %(value)s from records; explain why your figure differs.")
                        % {"value": lantoa_figure},
                    )
                )
                continue
            if number is not None and not INTEGER_MIN <= number <= INTEGER_MAX:
                checked.problems.append(Problem(data_field.code, _("The figure is out of range.")))
                continue
        else:
            low = INTEGER_MIN if data_field.min_value is None else data_field.min_value
            high = INTEGER_MAX if data_field.max_value is None else data_field.max_value
            if number is not None and not low <= number <= high:
                checked.problems.append(
                    Problem(
                        data_field.code,
                        _("Enter a whole number from %(low)s to %(high)s.") % {"low": low, "high": high},
                    )
                )
                continue
        if number is None and data_field.required:
            checked.problems.append(Problem(data_field.code, _("This field is required.")))
            continue
        checked.values[data_field.code] = number
        if note:
            checked.explanations[data_field.code] = note
    if checked.problems:
        return checked
    for rule in rules:
        holds = parse_rule(rule.expression).holds(checked.values)
        if holds is False:
            entry = {"rule": rule.expression, "message": rule.message}
            if rule.severity == Severity.BLOCK:
                checked.problems.append(Problem(f"rule.{rule.position}", rule.message))
            else:
                checked.warnings.append(entry)
    return checked


def computed_figures(assignment: DataRequestAssignment, fields: Sequence[DataField]) -> dict[str, Any]:
    """The figures Lantoa computes from records for the assignment's unit and the request's period
    up to its data cut-off, in today's structure (None where it has no data), keyed by field code —
    one rollup."""
    from lantoa.org.rollup import Structure, indicator_values
    from lantoa.org.rollup.values import tidy

    wanted = [data_field for data_field in fields if data_field.kind == FieldKind.INDICATOR]
    if not wanted:
        return {}
    period = assignment.request.period
    # Records dated after the cut-off belong to a later report. Today's structure: a commune
    # formed by a merge is credited with its predecessors' records.
    found = indicator_values(
        unit=assignment.unit,
        start=period.start,
        end=min(period.end, assignment.request.cutoff),
        codes=[f.indicator for f in wanted],
        structure=Structure.CURRENT,
    )
    by_code = {value.indicator.code: value.value for value in found}
    result: dict[str, Any] = {}
    for data_field in wanted:
        value = by_code.get(data_field.indicator)
        result[data_field.code] = None if value is None else tidy(value)
        if isinstance(result[data_field.code], Decimal):
            result[data_field.code] = int(result[data_field.code])
    return result


def submission_file(
    *,
    by: Any,
    assignment: DataRequestAssignment,
    values: Mapping[str, Any],
    explanations: Mapping[str, Any] | None = None,
    reason: str = "",
    source: str = SubmissionSource.FORM,
) -> DataSubmission:
    """File ``values`` for ``assignment`` as a new version. Before approval each filing is a new
    version; once approved, the figures are locked and only a correction with a ``reason`` makes a
    new version (which then awaits approval again). Every problem is listed in one
    ValidationFailed (``extra["problems"]``) and nothing is written."""
    if assignment.status == AssignmentStatus.MERGED:
        raise Conflict(_("This assignment moved to another unit's; file there."), code="assignment_merged")
    _refuse_if_closed(assignment.request)
    clean_reason = clean_text(reason, multiline=True)
    if len(clean_reason) > REASON_MAX:
        raise _invalid(_("The reason is at most %(max)s characters.") % {"max": REASON_MAX}, "reason")
    if assignment.status == AssignmentStatus.APPROVED and not clean_reason:
        raise Conflict(
            _("These figures were approved and are locked; a correction needs a reason."),
            code="approved_locked",
            extra={"field": "reason"},
        )
    fields = list(assignment.request.data_set.fields.all())
    rules = list(assignment.request.data_set.rules.all())
    computed = computed_figures(assignment, fields)
    checked = check_values(fields, rules, values, explanations or {}, computed)
    if checked.problems:
        first = checked.problems[0]
        raise ValidationFailed(
            _("The figures were not filed: %(count)s problem(s).") % {"count": len(checked.problems)},
            extra={"field": first.field, "problems": [problem.as_dict() for problem in checked.problems]},
        )
    correcting = assignment.status == AssignmentStatus.APPROVED
    with transaction.atomic():
        # The request's row first, as closing it takes it: a filing and a closing never cross.
        _refuse_if_closed(DataRequest.objects.select_for_update().get(pk=assignment.request_id))
        locked = DataRequestAssignment.objects.select_for_update().get(pk=assignment.pk)
        if locked.status != assignment.status:
            raise Conflict(_("Someone changed this filing meanwhile; reload and try again."), code="changed_meanwhile")
        number = (locked.versions.aggregate(top=Max("number"))["top"] or 0) + 1
        try:
            with transaction.atomic():
                version = DataSubmission.objects.create(
                    assignment=locked,
                    number=number,
                    unit=locked.unit,
                    values=checked.values,
                    computed=computed,
                    explanations=checked.explanations,
                    warnings=checked.warnings,
                    reason=clean_reason,
                    source=source,
                    created_by=actor_or_none(by),
                )
        except IntegrityError:
            raise Conflict(_("Someone filed meanwhile; reload and try again."), code="changed_meanwhile") from None
        now = timezone.now()
        locked.current = version
        locked.status = AssignmentStatus.FILED
        locked.filed_at = locked.filed_at or now
        locked.save(update_fields=["current", "status", "filed_at"])
        audit_record(
            action="lantoa.reports.submission.corrected" if correcting else "lantoa.reports.submission.filed",
            by=by,
            target=version,
            unit=locked.unit,
            changed=sorted(checked.values) + (["reason"] if clean_reason else []),
        )
    assignment.refresh_from_db()
    return version


def submission_approve(*, by: Any, assignment: DataRequestAssignment) -> tuple[DataSubmission, bool]:
    """Approve the current version (locking the figures); True when it was not approved before.
    Typed figures that name a reported indicator are recorded as the unit's reported figures."""
    if assignment.status == AssignmentStatus.MERGED:
        raise Conflict(_("This assignment moved to another unit's."), code="assignment_merged")
    if assignment.current_id is None:
        raise Conflict(_("Nothing has been filed yet."), code="nothing_filed")
    with transaction.atomic():
        locked = DataRequestAssignment.objects.select_for_update().get(pk=assignment.pk)
        if locked.current_id is None or locked.status == AssignmentStatus.MERGED:
            raise Conflict(_("Someone changed this filing meanwhile; reload and try again."), code="changed_meanwhile")
        version = DataSubmission.objects.get(pk=locked.current_id)
        if version.approved_at is not None:
            return version, False
        now = timezone.now()
        DataSubmission.objects.filter(pk=version.pk, approved_at__isnull=True).update(
            approved_at=now, approved_by=actor_or_none(by)
        )
        version.refresh_from_db()
        locked.status = AssignmentStatus.APPROVED
        locked.save(update_fields=["status"])
        request = locked.request
        reported = [
            f
            for f in request.data_set.fields.all()
            if f.kind == FieldKind.INTEGER and f.indicator and version.values.get(f.code) is not None
        ]
        for data_field in reported:
            data_value_record(
                by=by,
                indicator=data_field.indicator,
                unit=locked.unit,
                period=request.period,
                value=version.values[data_field.code],
                source=_("Data request: %(title)s") % {"title": request.title[:200]},
            )
        audit_record(
            action="lantoa.reports.submission.approved",
            by=by,
            target=version,
            unit=locked.unit,
            changed=["approved_at"],
        )
    assignment.refresh_from_db()
    return version, True


# --- Closing a request ----------------------------------------------------------------------------


def _refuse_if_closed(request: DataRequest) -> None:
    if request.closed_at is not None:
        raise Conflict(
            _("This request was closed on %(day)s: it takes no more figures.")
            % {"day": timezone.localtime(request.closed_at).strftime("%d/%m/%Y")},
            code="request_closed",
        )


def request_close(*, by: Any, request: DataRequest) -> tuple[DataRequest, bool]:
    """Close ``request`` once its figures are collected: no more filing, correction or reminder.
    What was filed stays and may still be approved. True when this call closed it (closing a
    closed request changes nothing)."""
    with transaction.atomic():
        locked = DataRequest.objects.select_for_update().get(pk=request.pk)
        closed = locked.closed_at is None
        if closed:
            locked.closed_at = timezone.now()
            locked.save(update_fields=["closed_at", "updated_at"])
            audit_record(
                action="lantoa.reports.request.closed", by=by, target=locked, unit=request.unit, changed=["closed_at"]
            )
    request.closed_at = locked.closed_at
    return request, closed


# --- Reminders -------------------------------------------------------------------------------------


@dataclass
class ReminderResult:
    reminded: list[DataRequestAssignment]
    recipients: int  # officers with an address the messages go to
    message: str


def reminder_message(request: DataRequest, late: Sequence[DataRequestAssignment]) -> str:
    """The "copy as message" text for a chat group: the request, its deadline, the late units."""
    lines = [
        _('Reminder: "%(title)s" (%(start)s – %(end)s) was due on %(deadline)s.')
        % {
            "title": request.title,
            "start": request.period.start.strftime("%d/%m/%Y"),
            "end": request.period.end.strftime("%d/%m/%Y"),
            "deadline": request.deadline.strftime("%d/%m/%Y"),
        },
        _("Units that have not filed yet (%(count)s):") % {"count": len(late)},
    ]
    lines += [f"{index}. {assignment.unit.name}" for index, assignment in enumerate(late, start=1)]
    lines.append(_("Please file the figures in Lantoa as soon as possible. Thank you."))
    return "\n".join(lines)


def request_remind_late(*, by: Any, request: DataRequest, today: dt.date | None = None) -> ReminderResult:
    """Remind every late unit (deadline passed, nothing filed): one reminder row per assignment and
    one audit entry each, then — once committed — the messages go out in the background through the
    notification channels (:mod:`lantoa.reports.request_tasks`), which note who was reached."""
    from lantoa.reports.request_selectors import late_assignments
    from lantoa.reports.request_tasks import send_data_request_reminders

    _refuse_if_closed(request)
    day = today or org_selectors.today()
    late = list(late_assignments(request, today=day))
    if not late:
        return ReminderResult([], 0, "")
    recipients = unit_recipients([assignment.unit_id for assignment in late], day)
    subject = _("Reminder: %(title)s") % {"title": request.title}
    body = reminder_message(request, late)
    now = timezone.now()
    with transaction.atomic():
        rows = DataReminder.objects.bulk_create(
            DataReminder(
                assignment=assignment, sent_by=actor_or_none(by), recipients=len(recipients[assignment.unit_id])
            )
            for assignment in late
        )
        for assignment in late:
            assignment.last_reminded_at = now
            assignment.reminder_count += 1
        DataRequestAssignment.objects.bulk_update(late, ["last_reminded_at", "reminder_count"])
        audit_record_many(
            action="lantoa.reports.assignment.reminded",
            by=by,
            targets=[(assignment, assignment.unit) for assignment in late],
            changed=["last_reminded_at"],
        )
        ids = [row.pk for row in rows]
        transaction.on_commit(lambda: send_data_request_reminders.enqueue(ids, subject, body))
    reachable = sum(1 for people in recipients.values() for person in people if person.email)
    return ReminderResult(late, reachable, body)


# --- Reorganisations -------------------------------------------------------------------------------

_RANK = {AssignmentStatus.APPROVED: 2, AssignmentStatus.FILED: 1, AssignmentStatus.PENDING: 0}


def assignments_follow_successor(closing: list[tuple[Unit, Unit | None]], day: dt.date, by: Any) -> list[Any]:
    """A restructuring handler: the open assignments of a closing unit move to its default
    successor, with everything filed under them. When the successor already holds an assignment
    of the same request (two assigned communes merged), the more advanced one (approved, then
    filed, then the older) carries on and the other is marked merged into it, its versions kept.
    When the unit was split, every other successor of the request's tier that holds no assignment
    of the request gets a new one, not yet filed (:func:`_assign_split_successors`)."""
    from lantoa.org.restructuring import PointerChange

    successors = {unit.pk: successor for unit, successor in closing if successor is not None}
    if not successors:
        return []
    moving = list(
        DataRequestAssignment.objects.filter(unit_id__in=list(successors))
        .exclude(status=AssignmentStatus.MERGED)
        .select_related("request", "unit", "assigned_unit__kind")
        .order_by("request_id", "pk")
    )
    if not moving:
        return []
    origins = [(a.unit, a) for a in moving]
    request_ids = {a.request_id for a in moving}
    target_ids = {successors[a.unit_id].pk for a in moving}  # type: ignore[union-attr]
    holders = {
        (a.request_id, a.unit_id): a
        for a in DataRequestAssignment.objects.filter(request_id__in=request_ids, unit_id__in=target_ids).exclude(
            status=AssignmentStatus.MERGED
        )
    }
    changes = []
    for assignment in moving:
        successor = successors[assignment.unit_id]
        assert successor is not None
        key = (assignment.request_id, successor.pk)
        holder = holders.get(key)
        label = _("%(request)s: %(unit)s's assignment") % {
            "request": assignment.request.title,
            "unit": assignment.unit.name,
        }
        from_code = assignment.unit.code
        if holder is None:
            assignment.unit = successor
            assignment.save(update_fields=["unit"])
            holders[key] = assignment
        else:
            keep, drop = sorted([holder, assignment], key=lambda a: (-_RANK[AssignmentStatus(a.status)], a.pk))
            if keep is assignment:
                # The moving one carries on: free the successor's place first.
                drop.status = AssignmentStatus.MERGED
                drop.merged_into = keep
                drop.save(update_fields=["status", "merged_into"])
                keep.unit = successor
                keep.save(update_fields=["unit"])
                holders[key] = keep
            else:
                drop.status = AssignmentStatus.MERGED
                drop.merged_into = keep
                drop.save(update_fields=["status", "merged_into"])
        audit_record(
            action="lantoa.reports.assignment.moved", by=by, target=assignment, unit=successor, changed=["unit"]
        )
        changes.append(
            PointerChange(what="data_request_assignment", label=label, from_unit=from_code, to_unit=successor.code)
        )
    changes.extend(_assign_split_successors(origins, day, by))
    return changes


def _assign_split_successors(origins: list[tuple[Unit, DataRequestAssignment]], day: dt.date, by: Any) -> list[Any]:
    """A split that closes the unit: each successor other than the default one (which took the
    assignment whole) may get the request (:func:`_give_request_to`)."""
    split = org_selectors.successors_on({unit.pk for unit, _assignment in origins}, day)
    if not any(len(found) > 1 for found in split.values()):
        return []
    grants = [(closing, assignment, split.get(closing.pk, [])[1:]) for closing, assignment in origins]
    return _give_request_to(grants, day, by, action="lantoa.reports.assignment.split")


def assignments_follow_parts(parts: list[tuple[Unit, Unit]], day: dt.date, by: Any) -> list[Any]:
    """A restructuring parts handler: a unit that stays open gave a part of itself to other units.
    It keeps its own assignments as they are; each receiving unit may get the requests it holds
    (:func:`_give_request_to`), so the part given away is still asked for."""
    receivers: dict[int, list[Unit]] = {}
    for given, receiver in parts:
        receivers.setdefault(given.pk, []).append(receiver)
    holding = (
        DataRequestAssignment.objects.filter(unit_id__in=list(receivers))
        .exclude(status=AssignmentStatus.MERGED)
        .select_related("request", "unit", "assigned_unit__kind")
        .order_by("request_id", "pk")
    )
    grants = [(assignment.unit, assignment, receivers[assignment.unit_id]) for assignment in holding]
    return _give_request_to(grants, day, by, action="lantoa.reports.assignment.part_received")


def _give_request_to(
    grants: list[tuple[Unit, DataRequestAssignment, list[Unit]]], day: dt.date, by: Any, *, action: str
) -> list[Any]:
    """For each (unit, its assignment, units that received a part of it): each receiving unit open
    on ``day``, of the request's tier (territorial when the first assigned unit was), gets the
    request — unless it already holds an assignment of it, so none is duplicated (a part given to
    a neighbour that was itself assigned). The new assignment is not yet filed and names the same
    first assigned unit; what was filed stays where it was. One query to read what is held."""
    from lantoa.org.restructuring import PointerChange

    if not grants:
        return []
    request_ids = {assignment.request_id for _unit, assignment, _receivers in grants}
    held = set(
        DataRequestAssignment.objects.filter(request_id__in=request_ids)
        .exclude(status=AssignmentStatus.MERGED)
        .values_list("request_id", "unit_id")
    )
    changes = []
    for source, assignment, receivers in grants:
        request = assignment.request
        first = assignment.assigned_unit
        for receiver in receivers:
            if (request.pk, receiver.pk) in held or receiver.kind.tier_id != request.tier_id:
                continue
            if first.kind.is_territorial and not receiver.kind.is_territorial:
                continue
            if not receiver.is_open_on(day):
                continue
            added = DataRequestAssignment.objects.create(request=request, unit=receiver, assigned_unit=first)
            held.add((request.pk, receiver.pk))
            audit_record(action=action, by=by, target=added, unit=receiver, changed=["unit"])
            label = _("%(request)s: %(unit)s's assignment") % {"request": request.title, "unit": source.name}
            changes.append(
                PointerChange(what="data_request_assignment", label=label, from_unit=source.code, to_unit=receiver.code)
            )
    return changes
