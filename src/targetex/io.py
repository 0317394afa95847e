"""Reading documents from disk as government sites serve them.

Four kinds of document are read (see :data:`DOCUMENT_SUFFIXES`):

* plain text (``.txt``, ``.text``, ``.md``): the bytes are decoded by :func:`decode`;
* web pages (``.html``, ``.htm``, ``.shtml``, ``.xhtml``): the article text is extracted by
  :func:`html_to_text`, one paragraph, list item or table cell per line (the article is
  chosen by :mod:`targetex.webpage`);
* Word documents (``.docx``): paragraphs and table cells one per line, by
  :func:`docx_to_text` (needs the optional ``python-docx``: ``pip install 'targetex[docx]'``);
* PDF files (``.pdf``): text in reading order by :mod:`targetex.pdf` (needs the optional
  ``pdfplumber``: ``pip install 'targetex[pdf]'``).

:func:`read_source` returns the text with the document's metadata (:class:`Source`).

Encodings are recognised without the user naming them, deterministically and in this
order: a byte-order mark (UTF-8, UTF-16, UTF-32, GB18030), UTF-16 without a BOM (NUL
bytes), strict UTF-8, the charset a web page declares, strict GB18030 (a superset of GBK
and GB2312). ``charset-normalizer`` (optional) is asked only when all of these fail, or
when a long text decodes as GB18030 but not to common Chinese (Big5); its answer is never
allowed to turn GBK text into Latin-1 mojibake. Binary files (images, archives, old
``.doc``, OFD), decoded text that is not plausible text, and undecodable bytes give an
:class:`~targetex.errors.InputError` whose one-line message names the file.

Offsets of the records targetex extracts refer to the text these functions return.
"""

from __future__ import annotations

import codecs
import importlib
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Literal

from targetex.errors import InputError, library_reason
from targetex.extras import require
from targetex.records import DocumentMeta

__all__ = [
    "DOCUMENT_SUFFIXES",
    "DOCX_SUFFIXES",
    "HTML_SUFFIXES",
    "PDF_SUFFIXES",
    "TEXT_SUFFIXES",
    "Source",
    "decode",
    "decode_detected",
    "docx_to_text",
    "html_to_text",
    "pdf_to_text",
    "read_bytes",
    "read_document",
    "read_source",
]

#: File suffixes read as plain text.
TEXT_SUFFIXES = (".txt", ".text", ".md")
#: File suffixes read as web pages (:func:`html_to_text`).
HTML_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")
#: File suffixes read as Word documents (:func:`docx_to_text`).
DOCX_SUFFIXES = (".docx",)
#: File suffixes read as PDF (:func:`pdf_to_text`, needs ``targetex[pdf]``).
PDF_SUFFIXES = (".pdf",)
#: Every suffix :func:`read_document` accepts: the files taken when a folder is walked.
DOCUMENT_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + DOCX_SUFFIXES + PDF_SUFFIXES

_DOCX_HINT = "pip install 'targetex[docx]'"

_MAGIC = {
    b"%PDF": "a PDF file",
    b"\x89PNG": "an image (PNG)",
    b"\xff\xd8\xff": "an image (JPEG)",
    b"GIF8": "an image (GIF)",
    b"II*\x00": "an image (TIFF)",
    b"MM\x00*": "an image (TIFF)",
    b"PK\x03\x04": "a zip archive",
    b"PK\x05\x06": "a zip archive (empty)",
    b"\x1f\x8b": "a gzip archive",
    b"Rar!": "a RAR archive",
    b"7z\xbc\xaf": "a 7z archive",
    b"\xd0\xcf\x11\xe0": "an old Office document (.doc/.xls/.wps)",
    b"{\\rtf": "an RTF document",
}
# Images told by a container's brand rather than by their first bytes: a RIFF file's form
# type at byte 8, an ISO media file's brand after "ftyp" at byte 4.
_RIFF_IMAGES = {b"WEBP": "an image (WebP)"}
_FTYP_IMAGES = {b"heic": "an image (HEIC)", b"heix": "an image (HEIC)", b"mif1": "an image (HEIF)",
                b"avif": "an image (AVIF)"}
