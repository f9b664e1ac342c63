"""`cms: decap`: the CMS a build publishes at /admin/, derived from newsgen's own front-matter rules.

What the CMS lets a reporter save must be what `newsgen check` accepts. Decap's own checks are simulated here
(`decap_problems`: a field's `required` and `pattern`, as decap-cms-core's Widget.js applies them, children of an
object always, items of a list only when there are some); the browser test runs the real bundle.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import SiteFactory, article, build_site, cli_build, digests, png, run_cli
from newsgen.cms.fields import ABSOLUTE_URL_PATTERN, DATETIME_FORMAT, URL_PATTERN
from newsgen.cms.settings import DECAP_INTEGRITY, DECAP_SCRIPT
from newsgen.linkpolicy import url_problem
from newsgen.read import keys
from newsgen.read.page import PAGE_KEYS

CONFIG = "title: The Harbor Ledger\nbase_url: https://ledger.example/\ntimezone: America/Chicago\n"
STORY = article(
    "headline: Ferry fares frozen\ndek: The board held fares.\ndate: 2025-11-20T09:00:00\nsection: Transport\n"
)


def cms_site(make_site: SiteFactory, extra: str = "cms: decap\n", files: dict[str, str | bytes] | None = None) -> Path:
    return make_site({"newsgen.yaml": CONFIG + extra, "content/2025/11/ferry-fares.md": STORY, **(files or {})})


def built_config(site: Path) -> dict[str, Any]:
    build_site(site)
    loaded = yaml.safe_load((site / "build/admin/config.yml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def collection(config: dict[str, Any], name: str) -> dict[str, Any]:
    found = next(c for c in config["collections"] if c["name"] == name)
    assert isinstance(found, dict)
    return found


def data_file(config: dict[str, Any], name: str) -> dict[str, Any]:
    found = next(f for f in collection(config, "site")["files"] if f["name"] == name)
    assert isinstance(found, dict)
    return found


def field_names(fields: list[dict[str, Any]], prefix: str = "") -> set[str]:
    """Every field's dotted name, nested ones included (`image.alt`, `sources.url`)."""
    names: set[str] = set()
    for field in fields:
        name = prefix + field["name"]
        names.add(name)
        if "fields" in field:
            names |= field_names(field["fields"], name + ".")
    return names


def missing_fields(config: dict[str, Any]) -> set[str]:
    """The front-matter keys newsgen reads (keys.py) that the articles collection has no field for."""
    wanted = set(keys.KNOWN_KEYS) | {
        f"{key}.{child}" for key, children in keys.NESTED_KEYS.items() for child in children
    }
    wanted -= {"comments.replies"}  # a reply is a comment: its fields are the comment's, one level down
    return wanted - field_names(collection(config, "articles")["fields"]) - {"comments.replies"}


# --- the fields can't drift from what newsgen reads ---------------------------------------------------------------


def test_every_front_matter_key_newsgen_reads_has_a_field(make_site: SiteFactory) -> None:
    config = built_config(cms_site(make_site))
    assert missing_fields(config) == set()
    pages = field_names(collection(config, "pages")["fields"])
    assert set(PAGE_KEYS) <= pages


