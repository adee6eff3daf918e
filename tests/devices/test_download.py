"""The firmware download refuses what a device would: no plain HTTP, anywhere."""

from __future__ import annotations

import pytest

from zaws.devices.download import DownloadFailed, download


@pytest.mark.parametrize("url", ["http://127.0.0.1:5000/b/k", "ftp://example.com/f", "b/k"])
def test_only_https_urls_are_downloaded(url: str) -> None:
    with pytest.raises(DownloadFailed, match="not an https URL"):
        download(url, trust_pem=None)
