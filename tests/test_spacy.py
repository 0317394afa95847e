"""The spaCy integration: the ``targetex`` component and ``targetex.JiebaTokenizer.v1``.

Both pipelines (spaCy's default character segmenter and targetex's jieba tokenizer) must
give the same targets as ``targetex.extract``, as spans aligned to their tokens.
"""

from __future__ import annotations

import importlib.metadata
import json
import re
import subprocess
import sys
import textwrap

import pytest

spacy = pytest.importorskip("spacy")

import jieba  # noqa: E402
from spacy import displacy  # noqa: E402
from spacy.tokens import Doc, DocBin, Span  # noqa: E402

import targetex  # noqa: E402
from targetex.spacy_ext import (  # noqa: E402
    ExtensionClashError,
    JiebaTokenizer,
    TargetexComponent,
    make_targetex,
    register_extensions,
)

JIEBA_CONFIG = {"nlp": {"tokenizer": {"@tokenizers": "targetex.JiebaTokenizer.v1"}}}

CIXI = "（一）地区生产总值增长7%左右。\n（二）新增高新技术企业70家、科技型中小企业400家。"

# text, kind (the span label), task_id, indicator, action, value, unit, classifier, comparator
CIXI_TARGETS = [
    ("7%", "change", "1", "地区生产总值", "增长", 7.0, "percent", "", "~"),
    ("70家", "amount", "2", "高新技术企业", "新增", 70.0, "count", "家", "="),
    ("400家", "amount", "2", "科技型中小企业", "新增", 400.0, "count", "家", "="),
]

# text, label (unit), value, comparator
CIXI_QUANTITIES = [
    ("7%", "percent", 7.0, "~"),
    ("70家", "count", 70.0, "="),
    ("400家", "count", 400.0, "="),
]

# Texts whose whitespace the jieba tokenizer must keep exactly.
WHITESPACE_TEXTS = [
    "",
    " ",
    "   ",
    "\n",
    "GDP 增长7%",
    "  GDP  增长\u3000 7.5 % \r\n end ",
    "（一）地区生产总值增长7%左右。\n\n\t（二）新增企业5家。\n",
    "a b c",
]


def _nlp(segmenter: str, **config: object) -> spacy.language.Language:
    nlp = spacy.blank("zh", config=JIEBA_CONFIG) if segmenter == "jieba" else spacy.blank("zh")
    nlp.add_pipe("targetex", config=config)
    return nlp


@pytest.fixture(scope="module", params=["char", "jieba"])
def nlp(request: pytest.FixtureRequest) -> spacy.language.Language:
    """A blank Chinese pipeline with the component, over each tokenizer."""
    return _nlp(request.param)


@pytest.fixture(scope="module", params=["char", "jieba"])
def nlp_quantities(request: pytest.FixtureRequest) -> spacy.language.Language:
    """The same with ``keep_quantities = true``."""
    return _nlp(request.param, keep_quantities=True)


@pytest.fixture(scope="module")
def jieba_nlp() -> spacy.language.Language:
    return _nlp("jieba")


def _entry_point(group: str, name: str) -> importlib.metadata.EntryPoint:
    found = [ep for ep in importlib.metadata.entry_points(group=group) if ep.name == name]
    if not found:
        pytest.skip(f"entry point {name!r} of group {group!r} is not in the installed metadata yet "
                    f"(add it to pyproject.toml and run `pip install -e .`)")
    return found[0]


def _run_fresh(script: str, tmp_path) -> object:
    """Run ``script`` in a fresh interpreter (nothing of targetex imported); its JSON output."""
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(script)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- targets, tasks, quantities -------------------------------------------------------------


def test_the_pipeline_has_the_component(nlp):
    assert nlp.pipe_names == ["targetex"]
    assert isinstance(nlp.get_pipe("targetex"), TargetexComponent)
    meta = nlp.get_pipe_meta("targetex")
    assert "doc.spans" in meta.assigns and "span._.target" in meta.assigns


def test_doc_text_is_the_input(nlp):
    assert nlp(CIXI).text == CIXI


def test_targets_are_spans_labelled_with_their_kind(nlp):
    doc = nlp(CIXI)
    spans = list(doc.spans["targets"])
    assert [(s.text, s.label_) for s in spans] == [(t[0], t[1]) for t in CIXI_TARGETS]
    assert all(isinstance(s, Span) and s.doc is doc for s in spans)


