"""Keep card codes out of the logs. A card's code is in its answer address (``/s/<code>``, the
QR code's link); Django's own request logging (``django.server`` at INFO, ``django.request`` at
WARNING) would write it next to a time and, in the web server's log, an address. This filter,
attached to Lantoa's log handlers (``config/settings.py`` LOGGING), writes ``/s/[code]`` instead
(and ``/api/v1/surveys/answer/[code]`` for the API's questionnaire of a card).
The web server's own access log is the operator's to configure (docs/deployment.md)."""

from __future__ import annotations

import logging
import re

_CODE_PATH = re.compile(r"(/s/(?!o/)|/surveys/answer/)[A-Za-z0-9]{4,40}")


def redact(text: str) -> str:
    """``text`` with the card code of every answer address (the page's and the API's) replaced."""
    return _CODE_PATH.sub(lambda match: match.group(1) + "[code]", text)


class RedactCardCodes(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(arg) if isinstance(arg, str) else arg for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {
                key: redact(value) if isinstance(value, str) else value for key, value in record.args.items()
            }
        return True


try:
    from gunicorn.glogging import Logger as _GunicornLogger
except ImportError:  # pragma: no cover - gunicorn is a production dependency
    _GunicornLogger = object  # type: ignore[misc,assignment]


class GunicornLogger(_GunicornLogger):  # type: ignore[misc,valid-type]
    """gunicorn's access log with card codes written as ``/s/[code]`` (request line, path and
    referrer); use it with ``--logger-class lantoa.surveys.logs.GunicornLogger``."""

    def atoms(self, resp, req, environ, request_time):  # type: ignore[no-untyped-def]
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "f"):
            if isinstance(atoms.get(key), str):
                atoms[key] = redact(atoms[key])
        return atoms
