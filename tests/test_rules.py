"""The named non-target rules: every rule of ``models/non_targets.toml`` is sound, has a
spec case that it drops, and explains itself through ``extract(..., explain=True)``."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

import targetex
from targetex.non_targets import NonTargetRules
from targetex.resources import Lexicon, RuleSpec, load

SPECS = Path(__file__).resolve().parent / "specs"


def _named_in_specs() -> set[str]:
    names = set()
    for path in SPECS.glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.lstrip().startswith("//"):
                names.update(d["rule"] for d in json.loads(line).get("dropped", ()))
    return names


def test_every_rule_has_a_name_a_reason_and_a_spec_case() -> None:
    rules = NonTargetRules(load()).rules
    names = [r.name for r in rules]
    assert len(names) == len(set(names)), "rule names must be unique"
    assert all(r.reason for r in rules)
    missing = set(names) - _named_in_specs()
    assert not missing, f"rules without a spec case in tests/specs: {sorted(missing)}"


def test_spec_cases_name_only_known_rules() -> None:
    unknown = _named_in_specs() - {r.name for r in NonTargetRules(load()).rules}
    assert not unknown, f"spec cases name rules that do not exist: {sorted(unknown)}"


@pytest.mark.parametrize("spec", [
    RuleSpec(name="x", reason="r", check="no_such_check"),
    RuleSpec(name="x", reason="r", scope="nowhere", words=("a",), test="prefix"),
    RuleSpec(name="x", reason="r", scope="after", words=("a",), test="sideways"),
])
def test_a_malformed_rule_is_refused_with_its_name(spec: RuleSpec) -> None:
    from targetex.non_targets import _compile

    with pytest.raises(ValueError, match="rule 'x'"):
        _compile(spec, {})


def test_a_data_rule_added_to_the_lexicon_drops_what_it_names() -> None:
    """Adding a row is all it takes: a new rule dropping quantities followed by 的押金."""
    lexicon = load()
    row = RuleSpec(name="deposit", reason="a deposit is a parameter", scope="after", test="prefix",
                   words=("的押金",))
    extractor = targetex.Extractor(lexicon=_with_rules(lexicon, (row, *lexicon.rules)))
    doc = extractor.extract("收取不超过500元的押金，新建停车场3个。", explain=True)
    assert [t.text for t in doc.targets] == ["3个"]
    assert [(d.text, d.rule) for d in doc.decisions if not d.kept] == [("500元", "deposit")]


def test_explain_covers_every_mention_in_order() -> None:
    doc = targetex.extract("新增企业20家，对入驻企业给予30万元奖励，上述5家企业要率先达标。", explain=True)
    assert [d.text for d in doc.decisions] == ["20家", "30万元", "5家"]
    assert [d.kept for d in doc.decisions] == [True, False, False]
    kept = doc.decisions[0]
    assert "action:start_verb" in kept.readers
    assert doc.explain().count("\n") == 2
    assert targetex.extract("新增企业20家").decisions == ()  # nothing unless asked for


def _with_rules(lexicon: Lexicon, rules: tuple[RuleSpec, ...]) -> Lexicon:
    return dataclasses.replace(lexicon, rules=rules)
