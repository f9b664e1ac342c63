"""The CMS's `/admin/config.yml` as the preview serves it: pointed at the preview's own local backend.

The build publishes the production config (a git backend, no `local_backend`),
so a build's bytes never depend on who previews them. The preview adds
`local_backend` with its own origin when it serves the file; Decap then saves
through `POST /api/v1` on the same origin, with no extra program and no login.
"""

from __future__ import annotations

from typing import Any

import yaml

ADMIN_DIR = "admin"
CONFIG_PATH = f"{ADMIN_DIR}/config.yml"  # relative to the output folder
CMS_API_PATH = "/api/v1"
YAML_TYPE = "text/yaml; charset=utf-8"  # Decap reads a config only from a type that says yaml


def with_local_backend(config: bytes, host: str) -> bytes:
    """`config` with `local_backend` pointing at `http://<host>/api/v1`; unchanged if it is not a YAML mapping.

    `host` is the request's `Host`, already checked as the preview's own. Decap
    uses a local backend only on `localhost` and `127.0.0.1` unless told the
    host, so the host's name is allowed too (`[::1]`, the machine's name).
    """
    try:
        data: Any = yaml.safe_load(config)
    except yaml.YAMLError:
        return config
    if not isinstance(data, dict):
        return config
    name = (host if host.endswith("]") else host.rsplit(":", 1)[0]).lower()
    data["local_backend"] = {"url": f"http://{host}{CMS_API_PATH}", "allowed_hosts": [name]}
    dumped: str = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return dumped.encode("utf-8")
