"""The emulator's indexed lookups answer what moto's scans answer, errors included, and do not slow
down as the account grows. moto's own backend and one with the lookups patched run side by side
in this process (a subclass: moto's class itself is left alone here); the emulator's process
patches moto's class, and the boto3 tests at the end check a few answers through it."""

from __future__ import annotations

import pickle
import time
from collections.abc import Callable
from typing import Any

import pytest
from moto.iot.models import IoTBackend

from tests.emulator.conftest import certificate_pem
from zaws.emulator.iot_indexes import Attachments, patch_lookups

ACCOUNT = "123456789012"
REGION = "us-east-1"
DOCUMENT = {"Version": "2012-10-17", "Statement": []}


class IndexedBackend(IoTBackend):  # type: ignore[misc]
    pass


patch_lookups(IndexedBackend)


def outcome(call: Callable[[], Any]) -> Any:
    """What a call answered (names and ARNs, not objects), or the error it raised."""
    try:
        answer = call()
    except Exception as error:
        return (type(error).__name__, getattr(error, "code", None), str(error))
    if isinstance(answer, list):
        return [getattr(item, "name", item) for item in answer]
    return getattr(answer, "arn", answer)


def session(backend: Any, pems: list[str]) -> list[Any]:
    """Attach, list, detach and delete, with every error along the way; what each step answered."""
    b = backend
    for policy in ("p1", "p2"):
        b.create_policy(policy, DOCUMENT)
    certs = [b.register_certificate_without_ca(pem, "INACTIVE").arn for pem in pems]
    ids = [arn.rsplit("/", 1)[1] for arn in certs]
    for name in ("t0", "t1", "t2"):
        b.create_thing(name, None, None)
    missing_cert = certs[0][:-4] + "0000"
    steps: list[Callable[[], Any]] = [
        lambda: b.attach_thing_principal("t0", certs[0]),
        lambda: b.attach_thing_principal("t1", certs[0]),
        lambda: b.attach_thing_principal("t0", certs[1]),
        lambda: b.attach_thing_principal("t0", certs[0]),  # again: no change
        lambda: b.attach_thing_principal("missing", certs[2]),
        lambda: b.attach_thing_principal("t2", missing_cert),
        lambda: b.attach_policy("p1", certs[0]),
        lambda: b.attach_policy("p2", certs[0]),
        lambda: b.attach_principal_policy("p1", certs[1]),
        lambda: b.attach_policy("missing", certs[0]),
        lambda: b.attach_policy("p1", missing_cert),
        lambda: b.list_thing_principals("t0"),
        lambda: b.list_thing_principals("t2"),
        lambda: b.list_thing_principals("missing"),
        lambda: b.list_thing_principals_v2("t1"),
        lambda: b.list_principal_things(certs[0]),
        lambda: b.list_principal_things(certs[2]),
        lambda: b.list_principal_things_v2(certs[1]),
        lambda: b.list_attached_policies(certs[0]),
        lambda: b.list_principal_policies(certs[1]),
        lambda: b.list_attached_policies(certs[2]),
        lambda: b.list_targets_for_policy("p1"),
        lambda: b.list_targets_for_policy("missing"),
        lambda: b.list_policy_principals("p2"),
        lambda: b.describe_thing("t1"),
        lambda: b.describe_thing("missing"),
        lambda: b.describe_certificate(ids[1]),
        lambda: b.describe_certificate("0" * 64),
        lambda: b.get_policy("p2"),
        lambda: b.get_policy("missing"),
        lambda: b.delete_policy("p1"),
        lambda: b.delete_thing("t0"),
        lambda: b.delete_thing("missing"),
        lambda: b.delete_certificate(ids[0], False),
        lambda: b.detach_thing_principal("t0", certs[0]),
        lambda: b.detach_thing_principal("t0", certs[0]),  # again: not attached
        lambda: b.detach_thing_principal("t2", missing_cert),
        lambda: b.delete_certificate(ids[0], False),  # still attached to t1
        lambda: b.detach_thing_principal("t1", certs[0]),
        lambda: b.delete_certificate(ids[0], False),  # policies left
        lambda: b.detach_policy("p1", certs[0]),
        lambda: b.detach_policy("p1", certs[0]),  # again: not attached
        lambda: b.detach_policy("missing", certs[0]),
        lambda: b.list_attached_policies(certs[0]),
        lambda: b.detach_principal_policy("p2", certs[0]),
        lambda: b.delete_certificate(ids[0], False),
        lambda: b.describe_certificate(ids[0]),
        lambda: b.update_certificate(ids[2], "ACTIVE"),
        lambda: b.delete_certificate(ids[2], False),  # ACTIVE
        lambda: b.update_certificate(ids[2], "INACTIVE"),
        lambda: b.delete_certificate(ids[2], False),
        lambda: b.delete_thing("t1"),
        lambda: b.list_thing_principals("t1"),
        lambda: b.detach_thing_principal("t0", certs[1]),
        lambda: b.delete_thing("t0"),
        lambda: b.list_principal_things(certs[1]),
        lambda: b.list_targets_for_policy("p1"),
    ]
    answers = [outcome(step) for step in steps]
    answers.append(sorted(b.things))
    answers.append(sorted(b.certificates))
    answers.append(list(b.principal_things))
    answers.append(list(b.principal_policies))
    return answers