# What to do about a binary file targetex cannot read.
_HINTS = {
    "a PDF file": "; read it with read_document() or targetex extract (needs targetex[pdf])",
    "an old Office document (.doc/.xls/.wps)": "; save it as .docx or .txt",
    "an RTF document": "; save it as .docx or .txt",
}

# Members that tell what a zip package is (checked in this order).
_ZIP_KINDS = (
    ("word/document.xml", "a Word .docx document"),
    ("xl/workbook.xml", "an Excel .xlsx workbook"),
    ("ppt/presentation.xml", "a PowerPoint .pptx presentation"),
    ("OFD.xml", "an OFD document (fixed layout, like PDF)"),
    ("mimetype", "an OpenDocument file"),
)

_UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_GB18030_BOM = b"\x84\x31\x95\x33"

# Encoding labels of web pages, mapped to the codec that decodes what sites really send
# (the WHATWG Encoding Standard reads every GB2312/GBK label as GB18030, Latin-1 as cp1252).
_LABELS = {
    "gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "x-gbk": "gb18030",
    "gb_2312-80": "gb18030", "gb_2312": "gb18030", "csgb2312": "gb18030", "chinese": "gb18030",
    "iso-ir-58": "gb18030", "euc-cn": "gb18030", "cp936": "gb18030", "ms936": "gb18030",
    "windows-936": "gb18030",
    "iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252", "l1": "cp1252",
    "us-ascii": "cp1252", "ascii": "cp1252", "windows-1252": "cp1252", "cp1252": "cp1252",
    "big5": "big5hkscs", "x-x-big5": "big5hkscs", "cn-big5": "big5hkscs", "big5-hkscs": "big5hkscs",
}
# Declared charsets that Chinese pages often state wrongly: GB18030 is tried before them.
_WEAK_DECLARED = frozenset({"cp1252", "iso8859_15", "iso8859_2"})
# charset-normalizer may replace a strict GB18030 reading only of this many non-ASCII
# characters: on shorter texts its guesses are unreliable (it reads GBK 發展 as Big5).
_MIN_GUESS = 50
# Multi-byte encodings charset-normalizer may propose for bytes that decode as GB18030
# but not as common Chinese (Big5, Japanese, Korean); single-byte guesses are refused.
_MULTIBYTE = frozenset({
    "big5", "big5hkscs", "cp950", "shift_jis", "cp932", "shift_jis_2004", "shift_jisx0213",
    "euc_jp", "euc_jis_2004", "euc_jisx0213", "euc_kr", "cp949", "johab", "gbk", "gb2312", "hz",
    "iso2022_jp", "iso2022_kr",
})


# --------------------------------------------------------------------------- decoding


def decode(data: bytes, name: str = "<bytes>", *, declared: str | None = None) -> str:
    """Decode document bytes, detecting UTF-8, UTF-16 and GB18030 (GBK, GB2312).

    The checks run in a fixed order, so the same bytes always give the same text: magic
    numbers of binary formats, byte-order marks, UTF-16 without a BOM, strict UTF-8,
    the ``declared`` charset, strict GB18030, and only then damaged-text repair and
    ``charset-normalizer`` (when installed). Bytes that decode as GB18030 are never
    read as Latin-1 or another single-byte code page.  Decoded text that is not plausible
    text (control, private-use or unassigned characters; for a guessed decoding, no
    Chinese or a jumble of scripts) is refused as binary data.

    Args:
        data: the file's bytes.
        name: the file name used in error messages.
        declared: a charset the document states (``<meta charset>``), tried after
            UTF-8; a page declaring Latin-1 is still read as GB18030 when it decodes so.

    Returns:
        The text, without a byte-order mark; line breaks are left as they are.

    Raises:
        InputError: the bytes are a binary format or cannot be decoded.

    >>> decode("增长7%".encode("gbk"))
    '增长7%'
    """
    return decode_detected(data, name, declared=declared)[0]


def decode_detected(data: bytes, name: str = "<bytes>", *,
                    declared: str | None = None) -> tuple[str, str]:
    """:func:`decode`, also returning the name of the encoding used (``utf-8``, ``gb18030``…)."""
    text, encoding, guessed = _decode(data, name, declared)
    problem = _implausible(text, guessed=guessed)
    if problem is not None:
        raise InputError(f"{name}: binary data ({problem}), not a text document")
    return text, encoding


