"""Shared-cache entries are trusted only as far as fresh input would be (issue #25, item 5).

Whoever can write to the store can put anything under an article's name. A
second machine that fetches a tampered entry prints one warning naming the
article, reads it afresh from its file, and publishes exactly what a build
without the store publishes: nothing outside the article, no traceback.
The store here is `RemoteStore` itself over an S3 client kept in memory, so
objects go through the real format and size checks.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest

from conftest import SiteFactory, article, digests, png, run_cli
from newsgen.body.images import ImageLocator
from newsgen.body.markup import ENGINES, BodyRenderer, ImageProblem
from newsgen.body.sanitise import sanitise
from newsgen.engine.cache import remote
from newsgen.engine.cache.remote import RemoteStore
from newsgen.models import Article

ARTICLE_FIELDS = [field.name for field in fields(Article) if field.init]  # as a payload lists them
STORY = "content/2025/story/index.md"
OTHER = "content/2025/other.md"
SECRET = "url = https://x-access-token:SECRET@github.com/newsroom/site\n"


class Missing(Exception):
    response = {"Error": {"Code": "NoSuchKey"}}


class Body:
    """An S3 object's body that notes how much was asked of it."""

    def __init__(self, data: bytes, reads: list[int | None]) -> None:
        self._data, self._reads = data, reads

    def read(self, amount: int | None = None) -> bytes:
        self._reads.append(amount)
        return self._data if amount is None else self._data[:amount]

    def close(self) -> None:
        pass


class MemoryClient:
    """Just the S3 calls the store makes, on a dict."""

    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}
        self.reads: list[int | None] = []

    def get_object(self, Bucket: str, Key: str) -> dict[str, Any]:  # noqa: N803 (boto3's names)
        if Key not in self.objects:
            raise Missing(Key)
        data = self.objects[Key]
        return {"ContentLength": len(data), "Body": Body(data, self.reads)}

    def put_object(self, Bucket: str, Key: str, Body: bytes) -> None:  # noqa: N803
        self.objects[Key] = Body


class MemoryStore(RemoteStore):
    def __init__(self, client: MemoryClient) -> None:
        super().__init__("s3://bucket/team")
        self._client = client
        self._errors = (Missing,)


@pytest.fixture
def client(monkeypatch: pytest.MonkeyPatch) -> MemoryClient:
    """The store every build in the test shares (a new `RemoteStore` per build, as on a machine)."""
    client = MemoryClient()
    monkeypatch.setattr("newsgen.engine.cache.shared.RemoteStore", lambda *args: MemoryStore(client))
    return client


def first_machine(make_site: SiteFactory, capsys: pytest.CaptureFixture[str]) -> Path:
    """A site whose story has a photo beside it, and a `.git/config` holding a token; built once, filling the store."""
    site = make_site(
        {
            "newsgen.yaml": "cache: s3://bucket/team\n",
            STORY: article(
                "headline: The story\ndek: D.\ndate: 2025-01-16 09:30\ntags: [Harbor]",
                "A photo:\n\n![The harbor](photo.png)\n\nMore [below](#notes).\n\n## Notes {#notes}\n\nEnd.\n",
            ),
            "content/2025/story/photo.png": png(160, 120),
            OTHER: article("headline: Another story\ndek: D.\ndate: 2025-01-15"),
            ".git/config": SECRET,
        }
    )
    code, _, err = run_cli(["build", "--source", str(site), "--jobs", "1"], capsys)
    assert code == 0, err
    return site