def test_a_key_newsgen_starts_reading_without_a_field_fails_the_check(
    make_site: SiteFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = built_config(cms_site(make_site))
    monkeypatch.setattr(keys, "KNOWN_KEYS", (*keys.KNOWN_KEYS, "kicker"))
    monkeypatch.setattr(keys, "NESTED_KEYS", {**keys.NESTED_KEYS, "image": (*keys.NESTED_KEYS["image"], "license")})
    assert missing_fields(config) == {"kicker", "image.license"}


# --- what Decap lets a reporter save, newsgen accepts ---------------------------------------------------------------


def decap_problems(fields: list[dict[str, Any]], data: dict[str, Any], where: str = "") -> list[str]:
    """What Decap refuses to save: an empty required field, a value that fails its pattern (Widget.js)."""
    problems = []
    for field in fields:
        name, value = where + field["name"], data.get(field["name"])
        empty = value is None or value in ("", [], {})
        if field.get("required", True) and empty and field["widget"] != "hidden":
            problems.append(f"{name}: required")
        if "pattern" in field and not empty and isinstance(value, str):
            if not re.search(field["pattern"][0], value):
                problems.append(f"{name}: pattern")
        if "fields" in field and field["widget"] == "object":
            problems += decap_problems(field["fields"], value or {}, name + ".")
        if "fields" in field and field["widget"] == "list":
            for index, item in enumerate(value or []):
                problems += decap_problems(field["fields"], item, f"{name}.{index}.")
    return problems


def decap_file(data: dict[str, Any]) -> str:
    """A story as Decap's frontmatter format writes it: YAML front matter, then the body."""
    front = {key: value for key, value in data.items() if key != "body"}
    return "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n" + str(data["body"]) + "\n"


def minimal_entry(fields: list[dict[str, Any]]) -> dict[str, Any]:
    """A value for each field the config requires, and nothing else, in the shape each widget stores."""
    sample = {"string": "Pier 4 reopens", "markdown": "The pier reopened on Friday.", "datetime": "2025-11-27T08:00:00"}
    return {field["name"]: sample[field["widget"]] for field in fields if field.get("required", True)}


def cleared_entry(fields: list[dict[str, Any]]) -> dict[str, Any]:
    """Every optional field as Decap writes it after a reporter filled it in and cleared it again."""
    cleared: dict[str, Any] = {"string": "", "text": "", "datetime": "", "number": "", "select": "", "list": []}
    cleared |= {"relation": [], "boolean": False, "newsgen-section": ""}
    return {
        f["name"]: {child["name"]: "" for child in f["fields"]} if f["widget"] == "object" else cleared[f["widget"]]
        for f in fields
        if not f.get("required", True) and f["widget"] != "hidden"
    }


def check(site: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict[str, Any]]]:
    code, out, _ = run_cli(["check", "--source", str(site), "--format", "json"], capsys)
    problems = json.loads(out)
    return code, problems if isinstance(problems, list) else problems["problems"]


