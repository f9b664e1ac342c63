"""Resized copies of local photos: what pages offer in srcset, the files behind it, social crops, the cache."""

from __future__ import annotations

import json
import sys
from io import BytesIO
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from conftest import NOW, SiteFactory, article, build_site, digests, run_cli
from newsgen.body.renditions import crop_box
from newsgen.engine import BuildOptions, BuildSession, build


def photo(width: int, height: int, image_format: str = "JPEG") -> bytes:
    """A photo with detail (a gradient), so encoders have something to do and sizes can be told apart."""
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    buffer = BytesIO()
    image.save(buffer, image_format)
    return buffer.getvalue()


LEAD = "image: {src: /images/wide.jpg, alt: The harbour at dusk, caption: Boats come in.}"


def story(front_matter: str = LEAD, body: str = "Text.\n") -> str:
    return article(f"headline: Harbour\ndate: 2025-03-01T08:00:00Z\nsection: Port\n{front_matter}", body)


def page(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / "build" / url.strip("/") / "index.html").read_text(), "html.parser")


def listed(srcset: object) -> list[tuple[str, int]]:
    """(URL, width) of each candidate of a srcset (as BeautifulSoup gives an attribute)."""
    return [(url, int(width.removesuffix("w"))) for url, width in (part.split() for part in str(srcset).split(", "))]


def pixel_size(site: Path, url: str) -> tuple[int, int, str]:
    with Image.open(site / "build" / url.lstrip("/")) as image:
        return image.width, image.height, image.format or ""


def test_a_lead_photo_is_offered_at_every_width_up_to_its_own_in_avif_webp_and_jpeg(make_site: SiteFactory) -> None:
    site = make_site({"content/harbour.md": story(), "static/images/wide.jpg": photo(1500, 1000)})
    build_site(site)
    lead = page(site, "/2025/03/01/harbour/").select_one("figure.lead")
    image = lead.find("img")
    assert (image["src"], image["width"], image["height"]) == ("/images/wide.jpg", "1500", "1000")
    assert image.get("fetchpriority") == "high" and not image.get("loading"), "the lead is the page's largest paint"
    sources = {source["type"]: source["srcset"] for source in lead.find_all("source")}
    assert list(sources) == ["image/avif", "image/webp"], "the smaller formats first, the best first"
    for media_type, srcset in [*sources.items(), ("image/jpeg", image["srcset"])]:
        candidates = listed(srcset)
        assert [width for _, width in candidates] == [320, 640, 960, 1280]
        for url, width in candidates:
            assert pixel_size(site, url) == (width, round(width * 1000 / 1500), media_type.split("/")[1].upper())
    assert image["sizes"] == lead.find("source")["sizes"]


def test_a_small_photo_is_never_upscaled_and_recaps_lazy_load_all_but_the_first(make_site: SiteFactory) -> None:
    site = make_site(
        {
            "content/harbour.md": story(),
            "content/tiny.md": story("image: {src: /images/tiny.png, alt: A buoy}").replace("Harbour", "Buoy", 1),
            "static/images/wide.jpg": photo(1500, 1000),
            "static/images/tiny.png": photo(120, 80, "PNG"),
        }
    )
    build_site(site)
    home = BeautifulSoup((site / "build/index.html").read_text(), "html.parser")
    thumbs = home.select(".recap-thumb")
    assert [thumb.get("fetchpriority") for thumb in thumbs] == ["high", None]
    assert [thumb.get("loading") for thumb in thumbs] == [None, "lazy"]
    tiny = next(thumb for thumb in thumbs if thumb["src"] == "/images/tiny.png")
    (url, width), *rest = listed(tiny["srcset"])
    assert (width, rest) == (120, []) and pixel_size(site, url) == (120, 80, "PNG"), "PNG stays PNG (transparency)"
    lead = page(site, "/2025/03/01/tiny/").select_one("figure.lead img")
    assert lead["sizes"] == "min(120px, calc(100vw - 2rem))", "shown at its own width, not stretched to the column"


def test_social_crops_keep_the_focus_in_view_and_are_listed_for_search_engines(make_site: SiteFactory) -> None:
    portrait = "image: {src: /images/tall.jpg, alt: A lighthouse, focus: [0.5, 0.2]}"
    site = make_site({"content/harbour.md": story(portrait), "static/images/tall.jpg": photo(800, 1400)})
    build_site(site)
    story_page = page(site, "/2025/03/01/harbour/")
    data = json.loads(str(story_page.find("script", type="application/ld+json").string))
    crops = [url.removeprefix("https://example.com") for url in data["image"]]
    assert [url.rsplit("/", 1)[1].split("-")[0] for url in crops] == ["16x9", "4x3", "1x1"]
    assert [pixel_size(site, url)[:2] for url in crops] == [(800, 450), (800, 600), (800, 800)]
    left, top, _, _ = crop_box(800, 1400, 16 / 9, (0.5, 0.2))
    assert (left, top) == (0, 55) and crops[0].endswith("/16x9-0-55-800.jpg"), "centred on the focus, 20% down"
    meta = {tag.get("property"): tag.get("content") for tag in story_page.find_all("meta") if tag.get("property")}
    assert meta["og:image"] == f"https://example.com{crops[0]}" and (
        meta["og:image:width"],
        meta["og:image:height"],
    ) == ("800", "450")


