"""Masking personal contact data for lists, pages and exports shown to roles that may not see it."""

from __future__ import annotations

import re

_NOT_DIGITS = re.compile(r"\D")


def phone_digits(phone: str | None) -> str:
    """Digits only, with Vietnam's +84 written as a leading 0, for duplicate detection."""
    digits = _NOT_DIGITS.sub("", phone or "")
    if digits.startswith("84") and len(digits) >= 11:
        digits = "0" + digits[2:]
    return digits


def mask_phone(phone: str | None) -> str:
    """``0912 345 678`` → ``09******78``: enough to tell two numbers apart, not to call."""
    digits = _NOT_DIGITS.sub("", phone or "")
    if not digits:
        return ""
    if len(digits) <= 4:
        return "*" * len(digits)
    return digits[:2] + "*" * (len(digits) - 4) + digits[-2:]


def mask_email(email: str | None) -> str:
    """``nguyen.an@example.vn`` → ``n***@example.vn``."""
    if not email:
        return ""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"