def test_a_story_with_only_the_fields_the_cms_requires_passes_check(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    site = cms_site(make_site)
    fields = collection(built_config(site), "articles")["fields"]
    entry = minimal_entry(fields)
    assert set(entry) == {"headline", "date", "body"}
    assert decap_problems(fields, entry) == []
    (site / "content/2025/11/pier-4-reopens.md").write_text(decap_file(entry), encoding="utf-8")
    code, problems = check(site, capsys)
    assert code == 0
    assert [p for p in problems if p["severity"] == "error"] == []


def test_a_story_with_every_optional_field_cleared_passes_check(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    """Decap writes `''` for a date or number it cleared and `[]` for an emptied list: newsgen reads them as absent."""
    site = cms_site(make_site)
    fields = collection(built_config(site), "articles")["fields"]
    entry = minimal_entry(fields) | cleared_entry(fields) | {"dek": "The harbor's busiest pier is back."}
    assert decap_problems(fields, entry) == []
    (site / "content/2025/11/pier-4-reopens.md").write_text(decap_file(entry), encoding="utf-8")
    code, problems = check(site, capsys)
    assert [p["message"] for p in problems] == [] and code == 0


def test_a_story_with_a_lead_photo_as_the_cms_saves_it_passes_check(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    """The upload lands beside the story, in its own folder, and the field holds the bare file name, which newsgen
    publishes beside the story's page and measures; the site's library stays static/images/ for the pages."""
    site = cms_site(make_site, files={"content/2025/11/pier-4-reopens/pier.png": png(1200, 800)})
    config = built_config(site)
    assert (config["media_folder"], config["public_folder"]) == ("static/images", "/images")
    articles = collection(config, "articles")
    assert (articles["path"], articles["media_folder"], articles["public_folder"]) == (
        "{{year}}/{{month}}/{{slug}}/index",
        "",
        "",
    )
    fields = collection(config, "articles")["fields"]
    photo = {"src": "pier.png", "alt": "Workers bolt planks", "caption": "New deck.", "credit": "M. Okafor"}
    entry = minimal_entry(fields) | {"dek": "Back in use.", "image": [photo | {"focus": [0.5, 0.3]}]}
    entry |= {"section": "Transport", "tags": ["Ferries", "Waterfront"]}
    entry["body"] += "\n\n![A pier](pier.png)\n"
    entry["captions"] = [{"src": "pier.png", "caption": "The pier at dawn.", "credit": "M. Okafor"}]
    assert decap_problems(fields, entry) == []
    (site / "content/2025/11/pier-4-reopens/index.md").write_text(decap_file(entry), encoding="utf-8")
    code, problems = check(site, capsys)
    assert [p["message"] for p in problems] == [] and code == 0
    build_site(site)
    page = (site / "build/2025/11/27/pier-4-reopens/index.html").read_text(encoding="utf-8")
    assert 'alt="Workers bolt planks"' in page and "The pier at dawn." in page


def test_a_lead_photo_without_alt_text_cannot_be_saved(make_site: SiteFactory) -> None:
    fields = collection(built_config(cms_site(make_site)), "articles")["fields"]
    entry = minimal_entry(fields) | {"image": [{"src": "/images/pier.png"}]}
    assert decap_problems(fields, entry) == ["image.0.alt: required"]


def test_a_story_without_a_lead_photo_can_be_saved(make_site: SiteFactory) -> None:
    """The photo's required fields apply to a photo there is: an optional object would require them always."""
    fields = collection(built_config(cms_site(make_site)), "articles")["fields"]
    assert decap_problems(fields, minimal_entry(fields)) == []
    assert all(not child.get("required") for f in fields if f["widget"] == "object" for child in f["fields"]), (
        "Decap checks an object's fields even when it is empty"
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/a?b#c",
        "http://x.example",
        "mailto:desk@example.org",
        "/2025/11/x/",
        "tel:+15551234",
        "x.jpg",
    ],
)
def test_a_url_the_cms_accepts_newsgen_accepts(url: str) -> None:
    assert re.search(URL_PATTERN, url)
    assert url_problem(url) is None


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,x", "//evil.example/x", "https://a b", "vbscript:x", "\\\\host\\x"]
)
def test_a_url_newsgen_refuses_the_cms_refuses(url: str) -> None:
    assert not re.search(URL_PATTERN, url)
    assert not re.search(ABSOLUTE_URL_PATTERN, url)


def test_dates_are_written_without_an_offset_so_newsgen_reads_them_in_the_sites_timezone(
    make_site: SiteFactory,
) -> None:
    site = cms_site(make_site)
    fields = collection(built_config(site), "articles")["fields"]
    date = next(f for f in fields if f["name"] == "date")
    assert date["format"] == DATETIME_FORMAT and "America/Chicago" in date["hint"]
    (site / "content/2025/11/pier.md").write_text(
        decap_file(minimal_entry(fields) | {"date": "2025-11-27T08:00:00"}), encoding="utf-8"
    )
    build_site(site)
    page = (site / "build/2025/11/27/pier/index.html").read_text(encoding="utf-8")
    assert 'datetime="2025-11-27T08:00:00-06:00"' in page


# --- the widgets -----------------------------------------------------------------------------------------------------


def test_the_section_picker_offers_the_sites_sections_and_the_fronts_one_per_section(make_site: SiteFactory) -> None:
    site = cms_site(
        make_site,
        files={"content/2025/11/council.md": article("headline: Council\ndate: 2025-11-21\nsection: City Hall\n")},
    )
    config = built_config(site)
    section = next(f for f in collection(config, "articles")["fields"] if f["name"] == "section")
    assert section["options"] == ["City Hall", "Transport"]
    fronts = data_file(config, "fronts")
    assert [f["name"] for f in fronts["fields"]] == ["home", "city-hall", "transport"]
    assert fronts["file"] == "fronts.yaml"
    lead = fronts["fields"][0]["fields"][0]
    assert (lead["widget"], lead["collection"], lead["value_field"]) == ("relation", "articles", "{{slug}}.md")


def test_labels_are_the_sites_and_stories_list_newest_first_with_their_times(make_site: SiteFactory) -> None:
    config = built_config(cms_site(make_site, extra="cms: decap\nlabels: {obituary: Obituary}\n"))
    articles = collection(config, "articles")
    label = next(f for f in articles["fields"] if f["name"] == "label")
    assert {"label": "Obituary", "value": "obituary"} in label["options"]
    assert articles["sortable_fields"][0] == {"field": "date", "default_sort": "desc"}
    assert articles["summary"].startswith("{{date | date('YYYY-MM-DD HH:mm')}}")
    assert (articles["folder"], articles["path"], articles["extension"]) == (
        "content",
        "{{year}}/{{month}}/{{slug}}/index",
        "md",
    )


def test_authors_saved_as_the_cms_keeps_them_name_the_byline(make_site: SiteFactory) -> None:
    """The authors file as a list under `authors:` (Decap can't edit a mapping keyed by person): each `id` is a key."""
    people = "authors:\n- id: jdoe\n  name: Jane Doe\n  role: Harbor reporter\n"
    story = article("headline: Tides\ndate: 2025-11-22\nauthors: [jdoe]\n")
    site = cms_site(make_site, files={"authors.yaml": people, "content/2025/11/tides.md": story})
    config = built_config(site)
    relation = next(f for f in collection(config, "articles")["fields"] if f["name"] == "authors")
    assert (relation["collection"], relation["file"], relation["value_field"]) == ("authors", "authors", "authors.*.id")
    assert data_file(config, "authors")["file"] == "authors.yaml"
    assert "Jane Doe" in (site / "build/2025/11/22/tides/index.html").read_text(encoding="utf-8")
    assert (site / "build/authors/jdoe/index.html").is_file()


def test_alerts_file_is_a_list_of_alerts(make_site: SiteFactory) -> None:
    alerts = data_file(built_config(cms_site(make_site)), "alerts")
    (listed,) = alerts["fields"]
    assert (alerts["file"], listed["name"], listed["widget"]) == ("alerts.yaml", "alerts", "list")
    level = next(f for f in listed["fields"] if f["name"] == "level")
    assert level["options"] == ["breaking", "developing", "info"] and level["default"] == "info"
    assert [f["name"] for f in listed["fields"] if f.get("required")] == ["text"]


# --- language editions ---------------------------------------------------------------------------------------------


def test_editions_are_decap_locales_in_the_folders_newsgen_links_translations_by(make_site: SiteFactory) -> None:
    """Decap's multiple_folders writes `content/<code>/<path>` for every locale; newsgen serves `content/en/` at the
    root and links the two files as versions of one story."""
    editions = "cms: decap\nlanguage: en\nlanguages:\n  en: {}\n  es: {path: /es/}\n"
    site = make_site({"newsgen.yaml": CONFIG + editions})
    fields = collection(built_config(site), "articles")["fields"]
    entry = minimal_entry(fields)
    for code, headline in (("en", "Ferry fares frozen"), ("es", "Tarifas congeladas")):
        path = site / "content" / code / "2025/11/ferry-fares.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(decap_file(entry | {"headline": headline}), encoding="utf-8")
    config = built_config(site)
    assert config["i18n"] == {"structure": "multiple_folders", "locales": ["en", "es"], "default_locale": "en"}
    articles = collection(config, "articles")
    assert articles["i18n"] is True
    by_name = {f["name"]: f.get("i18n") for f in articles["fields"]}
    assert (by_name["headline"], by_name["date"], by_name["section"]) == (True, "duplicate", "duplicate")
    english = (site / "build/2025/11/27/ferry-fares/index.html").read_text(encoding="utf-8")
    assert 'hreflang="es" href="https://ledger.example/es/2025/11/27/ferry-fares/"' in english


# --- newsgen.yaml ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("cms: wordpress", "newsgen.yaml:4: error: cms: must be decap or a mapping such as {decap: {...}}"),
        (
            "cms: {decap: [backend]}",
            "newsgen.yaml:4: error: cms.decap: must be a mapping of keys to values, not a list",
        ),
        ("cms: {script: http://cdn.example/decap.js}", "newsgen.yaml:4: error: cms.script: must be an https:// URL"),
        ("cms: {integrity: md5-abc}", "newsgen.yaml:4: error: cms.integrity: must be a hash such as sha384-…"),
        ("cms: {decapp: {}}", "newsgen.yaml:4: error: cms.decapp: unknown key; did you mean 'decap'?"),
    ],
)
def test_a_bad_cms_setting_is_one_line(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str], given: str, message: str
) -> None:
    site = make_site({"newsgen.yaml": CONFIG + given + "\n", "content/2025/11/ferry-fares.md": STORY})
    code, out, err = run_cli(["check", "--source", str(site)], capsys)
    assert code != 0
    assert any(message in line for line in (out + err).splitlines()), out + err
    assert "Traceback" not in out + err


