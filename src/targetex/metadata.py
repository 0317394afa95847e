"""What a document says about itself: title, 文号, issuer and date, from its lines.

Used by the readers (``targetex.io``): a web page's 索引号 block and ``<meta>`` tags, a PDF's
properties, and — where the file gives nothing — the text itself: the title line among the
first lines, a 文号 such as ``某政办发〔2023〕27号``, the signature and the date line under it.
The words and patterns are data (``models/documents.toml``); this module holds the mechanism.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from targetex.numerals import parse_number
from targetex.resources import read_toml

__all__ = [
    "MetaRules",
    "iso_date",
    "label_block",
    "rules",
    "text_metadata",
]

_FIELDS = ("title", "doc_number", "issuer", "date", "published")
_SPACES = re.compile(r"[\s\u3000\xa0]+")


@dataclass(frozen=True)
class MetaRules:
    """The tables of ``models/documents.toml``, compiled.  Build with :func:`rules`."""

    label_field: dict[str, str]  # label -> field ("" for labels that fill none)
    label_regex: re.Pattern[str]  # any label (inner spaces allowed) followed by : or ：
    min_labels: int
    meta_tags: dict[str, tuple[str, ...]]  # field -> <meta> names, lower case, best first
    title_separators: tuple[str, ...]
    title_endings: tuple[str, ...]
    title_search_lines: int
    issuer_endings: tuple[str, ...]
    issuer_max_length: int
    doc_number: re.Pattern[str]
    date: re.Pattern[str]
    date_line: re.Pattern[str]
    web_line_starts: tuple[str, ...]
    web_line_contains: tuple[str, ...]


@functools.cache
def rules() -> MetaRules:
    """The metadata rules, read once from ``models/documents.toml``."""
    data = read_toml("documents.toml")
    labels = data["labels"]
    label_field: dict[str, str] = {}
    for field_name in (*_FIELDS, "other"):
        for label in labels.get(field_name, ()):
            label_field[label] = "" if field_name == "other" else field_name
    # Longest first, so that 信息分类 wins over 分类; spaces may stand between characters.
    alternatives = sorted(label_field, key=len, reverse=True)
    spaced = "|".join("[ \\t\\u3000\\xa0]*".join(re.escape(ch) for ch in label) for label in alternatives)
    patterns = data["patterns"]
    date = patterns["date"]
    return MetaRules(
        label_field=label_field,
        label_regex=re.compile(f"({spaced})[ \\t\\u3000\\xa0]*[:：]"),
        min_labels=int(labels.get("min_labels", 3)),
        meta_tags={k: tuple(n.lower() for n in v) for k, v in data["meta_tags"].items()},
        title_separators=tuple(data["title"]["separators"]),
        title_endings=tuple(data["title"]["endings"]),
        title_search_lines=int(data["title"]["search_lines"]),
        issuer_endings=tuple(sorted(data["issuer"]["endings"], key=len, reverse=True)),
        issuer_max_length=int(data["issuer"]["max_length"]),
        doc_number=re.compile(patterns["doc_number"]),
        date=re.compile(date),
        date_line=re.compile(patterns["date_line"].replace("{date}", date)),
        web_line_starts=tuple(data["web"]["line_starts"]),
        web_line_contains=tuple(data["web"]["line_contains"]),
    )


def squeeze(text: str) -> str:
    """``text`` without any white space (ASCII, full-width or no-break)."""
    return _SPACES.sub("", text)


def _number(text: str) -> int:
    return int(text) if text.isdigit() else int(parse_number(text.replace("○", "〇")))


def iso_date(text: str) -> str:
    """The first date in ``text`` as ``YYYY-MM-DD``, or ``""``.

    >>> iso_date("2024年03月12日"), iso_date("发布时间：2024-3-18 16:05"), iso_date("二〇二四年三月十二日")
    ('2024-03-12', '2024-03-18', '2024-03-12')
    """
    match = rules().date.search(text)
    if match is None:
        return ""
    try:
        year, month, day = (_number(g) for g in match.groups())
    except (ValueError, ArithmeticError):
        return ""
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:  # 2023年13月40日, 2月30日: not a date
        return ""


def _clean_value(text: str) -> str:
    return text.strip(" \t\n\r\u3000\xa0：:;；")


def label_block(lines: Sequence[str]) -> tuple[tuple[int, int], dict[str, str]] | None:
    """The first metadata block (索引号：… 发布机构：… 成文日期：…) among ``lines``.

    A block is a run of lines made of labels and their values: a label line (``发布机构：``,
    ``索引号：X分类：Y``, labels of ``models/documents.toml``) may be followed by one line
    holding its value (a table cell); the run must hold ``min_labels`` distinct labels.

    Returns:
        ``((first, end), fields)``: the half-open line range of the block and the fields it
        fills (``title``, ``doc_number``, ``issuer``, ``date`` and ``published``; dates as
        ISO strings), or ``None`` when there is no block.
    """
    r = rules()
    i = 0
    while i < len(lines):
        if not r.label_regex.match(lines[i].lstrip(" \t\u3000\xa0")):
            i += 1
            continue
        start, j = i, i
        pairs: list[tuple[str, str]] = []
        while j < len(lines):
            line = lines[j].strip(" \t\u3000\xa0")
            matches = list(r.label_regex.finditer(line))
            if not matches or matches[0].start() != 0:
                break
            for k, match in enumerate(matches):
                end = matches[k + 1].start() if k + 1 < len(matches) else len(line)
                pairs.append((squeeze(match.group(1)), _clean_value(line[match.end():end])))
            j += 1
            # A label with nothing after it takes the next line as its value (a table cell),
            # unless that line is itself a label.
            if pairs and not pairs[-1][1] and j < len(lines) \
                    and not r.label_regex.match(lines[j].strip(" \t\u3000\xa0")):
                pairs[-1] = (pairs[-1][0], _clean_value(lines[j]))
                j += 1
        if len({label for label, _ in pairs}) >= r.min_labels:
            found: dict[str, str] = {}
            for label, value in pairs:
                field_name = r.label_field.get(label, "")
                if field_name and value and field_name not in found:
                    found[field_name] = iso_date(value) if field_name in ("date", "published") else value
            return (start, j), {k: v for k, v in found.items() if v}
        i = max(j, i + 1)
    return None


def page_title(title: str) -> str:
    """A page's ``<title>`` without the section and site names after it."""
    title = title.strip()
    for separator in rules().title_separators:
        head, sep, _ = title.partition(separator)
        if sep and head.strip():
            title = head.strip()
    return title


