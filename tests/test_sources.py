"""The sources stage: files, folders and globs in; Articles and SourceErrors out.

Every fixture is written here, into pytest's tmp_path; the texts are our own.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from kg.model import Article, SourceError
from kg.sources import article_id, detect_language, parse_date, read_articles

REPO = Path(__file__).resolve().parent.parent
DEV_CORPUS = REPO.parent / "shared" / "corpus" / "dev"

FRONT_MATTER_ARTICLE = """---
title: "Acme Capital lifts its target for Example Corp"
date: "2025-03-04 10:30"
lang:
  - "en-US"
source_url: "https://www.example-news.com/markets/123"
outlet: "Example News"
---
Acme Capital raised its price target for Example Corp on Tuesday.
"""


def write(folder: Path, name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


def read_one(path: Path, **options) -> Article | SourceError:
    items = list(read_articles([path], **options))
    assert len(items) == 1, items
    return items[0]


def read_article(path: Path) -> Article:
    item = read_one(path)
    assert isinstance(item, Article), item
    return item


def read_error(path: Path, **options) -> SourceError:
    item = read_one(path, **options)
    assert isinstance(item, SourceError), item
    return item


# --- Markdown -----------------------------------------------------------------------


def test_front_matter_fields_become_article_fields(tmp_path):
    article = read_article(write(tmp_path, "a.md", FRONT_MATTER_ARTICLE))
    assert article.title == "Acme Capital lifts its target for Example Corp"
    assert article.date == "2025-03-04T10:30:00"
    assert article.lang == "en"
    assert article.url == "https://www.example-news.com/markets/123"
    assert article.outlet == "Example News"
    assert article.path == (tmp_path / "a.md").as_posix()


def test_outlet_falls_back_to_url_host_without_www(tmp_path):
    text = FRONT_MATTER_ARTICLE.replace('outlet: "Example News"\n', "")
    assert read_article(write(tmp_path, "a.md", text)).outlet == "example-news.com"


def test_front_matter_values_stay_strings(tmp_path):
    # YAML 1.1 would read NO as False and 1.10 as 1.1.
    text = "---\ntitle: NO\ndate: 2025-01-02\n---\nBody text.\n"
    article = read_article(write(tmp_path, "a.md", text))
    assert article.title == "NO"
    assert article.date == "2025-01-02"


def test_title_falls_back_to_first_heading(tmp_path):
    text = "Intro line.\n\n# Example Corp beats forecasts\n\nBody text.\n"
    assert read_article(write(tmp_path, "a.md", text)).title == "Example Corp beats forecasts"


def test_title_falls_back_to_file_stem(tmp_path):
    assert read_article(write(tmp_path, "acme-note.md", "Just a body.\n")).title == "acme-note"


def test_body_is_everything_after_the_closing_line(tmp_path):
    article = read_article(write(tmp_path, "a.md", FRONT_MATTER_ARTICLE))
    assert article.body == "Acme Capital raised its price target for Example Corp on Tuesday.\n"


def test_body_offsets_index_the_text_as_read(tmp_path):
    text = "---\ntitle: t\n---\r\n第一段。\r\n\r\n高盛认为，示例公司前景向好。\r\n"
    article = read_article(write(tmp_path, "a.md", text))
    assert article.body == "第一段。\r\n\r\n高盛认为，示例公司前景向好。\r\n"
    start = article.body.index("高盛")
    assert article.body[start:start + 14] == "高盛认为，示例公司前景向好。"
    assert start == 8


def test_prose_keeps_length_and_link_text_and_blanks_url_and_comment(tmp_path):
    text = "---\ntitle: t\n---\nSee [the report](https://example.com/r) now.<!-- stored copy ends -->\n"
    article = read_article(write(tmp_path, "a.md", text))
    assert len(article.prose) == len(article.body)
    assert article.prose == "See  the report                         now." + " " * 25 + "\n"


def test_prose_blanks_image_bare_url_quote_and_heading_markers(tmp_path):
    body = "# Title\n> Quoted line\n![chart](c.png) Visit https://example.com/x.\n"
    article = read_article(write(tmp_path, "a.md", body))
    assert article.prose == "  Title\n  Quoted line\n" + " " * 15 + " Visit " + " " * 21 + ".\n"


def test_multiline_comment_keeps_its_line_breaks(tmp_path):
    article = read_article(write(tmp_path, "a.md", "Text.\n<!-- a\nb -->\n"))
    assert article.prose == "Text.\n" + " " * 6 + "\n" + " " * 5 + "\n"


def test_broken_yaml_names_the_file_line(tmp_path):
    text = "---\ntitle: ok\ndate: [2025-01-02\n---\nBody.\n"
    error = read_error(write(tmp_path, "a.md", text))
    assert error.path == (tmp_path / "a.md").as_posix()
    assert error.reason.startswith("invalid YAML front matter at line 4: ")


def test_unclosed_front_matter_is_an_error(tmp_path):
    error = read_error(write(tmp_path, "a.md", "---\ntitle: t\nBody.\n"))
    assert error.reason == "front matter opened with --- on line 1 is never closed by a --- line"


def test_front_matter_without_body_is_an_error(tmp_path):
    error = read_error(write(tmp_path, "a.md", "---\ntitle: t\n---\n\n"))
    assert error.reason == "no article text after the front matter"


# --- Decoding -----------------------------------------------------------------------

CHINESE_SIMPLIFIED = "---\ntitle: 示例公司获上调\n---\n分析师认为，示例公司的云业务增长强劲，维持买入评级。\n"
CHINESE_TRADITIONAL = "---\ntitle: 示例公司獲上調\n---\n分析師認為，示例公司的雲端業務增長強勁，維持買入評級。\n"


def test_gbk_file_decodes(tmp_path):
    article = read_article(write(tmp_path, "a.md", CHINESE_SIMPLIFIED, encoding="gbk"))
    assert article.title == "示例公司获上调"
    assert article.body == "分析师认为，示例公司的云业务增长强劲，维持买入评级。\n"


def test_big5_file_decodes(tmp_path):
    article = read_article(write(tmp_path, "a.md", CHINESE_TRADITIONAL, encoding="big5"))
    assert article.title == "示例公司獲上調"
    assert article.body == "分析師認為，示例公司的雲端業務增長強勁，維持買入評級。\n"


def test_utf8_bom_is_stripped(tmp_path):
    article = read_article(write(tmp_path, "a.md", "\ufeff" + CHINESE_SIMPLIFIED))
    assert article.title == "示例公司获上调"


def test_utf16_with_bom_decodes(tmp_path):
    article = read_article(write(tmp_path, "a.md", "\ufeff" + CHINESE_SIMPLIFIED, encoding="utf-16-le"))
    assert article.body == "分析师认为，示例公司的云业务增长强劲，维持买入评级。\n"


def test_empty_file_is_an_error(tmp_path):
    assert read_error(write(tmp_path, "a.md", b"")).reason == "empty file"


def test_binary_file_is_an_error(tmp_path):
    error = read_error(write(tmp_path, "a.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
    assert error.reason == "binary file (it contains NUL bytes), not text"


def test_bytes_in_no_known_encoding_are_an_error(tmp_path):
    error = read_error(write(tmp_path, "a.txt", bytes([0xFF, 0xFE - 1, 0x81, 0xFF]) * 8))
    assert error.reason == (
        "not text in a known encoding (tried UTF-8, UTF-16, GB18030/GBK, Big5); re-save it as UTF-8"
    )


def test_file_over_the_size_limit_is_an_error_without_reading_it(tmp_path, monkeypatch):
    path = tmp_path / "big.md"
    with path.open("wb") as file:
        file.truncate(50 * 1024 * 1024)  # sparse: no 50 MB written
    monkeypatch.setattr("kg.sources.decode.os.fdopen", lambda *args, **kwargs: pytest.fail("the file was read"))
    assert read_error(path).reason == "file is 50.0 MB, over the 20 MB limit (--max-bytes)"


def test_size_limit_is_a_parameter(tmp_path):
    error = read_error(write(tmp_path, "a.md", "x" * 2_000_000), max_bytes=1024 * 1024)
    assert error.reason == "file is 1.9 MB, over the 1 MB limit (--max-bytes)"


# --- Plain text, JSONL, HTML -------------------------------------------------------


def test_text_file_title_is_first_non_empty_line(tmp_path):
    article = read_article(write(tmp_path, "a.txt", "\n  Example Corp beats forecasts\n\nBody.\n"))
    assert article.title == "Example Corp beats forecasts"
    assert article.body == "\n  Example Corp beats forecasts\n\nBody.\n"
    assert article.date is None


def test_jsonl_fields_become_article_fields(tmp_path):
    record = {"id": "n1", "title": "T", "date": "2025-01-27", "lang": "zh-TW",
              "url": "https://www.example.com/n1", "text": "Body text."}
    article = read_article(write(tmp_path, "a.jsonl", json.dumps(record) + "\n"))
    assert (article.title, article.date, article.lang, article.url, article.outlet, article.body) == (
        "T", "2025-01-27", "zh-Hant", "https://www.example.com/n1", "example.com", "Body text.")


def test_jsonl_broken_line_yields_the_good_lines_and_one_error(tmp_path):
    lines = [json.dumps({"title": "One", "text": "First."}), '{"title": "Two", "text": ', "",
             json.dumps({"title": "Three", "text": "Third."})]
    path = write(tmp_path, "a.jsonl", "\n".join(lines) + "\n")
    items = list(read_articles([path]))
    assert [item.title for item in items if isinstance(item, Article)] == ["One", "Three"]
    assert [item for item in items if isinstance(item, SourceError)] == [
        SourceError(path.as_posix(), "line 2: invalid JSON: Expecting value (column 26)")]


def test_jsonl_line_without_text_is_an_error(tmp_path):
    error = read_error(write(tmp_path, "a.jsonl", '{"title": "No body"}\n'))
    assert error.reason == 'line 1: no article text: "text" must be a non-empty string'


def test_jsonl_line_that_is_not_an_object_is_an_error(tmp_path):
    error = read_error(write(tmp_path, "a.jsonl", "[1, 2]\n"))
    assert error.reason == "line 1: expected a JSON object {...}, got list"


HTML_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>示例财经网</title>
<meta property="og:title" content="示例资本上调示例公司目标价">
<meta property="og:site_name" content="示例财经网">
<meta property="article:published_time" content="2025-03-04T10:30:00+08:00">
<link rel="canonical" href="https://www.example-finance.com/news/42">
</head><body>
<nav><a href="/">首页</a> <a href="/markets">市场</a></nav>
<article><h1>示例资本上调示例公司目标价</h1>
<p>示例资本在周二发布的报告中表示，示例公司的云业务增长强劲，维持买入评级。分析师认为需求将继续推动收入增长。</p>
<p>另一家机构则较为谨慎，认为估值已经反映了大部分利好因素，建议投资者关注风险。</p>
</article>
<footer>版权所有 示例财经网</footer>
</body></html>
"""


