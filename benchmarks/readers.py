"""Time each reader adds per document: web pages and PDFs against the same text read as .txt.

Every corpus document (``corpora/*.txt``) is made into
  * a web page: its lines as ``<p>`` in the furniture of a government portal (menu,
    breadcrumb, 索引号 block, related links, ICP footer), UTF-8;
  * a PDF: typeset by ``tests/pdf_samples.py`` (reportlab, STSong-Light, running head and
    page numbers);
and read with ``targetex.io.read_bytes``; the same document's UTF-8 bytes read as ``.txt``
are the baseline.  Reported per reader, in one run: the median time per document of reading
(bytes to text and metadata), the time added over the plain-text reader, and that time
relative to ``targetex.extract`` on the text (the work that follows any reader).

    python benchmarks/readers.py [--repeat 5] [--json benchmarks/results/readers.json]
"""

from __future__ import annotations

import argparse
import html
import json
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import targetex
from targetex.io import read_bytes

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from pdf_samples import make_pdf, paragraphs  # noqa: E402  (tests/ on the path first)

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="2024-03-18"><title>{title}_政府文件_某市人民政府</title></head><body>
<div class="top"><a href="/">首页</a> | <a href="/wza/">无障碍</a> | <a href="/en/">English</a></div>
<div class="menu"><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li>政务服务</li></ul></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; 政务公开 &gt; 政府文件</div>
<table class="xxgk">
<tr><td>索引号：</td><td>1133/2024-00031</td><td>发布机构：</td><td>市政府办公室</td></tr>
<tr><td>成文日期：</td><td>2024-03-12</td><td>文号：</td><td>某政办发〔2024〕11号</td></tr></table>
<div class="article"><h1>{title}</h1><div class="content">{body}</div></div>
<div class="related"><div>相关稿件</div><ul><li><a href="/1">全市一季度地区生产总值增长6.8%</a></li>
<li><a href="/2">我市新增高新技术企业320家</a></li></ul></div>
<div class="footer"><p>主办单位：某市人民政府办公室</p><p>某ICP备05012345号 网站标识码3300000001</p></div>
</body></html>"""


def _page(text: str) -> bytes:
    lines = [line for line in text.splitlines() if line.strip()]
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
    return PAGE.format(title=html.escape(lines[0] if lines else ""), body=body).encode("utf-8")


def _median(work: Callable[[], object], repeat: int) -> float:
    work()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per document (median)")
    parser.add_argument("--json", metavar="PATH", help="write the figures as JSON")
    args = parser.parse_args(argv)
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpora").glob("*.txt"))}
    inputs = {
        "text (.txt)": {k: (v.encode("utf-8"), ".txt") for k, v in texts.items()},
        "web page (.html)": {k: (_page(v), ".html") for k, v in texts.items()},
        "PDF (.pdf)": {k: (make_pdf(paragraphs(v)), ".pdf") for k, v in texts.items()},
    }
    extract = {k: _median(lambda t=t: targetex.extract(t), args.repeat) for k, t in texts.items()}
    per_reader: dict[str, dict[str, float]] = {}
    for reader, documents in inputs.items():
        times = {k: _median(lambda d=d, s=s: read_bytes(d, "x" + s, suffix=s), args.repeat)
                 for k, (d, s) in documents.items()}
        per_reader[reader] = times
    base = per_reader["text (.txt)"]
    rows = []
    for reader, times in per_reader.items():
        added = [times[k] - base[k] for k in times]
        rows.append({
            "reader": reader,
            "documents": len(times),
            "read_ms_per_doc": 1000 * statistics.mean(times.values()),
            "added_ms_per_doc": 1000 * statistics.mean(added),
            "extract_ms_per_doc": 1000 * statistics.mean(extract.values()),
            "added_over_extract": sum(added) / sum(extract.values()),
            "bytes_per_doc": statistics.mean(len(d) for d, _ in inputs[reader].values()),
        })
    print(f"{'reader':<18}{'docs':>5}{'read ms/doc':>13}{'added ms/doc':>14}{'extract ms/doc':>16}"
          f"{'added/extract':>15}")
    for row in rows:
        print(f"{row['reader']:<18}{row['documents']:>5}{row['read_ms_per_doc']:>13.2f}"
              f"{row['added_ms_per_doc']:>14.2f}{row['extract_ms_per_doc']:>16.2f}"
              f"{row['added_over_extract']:>15.2f}")
    print(f"median of {args.repeat} runs after a warm-up; {platform.python_version()}, "
          f"{len(texts)} corpus documents, one run")
    if args.json:
        Path(args.json).write_text(json.dumps({"rows": rows, "repeat": args.repeat,
                                               "python": platform.python_version()}, indent=2) + "\n",
                                   encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
