"""Reading documents from disk: encodings as government sites serve them.

UTF-8 (with or without BOM), UTF-16 (with BOM) and GB18030 (a superset of GBK and GB2312)
are recognised without the user naming the encoding; binary files (PDF, images, archives)
and undecodable bytes give an :class:`~targetex.errors.InputError` naming the file.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from targetex.errors import InputError

__all__ = ["TEXT_SUFFIXES", "decode", "read_document"]

#: File suffixes read as plain text when a folder is walked.
TEXT_SUFFIXES = (".txt", ".text", ".md")

_MAGIC = {
    b"%PDF": "a PDF file",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a zip archive (or .docx/.xlsx)",
    b"\x1f\x8b": "a gzip archive",
    b"Rar!": "a RAR archive",
    b"7z\xbc\xaf": "a 7z archive",
    b"\xd0\xcf\x11\xe0": "an old Office document (.doc/.xls)",
}


def decode(data: bytes, name: str = "<bytes>") -> str:
    """Decode document bytes, detecting UTF-8, UTF-16 and GB18030.

    Raises:
        InputError: the bytes are a binary format or no Chinese encoding decodes them.
    """
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise InputError(f"{name}: is {what}, not a text document")
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", name)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", name)
    if b"\x00" in data[:4096]:
        # UTF-16 without a BOM: every other byte of ASCII/CJK text is often NUL.
        for encoding in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if _looks_like_text(text):
                return text
        raise InputError(f"{name}: binary data (NUL bytes), not a text document")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise InputError(f"{name}: not UTF-8, UTF-16 or GB18030 text; cannot decode") from None
    if not _looks_like_text(text):
        raise InputError(f"{name}: does not decode to Chinese text in UTF-8, UTF-16 or GB18030")
    return text


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: invalid {encoding} at byte {exc.start}") from None


def _looks_like_text(text: str) -> bool:
    if not text:
        return True
    sample = text[:4000]
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    return control / len(sample) < 0.02


def read_document(path: str | Path) -> str:
    """Read a document file as text (see :func:`decode` for the encodings).

    Raises:
        InputError: missing, unreadable, binary or undecodable file; the message names it.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    return decode(data, str(path))
