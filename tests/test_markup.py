import pytest
from bs4 import BeautifulSoup

from newsgen.body.markup import ENGINES, BodyRenderer, ResolvedImage
from newsgen.models import Caption

engines = pytest.mark.parametrize("engine", ENGINES)


def render(text: str, captions: dict[str, Caption] | None = None, engine: str = "python-markdown"):  # type: ignore[no-untyped-def]
    return BodyRenderer(engine).render(text, captions or {}, lambda src: ResolvedImage(src, 800, 450))


@engines
def test_captioned_image_alone_in_a_paragraph_becomes_a_figure(engine: str) -> None:
    body = render(
        "Intro.\n\n![Boats at dawn](/images/boats.jpg)\n",
        {"/images/boats.jpg": Caption("Boats <b>", "Ana Ruiz")},
        engine,
    )
    figure = BeautifulSoup(body.html, "html.parser").figure
    image = figure.img
    assert (image["alt"], image["src"], image["width"], image["height"]) == (
        "Boats at dawn",
        "/images/boats.jpg",
        "800",
        "450",
    )
    assert str(figure.figcaption) == '<figcaption>Boats &lt;b&gt; <span class="credit">Ana Ruiz</span></figcaption>'
    assert "<p><img" not in body.html


@engines
def test_uncaptioned_image_stays_inline(engine: str) -> None:
    body = render("![A pier](/images/pier.jpg)\n", engine=engine)
    assert body.html.startswith("<p><img") and "<figure>" not in body.html


def test_tables_footnotes_attr_list_and_fenced_code() -> None:
    body = render("| a | b |\n|---|---|\n| 1 | 2 |\n\nSee[^1].\n\n[^1]: Note.\n\n## Subhead {#sub}\n\n```\ncode\n```\n")
    assert "<table>" in body.html and 'class="footnote"' in body.html
    assert '<h2 id="body-sub">Subhead</h2>' in body.html and "<pre><code>code" in body.html  # ids: issue 17


@engines
def test_script_and_javascript_links_never_reach_the_page(engine: str) -> None:
    text = 'Hi <script>alert(1)</script> <a href="javascript:alert(2)" onclick="x()">raw</a>\n\n[md](javascript:alert(3))\n'
    body = render(text, engine=engine)
    assert "<script" not in body.html and "alert" not in body.html and "onclick" not in body.html
    assert 3 in [issue.line for issue in body.issues]
    assert all("javascript:" in issue.message for issue in body.issues)


@engines
@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("&#x6A;avascript:alert(1)", "URL scheme 'javascript:' is not allowed"),
        ("&#106;avascript:alert(1)", "URL scheme 'javascript:' is not allowed"),
        ("&#x2F;&#x2F;evil.example/x", "URL must start with http:// or https:// or be a site path: '//evil.example/x'"),
    ],
)
def test_a_link_is_checked_as_a_browser_reads_it_its_entities_decoded(engine: str, target: str, message: str) -> None:
    """The page's href has its character references decoded: `&#x6A;avascript:` is the `javascript:` error, not a
    broken link."""
    body = render(f"One.\n\n[click]({target})\n", engine=engine)
    assert [(issue.line, issue.code, issue.severity.value) for issue in body.issues] == [(3, "url-scheme", "error")]
    assert message in body.issues[0].message and not body.links


@engines
def test_image_without_alt_is_an_error_on_its_line(engine: str) -> None:
    body = render("One.\n\nTwo.\n\n![](/images/x.jpg)\n", engine=engine)
    assert [(issue.line, issue.code) for issue in body.issues] == [(5, "image-alt")]
    assert "alt text" in body.issues[0].message


@engines
def test_renderer_is_reusable_without_leaking_state(engine: str) -> None:
    renderer = BodyRenderer(engine)
    resolve = ResolvedImage
    first = renderer.render("A[^1].\n\n[^1]: one\n\n![x](/a.jpg)", {"/a.jpg": Caption("cap", None)}, resolve)
    second = renderer.render("B\n\n![x](/a.jpg)", {}, resolve)
    assert "figure" in first.html and "figure" not in second.html and "footnote" not in second.html


def test_cmark_speaks_github_flavoured_markdown() -> None:
    body = render(
        "| a | b |\n|---|---|\n| 1 | 2 |\n\nSee[^1]. ~~old~~ https://example.org\n\n[^1]: Note.\n", engine="cmark"
    )
    assert "<table>" in body.html and 'class="footnotes"' in body.html and "<del>old</del>" in body.html
    assert '<a href="https://example.org">https://example.org</a>' in body.html