def test_body_photos_get_a_webp_srcset_and_load_lazily(make_site: SiteFactory) -> None:
    body = "Text.\n\n![A crane over the pier](/images/wide.jpg)\n\n<img src=x.jpg alt=raw srcset='javascript:alert(1) 1w, https://evil.example/a.jpg 2w'>\n"
    site = make_site(
        {
            "content/harbour.md": story("", body),
            "content/x.jpg": photo(64, 64),
            "static/images/wide.jpg": photo(1500, 1000),
        }
    )
    build_site(site)
    images = page(site, "/2025/03/01/harbour/").select(".story-body img")
    crane = images[0]
    assert crane["loading"] == "lazy" and crane["sizes"].endswith("calc(100vw - 2rem)")
    assert [pixel_size(site, url)[2] for url, _ in listed(crane["srcset"])] == ["WEBP"] * 4
    assert all(url.startswith("/img/") for url, _ in listed(images[1]["srcset"])), "an editor's srcset is replaced"


def test_copies_are_made_once_and_reused_from_the_cache(
    make_site: SiteFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site({"content/harbour.md": story(), "static/images/wide.jpg": photo(1500, 1000)})
    cache = tmp_path / "cache"
    build(BuildOptions(site, tmp_path / "first", now=NOW), BuildSession(cache))
    monkeypatch.setattr(sys.modules["newsgen.engine.imaging"], "_make", lambda *_: pytest.fail("made twice"))
    build(BuildOptions(site, tmp_path / "second", now=NOW), BuildSession(cache))
    assert digests(tmp_path / "first") == digests(tmp_path / "second")


def test_without_an_avif_encoder_webp_and_jpeg_are_offered(
    make_site: SiteFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    for module in ("newsgen.body.renditions", "newsgen.engine.cache.local"):
        monkeypatch.setattr(sys.modules[module], "available_formats", lambda: frozenset({"webp"}))
    site = make_site({"content/harbour.md": story(), "static/images/wide.jpg": photo(1500, 1000)})
    build_site(site)
    lead = page(site, "/2025/03/01/harbour/").select_one("figure.lead")
    assert [source["type"] for source in lead.find_all("source")] == ["image/webp"]
    assert not list((site / "build/img").rglob("*.avif"))


def test_remote_photos_and_images_false_are_left_as_they_are(make_site: SiteFactory) -> None:
    remote = "image: {src: 'https://photos.example.org/a.jpg', alt: A pier}"
    site = make_site(
        {
            "newsgen.yaml": "images: false\n",
            "content/harbour.md": story(),
            "content/pier.md": story(remote).replace("Harbour", "Pier", 1),
            "static/images/wide.jpg": photo(1500, 1000),
        }
    )
    build_site(site)
    for url in ("/2025/03/01/harbour/", "/2025/03/01/pier/"):
        image = page(site, url).select_one("figure.lead img")
        assert not image.get("srcset") and image.find_parent("picture") is None
    assert not (site / "build/img").exists()


def test_a_photo_that_cannot_be_decoded_or_a_bad_focus_is_one_line_each(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = photo(1500, 1000)[:2000]  # the header says 1500 x 1000; the pixels stop early
    site = make_site({"content/harbour.md": story(), "static/images/wide.jpg": broken})
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 0 and "harbour.md:5: warning: image.src: wide.jpg can't be decoded" in err and "Traceback" not in err
    (site / "static/images/wide.jpg").write_bytes(photo(1500, 1000))
    (site / "content/harbour.md").write_text(story(LEAD.replace("}", ", focus: [2, 0.5]}")))
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code != 0 and "harbour.md:5: image.focus: must be [x, y]" in err


def test_one_photo_as_two_leads_with_different_focus_shares_its_copies(make_site: SiteFactory) -> None:
    second = "image: {src: /images/wide.jpg, alt: The harbour, focus: [0.1, 0.9]}"
    site = make_site(
        {
            "content/harbour.md": story(),
            "content/again.md": story(second).replace("Harbour", "Again", 1),
            "static/images/wide.jpg": photo(1500, 1000),
        }
    )
    build_site(site)
    crops = sorted(path.name for path in (site / "build/img").rglob("1x1-*"))
    assert len(crops) == 2 and len(list((site / "build/img").iterdir())) == 1, "one folder, a crop per focus"
    lost = next((site / "build/img").rglob("320.jpg"))
    lost.unlink()
    build_site(site, full=True)  # each shared copy is written once, or the commit would move it twice
    assert lost.is_file()


def test_when_the_newest_story_has_no_photo_the_first_photo_of_the_list_loads_at_once(make_site: SiteFactory) -> None:
    newest = article("headline: Tides\ndate: 2025-03-02T08:00:00Z\nsection: Port", "No photo today.\n")
    site = make_site(
        {"content/harbour.md": story(), "content/tides.md": newest, "static/images/wide.jpg": photo(1500, 1000)}
    )
    build_site(site)
    home = BeautifulSoup((site / "build/index.html").read_text(), "html.parser")
    (thumb,) = home.select("main img")
    assert thumb.get("fetchpriority") == "high" and not thumb.get("loading"), "the page's largest paint"


def test_the_summary_says_when_resizing_images_took_the_time(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    """A first build spends most of its time making copies: the summary line says how many, of how many images."""
    site = make_site({"content/harbour.md": story(), "static/images/wide.jpg": photo(1500, 1000)})
    code, out, _ = run_cli(["build", "--source", str(site)], capsys)
    copies = len(list((site / ".newsgen-cache" / "images").rglob("*.*")))
    assert code == 0 and f"; made {copies} image copies of 1 image in " in out, out
    story_file = site / "content/harbour.md"
    story_file.write_text(story_file.read_text().replace("Text.", "More text."))
    code, out, _ = run_cli(["build", "--source", str(site)], capsys)
    assert code == 0 and "image cop" not in out, "an edit that needs no new copy makes none"