@pytest.mark.parametrize("i", range(len(CIXI_TARGETS)))
def test_span_target_is_the_target_record(nlp, i):
    doc = nlp(CIXI)
    span = doc.spans["targets"][i]
    target = span._.target
    assert isinstance(target, targetex.Target)
    assert (target.text, target.kind.value, target.task_id, target.indicator, target.action, target.value,
            target.unit, target.classifier, target.comparator.value) == CIXI_TARGETS[i]
    assert (span.start_char, span.end_char) == (target.start, target.end)
    assert span._.quantity is None


def test_targets_equal_those_of_extract(nlp):
    doc = nlp(CIXI)
    assert tuple(s._.target for s in doc.spans["targets"]) == targetex.extract(CIXI).targets


def test_doc_tasks_are_the_task_records(nlp):
    tasks = nlp(CIXI)._.tasks
    assert isinstance(tasks, tuple) and all(isinstance(t, targetex.Task) for t in tasks)
    assert [(t.task_id, t.part_title) for t in tasks] == [
        ("1", "地区生产总值增长7%左右"),
        ("2", "新增高新技术企业70家、科技型中小企业400家"),
    ]
    assert tasks == targetex.extract(CIXI).tasks


def test_a_doc_the_component_did_not_see_has_no_records(nlp):
    doc = nlp.make_doc(CIXI)
    assert doc._.tasks == ()
    assert doc[0:3]._.target is None and doc[0:3]._.quantity is None


def test_quantities_are_not_kept_by_default(nlp):
    assert "quantities" not in nlp(CIXI).spans


def test_keep_quantities_adds_every_quantity_mention(nlp_quantities):
    doc = nlp_quantities(CIXI)
    spans = list(doc.spans["quantities"])
    assert [(s.text, s.label_, s._.quantity.value, s._.quantity.comparator.value) for s in spans] == [
        tuple(q) for q in CIXI_QUANTITIES
    ]
    assert all(isinstance(s._.quantity, targetex.Quantity) and s._.target is None for s in spans)
    assert [s._.quantity for s in spans] == targetex.find_quantities(CIXI)
    assert len(doc.spans["targets"]) == len(CIXI_TARGETS)


def test_quantities_include_numbers_that_are_not_targets():
    nlp = _nlp("char", keep_quantities=True)
    doc = nlp("去年地区生产总值增长2.3%。")  # a result already achieved: no target
    assert list(doc.spans["targets"]) == []
    assert [s.text for s in doc.spans["quantities"]] == ["2.3%"]


def test_span_keys_are_configurable():
    nlp = _nlp("char", spans_key="goals", keep_quantities=True, quantities_key="numbers")
    doc = nlp(CIXI)
    assert set(doc.spans) == {"goals", "numbers"}
    assert [s._.target.indicator for s in doc.spans["goals"]] == [t[3] for t in CIXI_TARGETS]
    assert nlp.config["components"]["targetex"]["spans_key"] == "goals"


def test_one_span_of_text_shared_by_two_targets_keeps_both_records(nlp):
    doc = nlp("（一）建成小集镇式中心村和乡村振兴示范带各1个。")
    spans = list(doc.spans["targets"])
    assert [s.text for s in spans] == ["1个", "1个"]
    assert [s._.target.indicator for s in spans] == ["小集镇式中心村", "乡村振兴示范带"]


def test_a_text_without_targets_gives_empty_groups(nlp):
    doc = nlp("各地要高度重视，抓好落实。")
    assert list(doc.spans["targets"]) == [] and doc._.tasks == ()


def test_the_default_config():
    nlp = spacy.blank("zh")
    nlp.add_pipe("targetex")
    assert nlp.config["components"]["targetex"] == {
        "factory": "targetex",
        "spans_key": "targets",
        "keep_quantities": False,
        "quantities_key": "quantities",
    }


def test_clashing_span_keys_are_refused():
    with pytest.raises(ValueError, match="quantities_key"):
        _nlp("char", keep_quantities=True, quantities_key="targets")


