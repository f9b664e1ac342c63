"""Which requests are the preview's own: those whose `Host` names this machine and whose `Origin`, if any, is ours.

A web page open in the same browser must not read an embargoed draft through
the preview. Two ways it could try:

- DNS rebinding: a name the attacker owns is pointed at this machine, so its
  page reads the preview as its own origin. Its requests then carry that name
  in `Host`. So `Host` must be `localhost`, this machine's own name, or an IP
  address (which no DNS answer can put there), with the preview's port. This
  holds on every address the preview listens on, `--host 0.0.0.0` included:
  listing every interface's addresses takes more than the standard library
  offers, and an address can't be rebound, so any address is accepted.
- A cross-origin request (`fetch` from another site): the browser says where
  it comes from in `Origin`, and any origin but the preview's is refused.
  Navigations and plain `<img>` loads carry no `Origin` and read nothing.
"""

from __future__ import annotations

import ipaddress
import socket

HTTP_PORT = 80  # the port a `Host` without one means


def machine_names(host: str) -> frozenset[str]:
    """The names a `Host` header may give: `localhost`, this machine's name (and its `.local` name), and the
    name the preview was asked to listen on."""
    name = socket.gethostname().lower().rstrip(".")
    names = {"localhost", name, host.lower().rstrip(".")}
    if name and "." not in name:
        names.add(f"{name}.local")  # as mDNS (Bonjour, Avahi) calls it on a local network
    return frozenset(names - {""})


def is_own_host(header: str, names: frozenset[str], port: int) -> bool:
    """Whether a `Host` header names this preview: one of `names` or an IP address, and `port`."""
    name, given_port = _split_host(header.lower())
    if given_port != port:
        return False
    return name.rstrip(".") in names or _is_address(name)


def is_own_origin(origin: str | None, host: str) -> bool:
    """Whether a request's `Origin` (None: it sent none) is the preview's, as its `Host` header names it."""
    return origin is None or origin.lower() == f"http://{host.lower()}"


def is_loopback_peer(address: str) -> bool:
    """Whether a connection's peer address is this machine's own (`::ffff:127.0.0.1` included).

    The CMS saves only for such a peer: `--host 0.0.0.0` shows the preview to
    the network, never lets the network change the site.
    """
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return bool(ip.is_loopback or (mapped is not None and mapped.is_loopback))


def _split_host(header: str) -> tuple[str, int | None]:
    """`name:port` as (name, port); `[::1]:port` as ('::1', port); no port is port 80; a bad port is None."""
    if header.startswith("["):
        name, _, rest = header[1:].partition("]")
        if rest and not rest.startswith(":"):
            return name, None
        port = rest[1:]
    else:
        name, colon, port = header.rpartition(":")
        if not colon:
            name, port = header, ""
    if not port:
        return name, HTTP_PORT
    return name, int(port) if port.isascii() and port.isdigit() and len(port) <= 5 else None


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True
