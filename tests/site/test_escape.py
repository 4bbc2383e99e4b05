import markdown
import pytest
import yaml

from nashra.site.escape import escape_html, escape_markdown, front_matter, link_html, safe_url

MD = markdown.Markdown(extensions=["tables", "admonition", "md_in_html", "toc"])

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "![x](data:text/html;base64,PHNjcmlwdD4=)",
    "<https://evil.example>",
    "# heading",
    "1. list",
    "- item",
    "> quote",
    "*em* __strong__ `code`",
    "a | b | c",
    "{: onclick=alert(1) }",
    "&lt;script&gt;",
    "---",
    "line one\n\nline two",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_renders_text_literally(text):
    html = MD.reset().convert(escape_markdown(text))
    assert html.startswith("<p>") and html.endswith("</p>")
    inner = html[3:-4]
    # Only escaped text inside one paragraph: no element, no link, no entity decoded into markup.
    assert "<" not in inner and ">" not in inner.replace("&gt;", "")
    unescaped = inner.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
    assert unescaped == " ".join(text.split())


def test_escape_html_and_attributes():
    assert escape_html('<b onclick="x">') == "&lt;b onclick=&quot;x&quot;&gt;"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "JAVASCRIPT:alert(1)", "//evil", "ftp://x/y", "", None])
def test_only_http_urls_become_links(url):
    assert safe_url(url) is None
    assert link_html(url, "x") == ""


def test_http_link_is_escaped():
    link = link_html('https://example.org/a?b=1&c="2"', "Original")
    assert link.startswith('<a href="https://example.org/a?b=1&amp;c=&quot;2&quot;"')
    assert 'rel="noopener noreferrer nofollow"' in link


def test_front_matter_survives_yaml_breaking_values():
    meta = {"title": 'a: b\n---\n"x" #y', "source": "- list", "url": None}
    block = front_matter(meta)
    assert block.startswith("---\n") and block.endswith("---\n")
    assert yaml.safe_load(block.strip("-\n")) == meta
