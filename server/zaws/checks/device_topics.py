"""The MQTT topics a project's main.py uses, read with Python's `ast` (the code is never run).

So the language server can check them against the device's policies before a device is flashed
(topic_permissions). Found: `publish(topic, ...)` and `subscribe(topic, ...)` calls, including
the Zerynth form `subscribe([[topic, qos], ...], callback)`; the library's shadow
(`update_shadow` publishes `.../shadow/update`, `on_shadow_request` subscribes to
`.../shadow/update/delta`) and jobs (`Jobs(...)`, `handle_fota_jobs(...)`: the jobs topics the
library really subscribes to and publishes on, shared/notes/zerynth-device-library.md). A topic is
read when it is a string literal, a `+` concatenation or an f-string of such parts, a name
assigned once to one, or the thing's name (`config["thingname"]`, `thing.thingname`), which
becomes THING; anything else (a topic computed at run time) is not checked.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Literal

THING = "\x00thing\x00"  # the thing's name inside a topic (NUL cannot be in an MQTT topic)
JOB = "\x00job\x00"  # any job id, in the jobs topics
THING_KEYS = frozenset({"thingname"})

Action = Literal["publish", "subscribe"]


@dataclass(frozen=True)
class TopicUse:
    """One topic main.py publishes to or subscribes to; `feature` names a library feature."""

    action: Action
    topic: str  # may hold THING and JOB
    line: int
    feature: str | None = None  # "the shadow (update_shadow)", "the jobs (handle_fota_jobs)"

    def topic_for(self, thing: str, job_id: str = "fota-job") -> str:
        return self.topic.replace(THING, thing).replace(JOB, job_id)

    def shown(self, thing: str) -> str:
        return self.topic.replace(THING, thing).replace(JOB, "<job id>")


def jobs_uses(line: int, feature: str) -> list[TopicUse]:
    """jobs.py's list(), describe() and update(), both builds (plain and LWMQTT)."""
    jobs = f"$aws/things/{THING}/jobs"
    subscribed = [
        f"{jobs}/notify",
        f"{jobs}/get/accepted",
        f"{jobs}/{JOB}/get/accepted",
        f"{jobs}/{JOB}/update/",
        f"{jobs}/{JOB}/update/#",
    ]
    published = [f"{jobs}/get", f"{jobs}/{JOB}/get", f"{jobs}/{JOB}/update"]
    return [TopicUse("subscribe", t, line, feature) for t in subscribed] + [
        TopicUse("publish", t, line, feature) for t in published
    ]


SHADOW_CALLS: dict[str, tuple[Action, str]] = {
    "update_shadow": ("publish", f"$aws/things/{THING}/shadow/update"),
    "on_shadow_request": ("subscribe", f"$aws/things/{THING}/shadow/update/delta"),
}
JOBS_CALLS = frozenset({"Jobs", "handle_fota_jobs"})


def topic_uses(source: str) -> list[TopicUse]:
    """Every topic use found, in source order, each (action, topic) once; [] when main.py does
    not parse."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return []
    names = _assigned_once(tree)
    found: list[TopicUse] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            found += _uses_of_call(node, names)
    first: dict[tuple[str, str], TopicUse] = {}
    for use in sorted(found, key=lambda u: (u.line, u.action, u.topic)):
        first.setdefault((use.action, use.topic), use)
    return list(first.values())


def _uses_of_call(call: ast.Call, names: dict[str, ast.expr]) -> list[TopicUse]:
    called = _called_name(call.func)
    line = call.lineno
    if called in SHADOW_CALLS:
        action, topic = SHADOW_CALLS[called]
        return [TopicUse(action, topic, line, f"the shadow ({called})")]
    if called in JOBS_CALLS:
        return jobs_uses(line, f"the jobs ({called})")
    if called not in {"publish", "subscribe"} or not isinstance(call.func, ast.Attribute):
        return []
    argument = call.args[0] if call.args else _keyword(call, "topic")
    if argument is None:
        return []
    if called == "publish":
        published = _text(argument, names)
        return [TopicUse("publish", published, line)] if published else []
    return [TopicUse("subscribe", t, line) for t in _subscribed(argument, names)]


def _subscribed(argument: ast.expr, names: dict[str, ast.expr]) -> list[str]:
    """`topic`, or the Zerynth form `[[topic, qos], ...]` (also a list of plain topics)."""
    single = _text(argument, names)
    if single:
        return [single]
    resolved = names.get(argument.id, argument) if isinstance(argument, ast.Name) else argument
    if not isinstance(resolved, ast.List | ast.Tuple):
        return []
    topics = []
    for item in resolved.elts:
        if isinstance(item, ast.List | ast.Tuple) and item.elts:
            item = item.elts[0]
        topic = _text(item, names)
        if topic:
            topics.append(topic)
    return topics


def _text(node: ast.expr, names: dict[str, ast.expr], depth: int = 0) -> str | None:
    """The string `node` always is, with THING for the thing's name; None when not known."""
    if depth > 20:
        return None
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _text(node.left, names, depth + 1), _text(node.right, names, depth + 1)
        return left + right if left is not None and right is not None else None
    if isinstance(node, ast.JoinedStr):
        parts = []
        for value in node.values:
            inner = value.value if isinstance(value, ast.FormattedValue) else value
            text = _text(inner, names, depth + 1)
            if text is None:
                return None
            parts.append(text)
        return "".join(parts)
    if _is_thing_name(node):
        return THING
    if isinstance(node, ast.Name) and node.id in names:
        return _text(names[node.id], names, depth + 1)
    return None


def _is_thing_name(node: ast.expr) -> bool:
    if isinstance(node, ast.Subscript):
        key = node.slice
        return isinstance(key, ast.Constant) and key.value in THING_KEYS
    return isinstance(node, ast.Attribute) and node.attr in THING_KEYS


def _assigned_once(tree: ast.Module) -> dict[str, ast.expr]:
    """Names bound exactly once anywhere, by a plain `name = value`."""
    values: dict[str, ast.expr] = {}
    counts: dict[str, int] = {}
    for node in ast.walk(tree):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
            for target in targets:
                if isinstance(target, ast.Name):
                    values[target.id] = node.value
        elif isinstance(node, ast.AnnAssign | ast.AugAssign | ast.For | ast.comprehension):
            targets = [node.target]
        elif isinstance(node, ast.withitem) and node.optional_vars is not None:
            targets = [node.optional_vars]
        elif isinstance(node, ast.arg):
            counts[node.arg] = counts.get(node.arg, 0) + 1  # a parameter: another binding
        for target in targets:
            for name in ast.walk(target):
                if isinstance(name, ast.Name):
                    counts[name.id] = counts.get(name.id, 0) + 1
    return {name: value for name, value in values.items() if counts.get(name) == 1}


def _called_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)
