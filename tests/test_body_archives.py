"""Bodies written for Jekyll, Eleventy and Hugo: their template syntax, raw HTML images, autolinks and URL schemes.

Each test builds a small site in the shape such an archive has and asserts
what a reader sees on the published page, or the exact problem line; where
the Markdown engine matters, with both engines.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from conftest import NOW, SiteFactory, article, build_site, digests, png, run_cli
from newsgen.body.markup import ENGINES
from newsgen.engine import BuildOptions, BuildSession, build
from newsgen.errors import ContentError

engines = pytest.mark.parametrize("engine", ENGINES)
FRONT = "headline: Story\ndate: 2025-01-10"  # two lines: body line n is file line n + 4
STORY = "2025/01/10/story/index.html"


def make(make_site: SiteFactory, engine: str, files: dict[str, str | bytes]) -> Path:
    return make_site({"newsgen.yaml": f"title: Harbor Ledger\nmarkdown: {{engine: {engine}}}\n", **files})


def story_body(site: Path, page: str = STORY, output: Path | None = None) -> Tag:
    html = ((output or site / "build") / page).read_text(encoding="utf-8")
    body = BeautifulSoup(html, "html.parser").select_one(".story-body")
    assert body is not None
    return body


def check_lines(site: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """`newsgen check --strict` output, one problem a line, paths relative to the site."""
    _, out, _ = run_cli(["check", "--strict", "--source", str(site)], capsys)
    return [line.split("content/", 1)[1] for line in out.splitlines() if "content/" in line]


# --- 1. Template syntax: URL filters ---------------------------------------------------------------------------------


@engines
def test_url_filters_and_the_site_root_become_site_paths(engine: str, make_site: SiteFactory) -> None:
    body = (
        "[About]({{ \"/about/\" | url }}), [docs]({{ '/docs/' | relative_url }}), "
        '[history]({{"/docs/history/#v3"|absolute_url}}) and [video]({{ "https://video.example/1" | url }}).\n\n'
        '<a href="{{ site.baseurl }}/assets/guide.pdf">Guide</a> and [home]({{ site.url }}{{ site.baseurl }}/).\n'
    )
    site = make(make_site, engine, {"content/2025-01-10-story.md": article(FRONT, body)})
    result = build_site(site)
    hrefs = [a["href"] for a in story_body(site).find_all("a")]
    assert hrefs == ["/about/", "/docs/", "/docs/history/#v3", "https://video.example/1", "/assets/guide.pdf", "/"]
    assert not [w for w in result.warnings if w.code == "template-syntax"]


# --- 1. Template syntax: links to other articles by file -------------------------------------------------------------

REFERRER = """\
Hugo: [ferry]({{< ref "ferry.md" >}}), [ferry again]({{< relref "/posts/ferry" >}}), [bridge]({{% ref "bridge" %}}),
[fares]({{< ref "ferry.md#fares" >}}), [sibling]({{< ref "../posts/ferry.md" >}}), [here]({{< ref "#top" >}}).

