"""spaCy integration: the ``targetex`` pipeline component and a jieba tokenizer.

The component runs :class:`targetex.Extractor` on ``doc.text`` and writes

- ``doc.spans["targets"]``: one :class:`~spacy.tokens.Span` per target, labelled with
  its kind (``change``, ``level``, ``amount``), aligned to tokens with
  ``doc.char_span(..., alignment_mode="expand")``; ``span._.target`` is the
  :class:`~targetex.records.Target` record;
- ``doc._.tasks``: the :class:`~targetex.records.Task` records, in reading order;
- with ``keep_quantities = true``, ``doc.spans["quantities"]``: every quantity mention,
  labelled with its unit, ``span._.quantity`` being the :class:`~targetex.records.Quantity`.

The records are stored in ``doc.user_data`` as plain JSON values and rebuilt by the
extension getters, so ``Doc.to_bytes``, ``DocBin(store_user_data=True)`` and
``nlp.pipe(..., n_process=2)`` keep working.  Several targets may share one span of text
(``A和B各1个``); each span carries its own ``span.id_``, which is what ``span._.target``
looks up.

The factory and the tokenizer are registered through the ``spacy_factories`` and
``spacy_tokenizers`` entry points, so neither needs ``import targetex``::

    import spacy
    nlp = spacy.blank("zh")
    nlp.add_pipe("targetex")
    doc = nlp("（一）地区生产总值增长7%左右。")
    [(s.text, s.label_, s._.target.indicator) for s in doc.spans["targets"]]
    # [('7%', 'change', '地区生产总值')]

``targetex.JiebaTokenizer.v1`` segments with :func:`targetex.tokenize` (a private jieba
tokenizer with the policy dictionary; the global ``jieba`` untouched)::

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "targetex.JiebaTokenizer.v1"}}})
"""

# No ``from __future__ import annotations`` here: spaCy reads the factory's annotations
# at runtime to validate its config.

from collections.abc import Callable, Iterable, Iterator
from dataclasses import fields
from enum import Enum
from pathlib import Path
from typing import Any

from targetex.errors import MissingDependencyError, TargetexError

try:
    from spacy.language import Language
    from spacy.tokens import Doc, Span
    from spacy.util import registry
    from spacy.vocab import Vocab
except ImportError as exc:
    raise MissingDependencyError("targetex.spacy_ext", "spacy", str(exc), name=exc.name) from exc

from targetex.pipeline import Extractor, default_extractor
from targetex.quantities import find_quantities
from targetex.records import Comparator, Quantity, Target, Task
from targetex.segmentation import tokenize

__all__ = [
    "ExtensionClashError",
    "JiebaTokenizer",
    "TargetexComponent",
    "create_jieba_tokenizer",
    "make_targetex",
    "register_extensions",
]

# doc.user_data keys (tuples of str survive msgpack serialisation of the Doc).
_TASKS = ("targetex", "tasks")
_TARGETS = ("targetex", "target")
_QUANTITIES = ("targetex", "quantity")


def _user_data(doc: Doc) -> dict[Any, Any]:
    """``doc.user_data`` (spaCy types its keys as ``str``; they are tuples here)."""
    data: dict[Any, Any] = doc.user_data
    return data


class ExtensionClashError(ValueError, TargetexError):
    """A ``Doc._``/``Span._`` attribute that targetex needs is already registered by other code."""


# -- extension attributes ----------------------------------------------------------------


def _tasks_getter(doc: Doc) -> tuple[Task, ...]:
    """``doc._.tasks``: the tasks found by the ``targetex`` component, ``()`` before it ran."""
    return tuple(Task.from_dict(d) for d in _user_data(doc).get(_TASKS, ()))


def _target_getter(span: Span) -> Target | None:
    """``span._.target``: the target of a span made by the component, else ``None``."""
    data = _user_data(span.doc).get(_TARGETS, {}).get(span.id_) if span.id_ else None
    return None if data is None else Target.from_dict(data)


def _quantity_getter(span: Span) -> Quantity | None:
    """``span._.quantity``: the quantity of a span made by the component, else ``None``."""
    data = _user_data(span.doc).get(_QUANTITIES, {}).get(span.id_) if span.id_ else None
    if data is None:
        return None
    values = dict(data)
    values["comparator"] = Comparator(values["comparator"])
    return Quantity(**values)


