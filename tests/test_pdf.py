"""PDF input: reading order, tables one cell per line, no page furniture, wraps joined.

The PDFs are built here with reportlab (``tests/pdf_samples.py``) the way government PDFs
are typeset: justified paragraphs with a two-character indent, a running head and a page
number ``— N —`` on every page, ruled tables; Chinese in reportlab's CID font
``STSong-Light`` (no font file).  ``tests/data/scan.pdf`` is a page with no text layer.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import targetex
from targetex.cli import main
from targetex.errors import InputError
from targetex.io import read_bytes, read_source

pytest.importorskip("pdfplumber")
pytest.importorskip("reportlab")

from pdf_samples import make_line_pdf, make_pdf, paragraphs

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"

# Paragraphs long enough to wrap on an A4 line, items that start new lines, a table.
NOTICE = [
    "某市人民政府办公室关于印发2025年城乡建设重点任务的通知",
    "各区人民政府，市政府各部门，各直属机构：",
    "　　一、主要目标",
    "　　（一）全年完成城镇老旧小区改造150个，惠及居民2.3万户，新建改造城市燃气管网120公里以上，"
    "城市生活垃圾回收利用率达到40%，确保城市建成区绿地率稳定在38%以上，力争新增公园绿地面积80公顷。",
    "　　（二）新开工保障性租赁住房6000套，筹集公租房房源800套，棚户区改造开工3500户。",
    "　　二、年度指标",
    [["序号", "指标名称", "单位", "目标值"],
     ["1", "新增城市停车泊位", "个", "12000"],
     ["2", "改造雨污管网", "公里", "260"]],
    "　　三、保障措施",
    "　　" + "各区要把任务分解到月、落实到项目，每季度报送进展情况，确保年度任务如期完成。" * 30,
    "某市人民政府办公室",
    "2025年3月6日",
]


@pytest.fixture(scope="module")
def notice_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "notice.pdf"
    path.write_bytes(make_pdf(NOTICE, title="某市人民政府办公室关于印发2025年城乡建设重点任务的通知"))
    return path


def _plain(items: list[str | list[list[str]]]) -> str:
    lines: list[str] = []
    for item in items:
        if isinstance(item, str):
            lines.append(item.strip("\u3000"))
        else:
            lines.extend(cell for row in item for cell in row)
    return "\n".join(lines)


def test_text_in_reading_order_without_page_furniture(notice_pdf: Path) -> None:
    source = read_source(notice_pdf)
    assert source.text == _plain(NOTICE)  # wraps joined, tables one cell per line, head and page numbers gone
    assert "某市人民政府文件" not in source.text and "—" not in source.text
    assert (source.meta.format, source.meta.title, source.meta.date, source.meta.issuer) == (
        "pdf", "某市人民政府办公室关于印发2025年城乡建设重点任务的通知", "2025-03-06", "某市人民政府办公室")


def test_several_pages_and_targets_as_from_the_text(notice_pdf: Path) -> None:
    import pdfplumber

    with pdfplumber.open(notice_pdf) as pdf:
        assert len(pdf.pages) >= 2  # the page furniture repeats: it is really dropped
    from_pdf = targetex.extract(read_source(notice_pdf).text)
    from_text = targetex.extract(_plain(NOTICE))
    assert [t.to_dict() for t in from_pdf.targets] == [t.to_dict() for t in from_text.targets]
    assert len(from_pdf.targets) >= 10


def test_corpus_document_as_pdf_gives_the_same_targets_and_tasks() -> None:
    """The figure of the issue: Cixi typeset as a PDF and read back = Cixi as text."""
    text = (ROOT / "corpora" / "cixi-2021.txt").read_text(encoding="utf-8")
    source = read_bytes(make_pdf(paragraphs(text)), "cixi-2021.pdf")
    from_text, from_pdf = targetex.extract(text), targetex.extract(source.text)

    def targets(doc: targetex.Document) -> list[tuple[object, ...]]:
        return [(t.task_id, t.text, t.indicator, t.action, t.kind, t.value, t.value_max, t.unit, t.classifier,
                 t.comparator, t.modality) for t in doc.targets]

    def tasks(doc: targetex.Document) -> list[tuple[object, ...]]:
        return [(t.task_id, t.part_title, t.leaders, t.lead_units, t.cooperating_units) for t in doc.tasks]

    assert len(from_text.targets) == 63
    assert targets(from_pdf) == targets(from_text)
    assert tasks(from_pdf) == tasks(from_text)
    for t in from_pdf.targets:
        assert source.text[t.start:t.end] == t.text


def test_page_numbers_of_many_styles_are_dropped() -> None:
    import re

    from targetex.pdf import _rules

    page_number = _rules().page_number
    for number in ("3", "- 3 -", "— 12 —", "第3页", "第 3 页 共 12 页", "3/12", "·3·"):
        assert page_number.match(number), number
    for text in ("3个", "2025年", "一、主要目标", "（3）"):
        assert not page_number.match(text), text
    assert re.sub(r"\d", "", "— 3 —")


def test_scanned_pdf_gives_one_clear_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(InputError, match=r"scan\.pdf: PDF has no text layer \(a scan\?\); OCR it first"):
        read_source(DATA / "scan.pdf")
    status = main(["extract", str(DATA / "scan.pdf")])
    err = capsys.readouterr().err
    assert status == 1
    assert [line for line in err.splitlines() if "error" in line] == [
        f"targetex: error: {DATA / 'scan.pdf'}: PDF has no text layer (a scan?); OCR it first"]


def test_damaged_pdf(tmp_path: Path) -> None:
    path = tmp_path / "cut.pdf"
    path.write_bytes(make_pdf(["新建学校3所。"])[:300])
    with pytest.raises(InputError, match=r"cut\.pdf: not a readable PDF: "):
        read_source(path)


@pytest.mark.parametrize("data", [b"%PDF-1.4\ngarbage\n", b"%PDF-1.7\n%%EOF\n" + bytes(200)])
def test_fake_pdf_is_one_clean_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes) -> None:
    """What the PDF library says, without its exception's class name."""
    path = tmp_path / "fake.pdf"
    path.write_bytes(data)
    assert main(["extract", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"targetex: error: {path}: not a readable PDF: ") and err.count("\n") == 1
    assert "Exception" not in err and "Error" not in err and "Traceback" not in err


def test_without_pdfplumber(monkeypatch: pytest.MonkeyPatch, notice_pdf: Path) -> None:
    monkeypatch.setitem(sys.modules, "pdfplumber", None)
    with pytest.raises(InputError, match=r"reading PDF needs pdfplumber: pip install 'targetex\[pdf\]'"):
        read_source(notice_pdf)


def test_pdf_in_a_folder_is_read(tmp_path: Path, notice_pdf: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "notice.pdf").write_bytes(notice_pdf.read_bytes())
    (folder / "plan.txt").write_text("（一）新建学校3所。", encoding="utf-8")
    assert main(["extract", str(folder), "--format", "jsonl"]) == 0
    out = capsys.readouterr().out
    assert '"doc_id": "notice"' in out and '"doc_id": "plan"' in out


# A flush-left task list, hard-wrapped: the first task's text ends at the right margin with
# 。, its responsibility line follows without indentation.
FLUSH_LEFT = [
    "某县2025年农业农村重点工作任务分解表",
    "一、夯实农业生产基础",
    "（一）稳定粮食生产。全县粮食播种面积稳定在45万亩以上，",
    "新建高标准农田2.2万亩，改造提升灌区渠系18公里，加快补齐",
    "农田水利短板，年内完成小型水库除险加固工程6座，建设3万亩。",
    "牵头单位：县农业农村局；配合单位：县水利局、县财政局",
    "（二）发展特色产业。新培育市级以上农业龙头企业5家，新认定",
    "绿色食品和地理标志农产品8个，农产品加工产值增长8%左右。",
    "责任单位：县农业农村局、县市场监管局",
    "二、推进乡村建设",
    "（三）改善农村人居环境。新改建农村卫生户厕3000户以上，行政",
    "村生活垃圾分类覆盖率达到60%，建成美丽宜居示范村12个。",
    "牵头单位：县住建局",
]


def test_responsibility_line_after_a_full_line_is_not_glued() -> None:
    """A responsibility line after a full line ending in 。 keeps its own line, so the task
    keeps its lead and cooperating units, as the same wrapped text read as .txt does."""
    source = read_bytes(make_line_pdf(FLUSH_LEFT), "tasks.pdf")
    assert "\n牵头单位：县农业农村局；配合单位：县水利局、县财政局\n" in source.text
    from_pdf, from_text = targetex.extract(source.text), targetex.extract("\n".join(FLUSH_LEFT))
    units = [(t.task_id, t.lead_units, t.cooperating_units) for t in from_pdf.tasks]
    assert units == [("1.1", ("县农业农村局",), ("县水利局", "县财政局")),
                     ("1.2", ("县农业农村局", "县市场监管局"), ()),
                     ("2.3", ("县住建局",), ())]
    assert units == [(t.task_id, t.lead_units, t.cooperating_units) for t in from_text.tasks]
    assert len(from_pdf.targets) >= 8
    assert [(t.task_id, t.text) for t in from_pdf.targets] == [(t.task_id, t.text) for t in from_text.targets]
