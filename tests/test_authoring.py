"""`newsgen check`, `new` and `init`, and front matter written for Jekyll or Hugo."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sysconfig
import venv
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import SiteFactory, article, build_site, png, run_cli
from newsgen.cli import EXAMPLES, main, make_parser
from test_sample_site import REPO, wheel  # noqa: F401 - the module-scoped wheel fixture

GOOD = article("headline: Good\ndek: Fine.\ndate: 2025-01-01\nimage: {src: /images/ok.png, alt: A pier, credit: Ana}")


@pytest.fixture
def qa_site(make_site: SiteFactory) -> Path:
    long_headline = "A" * 111
    return make_site(
        {
            "newsgen.yaml": "base_url: https://news.example.org/\n",
            "static/images/ok.png": png(20, 10),
            "content/good.md": GOOD,
            "content/missing-photo.md": article(
                "headline: Missing photo\ndek: X.\ndate: 2025-01-02\nimage: {src: /images/nope.jpg, alt: Gone, credit: Ana}",
                "![](/images/ok.png)\n",
            ),
            "content/warnings.md": article(
                f"headline: {long_headline}\ndate: 2025-01-03\nimage: {{src: /images/ok.png, alt: A pier}}\n"
                "captions: {/images/unused.jpg: Never used}\nrelated: [{title: Gone, url: /2020/01/01/nothing/}]\nheadlnie: typo",
                "See [the good story](/2025/01/01/good/) and [a missing one](/no/such/page/).\n",
            ),
        }
    )


def test_check_reports_errors_and_warnings_with_codes(qa_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["check", "--source", str(qa_site), "--format", "json"], capsys)
    assert code == 1
    found = {(Path(p["path"]).name, p["line"], p["severity"], p["code"], p["field"]) for p in json.loads(out)}
    assert found == {
        ("missing-photo.md", 5, "error", "image-missing", "image.src"),
        ("missing-photo.md", 7, "error", "image-alt", "body"),
        ("warnings.md", 2, "warning", "long-headline", "headline"),
        ("warnings.md", 2, "warning", "missing-dek", "dek"),
        ("warnings.md", 4, "warning", "missing-credit", "image"),
        ("warnings.md", 5, "warning", "unused-caption", "captions./images/unused.jpg"),
        ("warnings.md", 6, "warning", "broken-link", "related[0].url"),
        ("warnings.md", 9, "warning", "broken-link", "body"),
        ("warnings.md", 7, "warning", "unknown-key", "headlnie"),
    }
    assert not (qa_site / "build").exists(), "check writes nothing"


def test_check_text_and_github_formats(qa_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run_cli(["check", "--source", str(qa_site)], capsys)
    lines = out.splitlines()
    assert any(
        line.endswith(
            "missing-photo.md:5: error: image.src: no file static/images/nope.jpg "
            "(an image on another host needs its full https:// URL)"
        )
        for line in lines
    )
    assert any(
        line.endswith("warnings.md:7: warning: headlnie: unknown key; did you mean 'headline'?") for line in lines
    )
    assert lines[-1] == "2 errors, 7 warnings"
    _, out, _ = run_cli(["check", "--source", str(qa_site), "--format", "github"], capsys)
    assert any(
        line.startswith("::error file=") and ",line=5,title=image.src::no file static/images/nope.jpg" in line
        for line in out.splitlines()
    )
    assert any(
        line.startswith("::warning file=") and "title=captions./images/unused.jpg::" in line
        for line in out.splitlines()
    )


def test_check_exit_codes_and_strict(make_site: SiteFactory, capsys: pytest.CaptureFixture[str]) -> None:
    clean = make_site({"content/good.md": GOOD, "static/images/ok.png": png(20, 10)})
    assert run_cli(["check", "--source", str(clean)], capsys)[0] == 0
    (clean / "content/nodek.md").write_text(article("headline: No dek\ndate: 2025-01-01"))
    assert run_cli(["check", "--source", str(clean)], capsys)[0] == 0
    assert run_cli(["check", "--source", str(clean), "--strict"], capsys)[0] == 1


def test_build_shows_the_same_warnings_without_failing(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site({"content/nodek.md": article("headline: No dek\ndate: 2025-01-01", "[x](/nowhere/)\n")})
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 0
    assert "nodek.md:2: warning: dek: no dek" in err and "nodek.md:5: warning: body: links to /nowhere/" in err


def test_check_names_a_template_error(make_site: SiteFactory, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({"content/good.md": GOOD, "static/images/ok.png": png(20, 10), "templates/tags.html": "{% if %}"})
    code, out, _ = run_cli(["check", "--source", str(site)], capsys)
    assert code == 1 and "tags.html:1: error: template:" in out


def test_new_writes_front_matter_and_refuses_to_overwrite(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site({"newsgen.yaml": "timezone: America/Mexico_City\n"})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1737043200")  # 2025-01-16T16:00:00Z
    args = [
        "new",
        "Ferry fares: frozen!",
        "--source",
        str(site),
        "--section",
        "Transport",
        "--tags",
        "Ferries, Fares",
        "--series",
        "Daily",
    ]
    code, out, _ = run_cli(args, capsys)
    path = Path(out.strip())
    assert code == 0 and path == site / "content/2025/01/ferry-fares-frozen.md"
    text = path.read_text(encoding="utf-8")
    assert "headline: 'Ferry fares: frozen!'" in text and "date: '2025-01-16T10:00:00-06:00'" in text
    assert "section: Transport" in text and "tags: [Ferries, Fares]" in text and "series: Daily" in text
    code, _, err = run_cli(args, capsys)
    assert code == 1 and "already exists" in err
    assert path.read_text(encoding="utf-8") == text
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert (
        run_cli(["new", "Dated", "--source", str(site), "--date", "2024-12-01"], capsys)[1]
        .strip()
        .endswith("content/2024/12/dated.md")
    )
    result = build_site(site)
    assert result.articles == 2


def test_new_starts_a_story_in_a_language_edition_in_its_timezone(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = "timezone: UTC\nlanguages:\n  en: {}\n  es: {title: La Gaceta, timezone: America/Mexico_City}\n"
    site = make_site({"newsgen.yaml": config})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1737000000")  # 2025-01-16T04:00:00Z, still the 15th in Mexico City
    code, out, _ = run_cli(["new", "Llegó el transbordador", "--source", str(site), "--edition", "es"], capsys)
    path = Path(out.strip())
    assert code == 0 and path == site / "content/es/2025/01/llego-el-transbordador.md"
    assert "date: '2025-01-15T22:00:00-06:00'" in path.read_text(encoding="utf-8")
    build_site(site)
    assert (site / "build/es/2025/01/15/llego-el-transbordador/index.html").is_file()
    code, _, err = run_cli(["new", "Le ferry", "--source", str(site), "--edition", "fr"], capsys)
    assert code == 1 and "--edition 'fr' is not an edition of this site (editions: en, es)" in err


def test_new_keeps_a_long_headline_whole_and_cuts_its_slug_after_a_word(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site({})
    headline = " ".join(["Harbor"] * 45)  # 314 characters: a file name of that many bytes is too long for the disk
    for slugs, date in (("transliterate", "2025-04-01"), ("unicode", "2025-07-01")):
        (site / "newsgen.yaml").write_text(f"slugs: {slugs}\n")
        code, out, err = run_cli(["new", headline, "--source", str(site), "--date", date], capsys)
        path = Path(out.strip())
        assert code == 0 and not err and path.name == "-".join(["harbor"] * 11) + ".md"  # 76 characters, whole words
        assert yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])["headline"] == headline
    assert build_site(site).articles == 2


def test_new_refuses_a_month_folder_linked_out_of_the_site(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    site = make_site({"content/2025/12/old.md": GOOD})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (site / "content/2025/01").symlink_to(elsewhere, target_is_directory=True)
    code, out, err = run_cli(["new", "Pier reopens", "--source", str(site), "--date", "2025-01-16"], capsys)
    assert code == 1 and not out and err.count("\n") == 1
    assert f"{site / 'content/2025/01'}: a symlink to {elsewhere}, outside the site" in err
    assert list(elsewhere.iterdir()) == []


def test_init_writes_the_site_workflows_and_the_build_leaves_them_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A new site publishes to GitHub Pages on its first push and previews its pull requests: the workflows are
    there, and never in the site."""
    assert run_cli(["init", str(tmp_path / "site")], capsys)[0] == 0
    for workflow in (".github/workflows/publish.yml", ".github/workflows/preview.yml"):
        assert (tmp_path / "site" / workflow).read_bytes() == (REPO / workflow).read_bytes()
    assert run_cli(["build", "--source", str(tmp_path / "site")], capsys)[0] == 0
    assert not list((tmp_path / "site/build").rglob("*.yml"))


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken/notes.txt").write_text("mine")
    code, _, err = run_cli(["init", str(tmp_path / "taken")], capsys)
    assert code == 1 and "not empty" in err and (tmp_path / "taken/notes.txt").read_text() == "mine"


