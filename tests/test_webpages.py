"""Web pages as government sites serve them: the article, its metadata, and nothing else.

The saved pages of ``tests/data/web/`` were written for these tests after the layout of
gov.cn and provincial, city and county portals: menus (``首页 | 无障碍 | English``), a
breadcrumb, the 索引号/发布机构/成文日期/文号 block, the article (with tables), related-link
lists whose headlines carry numbers, and an ICP/备案 footer; UTF-8 and GBK, table and
div-only layouts.  Each page has its article written out beside it (``*.article.txt``).
Metadata read from a document's own text is specified in ``tests/specs/metadata.jsonl``.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import targetex
from targetex.io import _html_bytes, _render_html, html_to_text, read_source
from targetex.metadata import boilerplate_line, iso_date, label_block

WEB = Path(__file__).resolve().parent / "data" / "web"
PAGES = sorted(p for p in WEB.iterdir() if p.name.startswith("gov-") and not p.name.endswith(".txt"))
needs_trafilatura = pytest.mark.skipif(importlib.util.find_spec("trafilatura") is None,
                                       reason="trafilatura not installed (pip install 'targetex[html]')")


def _article(page: Path) -> str:
    return page.with_name(page.name.split(".")[0] + ".article.txt").read_text(encoding="utf-8")


def _keys(text: str) -> Counter[tuple[str, float, str]]:
    return Counter((t.indicator, t.value, t.unit) for t in targetex.extract(text).targets)


def test_pages_were_saved_as_sites_serve_them() -> None:
    assert len(PAGES) >= 4
    raw = {p.name: p.read_bytes() for p in PAGES}
    with pytest.raises(UnicodeDecodeError):
        raw["gov-province-gbk.htm"].decode("utf-8")  # a GBK page
    assert any(b"<table" in data and b"TRS_UEDITOR" in data for data in raw.values())  # table in the article
    assert all(b"ICP" in data and b"<div" in data for data in raw.values())


@needs_trafilatura
@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_no_false_targets_and_the_article_kept(page: Path) -> None:
    text = read_source(page).text
    article = _article(page)
    got, want = _keys(text), _keys(article)
    assert not got - want, f"false targets: {got - want}"
    assert not want - got, f"lost targets: {want - got}"
    whole = "".join(text.split())
    lines = ["".join(line.split()) for line in article.splitlines() if line.strip()]
    kept = sum(1 for line in lines if line in whole)
    assert kept >= 0.9 * len(lines)


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_the_whole_page_has_false_targets(page: Path) -> None:
    """The pages are a real test: read whole (as before), each gives targets its article lacks."""
    html, _ = _html_bytes(page.read_bytes(), str(page))
    whole = "\n".join(_render_html(html, "auto"))
    assert _keys(whole) - _keys(_article(page))


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_furniture_rules_without_the_library(page: Path) -> None:
    text = html_to_text(page.read_bytes(), main_content=False)
    starts = ("当前位置", "您现在的位置", "上一篇", "下一篇")
    assert not any(line.startswith(starts) for line in text.splitlines())
    assert "ICP备" not in text and "索引号" not in text and "【打印" not in text


@needs_trafilatura
def test_related_links_menus_and_footer_are_gone() -> None:
    text = read_source(WEB / "gov-council-utf8.html").text
    for furniture in ("无障碍", "English", "当前位置", "相关稿件", "社会消费品零售总额增长5.5%",
                      "5G基站60万个", "ICP备", "公网安备", "索引号", "分享到", "网站标识码"):
        assert furniture not in text, furniture
    lines = text.splitlines()
    assert lines[0] == "国务院办公厅关于推进县域商业体系建设的实施意见"
    assert lines[-2:] == ["2024年3月12日", "\u3000\u3000（此件公开发布）"]


@needs_trafilatura
@pytest.mark.parametrize(("name", "cells"), [
    ("gov-province-gbk.htm", ["序号", "指标", "2023年", "2024年", "2025年", "1", "新增智能工厂（家）",
                              "60", "70", "70"]),
    ("gov-county-table-utf8.shtml", ["序号", "工作任务", "牵头单位", "责任单位", "1",
                                     "地区生产总值增长6.5%左右", "县发改局", "县统计局、各乡镇"]),
])
def test_tables_in_the_article_one_cell_per_line(name: str, cells: list[str]) -> None:
    lines = read_source(WEB / name).text.splitlines()
    start = lines.index(cells[0])
    assert lines[start:start + len(cells)] == cells


EXPECTED_META = {
    "gov-council-utf8.html": {
        "title": "国务院办公厅关于推进县域商业体系建设的实施意见", "doc_number": "国办发〔2024〕11号",
        "issuer": "国务院办公厅", "date": "2024-03-12", "published": "2024-03-18", "format": "html",
        "encoding": "utf-8"},
    "gov-province-gbk.htm": {
        "title": "某某省人民政府办公厅关于印发某某省制造业数字化转型行动方案的通知",
        "doc_number": "某政办发〔2023〕27号", "issuer": "省政府办公厅", "date": "2023-05-26",
        "published": "2023-06-02", "format": "html", "encoding": "gb18030"},
    "gov-city-divs-utf8.html": {
        "title": "2024年某某市十项民生实事项目", "doc_number": "", "issuer": "市政府办公室",
        "date": "2024-02-05", "published": "2024-02-06", "format": "html", "encoding": "utf-8"},
    "gov-county-table-utf8.shtml": {
        "title": "某某县人民政府关于印发2023年政府工作报告重点工作任务分解的通知",
        "doc_number": "某政发〔2023〕3号", "issuer": "某某县人民政府", "date": "2023-02-27",
        "published": "2023-03-01", "format": "html", "encoding": "utf-8"},
}


@pytest.mark.parametrize("name", sorted(EXPECTED_META))
def test_page_metadata(name: str) -> None:
    meta = read_source(WEB / name).meta
    assert {k: getattr(meta, k) for k in EXPECTED_META[name]} == EXPECTED_META[name]
    assert meta.source == str(WEB / name)


@needs_trafilatura
def test_title_put_back_when_the_library_drops_it() -> None:
    lines = read_source(WEB / "gov-city-divs-utf8.html").text.splitlines()
    assert lines[0] == "2024年某某市十项民生实事项目"
    assert lines.count("2024年某某市十项民生实事项目") == 1


PLAIN_LINES = ["关于印发2025年重点工作任务的通知", "一、主要目标", "（一）地区生产总值增长6%左右。",
               "牵头单位：市发改局", "（二）新增城镇就业1.5万人。", "二、保障措施", "7", "7",
               "加强组织领导。", "某市人民政府", "2025年1月10日"]


@pytest.mark.parametrize("wrap", [
    "<html><head><title>通知</title></head><body>{}</body></html>",
    "<!DOCTYPE html><html><body>{}</body></html>",
    "{}",
])
@pytest.mark.parametrize("parser", ["auto", "html.parser"])
def test_plain_page_of_p_lines_comes_back_whole(wrap: str, parser: Any) -> None:
    """A page that is all article (what the layout stage feeds in) keeps every line, in order."""
    page = wrap.format("".join(f"<p>{line}</p>" for line in PLAIN_LINES))
    assert html_to_text(page, parser=parser).split("\n") == PLAIN_LINES


def test_without_trafilatura_the_rules_still_apply(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "trafilatura", None)
    source = read_source(WEB / "gov-county-table-utf8.shtml")
    assert "索引号" not in source.text and "ICP备" not in source.text and "上一篇" not in source.text
    assert source.meta.doc_number == "某政发〔2023〕3号"
    page = "<html><body>" + "".join(f"<p>{line}</p>" for line in PLAIN_LINES) + "</body></html>"
    assert html_to_text(page).split("\n") == PLAIN_LINES


def test_a_failing_library_keeps_the_whole_page(monkeypatch: pytest.MonkeyPatch,
                                                caplog: pytest.LogCaptureFixture) -> None:
    trafilatura = pytest.importorskip("trafilatura")

    def broken(*args: Any, **kwargs: Any) -> str:
        raise RuntimeError("boom")

    monkeypatch.setattr(trafilatura, "extract", broken)
    page = "<html><body>" + "".join(f"<p>{line}</p>" for line in PLAIN_LINES) + "</body></html>"
    assert html_to_text(page).split("\n") == PLAIN_LINES
    assert "main-content extraction failed" in caplog.text


@pytest.mark.parametrize(("lines", "span", "fields"), [
    (["索引号：", "000014349/2024-00031", "发文机关：", "某部", "成文日期：", "2024年03月12日", "正文"],
     (0, 6), {"issuer": "某部", "date": "2024-03-12"}),
    (["导航", "索 引 号：11/2023-1分类：工业发布机构：省经信厅", "文号：某经信〔2023〕9号发布日期：2023-6-2",
      "正文"],
     (1, 3), {"issuer": "省经信厅", "doc_number": "某经信〔2023〕9号", "published": "2023-06-02"}),
    (["标题：", "某方案", "文号:", "某发〔2020〕1号", "发布机构:", "市政府"],
     (0, 6), {"title": "某方案", "doc_number": "某发〔2020〕1号", "issuer": "市政府"}),
])
def test_metadata_block(lines: list[str], span: tuple[int, int], fields: dict[str, str]) -> None:
    found = label_block(lines)
    assert found == (span, fields)


@pytest.mark.parametrize("lines", [
    ["牵头单位：市发改局", "配合单位：市财政局"],  # responsibility lines are not metadata
    ["文号：某发〔2020〕1号", "正文"],  # one label is not a block
    [],
])
def test_no_metadata_block(lines: list[str]) -> None:
    assert label_block(lines) is None


@pytest.mark.parametrize(("line", "furniture"), [
    ("当前位置：首页 > 政务公开", True), ("您现在的位置: 首页", True), ("上一篇：某新闻", True),
    ("【打印本页】 【关闭窗口】", True), ("京ICP备05070218号", True), ("网站标识码 3300000001", True),
    ("分享到：微信", True),
    ("（一）当前位置偏远的村庄新建道路10公里。", False), ("主要目标", False), ("上一年度增长5%", False),
])
def test_furniture_lines(line: str, furniture: bool) -> None:
    assert boilerplate_line(line) is furniture


@pytest.mark.parametrize(("text", "date"), [
    ("2024年03月12日", "2024-03-12"), ("2024-3-8 09:30", "2024-03-08"), ("2024/12/01", "2024-12-01"),
    ("2024.1.5", "2024-01-05"), ("二〇二四年三月十二日", "2024-03-12"),
    ("二○二三年十二月三十一日", "2023-12-31"),
    ("2024年2月", ""), ("无日期", ""), ("2024-02-30", ""), ("2024-02-29", "2024-02-29"),
])
def test_iso_dates(text: str, date: str) -> None:
    assert iso_date(text) == date


NOTICE = ("某县人民政府办公室关于印发2025年农村公路建设方案的通知\n某政办发〔2025〕8号\n各乡镇人民政府：\n"
          "　　现将方案印发给你们。\n某县人民政府办公室\n2025年2月14日")


def test_metadata_of_a_text_file(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(NOTICE, encoding="gbk")
    meta = read_source(path).meta
    assert (meta.title, meta.doc_number, meta.date, meta.format, meta.encoding, meta.source) == (
        "某县人民政府办公室关于印发2025年农村公路建设方案的通知", "某政办发〔2025〕8号", "2025-02-14", "text",
        "gb18030", str(path))


@needs_trafilatura
def test_a_broken_trafilatura_is_said_once(monkeypatch: pytest.MonkeyPatch,
                                           caplog: pytest.LogCaptureFixture) -> None:
    """Installed but not importable (lxml without lxml_html_clean): the page is still read, and
    the log says why the furniture may stay — once."""
    from targetex import webpage

    real = importlib.import_module

    def import_module(name: str, package: str | None = None) -> Any:
        if name == "trafilatura":
            raise ImportError("lxml.html.clean module is now a separate project lxml_html_clean")
        return real(name, package)

    monkeypatch.setattr(importlib, "import_module", import_module)
    webpage._warn_once.cache_clear()
    page = "<html><body>" + "".join(f"<p>{line}</p>" for line in PLAIN_LINES) + "</body></html>"
    for _ in range(2):
        assert html_to_text(page).split("\n") == PLAIN_LINES
    assert caplog.text.count("trafilatura is installed but cannot be imported") == 1
