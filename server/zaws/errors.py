"""Expected failures, each carrying what went wrong and what the user should do about it.

Front ends turn a `ZawsError` into one clear line (CLI), a JSON-RPC error (servers) or a
notification (VS Code). Anything else that escapes an operation is a bug. Messages never contain
private keys or certificates.
"""

from __future__ import annotations


class ZawsError(Exception):
    """A failure the user can act on. `code` is stable and listed in protocol/openrpc.json.

    JSON-RPC codes are -32010..-32018 (-32800 for a cancel): clear of LSP's reserved -32001/-32002.
    """

    code = "zaws.error"
    rpc_code = -32010

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def one_line(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message

    def to_dict(self) -> dict[str, str | None]:
        return {"code": self.code, "message": self.message, "hint": self.hint}


class InvalidInput(ZawsError):
    """Bad arguments, a malformed file, a name AWS would refuse."""

    code = "zaws.invalidInput"
    rpc_code = -32011


class ProjectError(ZawsError):
    """The project folder is missing, not a zaws project, or inconsistent."""

    code = "zaws.project"
    rpc_code = -32012


class NotFound(ZawsError):
    """A thing, policy, role, bucket or job that must exist does not."""

    code = "zaws.notFound"
    rpc_code = -32013


class CredentialsMissing(ZawsError):
    """Real mode without usable AWS credentials or region."""

    code = "zaws.credentials"
    rpc_code = -32014


class RemoteFailure(ZawsError):
    """AWS (or the emulator) refused or failed a call after the retries."""

    code = "zaws.remote"
    rpc_code = -32015


class Busy(ZawsError):
    """Another zaws process holds the project's lock."""

    code = "zaws.busy"
    rpc_code = -32016


class ConfirmationRequired(ZawsError):
    """A destructive operation was asked for without confirmation."""

    code = "zaws.confirmationRequired"
    rpc_code = -32017


class OperationCancelled(ZawsError):
    """The user stopped a long operation; the state left on disk is resumable."""

    code = "zaws.cancelled"
    rpc_code = -32800  # LSP RequestCancelled


class LocalFileError(ZawsError):
    """A file or folder of the project (or of ZAWS_HOME) could not be read or written."""

    code = "zaws.localFile"
    rpc_code = -32019


def local_file_error(err: OSError, hint: str | None = None) -> LocalFileError:
    """One line for an operating-system error: what, where, and what to do (never a traceback).

    "/p/.zaws: permission denied", "/p/...: name too long", and so on.
    """
    import errno

    path = err.filename if err.filename is not None else "a file"
    reasons = {
        errno.EACCES: ("permission denied", "check the folder's permissions and owner"),
        errno.EPERM: ("permission denied", "check the folder's permissions and owner"),
        errno.EROFS: ("the file system is read-only", "use a writable folder"),
        errno.ENOSPC: ("no space left on the device", "free some disk space"),
        errno.EDQUOT: ("the disk quota is exceeded", "free some disk space"),
        errno.ENAMETOOLONG: ("name too long", "use a shorter project path or name"),
        errno.ENOTDIR: (
            "a file stands where a folder should be",
            "move that file away; zaws needs a folder there",
        ),
        errno.EISDIR: ("a folder stands where a file should be", "move that folder away"),
        errno.EEXIST: ("it already exists", "move it away or choose another name"),
        errno.ENOENT: ("no such file or folder", "check the path"),
    }
    reason, default_hint = reasons.get(
        err.errno or 0, (err.strerror or type(err).__name__, "check the file and its folder")
    )
    return LocalFileError(f"{path}: {reason}", hint or default_hint)