def test_the_indexed_lookups_answer_what_moto_answers() -> None:
    pems = [certificate_pem() for _ in range(3)]
    expected = session(IoTBackend(REGION, ACCOUNT), pems)
    assert session(IndexedBackend(REGION, ACCOUNT), pems) == expected
    conflicts = [a for a in expected if isinstance(a, tuple) and a[0] == "DeleteConflictException"]
    assert len(conflicts) == 4  # the policy, two certificates still attached, one with policies


def test_a_forced_delete_detaches_the_certificates_policies() -> None:
    """Where moto differs: it left the attachments of a force-deleted certificate behind, and every
    later DeleteCertificate of any certificate answered ResourceNotFoundException."""
    backend = IndexedBackend(REGION, ACCOUNT)
    backend.create_policy("p1", DOCUMENT)
    forced, other = (
        backend.register_certificate_without_ca(certificate_pem(), "INACTIVE") for _ in "ab"
    )
    backend.attach_policy("p1", forced.arn)
    backend.delete_certificate(forced.certificate_id, True)
    assert backend.list_targets_for_policy("p1") == []
    backend.delete_certificate(other.certificate_id, False)
    backend.delete_policy("p1")


def test_the_indexes_survive_a_pickled_restart_and_changes_made_by_moto_itself() -> None:
    backend = IndexedBackend(REGION, ACCOUNT)
    arn = backend.register_certificate_without_ca(certificate_pem(), "INACTIVE").arn
    backend.create_thing("t0", None, None)
    backend.attach_thing_principal("t0", arn)
    assert backend.list_thing_principals("t0") == [arn]
    assert isinstance(backend.principal_things, Attachments)
    restored = pickle.loads(pickle.dumps(backend))
    assert type(restored.principal_things) is not Attachments  # the saved state is moto's own
    assert restored.list_principal_things(arn) == ["t0"]
    restored.principal_things.pop((arn, "t0"))  # not through an IoT method
    assert restored.list_thing_principals("t0") == []
    restored.delete_certificate(arn.rsplit("/", 1)[1], False)


def test_deleting_a_certificate_does_not_slow_down_as_the_account_grows() -> None:
    def fleet(backend: Any, size: int) -> tuple[Any, str]:
        pems = [certificate_pem() for _ in range(size)]
        for i, pem in enumerate(pems):
            arn = backend.register_certificate_without_ca(pem, "INACTIVE").arn
            backend.create_thing(f"t{i}", None, None)
            backend.attach_thing_principal(f"t{i}", arn)
        backend.detach_thing_principal("t0", arn_of(backend, pems[0]))
        return backend, arn_of(backend, pems[0]).rsplit("/", 1)[1]

    def seconds_to_delete(backend: Any, certificate_id: str) -> float:
        backend.list_principal_things(certificate_id)  # the first lookup indexes the tables
        backend.list_attached_policies(certificate_id)
        started = time.perf_counter()
        backend.delete_certificate(certificate_id, False)
        return time.perf_counter() - started

    moto_seconds = seconds_to_delete(*fleet(IoTBackend(REGION, ACCOUNT), 1500))
    indexed_seconds = seconds_to_delete(*fleet(IndexedBackend(REGION, ACCOUNT), 1500))
    assert indexed_seconds * 50 < moto_seconds


def arn_of(backend: Any, pem: str) -> str:
    return str(next(c.arn for c in backend.certificates.values() if c.certificate_pem == pem))


@pytest.fixture
def iot(aws: Any, boto: Any) -> Any:
    return boto("iot")


def test_through_the_emulator_a_certificate_still_attached_cannot_be_deleted(iot: Any) -> None:
    certificate = iot.register_certificate_without_ca(
        certificatePem=certificate_pem(), status="INACTIVE"
    )
    arn, certificate_id = certificate["certificateArn"], certificate["certificateId"]
    iot.create_thing(thingName="t0")
    iot.attach_thing_principal(thingName="t0", principal=arn)
    with pytest.raises(iot.exceptions.DeleteConflictException, match="Things must be detached"):
        iot.delete_certificate(certificateId=certificate_id)
    with pytest.raises(iot.exceptions.InvalidRequestException):
        iot.delete_thing(thingName="t0")
    assert iot.list_thing_principals(thingName="t0")["principals"] == [arn]
    assert iot.list_principal_things(principal=arn)["things"] == ["t0"]
    iot.detach_thing_principal(thingName="t0", principal=arn)
    assert iot.list_thing_principals(thingName="t0")["principals"] == []
    iot.delete_certificate(certificateId=certificate_id)
    iot.delete_thing(thingName="t0")
    with pytest.raises(iot.exceptions.ResourceNotFoundException):
        iot.describe_certificate(certificateId=certificate_id)


def test_every_way_of_changing_a_table_keeps_its_indexes() -> None:
    table = Attachments([(("c1", "t1"), 1)])
    table |= {("c1", "t2"): 2}
    table.setdefault(("c2", "t1"), 3)
    table.update({("c3", "t3"): 4})
    assert table.of_principal("c1") == [("c1", "t1"), ("c1", "t2")]
    assert table.of_target("t1") == [("c1", "t1"), ("c2", "t1")]
    assert table.pop(("c1", "t1")) == 1
    assert table.popitem() == (("c3", "t3"), 4)
    del table[("c2", "t1")]
    assert table.of_principal("c1") == [("c1", "t2")]
    assert table.of_target("t1") == table.of_principal("c3") == []
    table.clear()
    assert table.by_principal == table.by_target == {}
