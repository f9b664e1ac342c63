from pathlib import Path

import pytest
import yaml

from newsgen.read import yamlsource
from newsgen.read.yamlsource import parse_yaml

PATH = Path("x.md")


def test_lines_of_nested_keys_and_items_are_file_lines() -> None:
    text = "headline: A\nsources:\n  - La Jornada\n  - {name: B, url: 'https://b.example'}\n"
    data, lines, problems = parse_yaml(text, PATH, 2, "front matter")
    assert problems == []
    assert data["sources"][1]["name"] == "B"
    assert lines.line("headline") == 2
    assert lines.line("sources", 1) == 5
    assert lines.line("sources", 1, "url") == 5
    assert lines.line("missing") == 2


def test_dates_stay_text_so_newsgen_parses_them() -> None:
    data, _, _ = parse_yaml("date: 2025-01-16\nbad: 2025-13-45\n", PATH, 2, "front matter")
    assert data == {"date": "2025-01-16", "bad": "2025-13-45"}


def test_python_tags_are_refused_with_their_line() -> None:
    data, _, problems = parse_yaml("a: 1\nb: !!python/object/apply:os.system ['true']\n", PATH, 2, "front matter")
    assert data is None
    assert problems[0].line == 3
    assert "unsafe YAML tag" in problems[0].message


def test_duplicate_keys_are_warnings_and_the_last_is_taken() -> None:
    data, lines, problems = parse_yaml("tags: [a]\nimage:\n  src: x\n  src: y\ntags: [b]\n", PATH, 2, "front matter")
    assert data == {"tags": ["b"], "image": {"src": "y"}}
    assert sorted((p.line, p.field, p.severity, p.code) for p in problems) == [
        (5, "image.src", "warning", "duplicate-key"),
        (6, "tags", "warning", "duplicate-key"),
    ]
    assert lines.line("tags") == 6


def test_alias_bomb_is_walked_once() -> None:
    text = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8)
    )
    data, _, problems = parse_yaml(text, PATH, 2, "front matter")
    assert data is None  # it stands for 9^9 values: over the limit, found without expanding it
    assert [(p.line, p.code) for p in problems] == [(2, "limit")]


def test_pure_python_pyyaml_gives_what_libyaml_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    """PyYAML built without libyaml (no CSafeLoader) reads the same data, lines and problems (the parser words a syntax error its own way)."""
    texts = [
        "headline: One\ndate: 2026-11-27 08:00\ntags: [a, 47, b]\nimage:\n  src: x.jpg\n  alt: An alt\n",
        "a: &x [1, 2]\nb: *x\nc:\n  - {d: e}\n  - f\n",
        "headline: x\nheadline: y\n",
        "bad: !!python/object:os.system ls\n",
        "a: [unclosed\n",
        "'quoted: key': |\n  block\n  text\nempty:\n",
    ]
    libyaml = [parse_yaml(text, Path("a.md"), 2, "front matter") for text in texts]
    pure = type(
        "PureNewsLoader",
        (yaml.SafeLoader,),
        {"yaml_implicit_resolvers": yamlsource._NewsLoader.yaml_implicit_resolvers},
    )
    monkeypatch.setattr(yamlsource, "_NewsLoader", pure)
    for text, (data, lines, problems) in zip(texts, libyaml, strict=True):
        pure_data, pure_lines, pure_problems = parse_yaml(text, Path("a.md"), 2, "front matter")
        where = [(p.path, p.line, p.field) for p in problems]
        assert (pure_data, pure_lines, [(p.path, p.line, p.field) for p in pure_problems]) == (data, lines, where)