def _decode(data: bytes, name: str, declared: str | None) -> tuple[str, str, bool]:
    """(text, encoding, whether the encoding was only guessed)."""
    what = _binary_kind(data)
    if what is not None:
        raise InputError(f"{name}: is {what}, not a text document{_hint(what)}")
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", name), "utf-8", False
    if data.startswith(_UTF32_BOMS):
        return _strict(data, "utf-32", name), "utf-32", False
    if data.startswith(_UTF16_BOMS):
        return _strict(data, "utf-16", name), "utf-16", False
    if data.startswith(_GB18030_BOM):
        return _strict(data[4:], "gb18030", name), "gb18030", False
    if b"\x00" in data[:4096]:
        return (*_utf16_without_bom(data, name), True)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if not _looks_like_text(text):
            raise InputError(f"{name}: binary data (control characters), not a text document")
        return text, "utf-8", False
    codec = _codec(declared) if declared else None
    if codec is not None and codec not in _WEAK_DECLARED:
        try:
            return data.decode(codec), codec, False
        except UnicodeDecodeError:
            pass  # a wrong declaration is common: detect instead
    try:
        gb: str | None = data.decode("gb18030")
    except UnicodeDecodeError:
        gb = None
    if gb is not None and _looks_like_text(gb):
        if _plausible_chinese(gb):
            return gb, "gb18030", False
        # GB18030 decodes these bytes, but not to common Chinese: trust a Latin-1
        # declaration, or, for texts long enough to judge, ask for a multi-byte
        # alternative (Big5); else keep GB18030 (Traditional Chinese in GBK).
        other: tuple[str, str] | None
        if codec is not None:
            other = _declared(data, codec)
            if other is not None:
                return (*other, False)
        elif sum(1 for ch in gb[:20000] if ord(ch) > 0x7F) >= _MIN_GUESS:
            other = _normalizer_guess(data, multibyte_only=True)
            if other is not None:
                return (*other, True)
        return gb, "gb18030", False
    if codec is not None:
        other = _declared(data, codec)
        if other is not None:
            return (*other, False)
    return (*_hard_case(data, name), True)


def _declared(data: bytes, codec: str) -> tuple[str, str] | None:
    try:
        return data.decode(codec), codec
    except UnicodeDecodeError:
        return None


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: invalid {encoding} at byte {exc.start}; cannot decode") from None


def _binary_kind(data: bytes) -> str | None:
    """What a binary file is, from its magic number (and a zip's members), or None."""
    if data.startswith(b"RIFF") and data[8:12] in _RIFF_IMAGES:
        return _RIFF_IMAGES[data[8:12]]
    if data[4:8] == b"ftyp" and data[8:12] in _FTYP_IMAGES:
        return _FTYP_IMAGES[data[8:12]]
    # A BMP starts "BM", then its size and two reserved fields that are zero.
    if data.startswith(b"BM") and len(data) >= 14 and data[6:10] == b"\0\0\0\0":
        return "an image (BMP)"
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            if magic == b"PK\x03\x04":
                return _zip_kind(data) or what
            return what
    return None


def _hint(what: str) -> str:
    """What to do with a binary file of kind ``what`` (``; OCR it first``), or ""."""
    return "; OCR it first" if what.startswith("an image") else _HINTS.get(what, "")