def test_init_writes_a_commented_block_style_config_and_new_leaves_out_empty_keys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli(["init", str(tmp_path / "harbor-news")], capsys)[0] == 0
    site = tmp_path / "harbor-news"
    written = (site / "newsgen.yaml").read_text(encoding="utf-8")
    assert written.count("\n# ") >= 5 and "{" not in written, "one key per line, each explained"
    assert yaml.safe_load(written) == {
        "title": "Harbor News",
        "description": "",
        "base_url": "https://example.com/",
        "language": "en",
        "timezone": "UTC",
        "per_page": 10,
        "search": True,
    }
    code, out, _ = run_cli(["new", "Pier reopens", "--source", str(site)], capsys)
    front_matter = yaml.safe_load(Path(out.strip()).read_text(encoding="utf-8").split("---")[1])
    assert code == 0 and set(front_matter) == {"headline", "date", "draft"}, "no empty dek, authors or tags"


def test_check_and_deploy_warn_while_base_url_is_the_example_domain(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_cli(["init", str(tmp_path / "site")], capsys)
    site = tmp_path / "site"
    code, out, _ = run_cli(["check", "--source", str(site)], capsys)
    warning = next(line for line in out.splitlines() if "example-base-url" in line or "base_url:" in line)
    assert code == 0 and "newsgen.yaml:9: warning: base_url: is still the example address" in warning
    assert run_cli(["check", "--strict", "--source", str(site)], capsys)[0] == 1
    assert run_cli(["build", "--source", str(site)], capsys)[0] == 0
    _, _, err = run_cli(["deploy", str(tmp_path / "out"), "--source", str(site), "--dry-run"], capsys)
    assert "base_url: is still the example address" in err
    config = site / "newsgen.yaml"
    config.write_text(config.read_text().replace("https://example.com/", "https://harbor.example.org/"))
    code, out, _ = run_cli(["check", "--strict", "--source", str(site)], capsys)
    assert code == 0 and "base_url" not in out


@pytest.mark.parametrize("host", ["example.org", "www.example.net"])
def test_build_warns_while_base_url_is_any_example_domain(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], host: str
) -> None:
    run_cli(["init", str(tmp_path / "site")], capsys)
    config = tmp_path / "site" / "newsgen.yaml"
    config.write_text(config.read_text().replace("https://example.com/", f"https://{host}/"))
    code, out, err = run_cli(["build", "--source", str(tmp_path / "site")], capsys)
    assert code == 0 and f"newsgen.yaml:9: warning: base_url: is still the example address https://{host}/" in err
    config.write_text(config.read_text().replace(f"https://{host}/", "https://news.example.org/"))
    code, out, err = run_cli(["build", "--source", str(tmp_path / "site")], capsys)
    assert code == 0 and "base_url" not in err, "a site's own subdomain of a test domain is its choice"


