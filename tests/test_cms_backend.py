"""Decap's local-backend protocol on a site's files (`preview/cmsapi.py`): each action as decap-server answers it."""

from __future__ import annotations

import base64
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pytest

from conftest import SiteFactory, article
from newsgen.preview.cmsapi import LocalBackend

STORY = "content/2025-01-16-ferry.md"
STORY_TEXT = article("headline: Ferry fares frozen\ndek: The council held prices.\ndate: 2025-01-16")
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


@pytest.fixture
def site(make_site: SiteFactory) -> Path:
    return make_site(
        {
            STORY: STORY_TEXT,
            "content/2025/01/2025-01-10-older.md": article("headline: Older\ndek: D.\ndate: 2025-01-10"),
            "content/2025-01-16-ferry.jpg.txt": "not an article",
            "pages/about.md": "---\ntitle: About us\n---\nWho we are.\n",
            "static/images/photo.png": PNG,
            "static/images/.hidden.png": PNG,
            "authors.yaml": "ana:\n  name: Ana Ruiz\n",
            "newsgen.yaml": "title: The Harbour Herald\n",
        }
    )


def call(site: Path, action: str, **params: Any) -> tuple[int, Any]:
    answer = LocalBackend(site).answer(json.dumps({"action": action, "params": {"branch": "main", **params}}).encode())
    return answer.status, json.loads(answer.encode())


def persist(site: Path, path: str, raw: str, assets: list[dict[str, str]] | None = None) -> tuple[int, Any]:
    data_file = {"slug": Path(path).stem, "path": path, "raw": raw}
    options = {"commitMessage": "Create", "useWorkflow": False, "status": ""}
    return call(site, "persistEntry", dataFiles=[data_file], assets=assets or [], options=options)


def asset(path: str, content: bytes) -> dict[str, str]:
    return {"path": path, "content": base64.b64encode(content).decode(), "encoding": "base64"}


def test_info_names_the_site_and_offers_simple_publishing(site: Path) -> None:
    assert call(site, "info") == (200, {"repo": "site", "publish_modes": ["simple"], "type": "local_fs"})


def test_entries_by_folder_lists_articles_to_the_depth_asked(site: Path) -> None:
    status, entries = call(site, "entriesByFolder", folder="content", extension="md", depth=1)
    assert status == 200
    assert entries == [
        {
            "data": STORY_TEXT,
            "file": {"path": STORY, "id": hashlib.sha256(STORY_TEXT.encode()).hexdigest()},
        }
    ]
    status, entries = call(site, "entriesByFolder", folder="content", extension="md", depth=3)
    assert sorted(entry["file"]["path"] for entry in entries) == [STORY, "content/2025/01/2025-01-10-older.md"]
    assert call(site, "entriesByFolder", folder="content/missing", extension="md", depth=1) == (200, [])


def test_entries_by_files_and_get_entry_read_the_files_named(site: Path) -> None:
    status, entries = call(site, "entriesByFiles", files=[{"path": "authors.yaml", "label": "Authors"}])
    assert status == 200 and entries[0]["data"] == "ana:\n  name: Ana Ruiz\n"
    assert entries[0]["file"]["label"] == "Authors" and len(entries[0]["file"]["id"]) == 64
    status, missing = call(site, "entriesByFiles", files=[{"path": "fronts.yaml"}])
    assert missing == [{"data": None, "file": {"path": "fronts.yaml", "id": None}}], "a file not made yet reads as null"
    status, entry = call(site, "getEntry", path="pages/about.md")
    assert status == 200 and entry["data"].startswith("---\ntitle: About us")


def test_persist_entry_writes_the_story_and_its_photo(site: Path) -> None:
    raw = article("headline: Pier reopens\ndek: After repairs.\ndate: 2025-01-17\nimage: /images/pier.png")
    status, answer = persist(site, "content/2025-01-17-pier.md", raw, [asset("static/images/pier.png", PNG)])
    assert (status, answer) == (200, {"message": "entry persisted"})
    assert (site / "content/2025-01-17-pier.md").read_text() == raw
    assert (site / "static/images/pier.png").read_bytes() == PNG
    leftovers = [path.name for path in site.rglob(".newsgen-*")]
    assert leftovers == [], "the temporary files of the atomic writes are gone"


