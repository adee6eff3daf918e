from pathlib import Path

import pytest

from zaws.service.uris import InvalidParams, existing_folder, path_from_uri, uri_from_path


def test_round_trip_with_spaces_and_unicode(tmp_path: Path) -> None:
    folder = tmp_path / "my project é#1"
    folder.mkdir()
    uri = uri_from_path(folder)
    assert uri.startswith("file:///") and " " not in uri and "#" not in uri
    assert path_from_uri(uri) == folder
    assert existing_folder(uri) == folder


@pytest.mark.parametrize(
    "uri",
    ["/tmp/x", "http://host/x", "file://otherhost/x", "file:relative", "", "file:///a\x00b"],
)
def test_only_local_absolute_file_uris(uri: str) -> None:
    with pytest.raises(InvalidParams) as caught:
        path_from_uri(uri)
    assert caught.value.rpc_code == -32602


def test_localhost_authority_is_local() -> None:
    assert path_from_uri("file://localhost/tmp") == Path("/tmp")


def test_a_folder_that_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(InvalidParams, match="names no existing folder"):
        existing_folder(uri_from_path(tmp_path / "missing"))
