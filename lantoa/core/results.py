"""What a create service that takes a client key returns: the record and whether this call made
it. The key lets a phone or a script send the same request again; only the call that stored
the record says ``created``, so an endpoint answers 201 once and 200 to every repeat, even to
repeats sent at the same moment (the service knows which call won; a check made before calling
it cannot)."""

from __future__ import annotations

from typing import Generic, NamedTuple, TypeVar

T = TypeVar("T")


class Created(NamedTuple, Generic[T]):
    """``(obj, created)``, the shape of Django's ``get_or_create``: unpack it or read the fields."""

    obj: T
    created: bool  # False: the record already existed (the same client key was received before)