def test_html_page_main_text_and_metadata_via_trafilatura(tmp_path):
    article = read_article(write(tmp_path, "page.html", HTML_PAGE))
    assert article.title == "示例资本上调示例公司目标价"
    assert article.date == "2025-03-04T10:30:00"
    assert article.url == "https://www.example-finance.com/news/42"
    assert article.outlet == "示例财经网"
    assert article.lang == "zh-Hans"
    assert article.body == (
        "示例资本上调示例公司目标价\n"
        "示例资本在周二发布的报告中表示，示例公司的云业务增长强劲，维持买入评级。分析师认为需求将继续推动收入增长。\n"
        "另一家机构则较为谨慎，认为估值已经反映了大部分利好因素，建议投资者关注风险。"
    )


def test_html_page_without_main_text_is_an_error(tmp_path):
    page = "<html><head><title>Empty</title></head><body><script>let x = 1;</script></body></html>"
    error = read_error(write(tmp_path, "page.htm", page))
    assert error.reason == "no article text found in the page (trafilatura extracted nothing)"


def test_unsupported_extension_is_an_error(tmp_path):
    error = read_error(write(tmp_path, "a.pdf", "%PDF-1.7"))
    assert error.reason == "unsupported file type .pdf; kg reads .md, .txt, .jsonl, .html"


