"""The article cache shared through an S3 store (moto's server over HTTP), and its data-only format."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import fields, replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import test_deploy
from conftest import SiteFactory, article, digests, run_cli
from newsgen.body.images import ImageLocator
from newsgen.config import load_config
from newsgen.engine.cache.codec import EntryCodec
from newsgen.engine.cache.local import CachedArticle, article_settings_key, is_article_file
from newsgen.engine.cache.remote import RemoteStore
from newsgen.engine.cache.shared import SharedCache
from newsgen.engine.plan.load import ArticleReader, find_static_files
from newsgen.errors import Problem, Severity
from newsgen.models import Article
from newsgen.read.authors import load_authors
from test_deploy import S3Client, free_port

boto3 = pytest.importorskip("boto3")

# test_deploy's fixtures: moto's S3 server over HTTP, and a client with test credentials and an empty `site-bucket`.
s3, s3_endpoint = test_deploy.s3, test_deploy.s3_endpoint

REPOSITORY = Path(__file__).resolve().parents[1]  # the sample site
ARTICLE_FIELDS = [field.name for field in fields(Article) if field.init]  # as a payload lists them
SAMPLE = ("content", "static", "authors.yaml", "newsgen.yaml")
PREFIX = "team/articles/"


def sample_site(folder: Path, settings: str) -> Path:
    """A copy of the repository's sample site with `settings` added to its newsgen.yaml.

    Files are copied without their times, as a fresh checkout on another machine has them.
    """
    folder.mkdir()
    for name in SAMPLE:
        source = REPOSITORY / name
        if source.is_dir():
            shutil.copytree(source, folder / name, copy_function=shutil.copy)
        else:
            shutil.copy(source, folder / name)
    with (folder / "newsgen.yaml").open("a", encoding="utf-8") as config:
        config.write(settings)
    return folder


def shared_settings(endpoint: str, bucket: str = "site-bucket") -> str:
    return f"cache: s3://{bucket}/team\ncache_endpoint_url: {endpoint}\n"


def no_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any article read afresh fails the build."""

    def refuse(*args: object) -> None:
        raise AssertionError("an article was read, not taken from the store")

    monkeypatch.setattr("newsgen.engine.plan.load.load_article", refuse)


def stored(client: Any) -> dict[str, bytes]:
    listing = client.list_objects_v2(Bucket="site-bucket", Prefix=PREFIX).get("Contents", [])
    return {item["Key"]: client.get_object(Bucket="site-bucket", Key=item["Key"])["Body"].read() for item in listing}


def without(text: str, site: Path) -> str:
    return text.replace(str(site), "SITE")


