"""main.py's topics read with `ast`: literals, concatenations, f-strings, names, the thing's name,
the Zerynth subscribe form, and the library's shadow and jobs features."""

from __future__ import annotations

from pathlib import Path

import zaws.template
from zaws.checks.device_topics import JOB, THING, TopicUse, topic_uses

TEMPLATE_MAIN = Path(zaws.template.__path__[0]) / "main.py"


def found(source: str) -> list[tuple[str, str]]:
    return [(u.action, u.topic) for u in topic_uses(source)]


def test_the_templates_topics_are_its_samples_and_commands() -> None:
    assert found(TEMPLATE_MAIN.read_text()) == [
        ("subscribe", f"{THING}/commands"),
        ("publish", f"{THING}/samples"),
    ]


def test_literals_concatenations_f_strings_and_names_are_read() -> None:
    source = """
BASE = "plant"
thing.mqtt.publish("dev/sample", payload)
thing.mqtt.publish(BASE + "/" + config["thingname"] + "/t", payload)
thing.mqtt.publish(f"{BASE}/{thing.thingname}/h", payload)
thing.mqtt.publish(topic="kw/topic", payload=payload)
"""
    assert found(source) == [
        ("publish", "dev/sample"),
        ("publish", f"plant/{THING}/t"),
        ("publish", f"plant/{THING}/h"),
        ("publish", "kw/topic"),
    ]


def test_the_zerynth_subscribe_form_and_plain_subscriptions_are_read() -> None:
    source = """
SUBS = [["a/b", 1], ["c/#", 0]]
thing.mqtt.subscribe(SUBS, callback)
thing.mqtt.subscribe([["d/+/e", 1]], callback)
thing.mqtt.subscribe("f", callback)
"""
    assert found(source) == [
        ("subscribe", "a/b"),
        ("subscribe", "c/#"),
        ("subscribe", "d/+/e"),
        ("subscribe", "f"),
    ]


def test_topics_known_only_at_run_time_are_not_guessed() -> None:
    source = """
topic = "a"
topic = "b"
thing.mqtt.publish(topic, 1)
for name in ["x", "y"]:
    thing.mqtt.publish(name, 1)
thing.mqtt.publish(read_topic(), 1)
def send(where):
    thing.mqtt.publish(where, 1)
publish("not/a/method/call", 1)
"""
    assert found(source) == []


def test_the_shadow_and_jobs_features_bring_the_librarys_topics() -> None:
    source = """
thing.update_shadow({"on": True})
thing.on_shadow_request(handler)
my_jobs = jobs.Jobs(thing)
fota.handle_fota_jobs(my_jobs, force=True)
"""
    uses = topic_uses(source)
    shadow = [u for u in uses if u.feature and "shadow" in u.feature]
    assert [(u.action, u.topic) for u in shadow] == [
        ("publish", f"$aws/things/{THING}/shadow/update"),
        ("subscribe", f"$aws/things/{THING}/shadow/update/delta"),
    ]
    jobs = {(u.action, u.topic) for u in uses if u.feature and "jobs" in u.feature}
    things = f"$aws/things/{THING}/jobs"
    assert jobs == {
        ("subscribe", f"{things}/notify"),
        ("subscribe", f"{things}/get/accepted"),
        ("subscribe", f"{things}/{JOB}/get/accepted"),
        ("subscribe", f"{things}/{JOB}/update/"),
        ("subscribe", f"{things}/{JOB}/update/#"),
        ("publish", f"{things}/get"),
        ("publish", f"{things}/{JOB}/get"),
        ("publish", f"{things}/{JOB}/update"),
    }  # each once, though Jobs and handle_fota_jobs both bring them


def test_a_use_shows_the_thing_and_a_placeholder_job() -> None:
    use = TopicUse("publish", f"$aws/things/{THING}/jobs/{JOB}/get", 3)
    assert use.shown("dev_0") == "$aws/things/dev_0/jobs/<job id>/get"
    assert use.topic_for("dev_0", "j1") == "$aws/things/dev_0/jobs/j1/get"


def test_a_main_py_that_does_not_parse_has_no_topics() -> None:
    assert topic_uses("thing.mqtt.publish('a', \n") == []
