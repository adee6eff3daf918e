"""The library's `handle_fota_jobs`, step by step, on a simulated device with a slot record.

1. list the jobs; 2. an IN_PROGRESS job: describe; a FOTA job for the current slot booted on trial
from the previous one is confirmed and SUCCEEDED, anything else FAILED "invalid fota"; then reset;
3. the first QUEUED job: describe; not a FOTA job, or for the current slot: FAILED "bad fota data";
4. IN_PROGRESS, disconnect MQTT; 5. download bc_url (server verified); 6. size and MD5 check,
`fota.test()` (the slot record: the new slot on trial), reset; after the reset step 2 confirms.

`--fota-result fail-md5` corrupts the download: the simulator reports FAILED "bad crc", where the
real library prints "Bad crc!" and carries on (its bug), and says so. `reject` answers REJECTED.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from zaws.devices.download import DownloadFailed, download
from zaws.devices.events import DeviceEvent, job_event
from zaws.devices.jobs_client import JobExecution, JobsClient
from zaws.devices.link import DeviceLink
from zaws.devices.slots import SlotRecord

FotaResult = Literal["succeed", "fail-md5", "reject"]
FOTA_FIELDS = ("bc_idx", "bc_crc", "bc_size", "bc_url")


class FotaRunner:
    def __init__(
        self, link: DeviceLink, jobs: JobsClient, record: Path, result: FotaResult = "succeed"
    ) -> None:
        self.link = link
        self.jobs = jobs
        self.record = record
        self.result = result
        self.thing = link.thing

    def handle(self) -> bool:
        """One pass of handle_fota_jobs; True when the device must reset afterwards."""
        if not self.record.exists():  # a new board: slot 0 runs
            SlotRecord().save(self.record)
        listed = self.jobs.list()
        if listed is None:
            return False
        in_progress, queued = listed
        for job_id in in_progress:
            execution = self.jobs.describe(job_id)
            if execution is None:
                continue
            self._finish(execution)
            return True
        if queued:
            execution = self.jobs.describe(queued[0])
            if execution is not None:
                return self._start(execution)
        return False

    # -- after the reset: confirm ---------------------------------------------------------
    def _finish(self, execution: JobExecution) -> None:
        record = SlotRecord.load(self.record)
        document = execution.document
        if (
            _is_fota(document)
            and document["bc_idx"] == record.current_slot
            and record.on_trial
            and record.previous_slot is not None
        ):
            record.on_trial = False
            record.save(self.record)
            self._emit(f"confirmed slot {record.current_slot} (came from {record.previous_slot})")
            self._update(execution, "SUCCEEDED", {})
        else:
            self._update(execution, "FAILED", {"reason": "invalid fota"})

    # -- a queued job: download, check, reset ----------------------------------------------
    def _start(self, execution: JobExecution) -> bool:
        document = execution.document
        record = SlotRecord.load(self.record)
        if not _is_fota(document) or document["bc_idx"] == record.current_slot:
            self._update(execution, "FAILED", {"reason": "bad fota data"})
            return False
        if self.result == "reject":
            reason = "rejected by the simulated device (--fota-result reject)"
            self._update(execution, "REJECTED", {"reason": reason})
            return False
        if not self._update(execution, "IN_PROGRESS", {}):
            return False
        self.link.close("the library disconnects MQTT before downloading the firmware")
        url, local = str(document["bc_url"]), self.link.target.settings.local
        trust = self.link.target.endpoint.ca_pem if local else None  # the emulator's root
        host = urlsplit(url).netloc
        roots = "the emulator's root" if local else "the system's roots"
        words = f"downloading the firmware from {host} over HTTPS, verified against {roots}"
        self._emit(words, endpoint=host)
        try:
            data = download(url, trust_pem=trust, stop=self.link.stop)
        except DownloadFailed as err:
            self.link.reset("download failed")
            self._update(execution, "FAILED", {"reason": "download failed", "error": str(err)})
            return False
        if self.result == "fail-md5":
            data = bytes([data[0] ^ 0xFF]) + data[1:] if data else b"\x00"
        problem = self._check(data, document)
        if problem is not None:
            self.link.reset("the firmware check failed")
            self._update(execution, "FAILED", problem)
            return False
        record.previous_slot, record.current_slot = record.current_slot, int(document["bc_idx"])
        record.on_trial, record.job_id = True, execution.job_id
        record.save(self.record)
        self._emit(f"fota.test(): slot {record.current_slot} boots on trial")
        return True

    def _check(self, data: bytes, document: dict[str, Any]) -> dict[str, str] | None:
        size = len(data)
        if size != document["bc_size"]:
            self._downloaded(size, f"size mismatch: bc_size is {document['bc_size']}")
            return {"reason": "invalid fota", "check": f"size {size} != bc_size"}
        md5 = hashlib.md5(data).hexdigest()
        if md5 != str(document["bc_crc"]).lower():
            self._downloaded(
                size,
                f"MD5 mismatch ({md5} != bc_crc {document['bc_crc']}): reporting FAILED; the real "
                "library prints 'Bad crc!' and carries on as if it passed (its bug)",
                md5_ok=False,
            )
            return {"reason": "bad crc", "check": f"MD5 {md5} != bc_crc {document['bc_crc']}"}
        self._downloaded(size, "MD5 ok")
        return None

    # -- events -----------------------------------------------------------------------------
    def _update(self, execution: JobExecution, status: str, details: dict[str, str]) -> bool:
        done = self.jobs.update(execution, status, details)
        said = "" if done else f" refused: {self.jobs.last_answer}"
        reason = f" ({details['reason']})" if "reason" in details else ""
        self.link.emit(
            job_event(self.thing, execution.job_id, status, f"{reason}{said}", ok=done, **details)
        )
        return done

    def _downloaded(self, size: int, words: str, md5_ok: bool = True) -> None:
        self.link.emit(
            DeviceEvent(
                self.thing,
                "downloaded",
                f"downloaded {size:,} bytes, {words}",
                {"bytes": size, "md5_ok": md5_ok},
            )
        )

    def _emit(self, words: str, **data: Any) -> None:
        self.link.emit(DeviceEvent(self.thing, "note", words, data))


def _is_fota(document: dict[str, Any]) -> bool:
    return document.get("operation") == "fota" and all(k in document for k in FOTA_FIELDS)