def _zip_kind(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    for member, what in _ZIP_KINDS:
        if member in names:
            return what
    return None


def _utf16_without_bom(data: bytes, name: str) -> tuple[str, str]:
    """UTF-16 without a BOM: ASCII characters give a NUL byte at even (BE) or odd (LE) offsets."""
    sample = data[:4096]
    odd = sample[1::2].count(0)
    even = sample[0::2].count(0)
    order = ("utf-16-le", "utf-16-be") if odd >= even else ("utf-16-be", "utf-16-le")
    for encoding in order:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text, encoding
    raise InputError(f"{name}: binary data (NUL bytes), not a text document")


def _codec(label: str) -> str | None:
    """The Python codec for a charset label, or None for an unknown or UTF-16/32 label."""
    label = label.strip().strip("\"'").lower()
    if label in _LABELS:
        return _LABELS[label]
    try:
        codec = codecs.lookup(label).name.replace("-", "_")
    except LookupError:
        return None
    if codec.startswith(("utf_16", "utf_32")):
        return None  # an ASCII-compatible page cannot be UTF-16; its bytes decide
    return {"gb2312": "gb18030", "gbk": "gb18030", "iso8859_1": "cp1252", "ascii": "cp1252"}.get(codec, codec)


def _looks_like_text(text: str) -> bool:
    if not text:
        return True
    sample = text[:4000]
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f\v\x1b")
    return control / len(sample) < 0.02


# Unicode categories that do not occur in real text: control (outside white space),
# private use, unassigned, surrogates.
_ODD_CATEGORIES = frozenset({"Cc", "Co", "Cn", "Cs"})
# Code-point ranges of Chinese, Japanese and Korean writing (ideographs, kana, CJK
# punctuation, full-width forms): one script for the plausibility check.
_CJK_RANGES = ((0x2E80, 0x2FFF), (0x3000, 0x30FF), (0x3100, 0x31FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF),
               (0xAC00, 0xD7AF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF), (0x20000, 0x3FFFF))
_HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3FFFF))


def _in(ranges: tuple[tuple[int, int], ...], code: int) -> bool:
    return any(low <= code <= high for low, high in ranges)


def _implausible(text: str, *, guessed: bool) -> str | None:
    """Why decoded text cannot be a document, or None when it can.

    Any text: more than 1% control, private-use, unassigned or surrogate characters.  Text
    whose encoding was only guessed (UTF-16 without a BOM, charset-normalizer, repair of
    damaged bytes) must also hold Chinese characters and be written in few scripts: ASCII,
    CJK and one other make up 90% of it (binary bytes read as UTF-16 scatter over many).
    """
    sample = text[:20000]
    if not sample:
        return None
    odd = sum(1 for ch in sample
              if unicodedata.category(ch) in _ODD_CATEGORIES and ch not in "\n\r\t\f\v\x1b")
    if odd > 0.01 * len(sample):
        return "control, private-use or unassigned characters"
    if not guessed:
        return None
    if not any(_in(_HAN_RANGES, ord(ch)) for ch in sample):
        return "no Chinese text in a guessed encoding"
    buckets: dict[int, int] = {}
    common = 0
    for ch in sample:
        code = ord(ch)
        if code < 0x80 or _in(_CJK_RANGES, code):
            common += 1
        else:
            buckets[code >> 7] = buckets.get(code >> 7, 0) + 1  # 128-code-point blocks
    if common + max(buckets.values(), default=0) < 0.9 * len(sample):
        return "a jumble of scripts"
    return None


def _plausible_chinese(text: str) -> bool:
    """Whether GB18030-decoded text is mostly common Chinese (GB2312) characters.

    Real GBK documents use GB2312 characters almost only; Latin-1 or Big5 bytes read as
    GB18030 land mostly outside it.
    """
    wide = [ch for ch in text[:20000] if ord(ch) > 0x7F]
    if not wide:
        return True
    common = 0
    for ch in wide:
        try:
            ch.encode("gb2312")
        except UnicodeEncodeError:
            continue
        common += 1
    return common >= 0.8 * len(wide)


def _damaged(data: bytes) -> tuple[str, str] | None:
    """UTF-8 or GB18030 text with a few bad bytes (a truncated file): decoded with U+FFFD."""
    best: tuple[int, str, str] | None = None
    for encoding in ("utf-8", "gb18030"):
        text = data.decode(encoding, errors="replace")
        bad = text.count("\ufffd")
        good_wide = sum(1 for ch in text if ord(ch) > 0x7F) - bad
        if bad <= 1 + len(text) // 2000 and good_wide >= 20 * bad and (best is None or bad < best[0]):
            if encoding == "gb18030" and not _plausible_chinese(text.replace("\ufffd", "")):
                continue
            best = (bad, text, encoding)
    return (best[1], best[2]) if best is not None and _looks_like_text(best[1]) else None


