"""The kinds of the outreach network are data a deployment adjusts: roles, group kinds and
activity kinds. Persons, roles held, groups and activities are written only through the
services (audited), so they are not editable here."""

from django.contrib import admin

from lantoa.people.models import ActivityKind, GroupKind, NetworkRoleKind


@admin.register(NetworkRoleKind)
class NetworkRoleKindAdmin(admin.ModelAdmin):
    list_display = ("code", "name_vi", "name_en", "rank", "is_active")
    list_editable = ("rank", "is_active")


@admin.register(GroupKind)
class GroupKindAdmin(admin.ModelAdmin):
    list_display = ("code", "name_vi", "name_en", "tier_code", "rank")


@admin.register(ActivityKind)
class ActivityKindAdmin(admin.ModelAdmin):
    list_display = ("code", "name_vi", "name_en", "rank", "is_active")
    list_editable = ("rank", "is_active")