def test_cms_decap_is_merged_over_the_generated_config(make_site: SiteFactory) -> None:
    overrides = (
        "cms:\n  decap:\n    backend: {repo: harbor/ledger}\n    publish_mode: editorial_workflow\n"
        "    media_folder: static/uploads\n"
    )
    config = built_config(cms_site(make_site, extra=overrides))
    assert config["backend"] == {"name": "github", "branch": "main", "repo": "harbor/ledger"}
    assert config["publish_mode"] == "editorial_workflow"
    assert (config["media_folder"], config["public_folder"]) == ("static/uploads", "/images")
    assert collection(config, "articles")["media_folder"] == "", "stories keep their photos beside them"
    assert "articles" in [c["name"] for c in config["collections"]]


def test_stories_kept_as_files_upload_to_the_sites_library(make_site: SiteFactory) -> None:
    """A site that gives its stories a path of files sharing a month's folder: their photos would clash there."""
    overrides = (
        "cms:\n  decap:\n    collections:\n      articles: {path: '{{year}}/{{month}}/{{slug}}', media_folder: null}\n"
    )
    config = built_config(cms_site(make_site, extra=overrides))
    articles = collection(config, "articles")
    assert (articles["path"], articles["media_folder"], articles["public_folder"]) == (
        "{{year}}/{{month}}/{{slug}}",
        "/static/images",
        "/images",
    )


