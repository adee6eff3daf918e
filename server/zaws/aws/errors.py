"""Turning botocore's exceptions into ZawsErrors that say what failed and what to do.

AWS error messages are kept (they name the resource), but never request bodies: a private key or
certificate can never end up in an error line.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    ProfileNotFound,
    ReadTimeoutError,
)

from zaws.errors import CredentialsMissing, NotFound, RemoteFailure, ZawsError

THROTTLING_CODES = {"ThrottlingException", "Throttling", "TooManyRequestsException", "SlowDown"}
NOT_FOUND_CODES = {"ResourceNotFoundException", "NoSuchEntity", "NoSuchBucket", "NoSuchKey", "404"}
DENIED_CODES = {
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedException",
    "Forbidden",
    "403",
}
EXPIRED_CODES = {"ExpiredToken", "ExpiredTokenException", "RequestExpired", "InvalidClientTokenId"}
CONFIGURE_HINT = (
    "configure credentials with `aws configure --profile NAME` and pass --profile NAME "
    "(or set AWS_PROFILE), or use --local for the embedded emulator"
)


def error_code(err: ClientError) -> str:
    return str(err.response.get("Error", {}).get("Code", ""))


def is_not_found(err: ClientError) -> bool:
    return error_code(err) in NOT_FOUND_CODES


def translate(err: Exception, doing: str) -> ZawsError:
    """The ZawsError for a botocore failure while `doing` (e.g. "creating thing prod_3")."""
    if isinstance(err, ZawsError):
        return err
    if isinstance(err, NoCredentialsError):
        return CredentialsMissing("No AWS credentials found", CONFIGURE_HINT)
    if isinstance(err, ProfileNotFound):
        return CredentialsMissing(str(err), CONFIGURE_HINT)
    if isinstance(err, NoRegionError):
        return CredentialsMissing(
            "No AWS region configured",
            "pass --region, set AWS_REGION, or add region to the profile",
        )
    if isinstance(err, EndpointConnectionError | ConnectionError | ReadTimeoutError):
        return RemoteFailure(
            f"Could not reach AWS while {doing}: {err}",
            "check the network and --endpoint-url, then run the command again",
        )
    if isinstance(err, ClientError):
        code = error_code(err)
        message = err.response.get("Error", {}).get("Message", "") or code
        if code in THROTTLING_CODES:
            return RemoteFailure(
                f"AWS kept throttling requests while {doing}, beyond the retries",
                "run the command again later; it resumes where it stopped",
            )
        if code in NOT_FOUND_CODES:
            return NotFound(f"Not found while {doing}: {message}", "check the name and the region")
        if code in DENIED_CODES:
            return RemoteFailure(
                f"AWS denied access while {doing}: {message}",
                "check the IAM permissions of the profile in use",
            )
        if code in EXPIRED_CODES:
            return CredentialsMissing(
                f"The AWS credentials were refused while {doing}: {message}",
                "refresh them (for SSO: `aws sso login --profile NAME`)",
            )
        return RemoteFailure(f"AWS refused {doing}: {code}: {message}", "fix the cause and rerun")
    if isinstance(err, BotoCoreError):
        return RemoteFailure(f"AWS call failed while {doing}: {err}", "run the command again")
    raise err


@contextmanager
def aws_errors(doing: str) -> Iterator[None]:
    """Translate botocore failures inside the block."""
    try:
        yield
    except (BotoCoreError, ClientError) as err:
        raise translate(err, doing) from None
