"""The docs' reference can't drift from the code.

docs/hooks/reference.py lists what newsgen reads from its own tables (front-matter keys, `newsgen.yaml` keys, CLI
options, exit statuses, templates, template variables, filters and functions); docs/reference/descriptions.yaml says
what each means. A key the code reads without a description fails here, and so does a description of a key the
code no longer reads. The pages themselves are made by the hook at `mkdocs build` time; nothing generated is kept.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import SiteFactory, article, run_cli
from newsgen.config import SiteConfig, load_config
from newsgen.read import keys

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs" / "hooks"))  # the hook is a module of the docs, not of the package

import reference  # noqa: E402


def test_every_key_option_variable_and_filter_the_code_reads_is_described() -> None:
    missing = reference.undocumented(reference.code_tables(), reference.load_descriptions())
    assert not missing, "describe these in docs/reference/descriptions.yaml:\n" + "\n".join(missing)


def test_no_description_of_what_the_code_no_longer_reads() -> None:
    gone = reference.dead(reference.code_tables(), reference.load_descriptions())
    assert not gone, "remove these from docs/reference/descriptions.yaml (or rename them):\n" + "\n".join(gone)


def test_a_key_added_to_the_code_without_a_description_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    described = reference.load_descriptions()
    before = set(reference.undocumented(reference.code_tables(), described))
    monkeypatch.setattr(keys, "KNOWN_KEYS", (*keys.KNOWN_KEYS, "kicker"))
    monkeypatch.setattr(keys, "NESTED_KEYS", {**keys.NESTED_KEYS, "image": (*keys.NESTED_KEYS["image"], "license")})
    missing = set(reference.undocumented(reference.code_tables(), described)) - before
    assert missing == {"front_matter: image.license", "front_matter: kicker"}


def test_a_description_of_a_key_the_code_dropped_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    described = reference.load_descriptions()
    before = set(reference.dead(reference.code_tables(), described))
    monkeypatch.setattr(keys, "KNOWN_KEYS", tuple(key for key in keys.KNOWN_KEYS if key != "gate"))
    gone = set(reference.dead(reference.code_tables(), described)) - before
    assert gone == {"front_matter: gate"}


def test_the_tables_cover_every_kind_of_thing_the_reference_documents() -> None:
    """The hook reads real tables, not empty ones: a few entries of each, nested keys and options included."""
    tables = reference.code_tables()
    expected = {
        "front_matter": {"headline", "image.alt", "comments[].replies", "captions.<src>.credit", "claim.rating"},
        "aliases": {"title", "publishDate", "categories", "cover"},
        "pages": {"title", "menu_order"},
        "authors": {"name", "photo", "links"},
        "config": {"base_url", "images.quality", "permalinks.article", "labels.<key>.name", "languages.<code>.path"},
        "commands": {"build", "check", "new", "init", "deploy", "serve"},
        "exit_statuses": {"EXIT_OK", "EXIT_CONTENT", "EXIT_USAGE", "EXIT_HELD"},
        "templates": {"base.html", "article.html", "list.html"},
        "variables": {"site", "article", "page", "versions"},
        "filters": {"absolute", "iso", "long_date", "count"},
        "globals": {"_", "ngettext", "recap"},
    }
    for section, names in expected.items():
        assert names <= set(tables[section]), section
    options = {option.key for option in reference.cli_options()}
    assert {"build --jobs", "check --format", "deploy --purge", "new headline", "--version"} <= options


def test_descriptions_are_well_formed() -> None:
    allowed = {"text", "type", "required", "default", "usage", "model"}
    for section, entries in reference.load_descriptions().items():
        for key, entry in entries.items():
            assert set(entry) <= allowed, f"{section}: {key}: unknown fields {set(entry) - allowed}"
            assert isinstance(entry.get("text"), str), f"{section}: {key}: text must be a string"
            assert isinstance(entry.get("required", False), bool), f"{section}: {key}: required is true or false"
            for field in ("type", "default", "usage", "model"):
                assert isinstance(entry.get(field, ""), str), f"{section}: {key}: {field} must be a string (quote it)"
            if "model" in entry:
                assert reference.model_class(entry["model"]) is not None, f"{section}: {key}: no class {entry['model']}"


def test_every_page_names_every_key() -> None:
    described = reference.load_descriptions()
    pages = {uri: make(described) for uri, make in reference.PAGES.items()}
    tables = reference.code_tables()
    for section, uri in (
        ("front_matter", "reference/front-matter.md"),
        ("aliases", "reference/front-matter.md"),
        ("pages", "reference/front-matter.md"),
        ("config", "reference/configuration.md"),
        ("commands", "reference/cli.md"),
        ("templates", "reference/templates.md"),
        ("variables", "reference/templates.md"),
        ("filters", "reference/templates.md"),
    ):
        for key in tables[section]:
            assert f"`{key}`" in pages[uri] or f"`newsgen {key}`" in pages[uri], f"{uri} lacks {key}"
    for option in reference.cli_options():
        assert f"`{option.names[-1]}`" in pages["reference/cli.md"], option.key


def test_the_hook_adds_the_pages_to_a_mkdocs_build(tmp_path: Path) -> None:
    """The hook in an MkDocs build (the plain theme, about a second): its pages are made, its own files left out."""
    pytest.importorskip("mkdocs")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Test\n\n[Front matter](reference/front-matter.md)\n", encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        textwrap.dedent(f"""\
            site_name: test
            docs_dir: docs
            strict: true
            theme: mkdocs
            hooks: [{ROOT / "docs" / "hooks" / "reference.py"}]
            """),
        encoding="utf-8",
    )
    site = tmp_path / "site"
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config), "-d", str(site)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    for page in ("front-matter", "configuration", "cli", "templates"):
        assert (site / "reference" / page / "index.html").is_file(), page
    assert "headline" in (site / "reference" / "front-matter" / "index.html").read_text(encoding="utf-8")


def test_the_keys_marked_required_are_the_ones_newsgen_requires(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    """`required: true` in descriptions.yaml is what `newsgen check` reports as missing when nothing is given."""
    site = make_site(
        {
            "content/one.md": article(
                """
                image: {}
                sources: [{}]
                related: [{}]
                comments: [{}]
                corrections: [{}]
                label: fact-check
                claim: {}
                """
            ),
            "content/two.md": article("headline: Two\ndate: 2026-01-01\nlabel: sponsored\nsponsor: {}"),
            "pages/about.md": article("description: About us"),
        }
    )
    _, out, _ = run_cli(["check", "--source", str(site), "--format", "json"], capsys)
    reported: dict[str, set[str]] = {"front_matter": set(), "pages": set()}
    for problem in json.loads(out):
        if problem["code"] in ("required", "image-alt"):
            section = "pages" if "pages/" in problem["path"] else "front_matter"
            reported[section].add(re.sub(r"\[\d+\]", "[]", problem["field"]))
    described = reference.load_descriptions()
    for section, found in reported.items():
        marked = {key for key, entry in described[section].items() if entry.get("required")}
        assert found == marked, section


def test_the_config_keys_marked_required_are_the_ones_newsgen_requires(tmp_path: Path) -> None:
    (tmp_path / "newsgen.yaml").write_text("labels: {obituary: {}}\n", encoding="utf-8")
    _, problems = load_config(tmp_path)
    found = {re.sub(r"^labels\.[^.]+\.", "labels.<key>.", p.field) for p in problems if p.code == "required"}
    described = reference.load_descriptions()["config"]
    assert found == {key for key, entry in described.items() if entry.get("required")}


def test_the_defaults_shown_are_the_ones_the_reader_applies(tmp_path: Path) -> None:
    """The configuration page shows `SiteConfig()`'s defaults: a newsgen.yaml that sets nothing reads as them."""
    (tmp_path / "newsgen.yaml").write_text("warn: []\n", encoding="utf-8")
    config, problems = load_config(tmp_path)
    assert not problems
    assert config == SiteConfig()
