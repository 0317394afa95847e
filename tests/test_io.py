"""Reading documents as government sites serve them: encodings, web pages, Word files.

The sample files live in ``tests/data/`` and are written by ``tests/data/make_data.py``
(a test checks that they are up to date). The ``.docx`` samples are built here at run
time with python-docx, and skipped when it is not installed.
"""

from __future__ import annotations

import importlib.util
import io
import sys
import zipfile
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import targetex
from targetex.errors import InputError
from targetex.io import (
    DOCUMENT_SUFFIXES,
    TEXT_SUFFIXES,
    decode,
    docx_to_text,
    html_to_text,
    read_document,
    read_source,
)

DATA = Path(__file__).resolve().parent / "data"


def _load_make_data() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_data", DATA / "make_data.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_data = _load_make_data()
POLICY: str = make_data.POLICY

PARSERS = [
    "html.parser",
    pytest.param("lxml", marks=pytest.mark.skipif(importlib.util.find_spec("lxml") is None,
                                                  reason="lxml not installed")),
]

# The targets of POLICY: (indicator, value, unit, comparator, text of the span).
POLICY_TARGETS = [
    ("地区生产总值", 7.0, "percent", "~", "7%"),
    ("一般公共预算收入", 5.0, "percent", ">=", "5%"),
    ("城镇新增就业", 12000.0, "person", ">=", "1.2万人"),
    ("城镇调查失业率", 5.5, "percent", "<=", "5.5%"),
    ("5G基站", 1000.0, "count", "=", "1000个"),
    ("老旧小区改造", 120.0, "count", "=", "120个"),
]


def _targets(text: str) -> list[tuple[str, float, str, str, str]]:
    """The targets targetex finds, with the text their offsets point at."""
    return [(t.indicator, t.value, t.unit, t.comparator, text[t.start:t.end])
            for t in targetex.extract(text).targets]


# --------------------------------------------------------------------------- the data files


def test_data_files_are_up_to_date() -> None:
    """tests/data/ holds exactly what make_data.py writes (regenerate after editing it)."""
    for name, data in make_data.files().items():
        assert (DATA / name).read_bytes() == data, f"{name}: run python tests/data/make_data.py"


# --------------------------------------------------------------------------- encodings

ENCODED = [
    ("policy-gbk-crlf.txt", POLICY.replace("\n", "\r\n")),
    ("policy-gb18030.txt", POLICY + make_data.GB18030_EXTRA),
    ("policy-utf16-bom.txt", POLICY),
    ("policy-utf16le-nobom.txt", POLICY),
    ("policy-utf16be-nobom.txt", POLICY),
    ("policy-utf8-bom.txt", POLICY),
]


@pytest.mark.parametrize(("name", "expected"), ENCODED, ids=[name for name, _ in ENCODED])
def test_encoding_detected_without_being_named(name: str, expected: str) -> None:
    text = read_document(DATA / name)
    assert text == expected
    assert "\ufeff" not in text


@pytest.mark.parametrize(("name", "expected"), ENCODED, ids=[name for name, _ in ENCODED])
def test_targets_found_in_decoded_text(name: str, expected: str) -> None:
    text = read_document(DATA / name)
    found = _targets(text)
    for target in POLICY_TARGETS:
        assert target in found
    assert found[0] == ("地区生产总值", 7.0, "percent", "~", "7%")