Jekyll: [pier]({% link _posts/2020-01-01-pier.md %}), [pier again]({% post_url 2020-01-01-pier %}#map).

<a href="{{< ref "ferry.md" >}}">raw ferry</a> and [gone]({{< ref "gone.md" >}}) and [pier]({%link _posts/2020-01-01-pier.md %}).
"""


@engines
def test_links_by_file_point_at_the_articles_urls(
    engine: str, make_site: SiteFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make(
        make_site,
        engine,
        {
            "content/posts/ferry.md": article("headline: Ferry fares frozen\ndate: 2025-01-08"),
            "content/posts/bridge/index.md": article("headline: Bridge closes\ndate: 2025-01-07\nslug: bridge"),
            "content/_posts/2020-01-01-pier.md": article("headline: Pier reopens\ndate: 2020-01-01"),
            "content/posts/story.md": article(FRONT, REFERRER),
        },
    )
    result = build_site(site)
    links = {a.get_text(): a.get("href") for a in story_body(site).find_all("a")}
    assert links == {
        "ferry": "/2025/01/08/ferry/",
        "ferry again": "/2025/01/08/ferry/",
        "bridge": "/2025/01/07/bridge/",
        "fares": "/2025/01/08/ferry/#fares",
        "sibling": "/2025/01/08/ferry/",
        "here": "#top",
        "pier": "/2020/01/01/pier/",
        "pier again": "/2020/01/01/pier/#map",
        "raw ferry": "/2025/01/08/ferry/",
    }
    assert "gone" in story_body(site).get_text(), "the text of a link to no article stays, without the link"
    (warning,) = [w for w in result.warnings if w.code == "broken-ref"]
    assert warning.line == 10
    assert "posts/story.md:10: warning: body: ref: no article gone.md" in check_lines(site, capsys)


def test_a_link_by_file_follows_its_target_and_keeps_quick_builds_exact(make_site: SiteFactory, tmp_path: Path) -> None:
    site = make_site(
        {
            "content/posts/target.md": article("headline: Target\ndate: 2025-03-01T10:00:00Z"),
            "content/posts/linking.md": article(
                "headline: Linking\ndate: 2025-03-02T10:00:00Z", 'See [the target]({{< ref "target.md" >}}).\n'
            ),
            "content/posts/newest.md": article("headline: Newest\ndate: 2025-03-03T10:00:00Z", "Body one.\n"),
        }
    )
    output = tmp_path / "out"

    def incremental() -> None:
        build(BuildOptions(site, output, now=NOW), BuildSession(site / ".newsgen-cache"))

    def assert_clean(name: str) -> None:
        build(BuildOptions(site, tmp_path / name, now=NOW))
        assert digests(output) == digests(tmp_path / name)

    incremental()
    newest = site / "content/posts/newest.md"
    newest.write_text(newest.read_text().replace("Body one.", "Body two."))
    incremental()  # the feed and "Latest news" show the linking article, whose link only the whole way resolves
    assert_clean("clean-1")
    target = site / "content/posts/target.md"
    target.write_text(article("headline: Target\ndate: 2025-03-01T10:00:00Z\nslug: moved"))
    incremental()
    linking_page = (output / "2025/03/02/linking/index.html").read_text(encoding="utf-8")
    assert 'href="/2025/03/01/moved/"' in linking_page
    assert_clean("clean-2")
    linking = site / "content/posts/linking.md"
    linking.write_text(linking.read_text().replace("See", "Read"))
    incremental()  # an edit of an article with links by file
    linking_page = (output / "2025/03/02/linking/index.html").read_text(encoding="utf-8")
    assert 'Read <a href="/2025/03/01/moved/">the target</a>' in linking_page
    assert_clean("clean-3")


# --- 1. Template syntax: Hugo's built-in shortcodes, Eleventy's image ------------------------------------------------


@engines
def test_hugo_figure_is_a_captioned_figure_with_the_image_rules(engine: str, make_site: SiteFactory) -> None:
    body = (
        "Storm damage on the pier.\n"
        '{{< figure src="pier.png" alt="The pier at dawn" title="Pier 4" caption="Repairs &amp; cleanup" '
        'attr="Ana Ruiz" attrlink="https://photos.example/ana" link="https://photos.example/pier" >}}\n'
        "The crews worked overnight.\n\n"
        '{{< figure src="/images/wide.png" alt="Harbor" width="200" caption="The crew\'s \\"last\\" run" >}}\n'
    )
    site = make(
        make_site,
        engine,
        {
            "content/posts/story/index.md": article(FRONT + "\nslug: story", body),
            "content/posts/story/pier.png": png(40, 20),
            "static/images/wide.png": png(100, 50),
        },
    )
    build_site(site)
    story = story_body(site)
    first, second = story.find_all("figure")
    link = first.find("a")
    assert link is not None and link["href"] == "https://photos.example/pier"
    image = link.find("img")
    assert image is not None
    assert (image["src"], image["alt"], image["width"], image["height"]) == (
        "/2025/01/10/story/pier.png",
        "The pier at dawn",
        "40",
        "20",
    )
    caption = first.find("figcaption")
    assert caption is not None and caption.get_text() == "Pier 4. Repairs & cleanup Ana Ruiz"
    credit = caption.select_one(".credit a")
    assert credit is not None and credit["href"] == "https://photos.example/ana"
    assert [p.get_text().strip() for p in story.find_all("p")] == [
        "Storm damage on the pier.",
        "The crews worked overnight.",
    ]
    wide = second.find("img")
    assert wide is not None and (wide["width"], wide["height"]) == ("200", "100")
    wide_caption = second.find("figcaption")
    assert wide_caption is not None and wide_caption.get_text() == "The crew\u2019s \u201clast\u201d run", (
        "set as the body is"
    )
    assert (site / "build/2025/01/10/story/pier.png").is_file()


@engines
def test_hugo_figure_without_alt_or_file_is_the_error_of_a_markdown_image(
    engine: str, make_site: SiteFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    body = 'One.\n\n{{< figure src="/images/boat.png" caption="A boat" >}}\n\n{{< figure src="/images/none.png" alt="X" >}}\n'
    site = make(make_site, engine, {"content/story.md": article(FRONT, body), "static/images/boat.png": png(8, 8)})
    with pytest.raises(ContentError):
        build_site(site)
    lines = check_lines(site, capsys)
    assert (
        "story.md:7: error: body: image '/images/boat.png' needs alt text: ![what the photo shows](/images/boat.png)"
        in lines
    )
    assert any(line.startswith("story.md:9: error: body: image '/images/none.png': no file static/") for line in lines)


@engines
def test_hugo_video_and_post_shortcodes_become_embeds_and_links(engine: str, make_site: SiteFactory) -> None:
    body = (
        "{{< youtube w7Ft2ymGmfc >}}\n\n"
        '{{< vimeo id="146022717" title="Harbor tour" >}}\n\n'
        'Reaction: {{< x user="HarborLedger" id="1453110110599868418" >}} and {{< tweet 877500564405444608 >}}.\n'
    )
    site = make(make_site, engine, {"content/2025-01-10-story.md": article(FRONT, body)})
    result = build_site(site)
    story = story_body(site)
    assert [(frame["src"], frame["title"]) for frame in story.find_all("iframe")] == [
        ("https://www.youtube-nocookie.com/embed/w7Ft2ymGmfc", "YouTube video"),
        ("https://player.vimeo.com/video/146022717", "Harbor tour"),
    ]
    assert [(a["href"], a.get_text()) for a in story.find_all("a")] == [
        ("https://x.com/HarborLedger/status/1453110110599868418", "Post by @HarborLedger on X"),
        ("https://x.com/i/status/877500564405444608", "Post on X"),
    ]
    assert not [w for w in result.warnings if w.code == "template-syntax"]


@engines
def test_highlight_blocks_are_code_blocks_and_later_lines_stay_right(
    engine: str, make_site: SiteFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    body = (
        "Intro.\n\n"
        "{% highlight ruby linenos %}\n"
        'puts "{{ not a tag }}"\n'
        "{% endhighlight %}\n\n"
        '{{< highlight go "linenos=table" >}}\n'
        "fmt.Println(1)\n"
        "{{< /highlight >}}\n\n"
        "{% highlight sh %}ls -l{% endhighlight %}\n\n"
        "![](/images/x.png)\n"
    )
    site = make(make_site, engine, {"content/story.md": article(FRONT, body), "static/images/x.png": png(4, 4)})
    lines = check_lines(site, capsys)
    assert [line for line in lines if ": error: " in line] == [
        "story.md:17: error: body: image '/images/x.png' needs alt text: ![what the photo shows](/images/x.png)"
    ]
    assert not [line for line in lines if "template-syntax" in line]
    (site / "content/story.md").write_text(article(FRONT, body.replace("![]", "![Pier]")))
    build_site(site)
    code = [
        (block.get("class"), block.get_text())
        for block in story_body(site, "2025/01/10/story/index.html").select("pre code")
    ]
    assert code == [
        (["language-ruby"], 'puts "{{ not a tag }}"\n'),
        (["language-go"], "fmt.Println(1)\n"),
        (["language-sh"], "ls -l\n"),
    ]


@engines
def test_raw_blocks_and_escaped_shortcodes_show_as_written(engine: str, make_site: SiteFactory) -> None:
    body = (
        "Write {% raw %}`{{ page.title }}`{% endraw %} in a layout.\n\n"
        "{% raw %}\n```liquid\n{% include note.html %}\n```\n{% endraw %}\n\n"
        '```\n{{</* figure src="x.jpg" */>}}\n```\n'
    )
    site = make(make_site, engine, {"content/2025-01-10-story.md": article(FRONT, body)})
    result = build_site(site)
    code = [block.get_text() for block in story_body(site).find_all("code")]
    assert code == ["{{ page.title }}", "{% include note.html %}\n", '{{< figure src="x.jpg" >}}\n']
    assert not [w for w in result.warnings if w.code == "template-syntax"]


@engines
def test_eleventy_image_shortcode_is_an_image_with_its_alt(engine: str, make_site: SiteFactory) -> None:
    body = 'Team photo:\n\n{% image "assets/blog/team.png", "The team at the pier" %}\n'
    site = make(
        make_site,
        engine,
        {
            "content/2025-01-10-story.md": article(FRONT + '\ncaptions:\n  /assets/blog/team.png: "The team."', body),
            "static/assets/blog/team.png": png(30, 10),
        },
    )
    build_site(site)
    figure = story_body(site).find("figure")
    assert figure is not None
    image = figure.find("img")
    assert image is not None
    assert (image["src"], image["alt"], image["width"]) == ("/assets/blog/team.png", "The team at the pier", "30")
    assert figure.get_text().strip() == "The team."


# --- 1. Template syntax: everything else is a warning, never silent --------------------------------------------------

OTHER = """\
Intro {{ site.title }} here.

{% include "signup.html" %}

{% assign release = site.data.releases | first %}
SHA256: {{ release.sha256 }} and {{< note >}}Careful{{< /note >}}

[Download]({{ release.url }}) the tarball.

`{{ release.url }}` and

```liquid
{% include "signup.html" %}
```
"""


@engines
def test_other_template_syntax_stays_as_text_with_a_warning_per_tag(
    engine: str, make_site: SiteFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make(make_site, engine, {"content/2025-01-10-story.md": article(FRONT, OTHER)})
    build_site(site)
    lines = [line for line in check_lines(site, capsys) if "template-syntax" in line]
    suffix = "is template syntax of another generator; shown as text"
    name = "2025-01-10-story.md"
    assert lines == [
        f"{name}:5: warning: body: template-syntax: {{{{ site.title }}}} {suffix}",
        f'{name}:7: warning: body: template-syntax: {{% include "signup.html" %}} {suffix}',
        f"{name}:9: warning: body: template-syntax: {{% assign release = site.data.releases | first %}} {suffix}",
        f"{name}:10: warning: body: template-syntax: {{{{ release.sha256 }}}} {suffix}",
        f"{name}:10: warning: body: template-syntax: {{{{< /note >}}}} {suffix}",
        f"{name}:10: warning: body: template-syntax: {{{{< note >}}}} {suffix}",
        f"{name}:12: warning: body: template-syntax: {{{{ release.url }}}} {suffix}",
    ]
    story = story_body(site)
    text = story.get_text()
    assert "{{ site.title }}" in text and "{{ release.sha256 }}" in text
    assert [a.get("href") for a in story.find_all("a") if a.get("href")] == [], "no link to a template expression"
    assert [code.get_text() for code in story.find_all("code")] == [
        "{{ release.url }}",
        '{% include "signup.html" %}\n',
    ]


# --- 2. Raw HTML images ----------------------------------------------------------------------------------------------


@engines
def test_raw_html_images_follow_the_markdown_image_rules(
    engine: str, make_site: SiteFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    body = (
        'Intro.\n\n<img src="/images/pier.png" alt="The pier">\n\n'
        '<p><img class="shadow" src="/images/pier.png" alt="Small pier" width="20"></p>\n\n'
        'Inline <img src="photo.png" alt="Beside the story"> here.\n'
    )
    files: dict[str, str | bytes] = {
        "content/posts/story/index.md": article(FRONT + "\nslug: story", body),
        "content/posts/story/photo.png": png(10, 10),
        "static/images/pier.png": png(80, 40),
    }
    site = make(make_site, engine, files)
    build_site(site)
    images = [(i["src"], i.get("width"), i.get("height")) for i in story_body(site).find_all("img")]
    assert images == [
        ("/images/pier.png", "80", "40"),
        ("/images/pier.png", "20", "10"),
        ("/2025/01/10/story/photo.png", "10", "10"),
    ]
    assert (site / "build/2025/01/10/story/photo.png").is_file()

    bad = 'One.\n\n<img src="/images/pier.png">\n\nTwo <img src="/images/nope.png" alt="Nope">.\n'
    (site / "content/posts/story/index.md").write_text(article(FRONT + "\nslug: story", bad))
    with pytest.raises(ContentError):
        build_site(site)
    lines = [line for line in check_lines(site, capsys) if ": error: " in line]
    assert lines[0] == (
        "posts/story/index.md:8: error: body: image '/images/pier.png' needs alt text: "
        "![what the photo shows](/images/pier.png)"
    )
    assert lines[1].startswith("posts/story/index.md:10: error: body: image '/images/nope.png': no file static/")
    assert len(lines) == 2


# --- 2. URLs browsers accept (issue 27, item 6) ----------------------------------------------------------------------


@engines
def test_whitespace_in_a_url_is_percent_encoded_with_a_warning(
    engine: str, make_site: SiteFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    # Hard-wrapped HTML, as an old Jekyll post has it: a src with spaces at its ends, an href wrapped at a space.
    body = (
        'Intro.\n\n<img src=" /images/pier.png " alt="The pier">\n\n'
        '<p>The <a href="https://records.example/annual\n   report.pdf">annual report</a> is out.</p>\n'
    )
    files: dict[str, str | bytes] = {
        "content/_posts/2025-01-10-story.md": article(FRONT, body),
        "static/images/pier.png": png(80, 40),
    }
    site = make(make_site, engine, files)
    build_site(site)
    story = story_body(site)
    assert [(i["src"], i.get("width")) for i in story.find_all("img")] == [("/images/pier.png", "80")]
    assert [a["href"] for a in story.find_all("a")] == ["https://records.example/annual%20report.pdf"]
    lines = [line for line in check_lines(site, capsys) if "whitespace in a URL" in line or ": error: " in line]
    assert lines == [
        "_posts/2025-01-10-story.md:7: warning: body: image ' /images/pier.png ': whitespace in a URL is"
        " percent-encoded, as a browser requests it: '/images/pier.png'; write the URL without it",
        "_posts/2025-01-10-story.md:9: warning: body: link 'https://records.example/annual\\n   report.pdf':"
        " whitespace in a URL is percent-encoded, as a browser requests it:"
        " 'https://records.example/annual%20report.pdf'; write the URL without it",
    ]


@engines
def test_protocol_relative_urls_are_https_but_spelled_out_in_entities_stay_an_error(
    engine: str, make_site: SiteFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    body = 'See [the guide](//docs.example/guide/).\n\n<img src="//cdn.example/pier.png" alt="The pier">\n'
    site = make(make_site, engine, {"content/_posts/2025-01-10-story.md": article(FRONT, body)})
    build_site(site)
    story = story_body(site)
    assert [a["href"] for a in story.find_all("a")] == ["https://docs.example/guide/"]
    assert [i["src"] for i in story.find_all("img")] == ["https://cdn.example/pier.png"]
    # `&#x2F;&#x2F;` hides from a reader of the source that the link leaves the site: still the error.
    hidden = "One.\n\n[the guide](&#x2F;&#x2F;docs.example/guide/)\n"
    (site / "content/_posts/2025-01-10-story.md").write_text(article(FRONT, hidden))
    with pytest.raises(ContentError):
        build_site(site)
    assert [line for line in check_lines(site, capsys) if ": error: " in line] == [
        "_posts/2025-01-10-story.md:7: error: body: link: URL must start with http:// or https:// or be a site"
        " path: '//docs.example/guide/'"
    ]


@engines
def test_an_image_relative_to_the_pages_url_is_found_as_a_browser_finds_it(
    engine: str, make_site: SiteFactory, tmp_path: Path
) -> None:
    # A Jekyll blog at /inside/yyyy/mm/dd/slug/ whose posts climb from their URL, not their file, to /inside/images/.
    body = (
        'Intro.\n\n![The chart](../../../../images/chart.png)\n\n<img src="../../../../images/chart.png" alt="Again">\n'
    )
    site = make_site(
        {
            "newsgen.yaml": f"markdown: {{engine: {engine}}}\npermalinks: {{article: '/inside/{{yyyy}}/{{mm}}/{{dd}}/{{slug}}/'}}\n",
            "content/_posts/2020-11-11-compiler-notes.md": article("headline: Notes\ndate: 2020-11-11", body),
            "static/inside/images/chart.png": png(60, 30),
        }
    )
    output = tmp_path / "out"
    build(BuildOptions(site, output, now=NOW), BuildSession(site / ".newsgen-cache"))
    page = "inside/2020/11/11/compiler-notes/index.html"
    images = [(i["src"], i.get("width")) for i in story_body(site, page, output).find_all("img")]
    assert images == [("/inside/images/chart.png", "60")] * 2
    (site / "static/inside/images/chart.png").write_bytes(png(90, 30))
    build(BuildOptions(site, output, now=NOW), BuildSession(site / ".newsgen-cache"))  # the file it found changed
    build(BuildOptions(site, tmp_path / "clean", now=NOW))
    assert digests(output) == digests(tmp_path / "clean")


# --- 2. Image problems on their own lines (issue 27, item 8) ---------------------------------------------------------


@engines
def test_each_image_problem_is_on_the_line_of_that_image(
    engine: str, make_site: SiteFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    # A photo shown twice, and a chart given by a reference defined at the end, as Jekyll posts write them.
    body = (
        "Intro.\n\n![](/images/pier.png)\n\nLater, the same photo: ![](/images/pier.png)\n\n"
        "And the chart: ![][chart]\n\n[chart]: /images/chart.png\n"
    )
    files: dict[str, str | bytes] = {
        "content/_posts/2025-01-10-story.md": article(FRONT, body),
        "static/images/pier.png": png(80, 40),
        "static/images/chart.png": png(80, 40),
    }
    site = make(make_site, engine, files)
    lines = [line.split(": error: ")[0] for line in check_lines(site, capsys) if "needs alt text" in line]
    assert lines == ["_posts/2025-01-10-story.md:7", "_posts/2025-01-10-story.md:9", "_posts/2025-01-10-story.md:11"]


# --- 3. Email autolinks ----------------------------------------------------------------------------------------------


@engines
def test_email_autolinks_are_mailto_links(engine: str, make_site: SiteFactory) -> None:
    site = make(make_site, engine, {"content/2025-01-10-story.md": article(FRONT, "Tips: <team@example.org>.\n")})
    result = build_site(site)
    (link,) = story_body(site).find_all("a")
    assert (link["href"], link.get_text()) == ("mailto:team@example.org", "team@example.org")
    assert all(w.code != "url-scheme" for w in result.warnings)


# --- 4. URL schemes --------------------------------------------------------------------------------------------------


@engines
def test_tel_links_work_and_harmless_schemes_lose_only_their_link(
    engine: str, make_site: SiteFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    front = FRONT + "\nrelated:\n  - {title: Tip line, url: 'tel:+15551234567'}"
    body = "Call [the tip line](tel:+15551234567).\n\nJoin [#ruby](irc://irc.libera.chat/ruby) or [mirror](rsync://ruby.example/).\n"
    site = make(make_site, engine, {"content/2025-01-10-story.md": article(front, body)})
    result = build_site(site)
    story = story_body(site)
    assert [(a.get("href"), a.get_text()) for a in story.find_all("a")] == [("tel:+15551234567", "the tip line")]
    assert "Join #ruby or mirror." in story.get_text()
    page = BeautifulSoup((site / "build" / STORY).read_text(encoding="utf-8"), "html.parser")
    assert page.select_one(".related a[href='tel:+15551234567']") is not None
    assert {w.code for w in result.warnings} & {"broken-link", "url-scheme"} == {"url-scheme"}
    lines = [line for line in check_lines(site, capsys) if "url-scheme" in line or "scheme" in line]
    assert lines == [
        "2025-01-10-story.md:9: warning: body: link: URL scheme 'irc:' is not allowed; "
        "the link is removed and its text kept",
        "2025-01-10-story.md:9: warning: body: link: URL scheme 'rsync:' is not allowed; "
        "the link is removed and its text kept",
    ]


@engines
@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "vbscript:x", "file:///etc/passwd"])
def test_dangerous_schemes_in_bodies_are_still_errors(
    engine: str, url: str, make_site: SiteFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make(make_site, engine, {"content/story.md": article(FRONT, f"One.\n\n[click]({url})\n")})
    with pytest.raises(ContentError):
        build_site(site)
    scheme = url.split(":")[0]
    assert f"story.md:7: error: body: link: URL scheme '{scheme}:' is not allowed" in "\n".join(
        check_lines(site, capsys)
    )


def test_front_matter_urls_refuse_other_schemes_but_allow_tel(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    front = FRONT + "\nsources:\n  - {name: Desk, url: 'tel:+15550000'}\n  - {name: Chat, url: 'irc://irc.example/x'}"
    site = make_site({"content/story.md": article(front)})
    lines = [line for line in check_lines(site, capsys) if "url" in line]
    assert lines == [
        "story.md:6: error: sources[1].url: URL scheme 'irc:' is not allowed; use http(s), mailto, tel or a site path"
    ]


@engines
@pytest.mark.parametrize(
    ("svg", "size"),
    [
        ('<svg xmlns="http://www.w3.org/2000/svg" width="320px" height="200"></svg>', ("320", "200")),
        ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 480"></svg>', ("640", "480")),
        ('<svg xmlns="http://www.w3.org/2000/svg" width="100%"></svg>', None),
    ],
    ids=["width and height", "viewBox", "no size"],
)
def test_svg_drawings_are_published_with_the_size_they_declare(
    engine: str, make_site: SiteFactory, svg: str, size: tuple[str, str] | None
) -> None:
    files: dict[str, str | bytes] = {
        "content/story.md": article(FRONT, "![A chart of fares](chart.svg)\n"),
        "content/chart.svg": svg,
    }
    site = make(make_site, engine, files)
    build_site(site)
    image = story_body(site).find("img")
    assert isinstance(image, Tag) and image["src"] == "/2025/01/10/story/chart.svg"
    assert (image.get("width"), image.get("height")) == (size or (None, None))
