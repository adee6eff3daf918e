"""botocore failures become ZawsErrors that say what to do."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError, NoCredentialsError

from zaws.aws.errors import translate
from zaws.errors import CredentialsMissing, NotFound, RemoteFailure


def client_error(code: str, message: str = "m") -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": message}}, "Op")


@pytest.mark.parametrize(
    ("error", "kind", "words"),
    [
        (NoCredentialsError(), CredentialsMissing, "--local"),
        (client_error("ThrottlingException"), RemoteFailure, "resumes"),
        (client_error("ResourceNotFoundException", "Thing x not found"), NotFound, "Thing x"),
        (client_error("AccessDeniedException", "no iot:CreateThing"), RemoteFailure, "IAM"),
        (client_error("ExpiredTokenException"), CredentialsMissing, "sso login"),
        (EndpointConnectionError(endpoint_url="http://x"), RemoteFailure, "network"),
    ],
)
def test_each_failure_names_a_remedy(error: Exception, kind: type, words: str) -> None:
    translated = translate(error, "creating thing x")
    assert isinstance(translated, kind)
    assert words in translated.one_line()