def second_machine(first: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """A checkout of the same site elsewhere, built with the store: its exit code and its warnings."""
    second = first.parent / "second"
    shutil.copytree(first, second, symlinks=True, ignore=shutil.ignore_patterns("build", ".newsgen-cache"))
    code, _, err = run_cli(["build", "--source", str(second), "--jobs", "1"], capsys)
    return code, err


def name_of(client: MemoryClient, story: bytes) -> str:
    """The store's name of the entry whose payload holds `story`."""
    store = MemoryStore(client)
    (name,) = [key for key in client.objects if story in (store.get(key.removeprefix("team/")) or b"")]
    return name.removeprefix("team/")


def tamper(client: MemoryClient, change: Callable[[Any], None]) -> None:
    """Change the story's entry as JSON data, and store it again as newsgen stores an entry."""
    store = MemoryStore(client)
    name = name_of(client, b"The story")
    payload = store.get(name)
    assert payload is not None
    data = json.loads(payload)
    change(data[0])  # the article
    store.put(name, json.dumps(data, ensure_ascii=False).encode())


def assert_read_afresh(first: Path, code: int, err: str) -> None:
    """The second machine warned once about the story, and published what the first one did."""
    assert code == 0, err
    warnings = [line for line in err.splitlines() if "cache s3://" in line]
    assert len(warnings) == 1, err
    assert warnings[0].startswith("newsgen: warning: cache s3://bucket/team: content/2025/story/index.md: ")
    assert warnings[0].endswith("; read afresh")
    assert "Traceback" not in err
    assert digests(first.parent / "second" / "build") == digests(first / "build")


def field(name: str) -> int:
    return ARTICLE_FIELDS.index(name)


def test_an_honest_entry_is_taken_quietly(
    make_site: SiteFactory, client: MemoryClient, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = first_machine(make_site, capsys)
    assert len(client.objects) == 2

    def refuse(*args: object) -> None:
        raise AssertionError("an article was read, not taken from the store")

    monkeypatch.setattr("newsgen.engine.plan.load.load_article", refuse)
    code, err = second_machine(first, capsys)
    assert code == 0 and "cache s3://" not in err, err
    assert digests(first.parent / "second" / "build") == digests(first / "build")


def test_an_asset_naming_another_file_of_the_site_is_refused(
    make_site: SiteFactory, client: MemoryClient, capsys: pytest.CaptureFixture[str]
) -> None:
    first = first_machine(make_site, capsys)

    def publish_git_config(story: Any) -> None:
        (asset,) = story[field("assets")]
        asset[0] = ".git/config"  # the file, published under the photo's URL

    tamper(client, publish_git_config)
    code, err = second_machine(first, capsys)
    assert_read_afresh(first, code, err)
    published = [path for path in (first.parent / "second" / "build").rglob("*") if path.is_file()]
    assert not any(b"SECRET" in path.read_bytes() for path in published)


@pytest.mark.parametrize("src", ["../../../.git/config", "../other.md", "zero.png", ".hidden.png"])
def test_an_image_list_naming_files_outside_the_folder_reads_none_of_them(
    src: str,
    make_site: SiteFactory,
    client: MemoryClient,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = first_machine(make_site, capsys)
    os.symlink("/dev/zero", first / "content/2025/story/zero.png")  # a link any checkout could hold
    (first / "content/2025/story/.hidden.png").write_bytes(png(10, 10))
    read: list[Path] = []
    real = ImageLocator._digest

    def reading(self: ImageLocator, path: Path) -> tuple[int, str]:
        read.append(path)
        assert path.resolve().is_file(), f"{path} is read"  # /dev/zero would never end
        return real(self, path)

    monkeypatch.setattr(ImageLocator, "_digest", reading)
    store = MemoryStore(client)
    name = name_of(client, b"The story")
    payload = store.get(name)
    assert payload is not None
    data = json.loads(payload)
    data[2].append([src, [src.lstrip("/"), 10, "0" * 32]])  # the images it looked at
    store.put(name, json.dumps(data, ensure_ascii=False).encode())
    second = first.parent / "second"
    code, err = second_machine(first, capsys)
    assert_read_afresh(first, code, err)
    assert all(path.resolve().is_relative_to(second.resolve() / "content/2025/story") for path in read), read
    assert not any(path.name.startswith(".") or path.name == "zero.png" for path in read), read


def test_body_html_from_the_store_is_sanitised_again(
    make_site: SiteFactory, client: MemoryClient, capsys: pytest.CaptureFixture[str]
) -> None:
    first = first_machine(make_site, capsys)

    def script(story: Any) -> None:
        story[field("body")] = '<p id="main">Hi</p><script>alert(1)</script><img src="x" onerror="alert(1)">'

    tamper(client, script)
    code, err = second_machine(first, capsys)
    assert_read_afresh(first, code, err)
    page = (first.parent / "second" / "build" / "2025/01/16/story/index.html").read_text()
    assert "alert(1)" not in page


@pytest.mark.parametrize(
    "where, value",
    [
        ("year", 10**20),  # OverflowError in the decoder
        ("offset", 10**20),  # microseconds: OverflowError in the decoder
        ("edge", [1, 1, 1, 0, 0, 0, 0, 0, 23 * 3600 * 10**6]),  # decodes, then can't be shown in UTC
    ],
)
def test_dates_out_of_range_are_refused(
    where: str, value: Any, make_site: SiteFactory, client: MemoryClient, capsys: pytest.CaptureFixture[str]
) -> None:
    first = first_machine(make_site, capsys)

    def date(story: Any) -> None:
        moment = story[field("date")]
        if where == "year":
            moment[0] = value
        elif where == "offset":
            moment[8] = value
        else:
            story[field("date")] = value

    tamper(client, date)
    code, err = second_machine(first, capsys)
    assert_read_afresh(first, code, err)


@pytest.mark.parametrize("url", ["/2025/../../../x/", "/2025/%2e%2e/x/"])
@pytest.mark.parametrize("holder", ["article", "tag", "redirect"])
def test_urls_outside_the_output_folder_are_refused(
    holder: str, url: str, make_site: SiteFactory, client: MemoryClient, capsys: pytest.CaptureFixture[str]
) -> None:
    first = first_machine(make_site, capsys)

    def escape(story: Any) -> None:
        if holder == "article":
            story[field("url")] = url
        elif holder == "tag":
            story[field("tags")][0][2] = url  # name, slug, url
        else:
            story[field("redirect_from")] = [url]

    tamper(client, escape)
    code, err = second_machine(first, capsys)
    assert_read_afresh(first, code, err)


def test_an_entry_copied_under_another_articles_name_is_refused(
    make_site: SiteFactory, client: MemoryClient, capsys: pytest.CaptureFixture[str]
) -> None:
    first = first_machine(make_site, capsys)
    story, other = "team/" + name_of(client, b"The story"), "team/" + name_of(client, b"Another story")
    client.objects[story] = client.objects[other]
    code, err = second_machine(first, capsys)
    assert_read_afresh(first, code, err)


@pytest.mark.parametrize("size", ["object", "payload"])
def test_a_huge_object_is_refused_before_it_is_read(
    size: str, make_site: SiteFactory, client: MemoryClient, capsys: pytest.CaptureFixture[str]
) -> None:
    first = first_machine(make_site, capsys)
    name = name_of(client, b"The story")
    if size == "object":  # 40 MB that don't compress: refused by their length, none of it read
        client.objects["team/" + name] = os.urandom(1 << 20) * 40
    else:  # 40 MB of JSON in a few dozen KB compressed: refused once 16 MB are decompressed
        client.objects["team/" + name] = remote._pack(name, b"[" + b" " * (40 << 20) + b"]")
    client.reads.clear()
    code, err = second_machine(first, capsys)
    assert_read_afresh(first, code, err)
    assert None not in client.reads and all(amount <= 5 << 20 for amount in client.reads if amount is not None)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_body_the_sanitiser_made_comes_back_unchanged(engine: str) -> None:
    """So an honest entry's pages keep their bytes: ids, table headers, footnotes and fragment links included."""
    body = (
        "Intro with a note.[^1] See [the table](#scores) and [the top](#top).\n\n"
        '<table id="scores"><tr><th id="h">Team</th></tr><tr><td headers="h">Harbor</td></tr></table>\n\n'
        '## Scores {#later}\n\n<div id="body-x" dir="rtl">“Quoted” &amp; <b>bold</b>\xa0text</div>\n\n'
        "[^1]: The note.\n"
    )
    html = BodyRenderer(engine).render(body, {}, lambda src: ImageProblem("none", "image-missing")).html
    assert 'id="body-' in html and 'href="#body-' in html
    assert sanitise(html, stored=True) == html
    assert (
        sanitise('<p id="main"><a href="#main">x</a></p>', stored=True) == '<p id="body-main"><a href="#main">x</a></p>'
    )


def test_a_translation_sharing_its_originals_photo_is_taken_quietly(
    make_site: SiteFactory, client: MemoryClient, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A translation names a photo that only the original's folder holds (a Hugo bundle): fresh input takes it, so
    the store's entry holds too."""
    first = make_site(
        {
            "newsgen.yaml": "cache: s3://bucket/team\nlanguage: en\nlanguages:\n  en: {}\n  es: {}\n",
            STORY: article("headline: The story\ndek: D.\ndate: 2025-01-16", "![The harbor](photo.png)\n"),
            "content/2025/story/photo.png": png(160, 120),
            "content/es/2025/story/index.md": article(
                "headline: La historia\ndek: D.\ndate: 2025-01-16", "![El puerto](photo.png)\n"
            ),
        }
    )
    code, _, err = run_cli(["build", "--source", str(first), "--jobs", "1"], capsys)
    assert code == 0, err
    assert len(client.objects) == 2
    monkeypatch.setattr("newsgen.engine.plan.load.load_article", lambda *args: pytest.fail("read, not taken"))
    code, err = second_machine(first, capsys)
    assert code == 0 and "cache s3://" not in err, err
    assert digests(first.parent / "second" / "build") == digests(first / "build")