def test_a_save_newsgen_would_reject_is_refused_with_its_lines_and_writes_nothing(site: Path) -> None:
    raw = "---\nheadline: Pier reopens\ndate: Jan 17th\nimage: /images/pier.png\n---\nBody.\n"
    status, answer = persist(site, "content/2025-01-17-pier.md", raw, [asset("static/images/pier.png", PNG)])
    assert status == 422
    assert answer["error"].splitlines()[0] == (
        "content/2025-01-17-pier.md:3: date: not a valid date: 'Jan 17th'; write YYYY-MM-DD or 2025-01-16T09:30:00-06:00"
    )
    assert not (site / "content/2025-01-17-pier.md").exists()
    assert not (site / "static/images/pier.png").exists(), "the photo it brought is not left behind"


def test_a_rejected_save_puts_back_a_photo_it_replaced(site: Path) -> None:
    raw = "---\nheadline: Photo\ndate: someday\nimage: /images/photo.png\n---\nBody.\n"
    assert persist(site, "content/2025-01-17-photo.md", raw, [asset("static/images/photo.png", b"other")])[0] == 422
    assert (site / "static/images/photo.png").read_bytes() == PNG


def test_an_edit_newsgen_would_reject_leaves_the_story_as_it_was(site: Path) -> None:
    status, answer = persist(site, STORY, "---\ndek: No headline.\ndate: 2025-01-16\n---\nBody.\n")
    assert status == 422 and answer["error"] == f"{STORY}:2: headline: is required"
    assert (site / STORY).read_text() == STORY_TEXT


def test_an_edit_keeps_the_files_permissions(site: Path) -> None:
    (site / STORY).chmod(0o640)
    assert persist(site, STORY, article("headline: Ferry fares cut\ndek: D.\ndate: 2025-01-16"))[0] == 200
    assert (site / STORY).stat().st_mode & 0o777 == 0o640


def test_data_files_are_saved_at_the_root_only(site: Path) -> None:
    authors = "ana:\n  name: Ana Ruiz\nben:\n  name: Ben Okafor\n"
    assert persist(site, "authors.yaml", authors)[0] == 200 and (site / "authors.yaml").read_text() == authors
    status, answer = persist(site, "data/authors.yaml", authors)
    assert status == 422 and "outside what the CMS may change" in answer["error"]
    assert not (site / "data").exists()


def test_fronts_and_alerts_newsgen_would_reject_are_refused_with_its_lines(site: Path) -> None:
    status, answer = persist(site, "alerts.yaml", "alerts:\n  - text: Ferry service suspended\n    level: urgent\n")
    assert status == 422
    assert answer["error"] == "alerts.yaml:3: alerts[0].level: must be one of breaking, developing, info, not 'urgent'"
    assert not (site / "alerts.yaml").exists()
    assert persist(site, "fronts.yaml", "home:\n  lead: [1, 2]\n")[0] == 422
    alert = "alerts:\n  - text: Ferry service suspended\n    level: breaking\n"
    assert persist(site, "alerts.yaml", alert)[0] == 200 and (site / "alerts.yaml").read_text() == alert
    missing = "home:\n  lead: 2025/01/2025-01-01-missing.md\n"  # newsgen warns, the build goes on
    assert persist(site, "fronts.yaml", missing)[0] == 200


def test_warnings_do_not_block_a_save(site: Path) -> None:
    raw = article("headline: No dek here\ndate: 2025-01-18")  # newsgen warns: no dek
    assert persist(site, "content/2025-01-18-nodek.md", raw)[0] == 200


def test_a_page_is_read_as_a_page(site: Path) -> None:
    status, answer = persist(site, "pages/contact.md", "---\nmenu: header\n---\nWrite to us.\n")
    assert status == 422 and answer["error"] == "pages/contact.md:2: title: is required"
    assert persist(site, "pages/contact.md", "---\ntitle: Contact\n---\nWrite to us.\n")[0] == 200