def test_make_targetex_builds_the_component():
    nlp = spacy.blank("zh")
    component = make_targetex(nlp, "tx", spans_key="targets", keep_quantities=False, quantities_key="q")
    doc = component(nlp.make_doc(CIXI))
    assert [s.text for s in doc.spans["targets"]] == [t[0] for t in CIXI_TARGETS]


# -- batching and serialisation ---------------------------------------------------------------

PIPE_TEXTS = [CIXI, "", "（一）力争新增企业上市2家、新三板挂牌40家以上。"]


def test_nlp_pipe_gives_what_nlp_gives(nlp):
    piped = list(nlp.pipe(PIPE_TEXTS, batch_size=2))
    assert [d.text for d in piped] == PIPE_TEXTS
    for doc, text in zip(piped, PIPE_TEXTS, strict=True):
        one = nlp(text)
        assert [(s.text, s.label_, s._.target) for s in doc.spans["targets"]] == [
            (s.text, s.label_, s._.target) for s in one.spans["targets"]
        ]
        assert doc._.tasks == one._.tasks
    assert [len(d.spans["targets"]) for d in piped] == [3, 0, 2]
    assert [s._.target.modality.value for s in piped[2].spans["targets"]] == ["strive", "strive"]


def test_pipeline_bytes_round_trip(nlp):
    data = nlp.to_bytes()
    lang = spacy.util.get_lang_class(nlp.config["nlp"]["lang"])
    loaded = lang.from_config(nlp.config).from_bytes(data)
    assert loaded.pipe_names == ["targetex"]
    assert type(loaded.tokenizer) is type(nlp.tokenizer)
    doc, doc_loaded = nlp(CIXI), loaded(CIXI)
    assert [s._.target for s in doc_loaded.spans["targets"]] == [s._.target for s in doc.spans["targets"]]


def test_pipeline_disk_round_trip(jieba_nlp, tmp_path):
    jieba_nlp.to_disk(tmp_path / "pipeline")
    loaded = spacy.load(tmp_path / "pipeline")
    assert isinstance(loaded.tokenizer, JiebaTokenizer)
    doc = loaded(CIXI)
    assert [s.text for s in doc.spans["targets"]] == [t[0] for t in CIXI_TARGETS]


def test_records_survive_doc_serialisation(nlp_quantities):
    doc = nlp_quantities(CIXI)
    copy = Doc(nlp_quantities.vocab).from_bytes(doc.to_bytes())
    assert [s._.target for s in copy.spans["targets"]] == [s._.target for s in doc.spans["targets"]]
    assert [s._.quantity for s in copy.spans["quantities"]] == [s._.quantity for s in doc.spans["quantities"]]
    assert copy._.tasks == doc._.tasks
    docbin = DocBin(store_user_data=True, docs=[doc])
    (loaded,) = DocBin().from_bytes(docbin.to_bytes()).get_docs(nlp_quantities.vocab)
    assert [s._.target.indicator for s in loaded.spans["targets"]] == [t[3] for t in CIXI_TARGETS]


# -- displacy ---------------------------------------------------------------------------------


def test_displacy_renders_the_target_spans(nlp):
    doc = nlp(CIXI)
    html = displacy.render(doc, style="span", options={"spans_key": "targets"})
    assert isinstance(html, str)
    # Each token under a span is rendered in its own inline-block <span>.
    marked = re.findall(r'position: relative; height: \d+px;">\s*([^<]+?)\s*<', html)
    assert "".join(marked) == "".join(t[0] for t in CIXI_TARGETS)
    # The whole text is shown, with each span's label (its kind) after its first token.
    shown = re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", html))
    label_after = {span.start: span.label_ for span in doc.spans["targets"]}
    assert shown == re.sub(r"\s+", "", "".join(t.text + label_after.get(t.i, "") for t in doc))
    assert shown.count("change") == 1 and shown.count("amount") == 2


# -- the jieba tokenizer ----------------------------------------------------------------------


def test_jieba_tokens_are_policy_words(jieba_nlp):
    words = [t.text for t in jieba_nlp.make_doc(CIXI)]
    assert "高新技术企业" in words and "科技型中小企业" in words and "地区生产总值" in words
    assert [t.text for t in jieba_nlp.make_doc("市自然资源规划局牵头")] == ["市自然资源规划局", "牵头"]


