"""One thread and one selector for the network traffic of every MQTT connection of the process.

paho's own `loop()` takes a thread per connection and `select()`, which fails for a file
descriptor of 1024 or more ("The connection was lost." with the socket still open): a thousand
simulated devices reach that, and two thousand threads starve the process. Here paho runs in
its external-loop mode instead: its socket callbacks (`on_socket_open`, `..._register_write`,
`..._unregister_write`, `on_socket_close`) keep this process's selector (epoll on Linux) up to
date from whichever thread calls paho, and one daemon thread reads, writes, and four times a second
runs each client's keep-alive (`loop_misc`). A connection whose loop ends hears why through
`on_loop_error` (paho's own ends reach it as its `on_disconnect`, as before).
"""

from __future__ import annotations

import contextlib
import logging
import selectors
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

import paho.mqtt.client as paho
from paho.mqtt.enums import MQTTErrorCode

# Keep-alive bookkeeping (PINGREQ when due, a silent broker) for every client: paho pings once
# `keepalive` seconds passed, and the broker closes at 1.5 times that, so often enough for a
# keep-alive of a second or two (AWS IoT's minimum is 30 s; the tests use shorter ones).
MISC_EVERY_S = 0.25
log = logging.getLogger(__name__)
LoopError = Callable[[BaseException], None]


class NetworkLoop:
    """The selector and its thread; `attach` a paho client before it connects."""

    def __init__(self) -> None:
        self._selector = selectors.DefaultSelector()
        self._lock = threading.Lock()  # registrations come from every thread that calls paho
        self._clients: dict[paho.Client, LoopError] = {}
        self._sockets: dict[paho.Client, Any] = {}  # the socket registered for each client
        self._wake_read, self._wake_write = socket.socketpair()
        self._wake_read.setblocking(False)
        self._wake_write.setblocking(False)
        self._selector.register(self._wake_read, selectors.EVENT_READ, None)
        self._thread = threading.Thread(target=self._run, name="mqtt network", daemon=True)
        self._thread.start()

    def attach(self, client: paho.Client, on_loop_error: LoopError) -> None:
        """Drive `client`'s sockets from this loop; `on_loop_error` hears a read or write that
        raised (paho reports its own ends, a closed socket, through its on_disconnect)."""
        with self._lock:
            self._clients[client] = on_loop_error
        client.on_socket_open = self._opened
        client.on_socket_close = self._closed
        client.on_socket_register_write = self._want_write
        client.on_socket_unregister_write = self._written

    def detach(self, client: paho.Client) -> None:
        """Forget `client` and close its socket now, whether or not paho has closed it yet
        (a loop that raised, or the network thread about to): nothing of it stays registered."""
        with self._lock:
            self._clients.pop(client, None)
            sock = self._sockets.pop(client, None)
        if sock is not None:
            self._unregister(sock)
            with contextlib.suppress(OSError):
                sock.close()

    @property
    def on_network_thread(self) -> bool:
        return threading.current_thread() is self._thread

    # -- paho's socket callbacks, on the thread that called paho -----------------------------
    def _opened(self, client: paho.Client, _userdata: Any, sock: Any) -> None:
        with self._lock:
            self._selector.register(sock, selectors.EVENT_READ, client)
            self._sockets[client] = sock

    def _closed(self, client: paho.Client, _userdata: Any, sock: Any) -> None:
        with self._lock:
            if self._sockets.get(client) is sock:
                del self._sockets[client]
        self._unregister(sock)

    def _want_write(self, client: paho.Client, _userdata: Any, sock: Any) -> None:
        self._modify(sock, selectors.EVENT_READ | selectors.EVENT_WRITE, client)
        if not self.on_network_thread:
            with contextlib.suppress(BlockingIOError):
                self._wake_write.send(b"w")  # a select() that does not see the change ends

    def _written(self, client: paho.Client, _userdata: Any, sock: Any) -> None:
        self._modify(sock, selectors.EVENT_READ, client)

    def _modify(self, sock: Any, events: int, client: paho.Client) -> None:
        with self._lock, contextlib.suppress(KeyError, ValueError, OSError):
            self._selector.modify(sock, events, client)

    def _unregister(self, sock: Any) -> None:
        with self._lock, contextlib.suppress(KeyError, ValueError, OSError):
            self._selector.unregister(sock)

    # -- the network thread -----------------------------------------------------------------
    def _run(self) -> None:
        next_misc = time.monotonic() + MISC_EVERY_S
        while True:
            try:
                next_misc = self._turn(next_misc)
            except Exception:  # every connection of the process depends on this thread
                log.exception("mqtt network loop")

    def _turn(self, next_misc: float) -> float:
        """Serve what is ready; the keep-alive pass when due. When the next one is due."""
        timeout = max(next_misc - time.monotonic(), 0.0)
        for key, events in self._selector.select(timeout):
            if key.data is None:
                with contextlib.suppress(BlockingIOError):
                    self._wake_read.recv(4096)
                continue
            self._serve(key.data, key.fileobj, events)
        if time.monotonic() < next_misc:
            return next_misc
        with self._lock:
            clients = list(self._clients.items())
        for client, on_error in clients:
            if self._step(client, on_error, client.loop_misc):
                self._keep_writing(client, client.socket())
        return time.monotonic() + MISC_EVERY_S

    def _serve(self, client: paho.Client, sock: Any, events: int) -> None:
        on_error = self._clients.get(client)
        if on_error is None:
            return
        if events & selectors.EVENT_READ:
            if not self._step(client, on_error, client.loop_read):
                return
            # TLS may hold whole packets already read from the socket: epoll would not say so
            while client.socket() is sock and getattr(sock, "pending", lambda: 0)() > 0:
                if not self._step(client, on_error, client.loop_read):
                    return
        writable = events & selectors.EVENT_WRITE and client.socket() is sock
        if writable and self._step(client, on_error, client.loop_write):
            self._keep_writing(client, sock)

    def _keep_writing(self, client: paho.Client, sock: Any) -> None:
        """paho's "registered for writing" flag is not guarded: a packet queued by another
        thread while loop_write unregisters would wait for the next one. Looking again after
        the unregistration sees it."""
        if client.want_write() and client.socket() is sock:
            self._modify(sock, selectors.EVENT_READ | selectors.EVENT_WRITE, client)

    def _step(
        self, client: paho.Client, on_error: LoopError, step: Callable[[], MQTTErrorCode]
    ) -> bool:
        """Run one of paho's loop steps; False when the connection ended."""
        try:
            result = step()
        except Exception as err:  # a socket's error, or a callback's bug: never the loop's end
            self.detach(client)
            on_error(err)
            return False
        return result == MQTTErrorCode.MQTT_ERR_SUCCESS and client.socket() is not None


_shared: NetworkLoop | None = None
_shared_lock = threading.Lock()


def shared_network_loop() -> NetworkLoop:
    """The process's loop, started on first use."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = NetworkLoop()
        return _shared
