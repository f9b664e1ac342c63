"""The CMS's page, `/admin/index.html`: the pinned Decap bundle with its integrity hash, then newsgen's additions
(admin.js): the theme's stylesheet and a story template in the preview pane, and the section picker."""

from __future__ import annotations

import json
from html import escape
from importlib.resources import files

from newsgen.cms.fields import SECTION_WIDGET
from newsgen.cms.settings import CmsSettings
from newsgen.config import SiteConfig
from newsgen.urls import CMS_CONFIG_URL

ADMIN_JS = files("newsgen.cms").joinpath("admin.js").read_text(encoding="utf-8")
THEME_STYLESHEET = "/theme/newsgen.css"  # the theme's, or the site's own copy at that path (static/theme/)


def admin_page(config: SiteConfig) -> bytes:
    """The page's bytes; `noindex`, so search engines leave the CMS out as the sitemaps do."""
    settings = config.cms or CmsSettings()
    integrity = f' integrity="{escape(settings.integrity)}"' if settings.integrity else ""
    page_settings = {
        "stylesheet": THEME_STYLESHEET,
        "sectionWidget": SECTION_WIDGET,
        "timezone": config.timezone.key,
    }
    data = json.dumps(page_settings, sort_keys=True).replace("<", "\\u003c")  # never ends its script element
    return f"""<!doctype html>
<html lang="{escape(config.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>{escape(config.title)}: content manager</title>
<link href="{CMS_CONFIG_URL}" type="text/yaml" rel="cms-config-url">
</head>
<body>
<script src="{escape(settings.script)}"{integrity} crossorigin="anonymous"></script>
<script type="application/json" id="newsgen-cms">{data}</script>
<script>
{ADMIN_JS}</script>
</body>
</html>
""".encode()
