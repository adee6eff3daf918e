"""The project watcher notices changes by the files' stamps, once per change."""

from pathlib import Path

from zaws.lsp.watcher import ProjectWatcher


def test_changes_are_reported_once(tmp_path: Path) -> None:
    (tmp_path / "thing.conf.json").write_text("{}")
    seen: list[Path] = []
    watcher = ProjectWatcher(seen.append)
    watcher.watch(tmp_path)
    assert watcher.poll() == []
    (tmp_path / ".aws_things_resources" / "dev_0").mkdir(parents=True)
    assert watcher.poll() == [tmp_path]
    assert watcher.poll() == []
    (tmp_path / "thing.conf.json").write_text('{"a": 1}')
    watcher.acknowledge(tmp_path)  # announced already by the caller
    assert watcher.poll() == []
