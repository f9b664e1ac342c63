"""Which remotes `newsgen deploy git+…` accepts: ssh://, https:// and file:// URLs and scp-like `[user@]host:path`.

A destination can come from newsgen.yaml, which anyone with a pull request may
edit, and git reads a remote both as an argument and as a URL. As an argument,
a leading `-` makes it an option (`--upload-pack=CMD` runs CMD); as a URL, git's
other forms run programs (`ext::CMD`, `fd::N`, or a remote helper `name::…` or
`name://…` found on PATH). So only the forms above pass, and git is told to allow
only their protocols (which also holds after a user's `insteadOf` rewrites a URL).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from newsgen.deploy import DeployError
from newsgen.redact import redact

ALLOWED_PROTOCOLS = "file:https:ssh"  # GIT_ALLOW_PROTOCOL; scp-like remotes are ssh
_HOST = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\]")
_USER = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._~+-]*")
_SCP_LIKE = re.compile(r"(?:(?P<user>[^@/:]+)@)?(?P<host>\[[^\]/]*\]|[^@/:\[\]]+):(?P<path>.*)")
_FORMS = "ssh://, https://, file:// or [user@]host:path"


def validate_remote(remote: str) -> str:
    """The remote itself, or a DeployError saying why git must not be given it."""
    problem = _problem(remote)
    if problem:
        raise DeployError(f"git remote {redact(remote)!r}: {problem}")
    return remote


def _problem(remote: str) -> str | None:
    if not remote:
        return f"empty; write {_FORMS}"
    if remote.startswith("-"):
        return "may not start with '-' (git would read it as an option)"
    if not remote.isprintable():
        return "has control characters"
    if "://" in remote:
        return _url_problem(remote)
    scp = _SCP_LIKE.fullmatch(remote)
    if scp is None:
        return f"a folder: write file://{remote}" if remote.startswith("/") else f"unknown form; write {_FORMS}"
    if scp["path"].startswith(":"):
        return f"git's transport-helper form (name::address) runs a program; write {_FORMS}"
    if not scp["path"]:
        return "names no repository"
    if not _HOST.fullmatch(scp["host"]) or (scp["user"] is not None and not _USER.fullmatch(scp["user"])):
        return f"not a valid user or host name; write {_FORMS}"
    return None


def _url_problem(remote: str) -> str | None:
    try:
        parts = urlsplit(remote)
    except ValueError:  # an unbalanced [ in the host
        return "not a valid URL"
    scheme = parts.scheme.lower()
    if scheme == "file":
        return (
            None if parts.netloc in ("", "localhost") and parts.path.startswith("/") else "write file:///absolute/path"
        )
    if scheme not in ("ssh", "https"):
        hint = " (use https://)" if scheme == "http" else ""
        return f"{scheme}:// is not accepted{hint}; write {_FORMS}"
    host = parts.netloc.rpartition("@")[2]
    host = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    if not _HOST.fullmatch(host):
        return "not a valid host name"
    if parts.username is not None and not _USER.fullmatch(parts.username):
        return "not a valid user name"
    if not parts.path.strip("/"):
        return "names no repository"
    return None