@pytest.mark.parametrize("command", sorted(EXAMPLES))
def test_each_help_ends_with_an_example_that_parses(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"] if command == "newsgen" else [command, "--help"])
    assert capsys.readouterr().out.rstrip().endswith(f"example:\n  {EXAMPLES[command]}")
    for part in EXAMPLES[command].split("&&"):
        words = shlex.split(part)
        if words[0] == "newsgen":
            make_parser().parse_args(words[1:])  # exits (status 2) on an option or argument that isn't there


def test_build_without_a_content_folder_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(["build", "--source", str(tmp_path)], capsys)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith(f"newsgen: error: {tmp_path / 'content'}: no such folder")
    assert not (tmp_path / "build").exists()


@pytest.mark.slow
def test_init_new_build_from_a_wheel_in_a_fresh_virtual_environment(wheel: Path, tmp_path: Path) -> None:  # noqa: F811
    fresh = tmp_path / "venv"
    venv.create(fresh, with_pip=True)
    python = fresh / "bin" / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # Dependencies come from this test environment (no network in tests); newsgen itself only from the wheel.
    Path(purelib, "test-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([python, "-m", "pip", "install", "--no-deps", "--no-index", "-q", str(wheel)], check=True)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    newsgen = fresh / "bin" / "newsgen"

    def run(*args: str, cwd: Path) -> str:
        done = subprocess.run([str(newsgen), *args], cwd=cwd, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout

    run("init", "mysite", cwd=tmp_path)
    site = tmp_path / "mysite"
    for workflow in (".github/workflows/publish.yml", ".github/workflows/preview.yml"):
        assert (site / workflow).read_bytes() == (REPO / workflow).read_bytes(), "the workflows come in the wheel"
    assert run("new", "My first story", cwd=site).strip().startswith("content/")
    assert "from 2 articles" in run("build", cwd=site)
    home = BeautifulSoup((site / "build/index.html").read_text(encoding="utf-8"), "html.parser")
    assert [a.get_text() for a in home.select(".recap-headline a")] == ["My first story", "Welcome to your newsroom"]
    assert (site / "build/theme/newsgen.css").is_file()
    where = subprocess.run(
        [python, "-c", "import newsgen; print(newsgen.__file__)"], env=env, capture_output=True, text=True
    )
    assert where.stdout.startswith(str(fresh)), "newsgen came from the wheel, not the checkout"


def test_jekyll_post_builds_unchanged(make_site: SiteFactory) -> None:
    site = make_site(
        {
            "static/images/cover.jpg": png(60, 30),
            "content/_posts/2025-01-16-ferry-fares.md": article(
                "layout: post\ntitle: Ferry fares frozen\nexcerpt: Prices hold.\nauthor: Ana Ruiz\n"
                "categories: [Transport, Ferries]\ntags: [Fares]\nimage: /images/cover.jpg\ncomments: true\n"
                "last_modified_at: 2025-01-17 09:00:00 -0600"
            ),
            "content/_drafts/unfinished.md": article("title: Unfinished\ndate: 2025-01-10"),
        }
    )
    result = build_site(site)
    assert result.articles == 1
    page = BeautifulSoup((site / "build/2025/01/16/ferry-fares/index.html").read_text(encoding="utf-8"), "html.parser")
    assert (
        page.h1.get_text() == "Ferry fares frozen"
        and page.select_one(".story-header .dek").get_text() == "Prices hold."
    )
    assert page.select_one(".kicker a")["href"] == "/transport/"
    assert [a["href"] for a in page.select(".tags a")] == ["/tags/fares/", "/tags/ferries/"]
    assert page.find("meta", property="og:image")["content"] == "https://example.com/images/cover.jpg"
    assert page.select_one(".updated time")["datetime"] == "2025-01-17T09:00:00-06:00"
    warned = {(w.field, w.code) for w in result.warnings}
    assert {("layout", "migrated-key"), ("image", "migrated-key"), ("comments", "migrated-key")} <= warned


def test_hugo_post_builds_unchanged(make_site: SiteFactory) -> None:
    site = make_site(
        {
            "content/posts/bridge-closes.md": article(
                'title: "Bridge closes"\ndate: 2025-01-16T08:00:00-06:00\ndescription: Detours begin.\n'
                "draft: false\ncategories: [Transport]\ntags: [Harbor Bridge]\nlastmod: 2025-01-18T10:00:00-06:00\n"
                "slug: bridge-closes-monday\nweight: 10\naliases: [/old/bridge/]\nexpiryDate: 2030-01-01"
            ),
        }
    )
    result = build_site(site)
    page = BeautifulSoup(
        (site / "build/2025/01/16/bridge-closes-monday/index.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert page.h1.get_text() == "Bridge closes" and page.select_one(".kicker a").get_text() == "Transport"
    assert result.next_change is not None and result.next_change.reason == "article expires"
    assert {w.field for w in result.warnings if w.code == "migrated-key"} == {"weight"}
    assert any(time["datetime"].startswith("2025-01-18") for time in page.select("time[datetime]")), (
        "lastmod is the update date"
    )


def test_toml_front_matter_problems_name_their_line(make_site: SiteFactory, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({"content/toml.md": '+++\ntitle = "Hugo"\ndate = 2025-01-01\ndraft = "no"\n+++\nBody\n'})
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 1 and "toml.md:4: draft: must be true or false, not text" in err