def _normalizer_guess(data: bytes, *, multibyte_only: bool) -> tuple[str, str] | None:
    """Ask charset-normalizer (optional dependency); None when missing or unsure."""
    try:
        normalizer: Any = importlib.import_module("charset_normalizer")
    except ImportError:
        return None
    best = normalizer.from_bytes(data).best()
    if best is None:
        return None
    encoding = str(best.encoding).lower().replace("-", "_")
    if encoding.startswith(("utf_16", "utf_32")) or encoding in ("utf_8", "gb18030"):
        return None  # already tried, strictly
    if multibyte_only and encoding not in _MULTIBYTE:
        return None
    text = str(best)
    return (text, encoding) if _looks_like_text(text) else None


def _hard_case(data: bytes, name: str) -> tuple[str, str]:
    """Bytes that are neither strict UTF-8 nor strict GB18030."""
    text = _damaged(data)
    if text is not None:
        return text
    gb = data.decode("gb18030", errors="replace")
    looks_gbk = _plausible_chinese(gb.replace("\ufffd", "")) and any(ord(ch) > 0x7F for ch in gb)
    guess = _normalizer_guess(data, multibyte_only=looks_gbk)
    if guess is not None:
        return guess
    if looks_gbk:
        bad = gb.count("\ufffd")
        raise InputError(f"{name}: looks like GBK/GB18030 text but has {bad} invalid byte sequences; "
                         "cannot decode")
    raise InputError(f"{name}: not UTF-8, UTF-16 or GB18030 (GBK) text; cannot decode")


# --------------------------------------------------------------------------- HTML

# Elements whose content is not article text.
_SKIP = frozenset({
    "head", "title", "script", "style", "noscript", "template", "nav", "header", "footer", "aside",
    "form", "button", "select", "textarea", "iframe", "frame", "frameset", "object", "embed",
    "svg", "canvas", "video", "audio", "map",
})
# Elements that begin and end a line.
_BLOCK = frozenset({
    "address", "article", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
    "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6",
    "hgroup", "hr", "html", "legend", "li", "listing", "main", "menu", "ol", "p", "pre", "section",
    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "xmp",
})
_PRE = frozenset({"pre", "listing", "xmp", "textarea", "plaintext"})
_VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
})
# HTML's collapsible white space (not U+3000 or U+00A0, which are kept as written).
_SPACE = re.compile(r"[ \t\n\r\f]+")
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_DECL = re.compile(r"""^\s*<\?xml[^>]*\?>""")
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")
_HTML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])",
                         re.IGNORECASE | re.DOTALL)


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