def _quantity_dict(quantity: Quantity) -> dict[str, Any]:
    """All fields of a quantity (context offsets included) as plain JSON values."""
    out: dict[str, Any] = {}
    for f in fields(quantity):
        value = getattr(quantity, f.name)
        out[f.name] = value.value if isinstance(value, Enum) else value
    return out


_EXTENSIONS: tuple[tuple[type[Doc] | type[Span], str, Callable[[Any], Any]], ...] = (
    (Doc, "tasks", _tasks_getter),
    (Span, "target", _target_getter),
    (Span, "quantity", _quantity_getter),
)


def register_extensions() -> None:
    """Register ``Doc._.tasks``, ``Span._.target`` and ``Span._.quantity`` (idempotent).

    The component calls this when it is created.  Call it yourself to read the attributes
    of docs loaded (``Doc.from_bytes``, ``DocBin``) in a process that has no component.

    Raises:
        ExtensionClashError: one of these names is already registered by other code;
            targetex does not overwrite extensions it does not own.
    """
    for cls, name, getter in _EXTENSIONS:
        if cls.has_extension(name):
            _default, _method, current, _setter = cls.get_extension(name)
            if getattr(current, "__module__", None) != __name__ or (
                getattr(current, "__qualname__", None) != getter.__qualname__
            ):
                raise ExtensionClashError(
                    f"{cls.__name__}._.{name} is already registered by other code; "
                    f"remove it before adding the targetex component"
                )
        cls.set_extension(name, getter=getter, force=True)


# -- the component -----------------------------------------------------------------------


class TargetexComponent:
    """The ``targetex`` pipeline component: targets as spans, tasks on the doc.

    Args:
        nlp: the pipeline (only its vocab is used).
        name: the component's name in the pipeline.
        spans_key: ``doc.spans`` key of the target spans.
        keep_quantities: also write every quantity mention to ``doc.spans[quantities_key]``.
        quantities_key: ``doc.spans`` key of the quantity spans.
        extractor: the extractor to run; defaults to the shared default extractor.
    """

    def __init__(
        self,
        nlp: Language,
        name: str = "targetex",
        *,
        spans_key: str = "targets",
        keep_quantities: bool = False,
        quantities_key: str = "quantities",
        extractor: Extractor | None = None,
    ) -> None:
        if not spans_key or not quantities_key:
            raise ValueError("targetex: spans_key and quantities_key must be non-empty")
        if keep_quantities and spans_key == quantities_key:
            raise ValueError(f"targetex: spans_key and quantities_key are both {spans_key!r}")
        register_extensions()
        self.name = name
        self.spans_key = spans_key
        self.keep_quantities = keep_quantities
        self.quantities_key = quantities_key
        self.extractor = extractor or default_extractor()

    def __call__(self, doc: Doc) -> Doc:
        """Extract the targets (and quantities) of ``doc.text`` and attach them to ``doc``."""
        result = self.extractor.extract(doc.text)
        user_data = _user_data(doc)
        stored = user_data.setdefault(_TARGETS, {})
        spans = []
        for i, target in enumerate(result.targets):
            span_id = f"targetex/{self.spans_key}/{i}"
            span = doc.char_span(target.start, target.end, label=target.kind.value,
                                 alignment_mode="expand", span_id=span_id)
            if span is not None:  # a mention wholly inside whitespace cannot be a span
                stored[span_id] = target.to_dict()
                spans.append(span)
        doc.spans[self.spans_key] = spans
        user_data[_TASKS] = [task.to_dict() for task in result.tasks]
        if self.keep_quantities:
            stored = user_data.setdefault(_QUANTITIES, {})
            spans = []
            for i, quantity in enumerate(find_quantities(doc.text)):
                span_id = f"targetex/{self.quantities_key}/{i}"
                span = doc.char_span(quantity.start, quantity.end, label=quantity.unit,
                                     alignment_mode="expand", span_id=span_id)
                if span is not None:
                    stored[span_id] = _quantity_dict(quantity)
                    spans.append(span)
            doc.spans[self.quantities_key] = spans
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        """Process a stream of docs (``nlp.pipe``); each doc is independent."""
        for doc in docs:
            yield self(doc)


