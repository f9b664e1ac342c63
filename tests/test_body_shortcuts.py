"""The body pipeline's shortcuts (for cold-build speed) give exactly what the plain way gives."""

import random
import re

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
    shortcut = _markdown()
    monkeypatch.setattr(pymarkdown, "_INLINE_INTERNALS", ("_no_such_method",))
    monkeypatch.setattr(pymarkdown, "_BLOCK_NEEDLES", {})
    plain = _markdown()
    assert type(plain.treeprocessors["inline"]) is not type(shortcut.treeprocessors["inline"])
    for body in _bodies():
        assert shortcut.reset().convert(body) == plain.reset().convert(body), body


def test_needles_cover_the_installed_python_markdown() -> None:
    """Each pattern and block test the shortcut knows is in use: a release that changes one loses only speed, here."""
    md = _markdown()
    assert isinstance(md.treeprocessors["inline"], pymarkdown._NeedleInlineProcessor)
    assert [pattern.pattern for pattern in md.inlinePatterns if pymarkdown._pattern_needles(pattern) is None] == []
    assert [name for name in pymarkdown._BLOCK_NEEDLES if "test" not in vars(md.parser.blockprocessors[name])] == []


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
