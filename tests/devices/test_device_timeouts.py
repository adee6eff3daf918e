"""Where the Zerynth library waits forever, a simulated device waits a bounded time and says so."""

from __future__ import annotations

from pathlib import Path

from zaws.aws.settings import AwsSettings
from zaws.devices.events import DeviceEvent
from zaws.devices.link import DeviceLink
from zaws.operations.add_things import add_things
from zaws.operations.mqtt_connect import resolve_target


def test_an_answer_that_never_comes_times_out_and_says_the_library_would_hang(
    project: Path, aws: AwsSettings
) -> None:
    add_things(project, aws=aws, base_name="board", count=1)
    events: list[DeviceEvent] = []
    link = DeviceLink(resolve_target(project, aws=aws, thing="board_0"), events.append, timeout=1)
    link.connect()
    try:
        assert link.wait_for("board_0/never", "waiting for nothing") is None
    finally:
        link.close("test over")
    timed_out = next(e for e in events if e.kind == "timeout")
    assert timed_out.data == {"topic": "board_0/never", "seconds": 1}
    assert "would wait forever" in timed_out.text
    assert [e.kind for e in events] == ["connected", "timeout", "disconnected"]
