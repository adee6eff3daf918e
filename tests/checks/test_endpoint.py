from zaws.checks.endpoint import parse_endpoint


def test_parts_of_an_ats_endpoint() -> None:
    endpoint = parse_endpoint("a1b2c3-ats.iot.eu-central-1.amazonaws.com")
    assert endpoint is not None
    assert (endpoint.prefix, endpoint.region, endpoint.ats) == ("a1b2c3", "eu-central-1", True)


def test_legacy_and_gov_cloud_endpoints() -> None:
    legacy = parse_endpoint("a1b2c3.iot.us-gov-west-1.amazonaws.com")
    assert legacy is not None and not legacy.ats and legacy.region == "us-gov-west-1"


def test_not_endpoints() -> None:
    for host in ["", "a1b2c3-ats.iot.amazonaws.com", "a-ats.iot.us-east-1.amazonaws.com.evil"]:
        assert parse_endpoint(host) is None
