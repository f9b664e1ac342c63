"""Where a photo uploaded to a story goes: the site's media folder, which newsgen publishes, not beside the story.

Decap gives a collection with a `path` (stories in `content/YYYY/MM/`) a
media folder beside each entry unless the collection names one; the browser
test (test_cms_browser.py) sees where the real bundle puts the file.
"""

from __future__ import annotations

from conftest import SiteFactory
from test_cms import built_config, cms_site, collection


def test_stories_upload_to_the_sites_media_folder(make_site: SiteFactory) -> None:
    articles = collection(built_config(cms_site(make_site)), "articles")
    assert (articles["media_folder"], articles["public_folder"]) == ("/static/images", "/images")


def test_a_media_folder_set_in_newsgen_yaml_is_the_stories_too(make_site: SiteFactory) -> None:
    given = "cms:\n  decap:\n    media_folder: static/uploads\n    public_folder: /uploads\n"
    articles = collection(built_config(cms_site(make_site, extra=given)), "articles")
    assert (articles["media_folder"], articles["public_folder"]) == ("/static/uploads", "/uploads")
