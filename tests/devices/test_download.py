"""The firmware download refuses what a device would: no plain HTTP, anywhere; and a device's stop
ends it between two reads (a stopped device does not finish a firmware download first); at most
DOWNLOADING.count at once."""

from __future__ import annotations

import ssl
import threading
from collections.abc import Iterator
from contextlib import ExitStack
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.support.self_signed import key_pem, self_signed
from zaws.devices.download import CHUNK_BYTES, DownloadFailed, download
from zaws.devices.process_slots import DOWNLOADING
from zaws.devices.stopping import DeviceStopped


@pytest.mark.parametrize("url", ["http://127.0.0.1:5000/b/k", "ftp://example.com/f", "b/k"])
def test_only_https_urls_are_downloaded(url: str) -> None:
    with pytest.raises(DownloadFailed, match="not an https URL"):
        download(url, trust_pem=None)


class PacedFirmware:
    """An HTTPS server of 127.0.0.1 sending three chunks: one, then the rest once released."""

    def __init__(self, folder: Path) -> None:
        self.sent_first, self.release = threading.Event(), threading.Event()
        self.pem = _certificate_for_localhost(folder)
        paced = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Length", str(3 * CHUNK_BYTES))
                self.end_headers()
                self.wfile.write(b"\x01" * CHUNK_BYTES)
                self.wfile.flush()
                paced.sent_first.set()
                paced.release.wait(30)
                self.wfile.write(b"\x02" * 2 * CHUNK_BYTES)

            def log_message(self, *_: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(folder / "cert.pem", folder / "key.pem")
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.url = f"https://127.0.0.1:{self.server.server_address[1]}/firmware"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def paced(tmp_path: Path) -> Iterator[PacedFirmware]:
    server = PacedFirmware(tmp_path)
    yield server
    server.close()


def test_a_stop_between_two_reads_ends_the_download(paced: PacedFirmware) -> None:
    stop = threading.Event()
    fetching, outcome = _download_in_thread(paced, stop)
    assert paced.sent_first.wait(30)  # the download is under way: the device is stopped
    stop.set()
    paced.release.set()
    fetching.join(30)
    (ended,) = outcome
    assert isinstance(ended, DeviceStopped), ended


def test_a_download_waits_for_a_slot_and_a_stop_ends_the_wait(paced: PacedFirmware) -> None:
    """Every DOWNLOADING slot held (a fleet downloading): the next device asks the server
    nothing until one frees, and its stop ends the wait."""
    stop = threading.Event()
    with ExitStack() as taken:
        for _ in range(DOWNLOADING.count):
            taken.enter_context(DOWNLOADING.held(None))
        fetching, outcome = _download_in_thread(paced, stop)
        fetching.join(1.0)
        assert fetching.is_alive() and not paced.sent_first.is_set()  # waiting for a slot
        stop.set()
        fetching.join(30)
    (ended,) = outcome
    assert isinstance(ended, DeviceStopped), ended
    assert not paced.sent_first.is_set()


def _download_in_thread(
    paced: PacedFirmware, stop: threading.Event
) -> tuple[threading.Thread, list[BaseException | bytes]]:
    """The download running on a thread of its own; its outcome (bytes or the error) lands in
    the list."""
    outcome: list[BaseException | bytes] = []

    def fetch() -> None:
        try:
            outcome.append(download(paced.url, trust_pem=paced.pem, stop=stop))
        except BaseException as err:
            outcome.append(err)

    fetching = threading.Thread(target=fetch)
    fetching.start()
    return fetching, outcome


def _certificate_for_localhost(folder: Path) -> str:
    """A self-signed server certificate for 127.0.0.1 (key.pem, cert.pem in `folder`); its PEM."""
    key, pem = self_signed("127.0.0.1", days=1, server_ip="127.0.0.1")
    (folder / "cert.pem").write_text(pem)
    (folder / "key.pem").write_text(key_pem(key))
    return pem