def test_second_machine_builds_from_the_store(
    s3: S3Client, s3_endpoint: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = sample_site(tmp_path / "first", shared_settings(s3_endpoint))
    code, out_first, err_first = run_cli(["build", "--source", str(first)], capsys)
    assert code == 0, err_first
    articles = [path for path in (REPOSITORY / "content").rglob("*") if is_article_file(str(path))]
    assert len(stored(s3)) == len(articles)

    second = sample_site(tmp_path / "second", shared_settings(s3_endpoint))  # another path, other file times
    no_reading(monkeypatch)
    code, out_second, err_second = run_cli(["build", "--source", str(second)], capsys)
    assert code == 0, err_second
    assert digests(second / "build") == digests(first / "build")
    assert without(err_second, second) == without(err_first, first)  # the same warnings, naming this machine's files
    assert "warning: cache" not in err_first + err_second
    (second / "newsgen.yaml").write_text(
        (REPOSITORY / "newsgen.yaml").read_text() + shared_settings(f"http://127.0.0.1:{free_port()}")
    )
    code, _, err = run_cli(["build", "--source", str(second), "--full"], capsys)
    assert code == 0 and "warning: cache" not in err, "the entries were kept in the local cache"


def test_images_with_new_times_are_checked_by_their_bytes(
    s3: S3Client, s3_endpoint: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A checkout (or a restored local cache) gives images new times: the store's entries still hold."""
    site = sample_site(tmp_path / "site", shared_settings(s3_endpoint))
    assert run_cli(["build", "--source", str(site)], capsys)[0] == 0
    before = digests(site / "build")
    images = [path for path in site.rglob("*") if path.suffix in (".jpg", ".png")]
    assert images
    for image in images:
        os.utime(image, (1_000_000_000, 1_000_000_000))
    no_reading(monkeypatch)
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 0, err
    assert digests(site / "build") == before


def test_a_corrupted_entry_is_read_afresh(
    s3: S3Client, s3_endpoint: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = sample_site(tmp_path / "first", shared_settings(s3_endpoint))
    assert run_cli(["build", "--source", str(first)], capsys)[0] == 0
    client: Any = s3
    objects = stored(client)
    name = sorted(objects)[0]
    damaged = bytearray(objects[name])
    damaged[len(damaged) // 2] ^= 0x01
    client.put_object(Bucket="site-bucket", Key=name, Body=bytes(damaged))

    read: list[Path] = []
    from newsgen.engine.plan import load

    real = load.load_article

    def counting(path: Path, *args: Any) -> Any:
        read.append(path)
        return real(path, *args)

    monkeypatch.setattr("newsgen.engine.plan.load.load_article", counting)
    second = sample_site(tmp_path / "second", shared_settings(s3_endpoint))
    code, _, err = run_cli(["build", "--source", str(second)], capsys)
    assert code == 0, err
    assert len(read) == 1
    assert digests(second / "build") == digests(first / "build")
    assert stored(client)[name] == objects[name], "the article read afresh was sent again"


@pytest.mark.parametrize("store", ["closed port", "no bucket"])
def test_a_store_that_fails_is_one_warning_and_a_normal_build(
    store: str,
    s3: S3Client,
    s3_endpoint: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings = (
        shared_settings(f"http://127.0.0.1:{free_port()}")
        if store == "closed port"
        else shared_settings(s3_endpoint, bucket="no-such-bucket")
    )
    site = sample_site(tmp_path / "site", settings)
    code, out, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 0 and out.startswith("Built ")
    warnings = [line for line in err.splitlines() if "cache s3://" in line]
    assert len(warnings) == 1 and warnings[0].startswith("newsgen: warning: cache s3://")
    assert warnings[0].endswith("; this build uses the local cache only")
    plain = sample_site(tmp_path / "plain", "")
    assert run_cli(["build", "--source", str(plain)], capsys)[0] == 0
    assert digests(site / "build") == digests(plain / "build")
    code, _, err = run_cli(["build", "--source", str(site), "--full"], capsys)
    assert code == 0 and "cache s3://" not in err, "a build the local cache serves never asks the store"


def test_the_store_is_not_asked_without_a_local_cache(
    s3: S3Client, s3_endpoint: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = sample_site(tmp_path / "site", shared_settings(s3_endpoint))
    assert run_cli(["build", "--source", str(site), "--no-cache"], capsys)[0] == 0
    assert stored(s3) == {}


# The format: exact, data only.


def sample_entries() -> list[tuple[Path, CachedArticle]]:
    config, problems = load_config(REPOSITORY)
    assert not problems
    reader = ArticleReader.for_site(REPOSITORY, config)
    paths = sorted(path for path in (REPOSITORY / "content").rglob("*") if is_article_file(str(path)))
    return [(path, reader.read(path)[1]) for path in paths]


@pytest.mark.parametrize("site", [None, REPOSITORY], ids=["local", "relative to the site"])
def test_sample_articles_round_trip_exactly(site: Path | None) -> None:
    codec = EntryCodec(site)
    entries = sample_entries()
    assert entries
    for path, entry in entries:
        payload = codec.encode(entry)
        assert payload is not None, path
        back = codec.decode(payload)
        assert back == entry and repr(back) == repr(entry)  # repr: the zones and offsets of datetimes too
        assert back.article is not None and entry.article is not None
        assert back.article.fingerprint == entry.article.fingerprint


def test_datetimes_keep_their_zone_offset_and_fold() -> None:
    _, entry = sample_entries()[0]
    assert entry.article is not None
    moments = [
        datetime(2025, 11, 2, 1, 30, tzinfo=ZoneInfo("America/New_York"), fold=1),  # the second 1:30
        datetime(2025, 1, 16, 9, 30, 0, 250, tzinfo=timezone(timedelta(hours=-6))),
        datetime(2025, 1, 16, 9, 30, tzinfo=UTC),
    ]
    codec = EntryCodec()
    for moment in moments:
        changed = replace(entry, article=replace(entry.article, date=moment, updated=None))
        payload = codec.encode(changed)
        assert payload is not None
        back = codec.decode(payload)
        assert back is not None and back.article is not None
        assert repr(back.article.date) == repr(moment) and back.article.date.fold == moment.fold
    named = replace(entry.article, date=datetime(2025, 1, 1, tzinfo=timezone(timedelta(hours=1), "CET")))
    assert codec.encode(replace(entry, article=named)) is None, "a zone it can't give back is not written"


def mangled(change: Any) -> bytes:
    """A valid payload of a sample entry, changed as JSON data by `change`."""
    _, entry = sample_entries()[0]
    payload = EntryCodec().encode(entry)
    assert payload is not None
    data = json.loads(payload)
    change(data)
    return json.dumps(data).encode()


def test_a_payload_naming_a_type_outside_the_whitelist_is_refused() -> None:
    def pickle_like(data: Any) -> None:
        data[0][ARTICLE_FIELDS.index("image")] = {"py/object": "subprocess.Popen", "args": ["touch", "/tmp/x"]}

    def tagged(data: Any) -> None:
        data[0][ARTICLE_FIELDS.index("section")] = ["os.system", "touch /tmp/pwned"]

    def reduce_like(data: Any) -> None:
        data[1] = [{"__reduce__": ["os.system", ["id"]]}]  # the problems

    codec = EntryCodec()
    for change in (pickle_like, tagged, reduce_like):
        assert codec.decode(mangled(change)) is None, change.__name__

    def inert(data: Any) -> None:
        data[2] = [["src", ["os.system", "touch /tmp/pwned"]]]  # an image fingerprint: plain data, compared only

    entry = codec.decode(mangled(inert))
    assert entry is not None and entry.images == (("src", ("os.system", "touch /tmp/pwned")),)


def test_a_payload_that_does_not_fit_is_refused() -> None:
    codec = EntryCodec()

    def wrong_type(data: Any) -> None:
        data[0][ARTICLE_FIELDS.index("headline")] = 42

    def missing_field(data: Any) -> None:
        data[0].pop()

    def bad_zone(data: Any) -> None:
        data[0][ARTICLE_FIELDS.index("date")][8] = "Nowhere/Atlantis"  # the zone

    def bad_severity(data: Any) -> None:
        data[1] = [["content/x.md", 1, "body", "message", "fatal", "code"]]

    for change in (wrong_type, missing_field, bad_zone, bad_severity):
        assert codec.decode(mangled(change)) is None, change.__name__
    assert codec.decode(b"") is None and codec.decode(b"\xff\xfe[") is None and codec.decode(b"[" * 100_000) is None


def test_paths_stay_inside_the_site() -> None:
    _, entry = sample_entries()[0]
    codec = EntryCodec(REPOSITORY)
    payload = codec.encode(entry)
    assert payload is not None
    for escape in ("../../etc/passwd", "/etc/passwd"):
        data = json.loads(payload)
        data[0][ARTICLE_FIELDS.index("source")] = escape
        assert codec.decode(json.dumps(data).encode()) is None, escape
    outside = Problem(Path("/elsewhere/x.md"), 1, "body", "message", Severity.WARNING)
    assert codec.encode(replace(entry, problems=(outside,))) is None


# What is sent.


class RecordingStore(RemoteStore):
    def __init__(self) -> None:
        super().__init__("s3://bucket/prefix")
        self.sent: dict[str, bytes] = {}

    def get(self, name: str) -> bytes | None:
        return self.sent.get(name)

    def put(self, name: str, payload: bytes) -> None:
        self.sent[name] = payload


def test_only_entries_of_the_file_alone_are_sent(make_site: SiteFactory) -> None:
    site = make_site({"content/a.md": article("headline: A\ndek: D.\ndate: 2025-01-16")}).resolve()
    config, _ = load_config(site)
    images = ImageLocator(find_static_files(site, []), site)
    authors, _ = load_authors(site, images)
    settings = article_settings_key(config, authors.digest)
    reader = ArticleReader(config, images, settings, authors)
    path = site / "content/a.md"
    key, entry = reader.read(path)
    store = RecordingStore()
    shared = SharedCache(store, site, config, images, settings)
    assert entry.article is not None
    timed_out = replace(entry, kept_on_disk=False)
    naming_the_folder = replace(entry, article=replace(entry.article, headline=f"Files in {site}"))
    shared.upload([(path, key, timed_out), (path, key, naming_the_folder)])
    assert store.sent == {}
    path.write_text(article("headline: B\ndek: D.\ndate: 2025-01-16"))
    shared.upload([(path, key, entry)])
    assert store.sent == {}, "the file changed since it was read"
    key, entry = reader.read(path)
    shared.upload([(path, key, entry)])
    assert len(store.sent) == 1
    assert str(site).encode() not in next(iter(store.sent.values()))
    assert shared.fetch([(path, key)]) == {key: entry}


def test_the_settings_are_checked(make_site: SiteFactory) -> None:
    site = make_site(
        {"newsgen.yaml": "cache: s3://team-cache/news\ncache_endpoint_url: https://minio.example.org:9000\n"}
    )
    config, problems = load_config(site)
    assert not problems
    assert (config.cache, config.cache_endpoint_url) == ("s3://team-cache/news", "https://minio.example.org:9000")
    (site / "newsgen.yaml").write_text("cache: /var/cache/newsgen\ncache_endpoint_url: minio:9000\n")
    config, problems = load_config(site)
    assert [problem.field for problem in problems] == ["cache", "cache_endpoint_url"]
    assert config.cache is None and config.cache_endpoint_url is None


@pytest.mark.slow
def test_an_object_larger_than_any_entry_is_refused_unread(
    s3: S3Client,
    s3_endpoint: str,
    make_site: SiteFactory,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Over real S3 responses: the length the store gives is checked before the body is read (#25 item 5)."""
    first = make_site(
        {
            "newsgen.yaml": shared_settings(s3_endpoint),
            "content/a.md": article("headline: A\ndek: D.\ndate: 2025-01-16"),
        }
    )
    assert run_cli(["build", "--source", str(first), "--jobs", "1"], capsys)[0] == 0
    client: Any = s3
    (name,) = stored(client)
    client.put_object(Bucket="site-bucket", Key=name, Body=os.urandom(1 << 20) * 8)
    from botocore.response import StreamingBody

    reads: list[int | None] = []
    real_read = StreamingBody.read

    def read(self: StreamingBody, amt: int | None = None) -> bytes:
        reads.append(amt)
        data: bytes = real_read(self, amt)
        return data

    monkeypatch.setattr(StreamingBody, "read", read)
    second = first.parent / "second"
    shutil.copytree(first, second, ignore=shutil.ignore_patterns("build", ".newsgen-cache"))
    code, _, err = run_cli(["build", "--source", str(second), "--jobs", "1"], capsys)
    assert code == 0, err
    assert [line for line in err.splitlines() if "cache s3://" in line] == [
        "newsgen: warning: cache s3://site-bucket/team: content/a.md: entry ignored (larger than 4 MB); read afresh"
    ]
    assert reads == []
    assert digests(second / "build") == digests(first / "build")