@Language.factory(
    "targetex",
    assigns=["doc.spans", "doc._.tasks", "span._.target", "span._.quantity"],
    default_config={"spans_key": "targets", "keep_quantities": False, "quantities_key": "quantities"},
)
def make_targetex(
    nlp: Language, name: str, spans_key: str, keep_quantities: bool, quantities_key: str
) -> TargetexComponent:
    """Build the ``targetex`` component (``nlp.add_pipe("targetex", config={...})``).

    Config:
        spans_key: ``doc.spans`` key of the target spans (default ``"targets"``).
        keep_quantities: also keep every quantity mention (default ``false``).
        quantities_key: ``doc.spans`` key of the quantity spans (default ``"quantities"``).
    """
    return TargetexComponent(nlp, name, spans_key=spans_key, keep_quantities=keep_quantities,
                             quantities_key=quantities_key)


# -- the tokenizer -----------------------------------------------------------------------


class JiebaTokenizer:
    """A spaCy tokenizer over :func:`targetex.tokenize` (private jieba, policy dictionary).

    Words are those of :func:`targetex.tokenize`: jieba with the policy dictionary
    (``市自然资源规划局`` is one token), quantity mentions split as number | multiplier |
    unit (``1.2`` ``万`` ``人``), so a target's span covers its mention and no more.  The
    global ``jieba`` module and its dictionary are not touched.  A single space after a
    word becomes that token's ``whitespace_``; any other run of whitespace (``\\n``, two
    spaces, an ideographic space) is a token of its own, so ``doc.text`` is always the
    input text.

    Args:
        vocab: the pipeline's vocabulary.
        user_dict: a jieba user dictionary (``word freq tag`` per line) added to the
            policy dictionary, or ``None``.
    """

    def __init__(self, vocab: Vocab, user_dict: str | Path | None = None) -> None:
        self.vocab = vocab
        self.user_dict = None if user_dict is None else str(user_dict)

    def __call__(self, text: str) -> Doc:
        """Segment ``text`` into a :class:`~spacy.tokens.Doc`."""
        words: list[str] = []
        spaces: list[bool] = []

        def gap(piece: str) -> None:  # text between two words: whitespace, or a dropped character
            if piece[0] == " " and words and not spaces[-1] and not words[-1].isspace():
                spaces[-1] = True
                piece = piece[1:]
            if piece:
                words.append(piece)
                spaces.append(False)

        pos = 0
        for word in tokenize(text, user_dict=self.user_dict):
            if word.start > pos:
                gap(text[pos : word.start])
            words.append(word.text)
            spaces.append(False)
            pos = word.end
        if pos < len(text):
            gap(text[pos:])
        return Doc(self.vocab, words=words, spaces=spaces)

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        """Segment a stream of texts."""
        for text in texts:
            yield self(text)

    # The tokenizer has no state of its own (the dictionary ships with targetex), so
    # serialisation writes nothing; these exist for nlp.to_bytes / nlp.to_disk.
    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        """Serialise (no state: an empty byte string)."""
        return b""

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> "JiebaTokenizer":
        """Deserialise (no state: returns ``self``)."""
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Save to a directory (no state: writes nothing)."""

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "JiebaTokenizer":
        """Load from a directory (no state: returns ``self``)."""
        return self


def create_jieba_tokenizer(user_dict: str | None = None) -> Callable[[Language], JiebaTokenizer]:
    """The ``targetex.JiebaTokenizer.v1`` tokenizer for a pipeline config.

    Config:
        user_dict: path of a jieba user dictionary added to the policy dictionary
            (default ``null``).
    """

    def jieba_tokenizer_factory(nlp: Language) -> JiebaTokenizer:
        return JiebaTokenizer(nlp.vocab, user_dict=user_dict)

    return jieba_tokenizer_factory


# Same as decorating with @registry.tokenizers(...), which mypy sees as untyped (catalogue
# ships no type information).
registry.tokenizers.register("targetex.JiebaTokenizer.v1", func=create_jieba_tokenizer)
