"""The body pipeline's shortcuts (for cold-build speed) give exactly what the plain way gives."""

import random
import re
from pathlib import Path

import markdown
import nh3
import pytest

from newsgen.body import pymarkdown, sanitise, typography

SAMPLES = [
    "A [link](/x/ 'title') and ![an image](/i.jpg) and [a ref][r] and [r] and ![ref image][r].\n\n[r]: /r/ \"T\"\n",
    "Footnote[^1] and *[HTML] abbreviations in HTML.\n\n[^1]: The note.\n    More of it.\n\n*[HTML]: Hyper Text\n",
    "Term\n: Definition: with a colon\n\n| a | b |\n|:--|--:|\n| `x|y` | **b** |\n",
    "Code `` a`b `` and \\`escaped\\` and \\\\`real` and \\*not em\\* and *em* _em_ **strong** __strong__ ***both***",
    "<http://example.org/a> and <team@example.org> and <b>html</b> <!-- comment --> &amp; &#35; &#x23; & alone",
    "Line one  \nline two\\\nthree\n\nSetext\n======\n\nOther\n-----\n\n# ATX #\n\n---\n\n* * *\n\n___\n",
    "> quoted\n> > nested with [link](/q/)\n\n1. one\n2. two\n    - inner *em*\n    - inner `code`\n\n- a\n- b\n",
    "```python\nx = '<b>' -- \"no\"\n```\n\n    indented <code>\n\n~~~\nfenced ~~~\n~~~\n",
    '<div markdown="1">\n*inside* [html](/h/)\n</div>\n\n## Heading {#id .cls}\n\nParagraph {: .x }\n',
    "snake_case_name and 2*3*4 and a_b_ and ![](/no-alt.jpg) and [unclosed and (paren",
    "Text with <span>inline <em>tags</em></span> and <?php echo 1; ?> and <![CDATA[ x ]]> and </closing>",
]
_PIECES = [
    *"*_`[]()!<>&\\#:=-|~'\"{}",
    "**",
    "__",
    "``",
    "![",
    "[^1]",
    "](/x)",
    "  \n",
    "\n",
    "\n\n",
    "## ",
    "- ",
    "1. ",
    "> ",
    ": ",
    "    ",
    "---",
    "\n===\n",
    "[^1]: note\n",
    "*[HTML]: Hyper\n",
    "[a]: /x\n",
    "<b>",
    "</b>",
    "<!-- c -->",
    "<a href='/x'>",
    "</a>",
    "<http://x.y>",
    "<me@x.y>",
    "&amp;",
    "&#35;",
    "word",
    " ",
    "x",
    "```\n",
    "|a|b|\n|-|-|\n",
    '<div markdown="1">',
    "</div>",
    "{: .c}",
    "...",
]


def _bodies() -> list[str]:
    rng = random.Random(13)
    mixed = ["".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 40))) for _ in range(3000)]
    return [*SAMPLES, *mixed]


def _markdown() -> markdown.Markdown:
    return pymarkdown.make_markdown(lambda root: None, lambda html: html)


def test_needles_change_no_output(monkeypatch: pytest.MonkeyPatch) -> None:
    """On the installed Python-Markdown, whatever parts of the shortcut hold: the bytes of its own code."""
    shortcut = _markdown()
    monkeypatch.setattr(pymarkdown, "_VERIFIED_CODE", frozenset())
    plain = _markdown()
    assert {"the inline loop", *(f"block test {name!r}" for name in pymarkdown._BLOCK_NEEDLES)} <= set(
        pymarkdown.fallbacks(plain)
    )
    for body in _bodies():
        assert shortcut.reset().convert(body) == plain.reset().convert(body), body


def test_a_part_whose_code_changed_runs_python_markdowns_own(monkeypatch: pytest.MonkeyPatch) -> None:
    """A release that changes the block-quote processor: that test falls back, the rest keep the shortcut."""
    quote = type(_markdown().parser.blockprocessors["quote"])
    if pymarkdown._code_digest(quote.test, quote.run) not in pymarkdown._VERIFIED_CODE:
        pytest.skip("the installed Python-Markdown's block quote is not one the shortcut was verified against")
    before = pymarkdown.fallbacks(_markdown())
    monkeypatch.setattr(quote, "test", lambda self, parent, block: bool(self.RE.search(block)))
    after = pymarkdown.fallbacks(_markdown())
    assert "block test 'quote'" not in before
    assert set(after) == {*before, "block test 'quote'"}


def _pinned_version(package: str) -> str | None:
    """The version constraints.txt pins `package` to: what CI and the README's test command install."""
    for line in (Path(__file__).parents[1] / "constraints.txt").read_text().splitlines():
        name, _, version = line.partition("==")
        if name.strip().lower().replace("_", "-") == package:
            return version.strip()
    return None


@pytest.mark.skipif(
    markdown.__version__ != _pinned_version("markdown"),
    reason="not the pinned Python-Markdown: the shortcut may fall back (`.ci/newest-releases` names what)",
)
def test_the_shortcut_covers_the_pinned_python_markdown() -> None:
    """Under the pinned versions every pattern and block test the shortcut knows is in use (a new one is speed lost)."""
    assert pymarkdown.fallbacks(_markdown()) == []


def _every_rule(text: str, previous: str) -> str:
    """typography's rules, each applied whether or not the text holds its characters."""
    text = re.sub(r"(?<!-)---(?!-)", "\u2014", text)
    text = re.sub(r"(?<!-)--(?!-)", "\u2013", text)
    text = re.sub(r"\.\.\.", "\u2026", text)
    opens = previous in typography._OPENS_QUOTE
    if text[0] == '"':
        text = ("\u201c" if opens else "\u201d") + text[1:]
    elif text[0] == "'":
        text = ("\u2018" if opens and len(text) > 1 and not text[1].isspace() else "\u2019") + text[1:]
    text = typography._DOUBLE_OPEN.sub("\u201c", text).replace('"', "\u201d")
    return typography._SINGLE_OPEN.sub("\u2018", text).replace("'", "\u2019")


def test_typography_skips_only_rules_that_cannot_apply() -> None:
    rng = random.Random(5)
    characters = "-.\"' (a\u2014\n/[{\u2013\t"
    for _ in range(20000):
        text = "".join(rng.choice(characters) for _ in range(rng.randint(1, 12)))
        previous = rng.choice(characters)
        assert typography._smarten_text(text, previous) == _every_rule(text, previous), (text, previous)


def test_sanitise_is_the_same_without_a_reusable_nh3_cleaner(monkeypatch: pytest.MonkeyPatch) -> None:
    bodies = [
        '<h2 id="notes">N</h2><p><a href="#notes">to</a> <a href="#top">top</a><script>x()</script></p>'
        '<iframe src="https://v.example/1" allow="autoplay; camera; fullscreen"></iframe>'
        '<table><tr><th id="h">x</th><td headers="h">1</td></tr></table>',
        '<p><a href="#notes">the ids of the last body are not this one\'s</a></p>',
    ]
    with_cleaner = [sanitise.sanitise(body) for body in bodies]
    assert 'href="#notes"' in with_cleaner[1]
    sanitise._cleaner.cache_clear()
    monkeypatch.delattr(nh3, "Cleaner")
    try:
        assert [sanitise.sanitise(body) for body in bodies] == with_cleaner
    finally:
        sanitise._cleaner.cache_clear()