class _TextBuilder:
    """Turns start/end/data events into lines: one per block, ``<br>`` or table cell."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._parts: list[tuple[str, bool]] = []
        self._pre = 0

    def start(self, tag: str) -> None:
        if tag == "br":
            self._parts.append(("\n", True))
        elif tag in _BLOCK:
            self.flush()
        if tag in _PRE:
            self._pre += 1

    def end(self, tag: str) -> None:
        if tag in _PRE and self._pre:
            self._pre -= 1
        if tag in _BLOCK:
            self.flush()

    def data(self, text: str) -> None:
        if text:
            self._parts.append((text, self._pre > 0))

    def flush(self) -> None:
        if not self._parts:
            return
        chunks: list[str] = []
        run: list[str] = []
        for text, kept in self._parts:
            if kept:
                chunks.append(_collapse("".join(run)))
                run = []
                chunks.append(text)
            else:
                run.append(text)
        chunks.append(_collapse("".join(run)))
        self._parts = []
        for line in "".join(chunks).split("\n"):
            line = line.strip(" \t\r\f")
            if line and not line.isspace():
                self.lines.append(line)

    def text(self) -> str:
        self.flush()
        return "\n".join(self.lines)


def _collapse(text: str) -> str:
    """Collapse HTML white space; a line break between two CJK characters disappears.

    (CSS Text: a segment break between East Asian wide characters is removed, so a
    source line wrapped inside a Chinese sentence does not insert a space.)
    """
    if not text:
        return text

    def replace(m: re.Match[str]) -> str:
        s, e = m.start(), m.end()
        if ("\n" in m.group() or "\r" in m.group()) and s > 0 and e < len(text) \
                and _wide(text[s - 1]) and _wide(text[e]):
            return ""
        return " "

    return _SPACE.sub(replace, text)


def _hidden(attrs: Iterable[tuple[str, str | None]]) -> bool:
    return any(key == "hidden" for key, _ in attrs)


class _StdlibParser(HTMLParser):
    """The fallback when lxml is not installed: html.parser events into a builder."""

    def __init__(self, builder: _TextBuilder) -> None:
        super().__init__(convert_charrefs=True)
        self.builder = builder
        self._skip_tag: str | None = None
        self._skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skip_tag is not None:
            if tag == self._skip_tag:
                self._skip_depth += 1
            return
        if (tag in _SKIP or _hidden(attrs)) and tag not in _VOID:
            self._skip_tag, self._skip_depth = tag, 1
            return
        self.builder.start(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skip_tag is None and tag not in _SKIP:
            self.builder.start(tag)
            if tag not in _VOID:
                self.builder.end(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._skip_tag is not None:
            if tag == self._skip_tag:
                self._skip_depth -= 1
                if self._skip_depth == 0:
                    self._skip_tag = None
            elif tag in ("body", "html"):  # an unclosed skipped element ends with the page
                self._skip_tag = None
            return
        if tag == "br":  # </br> is read as <br> by browsers
            self.builder.start("br")
        else:
            self.builder.end(tag)

    def handle_data(self, data: str) -> None:
        if self._skip_tag is None:
            self.builder.data(data)


def _lxml() -> Any:
    """lxml.etree when installed, else None."""
    try:
        return importlib.import_module("lxml.etree")
    except ImportError:
        return None


def _walk_lxml(etree: Any, html: str, builder: _TextBuilder) -> None:
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, recover=True, huge_tree=True)
    try:
        root = etree.fromstring(_XML_DECL.sub("", html, count=1), parser)
    except etree.XMLSyntaxError:
        return  # an empty document
    if root is None:
        return
    # (element, None) opens an element; (element, tag) closes it, then its tail follows.
    stack: list[tuple[Any, str | None]] = [(root, None)]
    while stack:
        element, closing = stack.pop()
        if closing is not None:
            builder.end(closing)
            if element.tail:
                builder.data(element.tail)
            continue
        if not isinstance(element.tag, str):  # comment, processing instruction, entity
            if element.tail:
                builder.data(element.tail)
            continue
        tag = element.tag.rpartition("}")[2].lower()
        if (tag in _SKIP or "hidden" in element.attrib) and tag not in _VOID:
            if element.tail:
                builder.data(element.tail)
            continue
        builder.start(tag)
        if element.text:
            builder.data(element.text)
        stack.append((element, tag))
        stack.extend((child, None) for child in reversed(element))


def _html_bytes(data: bytes, name: str) -> tuple[str, str]:
    """Decode a web page: BOM, then UTF-8, then its declared charset, then GB18030."""
    head = data[:16384]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    declared = match.group(1).decode("ascii") if match else None
    return decode_detected(data, name, declared=declared)


def html_to_text(html: str | bytes, *, name: str = "<html>",
                 parser: Literal["auto", "lxml", "html.parser"] = "auto",
                 main_content: bool = True) -> str:
    """The article text of a web page, one paragraph, list item or table cell per line.

    Scripts, styles, navigation, headers, footers, asides, forms, ``noscript`` and other
    non-text elements (and elements with the ``hidden`` attribute) are dropped; every
    block (``<p>``, ``<div>``, ``<li>``, ``<td>``, ``<h1>``…) and every ``<br>`` ends a line;
    entities are decoded; HTML white space is collapsed (a source line break between two
    Chinese characters disappears) while every other character, including ``\\u3000``
    and ``&nbsp;``, is kept as written; empty lines are dropped.  Then the article is
    chosen (:mod:`targetex.webpage`): the 索引号 metadata block, breadcrumbs, print links
    and ICP footers go, and, with ``main_content`` and trafilatura installed, menus,
    related-link lists and side bars too.  A page that is all article comes back whole.

    Args:
        html: the page; bytes are decoded from their BOM, UTF-8, the page's declared
            charset (``<meta charset>``, ``http-equiv``) or GB18030, in that order.
        name: the file name used in error messages.
        parser: ``"auto"`` uses lxml when it is installed, else the standard library's
            ``html.parser``; both give the same text for well-formed pages.
        main_content: choose the article with trafilatura (when installed); ``False``
            keeps every rendered line but the metadata block and the site furniture.

    Raises:
        InputError: bytes that are binary or cannot be decoded.
        MissingDependencyError: ``parser="lxml"`` and lxml is not installed (an
            ``ImportError``; ``pip install 'targetex[html]'``).

    >>> html_to_text("<p>增长<b>7%</b>左右</p><script>x()</script><table><tr><td>1<td>2</table>")
    '增长7%左右\\n1\\n2'
    """
    return _read_html(html, name, parser, main_content).text


def _render_html(text: str, parser: Literal["auto", "lxml", "html.parser"]) -> list[str]:
    builder = _TextBuilder()
    etree = require("lxml.etree", "html", "html_to_text(parser='lxml')") if parser == "lxml" else (
        _lxml() if parser == "auto" else None)
    if etree is not None:
        _walk_lxml(etree, text, builder)
    else:
        stdlib = _StdlibParser(builder)
        stdlib.feed(text)
        stdlib.close()
    builder.flush()
    return builder.lines


def _read_html(html: str | bytes, name: str, parser: Literal["auto", "lxml", "html.parser"] = "auto",
               main_content: bool = True) -> Source:
    from targetex.webpage import article

    encoding = ""
    if isinstance(html, bytes):
        text, encoding = _html_bytes(html, name)
    else:
        text = html
    chosen = article(_render_html(text, parser), text, lambda html: _render_html(html, parser),
                     main=main_content)
    meta = DocumentMeta(format="html", encoding=encoding, **chosen.fields)
    return Source("\n".join(chosen.lines), meta)


# --------------------------------------------------------------------------- Word


def _docx_module(name: str) -> Any:
    try:
        return importlib.import_module("docx")
    except ImportError:
        raise InputError(f"{name}: reading .docx needs python-docx: {_DOCX_HINT}") from None


def _docx_lines(container: Any, seen: set[Any]) -> Iterator[str]:
    """Lines of a document body or table cell: paragraphs, then cells of tables, in order."""
    for block in container.iter_inner_content():
        if hasattr(block, "rows"):  # a table: every physical cell once (merged cells repeat)
            for row in block.rows:
                for cell in row.cells:
                    key = getattr(cell, "_tc", cell)  # the cell's XML element
                    if key in seen:
                        continue
                    seen.add(key)
                    yield from _docx_lines(cell, seen)
        else:
            yield from block.text.split("\n")


def docx_to_text(path: str | Path) -> str:
    """The text of a Word ``.docx`` file: paragraphs and table cells one per line.

    Tables are read in document order, row by row; a merged cell is read once; a line
    break inside a paragraph starts a new line; empty paragraphs are dropped.

    Raises:
        InputError: python-docx is not installed, or the file is missing, not a .docx
            package or damaged; the message names the file.
    """
    path = Path(path)
    data = _read_bytes(path)
    return _docx_text(data, str(path))


def _docx_text(data: bytes, name: str) -> str:
    if not data.startswith(b"PK\x03\x04"):
        what = _binary_kind(data)
        if what is None and _HTML_START.match(data[:4096]):
            what = "an HTML page (a download that returned a web page?)"
        raise InputError(f"{name}: is {what or 'not a zip package'}, not a .docx document"
                         f"{_hint(what) if what else ''}")
    kind = _zip_kind(data)
    if kind != "a Word .docx document":
        raise InputError(f"{name}: is {kind or 'a zip archive'}, not a .docx document")
    docx = _docx_module(name)
    try:
        document = docx.Document(io.BytesIO(data))
        seen: set[Any] = set()
        lines = [line.strip(" \t\r") for line in _docx_lines(document, seen)]
    except Exception as exc:  # python-docx raises many kinds on damaged packages
        reason = library_reason(exc, "cannot be opened")
        raise InputError(f"{name}: damaged .docx document ({reason})") from None
    return "\n".join(line for line in lines if line and not line.isspace())


# --------------------------------------------------------------------------- files


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None


@dataclass(frozen=True, slots=True)
class Source:
    """A document as read from a file: its text and what is known about it.

    Attributes:
        text: the text extraction runs on (offsets of the records refer to it).
        meta: title, 文号, issuer, dates, source path, format and encoding.
    """

    text: str
    meta: DocumentMeta


def pdf_to_text(path: str | Path, /) -> str:
    """The text of the PDF file at ``path`` (:func:`targetex.pdf.read_pdf`: lines joined
    again, page furniture dropped), read as :func:`read_document` reads any file."""
    return read_document(path)


def read_document(path: str | Path) -> str:
    """Read a document file as text, choosing the reader by suffix (see :func:`read_source`).

    Raises:
        InputError: missing, unreadable, binary or undecodable file; the message names it.
    """
    return read_source(path).text


def read_source(path: str | Path) -> Source:
    """Read a document file: its text and its metadata.

    ``.html``/``.htm``/``.shtml``/``.xhtml`` go through :func:`html_to_text`, ``.docx``
    (and any file whose bytes are a Word package) through :func:`docx_to_text`, ``.pdf``
    (and any file that starts ``%PDF``) through :func:`pdf_to_text`, and
    everything else is decoded as plain text by :func:`decode` — except that a file of
    another suffix that starts like a web page (``<!DOCTYPE html`` or ``<html``) is read
    as one.  The metadata the file gives (a page's ``<meta>`` tags and 索引号 block, a
    PDF's properties) is completed from the text itself (:func:`targetex.metadata.text_metadata`).

    Raises:
        InputError: missing, unreadable, binary or undecodable file, or one with no text
            (empty, only white space); the message names it.
    """
    path = Path(path)
    return read_bytes(_read_bytes(path), str(path), suffix=path.suffix)


# What a text may hold and still say nothing: white space and invisible characters.
_BLANK = " \t\n\r\x0b\x0c\u3000\u00a0\u200b\u200c\u200d\u2060\ufeff"


def read_bytes(data: bytes, name: str, *, suffix: str = "") -> Source:
    """Read a document from its bytes (a file or standard input, named ``name`` in errors).

    The reader is chosen by ``suffix`` (``".html"``…) and by the bytes themselves.

    Raises:
        InputError: the bytes are empty, cannot be read, or give no text (only white space,
            a page or Word file without text); the message names ``name``.
    """
    from targetex.metadata import merge, text_metadata

    if not data:
        raise InputError(f"{name}: empty file (0 bytes): nothing to read")
    suffix = suffix.lower()
    if suffix in DOCX_SUFFIXES or (data.startswith(b"PK\x03\x04")
                                   and _zip_kind(data) == "a Word .docx document"):
        source = Source(_docx_text(data, name), DocumentMeta(format="docx"))
    elif suffix in PDF_SUFFIXES or data.startswith(b"%PDF"):
        from targetex.pdf import read_pdf

        what = None if b"%PDF" in data[:1024] else _binary_kind(data)
        if what is not None:  # an image or archive named .pdf: say what it is
            raise InputError(f"{name}: is {what}, not a PDF{_hint(what)}")

        text, fields = read_pdf(data, name)
        source = Source(text, DocumentMeta(format="pdf", **fields))
    elif suffix in HTML_SUFFIXES or (suffix not in TEXT_SUFFIXES and _HTML_START.match(data[:4096])):
        source = _read_html(data, name)
    else:
        text, encoding = decode_detected(data, name)
        source = Source(text, DocumentMeta(format="text", encoding=encoding))
    if not source.text.strip(_BLANK):
        what = f"only white space ({len(data)} bytes)" if source.meta.format == "text" \
            else f"no text in this {source.meta.format} file"
        raise InputError(f"{name}: {what}: nothing to read")
    found = merge({k: v for k, v in source.meta.to_dict().items() if v}, text_metadata(source.text),
                  {"source": name})
    return Source(source.text, DocumentMeta.from_dict(found))
