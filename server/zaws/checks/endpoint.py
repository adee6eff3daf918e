"""What an AWS IoT data endpoint host name looks like, and which region it names.

`<prefix>-ats.iot.<region>.amazonaws.com` (ATS, what `describe-endpoint --endpoint-type
iot:Data-ATS` returns); the same without `-ats` is the legacy VeriSign endpoint.
China regions end in `.amazonaws.com.cn`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ENDPOINT = re.compile(
    r"^(?P<prefix>[a-z0-9]+)(?P<ats>-ats)?\.iot\.(?P<region>[a-z]{2}(?:-[a-z]+)+-\d)"
    r"\.amazonaws\.com(?:\.cn)?$"
)


@dataclass(frozen=True)
class Endpoint:
    host: str
    prefix: str
    region: str
    ats: bool


def parse_endpoint(host: str) -> Endpoint | None:
    """The parts of a data endpoint host name, or None when it is not one."""
    match = _ENDPOINT.match(host)
    if not match:
        return None
    return Endpoint(host, match["prefix"], match["region"], match["ats"] is not None)


def looks_like_url(value: str) -> bool:
    return "://" in value or value.endswith("/") or ":" in value