def test_cms_decap_changes_a_collection_or_a_field_by_name(make_site: SiteFactory) -> None:
    """A mapping over a list of named things (collections, fields) merges into the one of that name, or adds one."""
    overrides = (
        "cms:\n  decap:\n    collections:\n      articles:\n        media_folder: ''\n"
        "        fields: {section: {widget: string}, kicker: {label: Kicker, widget: string}}\n"
    )
    config = built_config(cms_site(make_site, extra=overrides))
    articles = collection(config, "articles")
    assert articles["media_folder"] == ""  # photos beside the story, as a site that wants them there asks
    fields = {f["name"]: f for f in articles["fields"]}
    assert fields["section"]["widget"] == "string" and fields["section"]["label"] == "Section"
    assert fields["kicker"] == {"name": "kicker", "label": "Kicker", "widget": "string"}
    assert [c["name"] for c in config["collections"]] == ["articles", "pages", "site"]


# --- publishing ----------------------------------------------------------------------------------------------------


def test_the_admin_page_loads_the_pinned_bundle_with_its_hash_and_stays_out_of_search(make_site: SiteFactory) -> None:
    site = cms_site(make_site)
    build_site(site)
    page = (site / "build/admin/index.html").read_text(encoding="utf-8")
    assert f'<script src="{DECAP_SCRIPT}" integrity="{DECAP_INTEGRITY}" crossorigin="anonymous"></script>' in page
    assert DECAP_SCRIPT == "https://unpkg.com/decap-cms@3.16.3/dist/decap-cms.js"
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert "CMS.registerPreviewStyle(settings.stylesheet)" in page and '"stylesheet": "/theme/newsgen.css"' in page
    assert 'CMS.registerPreviewTemplate("articles"' in page and 'CMS.registerPreviewTemplate("pages"' in page
    assert "/admin/" not in (site / "build/sitemap.xml").read_text(encoding="utf-8")
    assert "data-pagefind-body" not in page


def test_a_self_hosted_bundle_is_loaded_from_the_site(make_site: SiteFactory) -> None:
    site = cms_site(make_site, extra="cms: {script: /admin/decap-cms.js, integrity: false}\n")
    build_site(site)
    page = (site / "build/admin/index.html").read_text(encoding="utf-8")
    assert '<script src="/admin/decap-cms.js" crossorigin="anonymous"></script>' in page


def test_without_cms_there_is_no_admin(make_site: SiteFactory) -> None:
    site = cms_site(make_site, extra="")
    build_site(site)
    assert not (site / "build/admin").exists()


def test_config_yml_is_rewritten_for_a_new_section_and_only_then(make_site: SiteFactory) -> None:
    site = cms_site(make_site)
    cli_build(site, site / "build")
    first = (site / "build/admin/config.yml").read_bytes()
    same_section = article("headline: Fares again\ndate: 2025-11-21\nsection: Transport\n")
    (site / "content/2025/11/fares-again.md").write_text(same_section, encoding="utf-8")
    result = cli_build(site, site / "build")
    assert "admin/config.yml" not in result.changed and "admin/index.html" not in result.changed
    new_section = article("headline: Council\ndate: 2025-11-22\nsection: City Hall\n")
    (site / "content/2025/11/council.md").write_text(new_section, encoding="utf-8")
    result = cli_build(site, site / "build")
    assert "admin/config.yml" in result.changed
    assert b"City Hall" in (site / "build/admin/config.yml").read_bytes() and b"City Hall" not in first


def test_the_admin_files_are_the_same_bytes_on_every_build(make_site: SiteFactory, tmp_path: Path) -> None:
    site = cms_site(make_site)
    build_site(site)
    once = {k: v for k, v in digests(site / "build").items() if k.startswith("admin/")}
    (site / "build").rename(tmp_path / "first")
    build_site(site)
    again = {k: v for k, v in digests(site / "build").items() if k.startswith("admin/")}
    assert once == again and set(once) == {"admin/index.html", "admin/config.yml"}


def test_a_page_at_admin_collides_with_the_cms(make_site: SiteFactory, capsys: pytest.CaptureFixture[str]) -> None:
    site = cms_site(make_site, files={"pages/admin.md": "---\ntitle: Admin\n---\nOurs.\n"})
    code, out, err = run_cli(["check", "--source", str(site)], capsys)
    assert code != 0
    assert "/admin/ is also the URL of the CMS's page" in out + err
