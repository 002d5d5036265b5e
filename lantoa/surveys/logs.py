"""Keep card codes out of the logs. A card's code is in its answer address (``/s/<code>``, the
QR code's link); Django's own request logging (``django.server`` at INFO, ``django.request`` at
WARNING) would write it next to a time and, in the web server's log, an address. This filter,
attached to Lantoa's log handlers (``config/settings.py`` LOGGING), writes ``/s/[code]`` instead.
The web server's own access log is the operator's to configure (docs/deployment.md)."""

from __future__ import annotations

import logging
import re

_CODE_PATH = re.compile(r"/s/(?!o/)[A-Za-z0-9]{4,40}")
REDACTED = "/s/[code]"


def redact(text: str) -> str:
    return _CODE_PATH.sub(REDACTED, text)


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