# --- Dates and languages ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-02-11 22:05:59", "2025-02-11T22:05:59"),
        ("2025-10-24 09:25", "2025-10-24T09:25:00"),
        ("2025-09-17", "2025-09-17"),
        ("2025年2月11日", "2025-02-11"),
        ("2025年2月11日 10:30", "2025-02-11T10:30:00"),
        ("March 4, 2025", "2025-03-04"),
        ("4 March 2025", "2025-03-04"),
        ("Mon, 27 Jan 2025 10:00:00 GMT", "2025-01-27T10:00:00+00:00"),
        ("March 2025", None),
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


def test_unparseable_date_keeps_the_article_with_no_date(tmp_path):
    text = "---\ntitle: t\ndate: last Tuesday\n---\nBody.\n"
    assert read_article(write(tmp_path, "a.md", text)).date is None


@pytest.mark.parametrize(
    ("declared", "expected"),
    [("zh-CN", "zh-Hans"), ("zh-SG", "zh-Hans"), ("zh-Hans", "zh-Hans"), ("zh", "zh-Hans"),
     ("zh-HK", "zh-Hant"), ("zh-TW", "zh-Hant"), ("zh-MO", "zh-Hant"), ("zh-Hant", "zh-Hant"),
     ("zh_hk", "zh-Hant"), ("en", "en"), ("en-US", "en"), ("EN-gb", "en")],
)
def test_declared_language_wins_over_the_text(declared, expected):
    assert detect_language("Plain English text.", declared) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("分析师认为，示例公司的云业务增长强劲，维持买入评级。", "zh-Hans"),
        ("分析師認為，示例公司的雲端業務增長強勁，維持買入評級。", "zh-Hant"),
        ("Analysts at Acme (示例资本) expect Example Corp to keep growing.", "en"),
        ("示例资本认为Example Corp的AI业务前景向好。", "zh-Hans"),
    ],
)
def test_language_detected_from_text(text, expected):
    assert detect_language(text, None) == expected