@pytest.mark.parametrize("text", WHITESPACE_TEXTS)
def test_jieba_tokenizer_keeps_the_text(jieba_nlp, text):
    doc = jieba_nlp.make_doc(text)
    assert doc.text == text
    assert all(t.text for t in doc)
    assert "".join(t.text_with_ws for t in doc) == text


def test_jieba_tokenizer_puts_one_space_after_a_word_in_its_whitespace(jieba_nlp):
    doc = jieba_nlp.make_doc("GDP 增长  7%")
    assert [(t.text, t.whitespace_) for t in doc] == [
        ("GDP", " "), ("增长", " "), (" ", ""), ("7", ""), ("%", ""),
    ]


def test_jieba_tokens_are_those_of_targetex_tokenize(jieba_nlp):
    text = "新增就业1.2万人，牵头单位：市自然资源规划局"
    assert [t.text for t in jieba_nlp.make_doc(text)] == [w.text for w in targetex.tokenize(text)]
    assert [t.text for t in jieba_nlp.make_doc("新增就业1.2万人")] == ["新增", "就业", "1.2", "万", "人"]


def test_jieba_tokenizer_takes_a_user_dictionary(tmp_path):
    user_dict = tmp_path / "words.txt"
    user_dict.write_text("慈溪市发改局 1000 nt\n", encoding="utf-8")
    tokenizer = {"@tokenizers": "targetex.JiebaTokenizer.v1", "user_dict": str(user_dict)}
    config = {"nlp": {"tokenizer": tokenizer}}
    nlp = spacy.blank("zh", config=config)
    assert [t.text for t in nlp.make_doc("慈溪市发改局牵头")] == ["慈溪市发改局", "牵头"]
    assert nlp.config["nlp"]["tokenizer"]["user_dict"] == str(user_dict)
    assert spacy.blank("zh", config=JIEBA_CONFIG).config["nlp"]["tokenizer"]["user_dict"] is None


def test_the_global_jieba_is_untouched(jieba_nlp):
    sentence = "新增高新技术企业70家、科技型中小企业400家，市自然资源规划局牵头"
    before = jieba.lcut(sentence)
    jieba_nlp(CIXI)
    private = [t.text for t in jieba_nlp.make_doc(sentence)]
    assert jieba.lcut(sentence) == before
    assert private != before  # the private dictionary does segment differently


# -- extension attributes ---------------------------------------------------------------------


def test_register_extensions_is_idempotent():
    register_extensions()
    register_extensions()
    assert Doc.has_extension("tasks") and Span.has_extension("target") and Span.has_extension("quantity")


def test_an_extension_registered_by_other_code_is_not_overwritten():
    foreign = Doc.get_extension("tasks")
    Doc.set_extension("tasks", default=None, force=True)
    try:
        with pytest.raises(ExtensionClashError, match=r"Doc\._\.tasks"):
            spacy.blank("zh").add_pipe("targetex")
        assert Doc.get_extension("tasks") == (None, None, None, None)
    finally:
        Doc.remove_extension("tasks")
        register_extensions()
    assert foreign is not None and Doc.get_extension("tasks") == foreign


# -- entry points (no `import targetex` by the user) -----------------------------------------


def test_factory_entry_point(tmp_path):
    ep = _entry_point("spacy_factories", "targetex")
    assert ep.load() is make_targetex
    out = _run_fresh(f"""
        import json, spacy
        nlp = spacy.blank("zh")
        nlp.add_pipe("targetex")
        doc = nlp({CIXI!r})
        print(json.dumps([[s.text, s.label_, s._.target.indicator] for s in doc.spans["targets"]]))
    """, tmp_path)
    assert out == [[t[0], t[1], t[3]] for t in CIXI_TARGETS]


def test_tokenizer_entry_point(tmp_path):
    ep = _entry_point("spacy_tokenizers", "targetex.JiebaTokenizer.v1")
    assert ep.load()()(spacy.blank("zh")).__class__ is JiebaTokenizer
    out = _run_fresh(f"""
        import json, spacy
        nlp = spacy.blank("zh", config={JIEBA_CONFIG!r})
        print(json.dumps([t.text for t in nlp("新增高新技术企业70家")]))
    """, tmp_path)
    assert out == ["新增", "高新技术企业", "70", "家"]