def meta_tag_fields(tags: Mapping[str, str]) -> dict[str, str]:
    """Fields from a page's ``<meta name=… content=…>`` tags (names in lower case)."""
    found: dict[str, str] = {}
    for field_name, names in rules().meta_tags.items():
        for name in names:
            value = tags.get(name, "").strip()
            if field_name == "published":
                value = iso_date(value)
            if value:
                found[field_name] = value
                break
    return found


def _strip_brackets(line: str) -> str:
    return line.strip(" \t\u3000\xa0").rstrip("》”’\"'）)】]").strip()


def _title_line(lines: Sequence[str]) -> str:
    r = rules()
    for line in lines[:r.title_search_lines]:
        core = _strip_brackets(line)
        if 4 <= len(core) <= 120 and core.endswith(r.title_endings) and not core.endswith(("：", ":")):
            return line.strip(" \t\u3000\xa0")
    return ""


def _issuer_name(text: str) -> str:
    r = rules()
    text = text.strip(" \t\u3000\xa0")
    if 2 <= len(text) <= r.issuer_max_length and text.endswith(r.issuer_endings) \
            and not any(ch in text for ch in "，。；：,;:"):
        return text
    return ""


def text_metadata(text: str) -> dict[str, str]:
    """Title, 文号, issuer and date read from a document's own text (``""`` fields left out).

    * title: the first of the leading lines that ends like a title (通知, 意见, 方案…);
    * doc_number: the first 文号 in the leading lines (``国办发〔2024〕11号``);
    * date and issuer: the last line that is only a date, and the organ's name on the line
      above it (the signature); else the organ before 关于 in the title.

    >>> found = text_metadata("某市政府办公室关于印发某方案的通知\\n某政办〔2023〕1号\\n正文。\\n"
    ...                       "某市政府办公室\\n2023年1月5日")
    >>> found["title"], found["doc_number"], found["issuer"], found["date"]
    ('某市政府办公室关于印发某方案的通知', '某政办〔2023〕1号', '某市政府办公室', '2023-01-05')
    """
    r = rules()
    lines = [line for line in text.splitlines() if line.strip(" \t\u3000\xa0")]
    found: dict[str, str] = {}
    title = _title_line(lines)
    if title:
        found["title"] = title
    head = "\n".join(lines[:r.title_search_lines + 4])
    number = r.doc_number.search(head)
    if number is not None:
        found["doc_number"] = number.group(0)
    for i in range(len(lines) - 1, max(-1, len(lines) - 40), -1):
        if r.date_line.match(lines[i]):
            date = iso_date(lines[i])
            if date:
                found["date"] = date
                signer = _issuer_name(lines[i - 1]) if i > 0 else ""
                if signer:
                    found["issuer"] = signer
            break
    if "issuer" not in found and title and "关于" in title:
        signer = _issuer_name(title.split("关于", 1)[0])
        if signer:
            found["issuer"] = signer
    return found


def boilerplate_line(line: str) -> bool:
    """Whether a line of a web page is site furniture (breadcrumb, footer, print links…)."""
    r = rules()
    core = squeeze(line)
    return core.startswith(r.web_line_starts) or any(word in core for word in r.web_line_contains)


def merge(*sources: Mapping[str, str]) -> dict[str, str]:
    """The fields of several sources, the first source that has a field winning."""
    merged: dict[str, str] = {}
    for source in sources:
        for key, value in source.items():
            if value and key not in merged:
                merged[key] = value
    return merged
