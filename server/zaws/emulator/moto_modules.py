"""moto's list of its own service modules, read from disk once instead of twice per request.

moto's server finds the service a request is for with `moto.backends.list_of_moto_modules()`,
which lists moto's package folder and stats each entry (about 180 system calls) every time it is
called: twice per request, a third of the time the emulator spends on a cheap call such as
ListThingPrincipals. The folder does not change while the emulator runs.
"""

from __future__ import annotations

from collections.abc import Iterable


def list_moto_modules_once() -> None:
    import moto.backends

    modules = tuple(moto.backends.list_of_moto_modules())

    def list_of_moto_modules() -> Iterable[str]:
        return modules

    setattr(moto.backends, "list_of_moto_modules", list_of_moto_modules)  # noqa: B010 (monkeypatch by design)
