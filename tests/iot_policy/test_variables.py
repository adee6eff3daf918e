"""Policy variables: substituted where AWS substitutes them, left as `${...}` where it does not."""

from __future__ import annotations

from zaws.iot_policy.context import ClientCertificate, ConnectionContext, ThingInfo
from zaws.iot_policy.variables import ContextValues

THING = ThingInfo("dev-1", "sensor", {"site": "north", "Floor": "3"})
CERT = ClientCertificate(
    subject={
        "CommonName": ("dev-1",),
        "Organization": ("Example Corp", "Other"),
        "Title": ("a*b",),
    },
    issuer={"CommonName": ("Zaws Root",), "Country": ("IT",)},
    subject_alt_names={"DNSName": ("dev-1.example.com",)},
    serial_number="1234",
    certificate_id="ab" * 32,
)


def values(
    client_id: str = "dev-1", thing: ThingInfo | None = THING, source_ip: str | None = None
) -> ContextValues:
    return ContextValues(ConnectionContext(client_id, thing, CERT, source_ip))


def test_basic_variables() -> None:
    v = values(source_ip="10.0.0.1")
    assert v.variable("iot:ClientId") == "dev-1"
    assert v.variable("IOT:CLIENTID") == "dev-1"
    assert v.variable("aws:SourceIp") == "10.0.0.1"
    assert values().variable("aws:SourceIp") is None


def test_client_id_is_substituted_even_with_mqtt_wildcards() -> None:
    # AWS's warning: a client that connects as "+" gets topicfilter/my/+/topic
    assert values("+", thing=None).variable("iot:ClientId") == "+"


def test_thing_variables_only_when_the_client_id_is_the_attached_thing() -> None:
    v = values()
    assert v.variable("iot:Connection.Thing.ThingName") == "dev-1"
    assert v.variable("iot:Connection.Thing.ThingTypeName") == "sensor"
    assert v.variable("iot:Connection.Thing.Attributes[site]") == "north"
    assert v.variable("iot:connection.thing.attributes[Floor]") == "3"
    assert v.variable("iot:Connection.Thing.Attributes[floor]") is None  # attribute names keep case
    assert v.key("iot:Connection.Thing.IsAttached") == ("true",)
    other = values("dev-2")
    assert other.variable("iot:Connection.Thing.ThingName") is None
    assert other.variable("iot:Connection.Thing.Attributes[site]") is None
    assert other.key("iot:Connection.Thing.IsAttached") == ("false",)
    assert values(thing=None).key("iot:Connection.Thing.IsAttached") == ("false",)
    untyped = ContextValues(ConnectionContext("t", ThingInfo("t")))
    assert untyped.variable("iot:Connection.Thing.ThingTypeName") is None


def test_certificate_variables_first_value_index_and_list() -> None:
    v = values()
    assert v.variable("iot:Certificate.Subject.CommonName") == "dev-1"
    assert v.variable("iot:Certificate.Subject.Organization") == "Example Corp"
    assert v.variable("iot:Certificate.Subject.Organization.0") == "Example Corp"
    assert v.variable("iot:Certificate.Subject.Organization.1") == "Other"
    assert v.variable("iot:Certificate.Subject.Organization.2") is None  # missing index
    assert v.variable("iot:Certificate.Subject.Organization.List") is None  # conditions only
    assert v.key("iot:Certificate.Subject.Organization.List") == ("Example Corp", "Other")
    assert v.variable("iot:Certificate.Issuer.Country") == "IT"
    assert v.variable("iot:Certificate.Subject.AlternativeName.DNSName") == "dev-1.example.com"
    assert v.variable("iot:Certificate.SerialNumber") == "1234"
    assert v.variable("iot:CertificateId") == "ab" * 32
    assert v.variable("iot:Certificate.Subject.Country") is None
    assert "iot:Certificate.Subject.CommonName" in (v.key("iot:Certificate.AvailableKeys") or ())


def test_certificate_values_with_wildcards_or_too_long_are_not_substituted() -> None:
    for bad in ("a*b", "a$b", "a+b", "a?b", "a#b", "x" * 1025):
        cert = ClientCertificate(subject={"CommonName": (bad,)})
        v = ContextValues(ConnectionContext("c", certificate=cert))
        assert v.variable("iot:Certificate.Subject.CommonName") is None, bad
        assert v.key("iot:Certificate.Subject.CommonName") == (bad,)  # conditions still see it
    fine = ClientCertificate(subject={"CommonName": ("x" * 1024,)})
    assert (
        ContextValues(ConnectionContext("c", certificate=fine)).variable(
            "iot:Certificate.Subject.CommonName"
        )
        == "x" * 1024
    )
    assert values().variable("iot:Certificate.Subject.Title") is None


def test_unknown_variables_have_no_value() -> None:
    assert values().variable("iot:Thing.ThingName") is None
    assert values().key("aws:CurrentTime") is None
