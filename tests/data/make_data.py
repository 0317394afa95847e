"""Write the test documents of ``tests/data/`` (run once; the output is committed).

Every file is made deterministically from the short policy text below, in the encodings
and formats government sites serve: GBK with CRLF line breaks (what Windows Notepad
saves as "ANSI"), GB18030 with a character outside GBK, UTF-16 with and without a BOM,
UTF-8 with a BOM, web pages in UTF-8 and GBK, and small binary files (PDF, PNG, a zip
archive, an old Office header) that must be refused.

    python tests/data/make_data.py

The ``.docx`` sample is not here: the tests build it at run time with python-docx.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: The policy text of the plain-text samples (its targets are checked by the tests).
POLICY = """关于印发2024年国民经济和社会发展计划的通知
各区人民政府，市政府各部门：
　　一、主要目标
　　（一）经济增长。地区生产总值增长7%左右，一般公共预算收入增长5%以上。
　　（二）民生保障。城镇新增就业1.2万人以上，城镇调查失业率控制在5.5%以内。
　　二、重点任务
　　（一）新建5G基站1000个，完成老旧小区改造120个。
"""

#: A line only GB18030 can encode (U+2022 BULLET is a four-byte GB18030 sequence, not GBK).
GB18030_EXTRA = "　　• 全年粮食产量稳定在50万吨以上。\n"

#: A GBK file that is mostly ASCII: every byte is also valid Latin-1 (ÔÖ³¤…).
LATIN1_LOOKING = "GDP growth target 2024: 增长7%左右 (about 7 percent).\nCPI: 3%.\n"

_NOISE_HEAD = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>关于印发2024年国民经济和社会发展计划的通知_某市人民政府门户网站</title>
<style>
  body { font-family: "Microsoft YaHei"; } p { text-indent: 2em; }
</style>
<script>var _hmt = _hmt || []; document.write("<p>统计代码</p>");</script>
</head>
"""

#: The web page in UTF-8: the article between navigation, scripts, forms and a footer.
PAGE_UTF8 = _NOISE_HEAD + """<body>
<header><div class="logo">某市人民政府门户网站</div></header>
<nav><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li></ul></nav>
<form action="/search"><input type="text" name="q" value="请输入关键词"><button>搜索</button></form>
<div class="position">当前位置：<a href="/">首页</a> &gt; 政务公开</div>
<article>
<h1>关于印发2024年国民经济和社会发展计划的通知</h1>
<div class="TRS_Editor">
<p>各区人民政府，市政府各部门：</p>
<p>　　一、主要目标</p>
<p>　　（一）经济增长。地区生产总值增长7%左右，一般公共预算收入增长5%以上。</p>
<p>　　（二）民生保障。城镇新增就业<span style="color:red">1.2万人</span>以上，
城镇调查失业率控制在5.5%以内。</p>
<p>　　二、重点任务</p>
<p>　　（一）新建5G基站1000个，<br>完成老旧小区改造120个。</p>
<p>附件：2024年保障性住房建设任务表</p>
<table border="1">
<caption>单位：人</caption>
<tr><th>区县</th><th>2023年实际</th><th>2024年目标</th></tr>
<tr><td>东城区</td><td>300</td><td>500</td></tr>
<tr><td>西城区</td><td>200</td><td>400</td></tr>
</table>
<p>&nbsp;</p>
<p>某市人民政府<br/>2024年1月15日</p>
</div>
</article>
<aside><h3>相关文件</h3><ul><li>2023年计划执行情况</li></ul></aside>
<noscript>请启用JavaScript以获得最佳浏览体验</noscript>
<script type="text/javascript">
  if (a < b && c > d) { console.log("地区生产总值增长99%"); }
</script>
<footer><p>版权所有：某市人民政府办公厅 &copy; 2024</p></footer>
</body>
</html>
"""

#: The web page in GBK, with its charset declared the old way in a <meta charset>.
PAGE_GBK = """<html>
<head>
<meta charset="gbk">
<title>通知</title>
</head>
<body>
<nav><a href="/">首页</a> | <a href="/zwgk/">政务公开</a></nav>
<div class="content">
<p>　　地区生产总值增长7%左右，城镇新增就业1.2万人以上。</p>
<p>　　新建5G基站1000个。</p>
</div>
</body>
</html>
"""


def _png() -> bytes:
    """A 1×1 white PNG image."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff", 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def _pdf() -> bytes:
    """A one-page PDF with no text (what a scanned notice looks like to a text reader)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _zip() -> bytes:
    """A zip archive of attachments (not a Word document)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("附件1.txt", date_time=(2024, 1, 15, 0, 0, 0))
        archive.writestr(info, POLICY.encode("utf-8"), compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _old_doc() -> bytes:
    """The 512-byte header of an OLE2 compound file, as an old Word .doc starts."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + struct.pack("<HHH", 0x3E, 3, 0xFFFE)
    return header + bytes(512 - len(header))


def _damaged_gbk() -> bytes:
    """GBK text in which every 7th byte was overwritten: no encoding decodes it."""
    data = bytearray((POLICY * 3).encode("gbk"))
    for i in range(0, len(data), 7):
        data[i] = 0xFF
    return bytes(data)


def files() -> dict[str, bytes]:
    """Every sample file: name -> bytes."""
    return {
        "policy-gbk-crlf.txt": POLICY.replace("\n", "\r\n").encode("gbk"),
        "policy-gb18030.txt": (POLICY + GB18030_EXTRA).encode("gb18030"),
        "policy-utf16-bom.txt": b"\xff\xfe" + POLICY.encode("utf-16-le"),
        "policy-utf16le-nobom.txt": POLICY.encode("utf-16-le"),
        "policy-utf16be-nobom.txt": POLICY.encode("utf-16-be"),
        "policy-utf8-bom.txt": b"\xef\xbb\xbf" + POLICY.encode("utf-8"),
        "gbk-latin1-looking.txt": LATIN1_LOOKING.encode("gbk"),
        "page-utf8.html": PAGE_UTF8.encode("utf-8"),
        "page-gbk.htm": PAGE_GBK.encode("gbk"),
        "scan.pdf": _pdf(),
        "seal.png": _png(),
        "attachments.zip": _zip(),
        "old-notice.doc": _old_doc(),
        "damaged-gbk.txt": _damaged_gbk(),
    }


def main() -> None:
    for name, data in files().items():
        (HERE / name).write_bytes(data)
        print(f"{name}: {len(data)} bytes")


if __name__ == "__main__":
    main()