def test_a_renamed_entry_moves_and_the_old_file_goes(site: Path) -> None:
    raw = article("headline: Ferry fares frozen\ndek: D.\ndate: 2025-01-20")
    data_file = {"slug": "ferry", "path": STORY, "newPath": "content/2025-01-20-ferry.md", "raw": raw}
    options = {"commitMessage": "Update", "useWorkflow": False, "status": ""}
    assert call(site, "persistEntry", dataFiles=[data_file], assets=[], options=options)[0] == 200
    assert not (site / STORY).exists() and (site / "content/2025-01-20-ferry.md").read_text() == raw


def test_a_renamed_bundle_takes_its_photos_along(site: Path) -> None:
    (site / "content/pier").mkdir()
    (site / "content/pier/index.md").write_text(article("headline: Pier\ndek: D.\ndate: 2025-01-17"))
    (site / "content/pier/photo.png").write_bytes(PNG)
    raw = article("headline: Pier\ndek: D.\ndate: 2025-01-17")
    data_file = {"slug": "pier", "path": "content/pier/index.md", "newPath": "content/new-pier/index.md", "raw": raw}
    options = {"commitMessage": "Update", "useWorkflow": False, "status": ""}
    assert call(site, "persistEntry", dataFiles=[data_file], assets=[], options=options)[0] == 200
    assert (site / "content/new-pier/photo.png").read_bytes() == PNG and not (site / "content/pier/photo.png").exists()


def test_a_folder_of_other_stories_never_moves_with_one_of_them(site: Path) -> None:
    (site / "content/2025/01/index.md").write_text(article("headline: January\ndek: D.\ndate: 2025-01-31"))
    raw = article("headline: January\ndek: D.\ndate: 2025-01-31")
    data_file = {"slug": "january", "path": "content/2025/01/index.md", "newPath": "content/january/index.md"}
    options = {"commitMessage": "Update", "useWorkflow": False, "status": ""}
    assert call(site, "persistEntry", dataFiles=[{**data_file, "raw": raw}], assets=[], options=options)[0] == 200
    assert (site / "content/2025/01/2025-01-10-older.md").exists() and not (site / "content/2025/01/index.md").exists()


def test_a_new_path_that_is_the_old_one_keeps_the_file(site: Path) -> None:
    data_file = {"slug": "ferry", "path": STORY, "newPath": STORY, "raw": STORY_TEXT}
    options = {"commitMessage": "Update", "useWorkflow": False, "status": ""}
    assert call(site, "persistEntry", dataFiles=[data_file], assets=[], options=options)[0] == 200
    assert (site / STORY).read_text() == STORY_TEXT


def test_media_are_listed_read_and_uploaded_as_base64(site: Path) -> None:
    status, media = call(site, "getMedia", mediaFolder="static/images")
    assert status == 200 and [file["path"] for file in media] == ["static/images/photo.png"], "hidden files are not"
    assert media[0] == {
        "id": hashlib.sha256(PNG).hexdigest(),
        "content": base64.b64encode(PNG).decode(),
        "encoding": "base64",
        "path": "static/images/photo.png",
        "name": "photo.png",
    }
    assert call(site, "getMediaFile", path="static/images/photo.png") == (200, media[0])
    assert call(site, "getMedia", mediaFolder="static/images/") == (200, media), "as a config may spell the folder"
    status, stored = call(
        site, "persistMedia", asset=asset("static/images/new.png", PNG), options={"commitMessage": "Upload"}
    )
    assert status == 200 and stored["name"] == "new.png" and (site / "static/images/new.png").read_bytes() == PNG


def test_files_are_deleted_inside_the_allowed_folders_only(site: Path) -> None:
    options = {"commitMessage": "Delete"}
    assert call(site, "deleteFile", path="static/images/photo.png", options=options)[0] == 200
    assert not (site / "static/images/photo.png").exists()
    status, answer = call(site, "deleteFiles", paths=["pages/about.md", "newsgen.yaml"], options=options)
    assert status == 422 and "newsgen.yaml" in answer["error"]
    assert (site / "pages/about.md").exists(), "one refused path and none is deleted"
    assert call(site, "deleteFiles", paths=["pages/about.md"], options=options)[0] == 200
    assert not (site / "pages/about.md").exists()