def test_unknown_declared_language_falls_back_to_detection():
    assert detect_language("分析師認為雲端業務增長強勁。", "ja") == "zh-Hant"


# --- Finding files and ids ----------------------------------------------------------


def make_tree(root: Path) -> None:
    write(root, "b.md", "B body.\n")
    write(root, "a.md", "A body.\n")
    write(root, "sub/c.txt", "C body.\n")
    write(root, "sub/deeper/d.jsonl", json.dumps({"text": "D body."}) + "\n")
    write(root, "gold.jsonl", '{"holder": "x"}\n')
    write(root, "README.md", "# About this folder\n")
    write(root, ".hidden.md", "Hidden.\n")
    write(root, ".git/config.md", "Tool data.\n")


def test_folder_is_read_recursively_in_sorted_order_skipping_docs_and_dot_files(tmp_path):
    make_tree(tmp_path)
    paths = [item.path for item in read_articles([tmp_path])]
    assert paths == [(tmp_path / name).as_posix() for name in ("a.md", "b.md", "sub/c.txt", "sub/deeper/d.jsonl")]


def test_glob_pattern_selects_matching_files(tmp_path, monkeypatch):
    make_tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert [item.path for item in read_articles(["**/*.md"])] == ["a.md", "b.md"]


def test_glob_without_matches_is_an_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert list(read_articles(["nothing/*.md"])) == [SourceError("nothing/*.md", "no files match this pattern")]


def test_missing_path_is_an_error(tmp_path):
    missing = tmp_path / "missing.md"
    assert list(read_articles([missing])) == [SourceError(missing.as_posix(), "no such file or folder")]


def test_file_named_twice_is_read_once(tmp_path):
    path = write(tmp_path, "a.md", "A body.\n")
    assert len(list(read_articles([path, tmp_path]))) == 1


def test_same_text_with_crlf_or_lf_gets_the_same_id(tmp_path):
    lf = read_article(write(tmp_path, "lf.txt", "Title\n\nBody line one.\nBody line two.\n"))
    crlf = read_article(write(tmp_path, "crlf.txt", "Title\r\n\r\nBody line one.\r\nBody line two.\r\n"))
    assert lf.id == crlf.id
    assert lf.id.startswith("article:") and len(lf.id) == len("article:") + 16


def test_same_text_in_gbk_or_utf8_gets_the_same_id(tmp_path):
    utf8 = read_article(write(tmp_path, "u.md", CHINESE_SIMPLIFIED))
    gbk = read_article(write(tmp_path, "g.md", CHINESE_SIMPLIFIED, encoding="gbk"))
    assert utf8.id == gbk.id == article_id(utf8.body)


def test_different_text_gets_a_different_id():
    assert article_id("Example Corp rose.") != article_id("Example Corp fell.")


def test_a_corpus_folders_annotation_files_are_not_articles(tmp_path):
    (tmp_path / "a.md").write_text("---\ntitle: A\n---\nUBS likes Nvidia.\n", encoding="utf-8")
    for name in ("gold.jsonl", "actions.jsonl"):
        (tmp_path / name).write_text('{"article": "a.md"}\n', encoding="utf-8")
    (tmp_path / "README.md").write_text("# The corpus\n", encoding="utf-8")
    assert [item.path for item in read_articles([tmp_path])] == [(tmp_path / "a.md").as_posix()]


# --- The annotated corpus, when this checkout sits beside shared/ -------------------


def test_every_dev_article_has_a_date_and_its_declared_language():
    if not DEV_CORPUS.is_dir():
        pytest.skip(f"no annotated corpus at {DEV_CORPUS}")
    files = sorted(f for f in DEV_CORPUS.glob("*.md") if f.name != "README.md")
    items = list(read_articles([DEV_CORPUS]))
    assert [item.path for item in items] == [file.as_posix() for file in files]
    for item, file in zip(items, files):
        assert isinstance(item, Article), item
        assert item.date is not None, file.name
        declared = detect_language("", _declared_lang(file))
        assert item.lang == declared, file.name


def _declared_lang(file: Path) -> str:
    front = file.read_text(encoding="utf-8").removeprefix("---\n").split("\n---", 1)[0]
    lang = yaml.safe_load(front)["lang"]
    return lang[0] if isinstance(lang, list) else lang
