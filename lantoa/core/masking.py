"""Masking personal contact data for lists, pages and exports shown to roles that may not see it."""

from __future__ import annotations

import re

from lantoa.core.text import ascii_digits, clean_text

_NOT_DIGITS = re.compile(r"[^0-9]")


def clean_phone(phone: str | None) -> str:
    """A phone number as it is stored: cleaned text (:func:`lantoa.core.text.clean_text`) with
    full-width and other Unicode digits as ASCII (``０９１２ ３４５`` → ``0912 345``). The one
    place a typed or imported phone number is cleaned."""
    return ascii_digits(clean_text(phone))


def phone_digits(phone: str | None) -> str:
    """Digits only, with Vietnam's +84 written as a leading 0, for duplicate detection."""
    digits = _NOT_DIGITS.sub("", clean_phone(phone))
    if digits.startswith("84") and len(digits) >= 11:
        digits = "0" + digits[2:]
    return digits


def mask_phone(phone: str | None) -> str:
    """``0912 345 678`` → ``09******78``: enough to tell two numbers apart, not to call."""
    digits = _NOT_DIGITS.sub("", clean_phone(phone))
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