def test_deploy_preview_is_null_and_other_actions_are_unknown(site: Path) -> None:
    assert call(site, "getDeployPreview", collection="news", slug="ferry") == (200, None)
    assert call(site, "unpublishedEntries") == (422, {"error": 'Unknown action "unpublishedEntries"'})


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"[]",
        b'{"action": 1}',
        b'{"action": "getEntry", "params": []}',
        b"[" * 100_000,
        b'"\xff"',
        b'{"action": "persistEntry", "params": {"dataFiles": [{"path": "content/a.md", "raw": "\\ud800"}]}}',
        b'{"action": "persistMedia", "params": {"asset": {"path": "static/a", "content": "!", "encoding": "base64"}}}',
        b'{"action": "entriesByFolder", "params": {"folder": "content", "extension": "md", "depth": true}}',
    ],
)
def test_malformed_requests_get_an_error_not_a_traceback(site: Path, body: bytes) -> None:
    answer = LocalBackend(site).answer(body)
    assert answer.status in (400, 422) and set(json.loads(answer.encode())) == {"error"}


def test_a_label_sent_back_is_always_valid_json(site: Path) -> None:
    body = b'{"action": "entriesByFiles", "params": {"files": [{"path": "authors.yaml", "label": "\\ud800"}]}}'
    answer = LocalBackend(site).answer(body)
    assert answer.status == 200 and json.loads(answer.encode())[0]["file"]["label"] == "\ud800"


@pytest.mark.parametrize(
    ("action", "params"),
    [
        ("getEntry", {"path": "newsgen.yaml"}),
        ("getEntry", {"path": "../outside.md"}),
        ("getEntry", {"path": "/etc/passwd"}),
        ("getEntry", {"path": "content/../newsgen.yaml"}),
        ("getEntry", {"path": ".git/config"}),
        ("getEntry", {"path": "content/.git/config"}),
        ("getEntry", {"path": "content\\..\\newsgen.yaml"}),
        ("getEntry", {"path": "content/link/secret.txt"}),
        ("getEntry", {"path": "content/config-link.md"}),
        ("getMediaFile", {"path": "static/out.png"}),
        ("entriesByFolder", {"folder": "content/link", "extension": "", "depth": 5}),
        ("entriesByFolder", {"folder": ".", "extension": "", "depth": 5}),
        ("entriesByFolder", {"folder": "", "extension": "yaml", "depth": 1}),
        ("getMedia", {"mediaFolder": "templates"}),
        ("persistMedia", {"asset": {"path": "newsgen.yaml", "content": "eDogMQ==", "encoding": "base64"}}),
        ("persistMedia", {"asset": {"path": "content/link/x.png", "content": "eA==", "encoding": "base64"}}),
        ("persistMedia", {"asset": {"path": "templates/base.html", "content": "eA==", "encoding": "base64"}}),
        ("deleteFile", {"path": "content/config-link.md"}),
    ],
)
def test_nothing_outside_the_allowed_folders_is_read_or_written(
    site: Path, action: str, params: dict[str, Any]
) -> None:
    (site.parent / "outside").mkdir()
    (site.parent / "outside/secret.txt").write_text("TOP SECRET")
    (site.parent / "outside/out.png").write_bytes(PNG)
    os.symlink(site.parent / "outside", site / "content/link")
    os.symlink(site.parent / "outside/out.png", site / "static/out.png")
    os.symlink(site / "newsgen.yaml", site / "content/config-link.md")
    before = {path: path.read_bytes() for path in site.parent.rglob("*") if path.is_file()}
    status, answer = call(site, action, **params)
    assert status == 422, answer
    assert "TOP SECRET" not in json.dumps(answer) and "Harbour" not in json.dumps(answer)
    assert {path: path.read_bytes() for path in site.parent.rglob("*") if path.is_file()} == before


def test_a_listing_skips_links_that_lead_out(site: Path) -> None:
    (site.parent / "outside.md").write_text(article("headline: Secret\ndate: 2025-01-01"))
    os.symlink(site.parent / "outside.md", site / "content/2025-01-01-leak.md")
    os.symlink(site / "newsgen.yaml", site / "content/config.md")
    status, entries = call(site, "entriesByFolder", folder="content", extension="md", depth=1)
    assert [entry["file"]["path"] for entry in entries] == [STORY]
