"""Which AWS API operation a raw HTTP request is, read from botocore's own service models.

The fault proxy limits faults and quotas to named operations (`CreateThing`, `AttachPolicy`...), but
on the wire it only sees a method, a path and headers. Rather than a hand-written table that drifts
from the SDK, this module reads the `http.method` / `http.requestUri` of every operation in the
installed botocore's `service-2.json` (the file the client itself serialises from), so the mapping
is exactly the one boto3 uses. Standard library only: botocore's data files are read as JSON,
botocore itself is never imported.

The service comes from the SigV4 credential scope (`Credential=AKID/date/region/SERVICE/...` in
the Authorization header, or `X-Amz-Credential` in a presigned URL). REST protocols are matched by
method, path template, literal query keys, then the input's required query keys and headers;
`json` by the `X-Amz-Target` header; `query` by the `Action` parameter.
"""

from __future__ import annotations

import functools
import gzip
import importlib.util
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

_SCOPE = re.compile(r"Credential=[^/,\s]+/\d{8}/[^/]+/([^/]+)/aws4_request")
_LABEL = re.compile(r"\{([^}]+)\}")


@dataclass(frozen=True)
class Operation:
    """What a request is: `name` is None when the service is unknown or nothing matched."""

    service: str | None
    name: str | None
    protocol: str  # botocore protocol name: rest-json, rest-xml, json, query, ec2

    @property
    def key(self) -> str:
        """The name counters and fault filters use."""
        return self.name or f"{self.service or 'unknown'}:unknown"

    @property
    def speaks_json(self) -> bool:
        return self.protocol in {"json", "rest-json"}


@dataclass(frozen=True)
class _Route:
    method: str
    path: re.Pattern[str]
    query_keys: frozenset[str]  # literal in the requestUri (`?uploads`): always present
    required: frozenset[str]  # required query keys and header names of the input
    specificity: tuple[int, int, int]
    name: str


@dataclass(frozen=True)
class _Model:
    protocol: str
    routes: tuple[_Route, ...]


def _botocore_data() -> Path | None:
    spec = importlib.util.find_spec("botocore")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _required_members(model: dict[str, Any], operation: dict[str, Any], location: str) -> set[str]:
    """Wire names of the input's required members sent in `location` (querystring or header)."""
    shape = model["shapes"].get(operation.get("input", {}).get("shape", ""), {})
    members = shape.get("members", {})
    return {
        members[m].get("locationName", m).lower()
        if location == "header"
        else members[m].get("locationName", m)
        for m in shape.get("required", [])
        if members.get(m, {}).get("location") == location
    }


def _route(name: str, operation: dict[str, Any], model: dict[str, Any]) -> _Route:
    http = operation["http"]
    path, _, query = http["requestUri"].partition("?")
    pattern = ""
    last = 0
    for label in _LABEL.finditer(path):
        pattern += re.escape(path[last : label.start()])
        pattern += ".+" if label.group(1).endswith("+") else "[^/]+"
        last = label.end()
    pattern += re.escape(path[last:])
    keys = frozenset(k.partition("=")[0] for k in query.split("&") if k)
    required = _required_members(model, operation, "querystring")
    required |= _required_members(model, operation, "header")
    specificity = (len(keys), len(required), len(_LABEL.sub("", path)))
    return _Route(http["method"], re.compile(pattern), keys, frozenset(required), specificity, name)


@functools.cache
def _model(service: str) -> _Model | None:
    data = _botocore_data()
    folder = data / service if data else None
    if folder is None or not folder.is_dir():
        return None
    version = max(p for p in folder.iterdir() if p.is_dir())
    plain, packed = version / "service-2.json", version / "service-2.json.gz"
    raw = plain.read_bytes() if plain.exists() else gzip.decompress(packed.read_bytes())
    model = json.loads(raw)
    routes = [_route(name, op, model) for name, op in model["operations"].items()]
    routes.sort(key=lambda r: r.specificity, reverse=True)
    return _Model(model["metadata"]["protocol"], tuple(routes))


def signing_service(path: str, headers: dict[str, str]) -> str | None:
    """The service named in the request's SigV4 credential scope, if it is signed."""
    match = _SCOPE.search(headers.get("authorization", ""))
    if match:
        return match.group(1)
    credential = parse_qs(urlsplit(path).query).get("X-Amz-Credential")
    if credential:
        parts = credential[0].split("/")
        return parts[3] if len(parts) == 5 else None
    return None


def resolve(method: str, path: str, headers: dict[str, str], body: bytes = b"") -> Operation:
    """The operation of one request; `headers` must have lower-case names."""
    service = signing_service(path, headers)
    model = _model(service) if service else None
    if model is None:
        return Operation(service, None, "rest-json")
    return Operation(service, _operation_name(model, method, path, headers, body), model.protocol)


def _operation_name(
    model: _Model, method: str, path: str, headers: dict[str, str], body: bytes
) -> str | None:
    if model.protocol == "json":
        target = headers.get("x-amz-target", "")
        return target.rpartition(".")[2] or None
    url = urlsplit(path)
    query = parse_qs(url.query, keep_blank_values=True)
    if model.protocol in {"query", "ec2"}:
        form = parse_qs(body.decode("utf-8", "replace")) if method == "POST" else {}
        action = form.get("Action") or query.get("Action")
        return action[0] if action else None
    candidates = [
        route
        for route in model.routes
        if route.method == method
        and route.path.fullmatch(url.path)
        and route.query_keys <= query.keys()
    ]
    # Operations sharing a path (PutObject, CopyObject) differ by their required members; a request
    # that lacks some (a hand-made one) still gets the most specific path match.
    sent = query.keys() | headers.keys()
    complete = [route for route in candidates if route.required <= sent]
    chosen = complete or candidates
    return chosen[0].name if chosen else None
