from pathlib import Path

from newsgen.config import load_config


def write_config(tmp_path: Path, text: str) -> Path:
    (tmp_path / "newsgen.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_missing_config_means_defaults(tmp_path: Path) -> None:
    config, problems = load_config(tmp_path)
    assert problems == []
    assert config.per_page == 10 and config.permalinks["article"] == "/{yyyy}/{mm}/{dd}/{slug}/"


def test_valid_config(tmp_path: Path) -> None:
    site = write_config(
        tmp_path,
        "title: The Ledger\nbase_url: https://news.example.org\nlanguage: es-MX\n"
        "timezone: America/Mexico_City\nper_page: 3\npermalinks: {article: '/news/{slug}/'}\n",
    )
    config, problems = load_config(site)
    assert problems == []
    assert config.base_url == "https://news.example.org/"
    assert config.timezone.key == "America/Mexico_City"
    assert config.permalinks["article"] == "/news/{slug}/" and config.permalinks["tag"] == "/tags/{slug}/"


def test_every_config_problem_is_reported_with_key_and_line(tmp_path: Path) -> None:
    site = write_config(
        tmp_path,
        "titel: X\nper_page: ten\ntimezone: Mars/Base\nbase_url: ftp://x\npermalinks:\n  article: '/{year}/{slug}/'\n",
    )
    _, problems = load_config(site)
    found = {(p.line, p.field): p.message for p in problems}
    assert "did you mean 'title'" in found[(1, "titel")]
    assert "whole number" in found[(2, "per_page")]
    assert "unknown IANA timezone" in found[(3, "timezone")]
    assert "absolute http(s) URL" in found[(4, "base_url")]
    assert "unknown placeholder {year}" in found[(6, "permalinks.article")]


def test_permalink_cannot_climb_out(tmp_path: Path) -> None:
    _, problems = load_config(write_config(tmp_path, "permalinks: {tag: '/../{slug}/'}\n"))
    assert [p.field for p in problems] == ["permalinks.tag"]
