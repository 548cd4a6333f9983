"""Articles from bytes: the text both `source archive` and `extract` read."""

import pytest

from natoclaims.errors import InvalidInput
from natoclaims.formats.articles import HTML, MAX_BYTES, TEXT, WORDPRESS, read_article
from tests.conftest import seed_article

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Rutte on spending | Example News</title>
<meta name="author" content="Ana Reporter"><meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2025-06-24"></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<div class="ad">Buy now! Subscribe for 1 euro a month.</div>
<article><h1>Rutte on spending</h1>
<p>Speaking at the summit in The Hague on Tuesday, NATO Secretary General Mark Rutte said the alliance
had agreed on a new target. “This is a quantum leap,” Rutte told reporters after the meeting ended.</p>
<p>He added that allies would spend 5% of GDP on defence by 2035, a figure most of them had resisted
for years, and that the decision would make the alliance “stronger, fairer and more lethal”.</p>
</article><footer>© Example News 2025. All rights reserved. Privacy policy. Cookie settings.</footer>
</body></html>"""


def test_html_page_gives_its_main_text_and_metadata():
    article = read_article(PAGE.encode())
    assert article.media_type == HTML
    assert "“This is a quantum leap,” Rutte told reporters" in article.text
    assert "Buy now" not in article.text and "Cookie settings" not in article.text
    assert article.title == "Rutte on spending"
    assert article.author == "Ana Reporter"
    assert article.published == "2025-06-24"


def test_plain_text_is_taken_as_it_is_with_lf_line_ends():
    article = read_article("Trump said: “They failed.”\r\n\r\n\r\n\r\nSecond paragraph.\r\n".encode())
    assert article.media_type == TEXT
    assert article.text == "Trump said: “They failed.”\n\nSecond paragraph."


def test_wordpress_post_json_is_read_from_its_rendered_content():
    article = read_article(seed_article("nakedpolitics7192"))
    assert article.media_type == WORDPRESS
    assert article.title == "Trump’s Breaking Point With NATO: “They Failed”"
    assert article.published == "2026-04-10"
    assert article.url == "https://nakedpolitics.net/?p=7192"
    assert "“NATO WASN’T THERE WHEN WE NEEDED THEM, AND THEY WON’T BE THERE IF WE NEED THEM AGAIN.”" in article.text
    assert "- Clear commitments from NATO countries" in article.text  # lists are kept


def test_windows_1252_without_a_declared_charset_is_detected():
    data = "Café owners said “the 5% target is absurd” and meant every word of it, twice over.".encode("cp1252")
    assert read_article(data).text.startswith("Café owners said “the 5% target")


def test_declared_charset_is_used():
    page = '<html><head><meta charset="iso-8859-1"></head><body><p>Sánchez said “no” to 5% of GDP, again and again, in Madrid.</p></body></html>'
    assert "Sánchez said “no”" not in page.encode("iso-8859-1", "replace").decode("iso-8859-1")  # “ ” are not Latin-1
    article = read_article(page.replace("“", '"').replace("”", '"').encode("iso-8859-1"))
    assert 'Sánchez said "no"' in article.text


def test_mojibake_is_repaired():
    broken = "Sánchez’s answer — no — to the 5% target.".encode().decode("cp1252").encode()
    assert "Ã¡" in broken.decode()
    assert read_article(broken).text == "Sánchez’s answer — no — to the 5% target."


@pytest.mark.parametrize(("data", "message"), [
    (b"", "empty"),
    (b" \n\t ", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG image is not supported"),
    (b"%PDF-1.7\n%\xe2\xe3", "PDF document is not supported"),
    (b"\x00\x01\x02\x03 binary", "binary data is not supported"),
    (b'{"posts": []}', "WordPress post"),
    (bytes(range(128, 256)) * 8, "not text in any encoding"),
])
def test_what_is_not_an_article_is_refused_by_name(data, message):
    with pytest.raises(InvalidInput, match=message):
        read_article(data)


def test_declared_media_type_that_is_not_text_is_refused():
    with pytest.raises(InvalidInput, match="image/png is not supported"):
        read_article(b"looks like text", media_type="image/png")


def test_size_limit():
    with pytest.raises(InvalidInput, match="larger than the 50 MB limit"):
        read_article(b"a" * (MAX_BYTES + 1))


def test_an_element_with_thousands_of_attributes_reaches_the_parser_cut(monkeypatch):
    import trafilatura

    from natoclaims.formats.articles import MAX_TAG_PARTS

    handed = []
    real = trafilatura.bare_extraction

    def spy(markup, **options):
        handed.append(markup)
        return real(markup, **options)

    monkeypatch.setattr(trafilatura, "bare_extraction", spy)
    attributes = " ".join(f'data-a{i}="2024-01-{i % 28 + 1:02d}"' for i in range(20000))
    hostile = PAGE.replace("<article>", f"<article {attributes} title='it is > this'>")
    assert "“This is a quantum leap,” Rutte told reporters" in read_article(hostile.encode()).text
    assert handed[0].count("data-a") <= MAX_TAG_PARTS // 4  # libxml2 and htmldate are quadratic in them
    read_article(PAGE.encode())
    assert handed[1] == PAGE  # a real page reaches trafilatura as it is


def test_a_page_past_the_large_page_limit_is_read_without_trafilatura(monkeypatch):
    """Issue 23.12: trafilatura takes ~5 s a MB and far more past a few MB; a longer page takes the linear path."""
    import trafilatura

    page = ('<html><head><title>Rutte &amp; troops</title><script>var said = "no";</script></head><body>'
            '<nav><ul><li>Home</li><li>World</li></ul></nav>'
            + '<p>Mark Rutte said "we act\n now" <b>today</b>.</p>' * 3 + "<div>End<br>of page</div></body></html>")
    monkeypatch.setattr("natoclaims.formats.articles.LARGE_PAGE", len(page) - 1)

    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("trafilatura was given a page past the limit")

    monkeypatch.setattr(trafilatura, "bare_extraction", refused)
    article = read_article(page.encode())
    assert article.text == "Home\nWorld\n" + 'Mark Rutte said "we act now" today.\n' * 3 + "End\nof page"
    assert article.media_type == HTML and article.title == "Rutte & troops"
    assert read_article(page.encode()) == article  # the same bytes, the same text: a copy verifies

    monkeypatch.setattr("natoclaims.formats.articles.LARGE_PAGE", len(page))
    with pytest.raises(AssertionError, match="trafilatura was given"):
        read_article(page.encode())