def test_gb18030_four_byte_character() -> None:
    data = (DATA / "policy-gb18030.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("gbk")  # the bullet is outside GBK: this file needs GB18030
    assert "• 全年粮食产量稳定在50万吨以上。" in read_document(DATA / "policy-gb18030.txt")


def test_latin1_looking_gbk_is_not_read_as_latin1() -> None:
    data = (DATA / "gbk-latin1-looking.txt").read_bytes()
    latin1 = data.decode("latin-1")  # every byte is valid Latin-1: "增长" would be "Ôö³¤"
    assert "Ôö³¤" in latin1
    text = read_document(DATA / "gbk-latin1-looking.txt")
    assert text == make_data.LATIN1_LOOKING
    assert text != latin1
    assert "增长7%左右" in text


@pytest.mark.parametrize("text", [
    "增长7%", "发展", "地区生产总值增长7%左右", "目标：GDP增长7%", "经济增长5%",
    "CPI：3%左右", "一、主要目标\r\n（一）增长7%左右\r\n",
])
def test_short_gbk_decodes_deterministically(text: str) -> None:
    """Short GBK texts, on which statistical detectors guess Big5 or UTF-16, decode as GBK."""
    assert decode(text.encode("gbk")) == text
    assert decode(text.encode("gb18030")) == text


def test_utf8_is_preferred_to_gbk() -> None:
    assert decode("地区生产总值增长7%左右".encode()) == "地区生产总值增长7%左右"


def test_utf32_with_bom() -> None:
    assert decode("增长7%".encode("utf-32")) == "增长7%"


def test_empty_file_is_an_input_error(tmp_path: Path) -> None:
    """An empty file (a failed download) is reported, not read as an empty document."""
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(InputError, match=r"empty\.txt: empty file"):
        read_document(path)
    assert decode(b"", "bytes") == ""  # decoding no bytes is still fine


@pytest.mark.parametrize("data", [b" \n\n", "\ufeff\u3000\u3000\r\n".encode(), "\u3000\n".encode("utf-16")])
def test_blank_file_is_an_input_error(tmp_path: Path, data: bytes) -> None:
    """A file of white space alone is reported like an empty one."""
    path = tmp_path / "blank.txt"
    path.write_bytes(data)
    message = rf"blank\.txt: only white space \({len(data)} bytes\): nothing to read"
    with pytest.raises(InputError, match=message):
        read_source(path)


def test_truncated_gbk_file_keeps_its_text(tmp_path: Path) -> None:
    """A download cut inside the last character: the text is kept, the half character marked."""
    path = tmp_path / "cut.txt"
    path.write_bytes((POLICY * 2).encode("gbk")[:-2])  # "。\n" loses 2 of 3 bytes
    text = read_document(path)
    assert text.startswith(POLICY)
    assert text.endswith("\ufffd")
    assert text.count("\ufffd") == 1


def test_big5_of_a_long_text_is_recognised() -> None:
    pytest.importorskip("charset_normalizer")
    text = ("各級政府應當加強經濟發展，地區生產總值增長7%左右，城鎮新增就業120萬人以上。"
            "香港特別行政區政府將繼續推動經濟發展。國務院關於印發「十四五」數字經濟發展規劃的通知")
    assert decode(text.encode("big5")) == text
    assert decode(text.encode("gbk")) == text  # Traditional Chinese in GBK stays GBK


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(("name", "what"), [
    ("seal.png", "an image (PNG)"),
    ("attachments.zip", "a zip archive"),
    ("old-notice.doc", "an old Office document"),
])
def test_binary_file_named_in_error(name: str, what: str) -> None:
    path = DATA / name
    with pytest.raises(InputError) as caught:
        read_document(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: is {what}")
    assert "\n" not in message


@pytest.mark.parametrize("suffix", [".txt", ".html", ".docx", ""])
def test_binary_file_under_any_suffix(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"notice{suffix}"
    path.write_bytes((DATA / "seal.png").read_bytes())
    with pytest.raises(InputError, match=r"is an image \(PNG\), not a [.a-z ]*document; OCR it first"):
        read_document(path)


# The first bytes of images as cameras, phones and scanners write them, each followed by
# bytes that hold NULs (which alone would read as broken UTF-16).
IMAGES = {
    "JPEG": b"\xff\xd8\xff\xe1\x00\x18Exif\x00\x00II*\x00",
    "PNG": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "GIF": b"GIF89a\x01\x00\x01\x00\x80\x00\x00",
    "TIFF": b"MM\x00*\x00\x00\x00\x08",
    "WebP": b"RIFF\x24\x00\x00\x00WEBPVP8 ",
    "HEIC": b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00",
    "BMP": b"BM\x36\x00\x0c\x00\x00\x00\x00\x00\x36\x00\x00\x00",
}


@pytest.mark.parametrize("kind", list(IMAGES))
@pytest.mark.parametrize(("suffix", "what"), [
    (".txt", "a text document"), (".html", "a text document"), ("", "a text document"),
    (".pdf", "a PDF"), (".docx", "a .docx document")])
def test_image_is_named_as_an_image(tmp_path: Path, kind: str, suffix: str, what: str) -> None:
    path = tmp_path / f"photo{suffix}"
    path.write_bytes(IMAGES[kind] + bytes(range(256)) * 4)
    with pytest.raises(InputError) as caught:
        read_document(path)
    assert str(caught.value) == f"{path}: is an image ({kind}), not {what}; OCR it first"


def test_text_that_starts_like_an_image_marker_is_text(tmp_path: Path) -> None:
    path = tmp_path / "bm.txt"
    path.write_text("BMW工厂扩建项目：新增产能20万辆。\n", encoding="utf-8")
    assert read_document(path).startswith("BMW")


def test_undecodable_file_named_in_error() -> None:
    path = DATA / "damaged-gbk.txt"
    with pytest.raises(InputError) as caught:
        read_document(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert "cannot decode" in message and "GBK" in message
    assert "\n" not in message


def test_control_characters_are_not_text(tmp_path: Path) -> None:
    path = tmp_path / "data.txt"
    path.write_bytes(bytes(range(1, 32)) * 20)
    with pytest.raises(InputError, match=r"data\.txt: binary data"):
        read_document(path)


def test_utf8_bom_with_bad_bytes(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(b"\xef\xbb\xbf" + "增长".encode() + b"\xff\xfe\xfd" + b"7%")
    with pytest.raises(InputError, match=r"bad\.txt: invalid utf-8 at byte"):
        read_document(path)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_document(tmp_path / "absent.txt")
    with pytest.raises(InputError, match="is a directory"):
        read_document(tmp_path)


# --------------------------------------------------------------------------- web pages

NOISE = [
    "_hmt", "统计代码", "font-family",  # script and style in <head>
    "门户网站",  # <title> and <header>
    "政务公开</a>", "请输入关键词", "搜索",  # <nav> links and <form>
    "相关文件", "计划执行情况",  # <aside>
    "请启用JavaScript",  # <noscript>
    "99%", "console",  # <script> in the body
    "版权所有",  # <footer>
    "<", "&nbsp;", "&gt;", "&copy;",  # markup and entities
]


@pytest.mark.parametrize("parser", PARSERS)
def test_html_page_article_text(parser: Any) -> None:
    text = html_to_text((DATA / "page-utf8.html").read_bytes(), parser=parser)
    for noise in NOISE:
        assert noise not in text, noise
    lines = text.split("\n")
    assert not any(line.startswith("当前位置") for line in lines)  # a breadcrumb is site furniture
    assert lines[0] == "关于印发2024年国民经济和社会发展计划的通知"
    # U+3000 indents are kept; a source line break between two Chinese characters is not a space.
    assert "\u3000\u3000（二）民生保障。城镇新增就业1.2万人以上，城镇调查失业率控制在5.5%以内。" in lines
    # <br> ends a line; an empty paragraph (&nbsp;) leaves no line.
    assert "\u3000\u3000（一）新建5G基站1000个，" in lines and "完成老旧小区改造120个。" in lines
    assert lines[-2:] == ["某市人民政府", "2024年1月15日"]
    assert all(line.strip() for line in lines)


@pytest.mark.parametrize("parser", PARSERS)
def test_html_table_one_cell_per_line(parser: Any) -> None:
    lines = html_to_text((DATA / "page-utf8.html").read_bytes(), parser=parser).split("\n")
    start = lines.index("单位：人")
    assert lines[start - 1:start + 10] == [
        "附件：2024年保障性住房建设任务表", "单位：人",
        "区县", "2023年实际", "2024年目标",
        "东城区", "300", "500",
        "西城区", "200", "400",
    ]


def test_html_targets_and_offsets() -> None:
    text = read_document(DATA / "page-utf8.html")
    found = _targets(text)
    for target in POLICY_TARGETS:
        assert target in found
    # The table reader reads the flattened table: the target column, not the baseline one.
    # (The year of the title is not part of the indicator.)
    table = [t for t in found if t[0] == "保障性住房建设"]
    assert table == [("保障性住房建设", 500.0, "person", "=", "500"),
                     ("保障性住房建设", 400.0, "person", "=", "400")]
    assert not any("99" in t[4] for t in found)


@pytest.mark.parametrize("parser", PARSERS)
def test_gbk_page_with_meta_charset(parser: Any) -> None:
    data = (DATA / "page-gbk.htm").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    text = html_to_text(data, parser=parser)
    assert text == ("\u3000\u3000地区生产总值增长7%左右，城镇新增就业1.2万人以上。\n"
                    "\u3000\u3000新建5G基站1000个。")
    assert read_document(DATA / "page-gbk.htm") == text
    assert ("地区生产总值", 7.0, "percent", "~", "7%") in _targets(text)


PAGE = "<html><head>{meta}</head><body><p>地区生产总值增长7%左右</p></body></html>"


@pytest.mark.parametrize(("meta", "encoding"), [
    ('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', "gbk"),
    ("<meta http-equiv=Content-Type content='text/html;charset=GBK'>", "gbk"),
    ('<meta charset="gb18030">', "gb18030"),
    ('<meta charset="x-gbk">', "gbk"),
    ('<meta charset="utf-8">', "gbk"),  # declared wrongly: the bytes are GBK
    ('<meta charset="gb2312">', "utf-8"),  # declared wrongly: the bytes are UTF-8
    ('<meta charset="iso-8859-1">', "gbk"),  # GBK pages declaring Latin-1 are still GBK
    ('<meta charset="windows-1252">', "gbk"),
    ('<meta charset="utf-16">', "gbk"),  # an ASCII-compatible page cannot be UTF-16
    ('<meta charset="no-such-charset">', "gbk"),
    ("", "gbk"),
])
def test_declared_charsets(meta: str, encoding: str) -> None:
    assert html_to_text(PAGE.format(meta=meta).encode(encoding)) == "地区生产总值增长7%左右"


def test_xml_declaration_of_xhtml_page() -> None:
    page = '<?xml version="1.0" encoding="gb2312"?>\n' + PAGE.format(meta="")
    assert html_to_text(page.encode("gbk")) == "地区生产总值增长7%左右"
    assert html_to_text(page) == "地区生产总值增长7%左右"


def test_latin1_page_is_latin1() -> None:
    page = PAGE.format(meta='<meta charset="iso-8859-1">').replace("地区生产总值增长7%左右", "Café, résumé")
    assert html_to_text(page.encode("latin-1")) == "Café, résumé"


@pytest.mark.parametrize("parser", PARSERS)
@pytest.mark.parametrize(("html", "expected"), [
    ("<p>增长\n7%</p>", "增长 7%"),  # a line break next to a narrow character is a space
    ("<p>地区生产\n  总值</p>", "地区生产总值"),  # between two Chinese characters it is nothing
    ("<p>a  \t b</p>", "a b"),
    ("<p>&nbsp;&nbsp;增长</p><p>\u3000\u3000增长</p>", "\xa0\xa0增长\n\u3000\u3000增长"),
    ("<p>x &amp; y &lt;z&gt; &#x4e2d;&#25991; &yen;5</p>", "x & y <z> 中文 ¥5"),
    ("<ul><li>一<li>二</ul><ol><li>三</li></ol>", "一\n二\n三"),
    ("<table><tr><td>A<td>1<tr><td>B<td>2</table>", "A\n1\nB\n2"),
    ("<table><tr><td><p>甲</p><p>乙</p></td><td></td><td>&nbsp;</td><td>3</td></tr></table>", "甲\n乙\n3"),
    ("<div>a<br>b<br/>c<br><br>d</div>", "a\nb\nc\nd"),
    ("<div>外<div>内</div>尾</div>", "外\n内\n尾"),
    ("<pre>  1  2\n3</pre>", "1  2\n3"),
    ("<p>可见</p><p hidden>隐藏</p><template><p>模板</p></template>", "可见"),
    ("<nav><p>导航<p>more</nav>after", "after"),
    ("<P CLASS=MsoNormal><SPAN LANG=EN-US>75</SPAN>%<o:p></o:p></P>", "75%"),
    ("<p>a<!-- 注释 -->b</p><![if !supportLists]>c<![endif]>", "ab\nc"),
    ("<h1>标题</h1>正文<h2>小标题</h2>", "标题\n正文\n小标题"),
    ("", ""),
    ("   \n ", ""),
    ("纯文本", "纯文本"),
])
def test_html_text_rules(parser: Any, html: str, expected: str) -> None:
    assert html_to_text(html, parser=parser) == expected


def test_html_without_lxml(monkeypatch: pytest.MonkeyPatch) -> None:
    """lxml is optional: when it cannot be imported, html.parser gives the same text."""
    expected = html_to_text((DATA / "page-utf8.html").read_bytes(), parser="html.parser")
    monkeypatch.setitem(sys.modules, "lxml", None)
    monkeypatch.setitem(sys.modules, "lxml.etree", None)
    assert html_to_text((DATA / "page-utf8.html").read_bytes()) == expected
    assert read_document(DATA / "page-gbk.htm").startswith("\u3000\u3000地区生产总值")


def test_html_parsers_agree_on_page() -> None:
    pytest.importorskip("lxml")
    for name in ("page-utf8.html", "page-gbk.htm"):
        data = (DATA / name).read_bytes()
        assert html_to_text(data, parser="lxml") == html_to_text(data, parser="html.parser")


@pytest.mark.parametrize("name", ["notice.html", "notice.HTM", "t20240115_123.shtml", "page.xhtml",
                                  "content_5592681", "notice.doc"])
def test_web_pages_by_suffix_or_content(tmp_path: Path, name: str) -> None:
    """Pages saved as .shtml, without a suffix, or as a Word-HTML .doc are read as pages."""
    path = tmp_path / name
    path.write_bytes((DATA / "page-gbk.htm").read_bytes())
    assert read_document(path).startswith("\u3000\u3000地区生产总值增长7%左右")


def test_text_suffix_is_not_read_as_html(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(b"<html><body><p>7%</p></body></html>")
    assert read_document(path) == "<html><body><p>7%</p></body></html>"


# --------------------------------------------------------------------------- Word documents


def _make_docx(path: Path) -> None:
    docx: Any = pytest.importorskip("docx")
    document = docx.Document()
    document.add_heading("关于印发2024年国民经济和社会发展计划的通知", level=1)
    for line in POLICY.splitlines()[1:]:
        document.add_paragraph(line)
    document.add_paragraph("")
    broken = document.add_paragraph("新建公园5个，")
    broken.add_run().add_break()
    broken.add_run("新增绿地100公顷。")
    document.add_paragraph("附件：2024年保障性住房建设任务表")
    document.add_paragraph("单位：人")
    table = document.add_table(rows=3, cols=3)
    for row, cells in enumerate([["区县", "2023年实际", "2024年目标"],
                                 ["东城区", "300", "500"], ["西城区", "200", "400"]]):
        for col, value in enumerate(cells):
            table.cell(row, col).text = value
    document.add_paragraph("表二 说明")
    merged = document.add_table(rows=2, cols=3)
    top = merged.cell(0, 0).merge(merged.cell(0, 2))  # one cell across the first row
    top.text = "合并标题"
    merged.cell(1, 0).text = "甲"
    merged.cell(1, 1).merge(merged.cell(1, 2)).text = "乙"
    document.add_paragraph("某市人民政府")
    document.save(str(path))


def test_docx_paragraphs_and_cells(tmp_path: Path) -> None:
    path = tmp_path / "notice.docx"
    _make_docx(path)
    text = docx_to_text(path)
    assert read_document(path) == text
    lines = text.split("\n")
    assert lines[:len(POLICY.splitlines())] == POLICY.splitlines()
    assert "新建公园5个，" in lines and "新增绿地100公顷。" in lines  # a line break in a paragraph
    start = lines.index("单位：人")
    assert lines[start:start + 10] == ["单位：人", "区县", "2023年实际", "2024年目标",
                                       "东城区", "300", "500", "西城区", "200", "400"]
    start = lines.index("表二 说明")
    assert lines[start:] == ["表二 说明", "合并标题", "甲", "乙", "某市人民政府"]  # merged cells once
    assert all(line.strip() for line in lines)


def test_docx_targets(tmp_path: Path) -> None:
    path = tmp_path / "notice.docx"
    _make_docx(path)
    text = read_document(path)
    found = _targets(text)
    for target in POLICY_TARGETS:
        assert target in found
    assert ("保障性住房建设", 500.0, "person", "=", "500") in found
    assert not any(t[4] == "300" for t in found)


def test_docx_content_under_another_suffix(tmp_path: Path) -> None:
    path = tmp_path / "P020240115.txt"
    _make_docx(path)
    assert read_document(path).startswith("关于印发2024年国民经济和社会发展计划的通知\n")


def _minimal_docx_package() -> bytes:
    """A zip with a Word part (enough to be recognised as .docx without python-docx)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_docx_without_python_docx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "notice.docx"
    path.write_bytes(_minimal_docx_package())
    monkeypatch.setitem(sys.modules, "docx", None)
    with pytest.raises(InputError) as caught:
        read_document(path)
    assert str(caught.value) == f"{path}: reading .docx needs python-docx: pip install 'targetex[docx]'"
    with pytest.raises(InputError, match="needs python-docx"):
        docx_to_text(path)


def test_damaged_docx(tmp_path: Path) -> None:
    pytest.importorskip("docx")
    path = tmp_path / "notice.docx"
    path.write_bytes(_minimal_docx_package())
    with pytest.raises(InputError, match=r"notice\.docx: damaged \.docx document"):
        read_document(path)


@pytest.mark.parametrize(("source", "what"), [
    ("attachments.zip", "is a zip archive, not a .docx document"),
    ("page-gbk.htm", "is an HTML page"),
    ("policy-gbk-crlf.txt", "is not a zip package, not a .docx document"),
    ("old-notice.doc", "is an old Office document"),
])
def test_docx_suffix_on_other_files(tmp_path: Path, source: str, what: str) -> None:
    path = tmp_path / "download.docx"
    path.write_bytes((DATA / source).read_bytes())
    with pytest.raises(InputError) as caught:
        read_document(path)
    assert str(caught.value).startswith(f"{path}: {what}")


# --------------------------------------------------------------------------- suffixes


def test_document_suffixes() -> None:
    assert set(TEXT_SUFFIXES) <= set(DOCUMENT_SUFFIXES)
    assert {".txt", ".md", ".html", ".htm", ".docx"} <= set(DOCUMENT_SUFFIXES)
    assert all(s == s.lower() and s.startswith(".") for s in DOCUMENT_SUFFIXES)
