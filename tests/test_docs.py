"""Documentation points inside the repository: what a user reads (README, corpora/README.md,
docs/, benchmark notes, models/ comments, --help, the schema, public docstrings) cites the
record reference by its place, ``docs/annotation.md`` and a section it has, never a file or
an issue tracker a user does not have."""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import targetex
from targetex.cli import build_parser
from targetex.schema import json_schema

ROOT = Path(__file__).resolve().parent.parent
# What a user cannot follow: the contract's old file name, an issue number.
OUTSIDE = re.compile(r"ANNOTATION\.md|\b[Ii]ssues? #?\d+")
REFERENCE = re.compile(r"docs/annotation\.md`?\)?,? sections? (\d+)(?:\s*(?:-|–|and)\s*(\d+))?")
SECTIONS = {int(m.group(1)): m.group(2) for m in re.finditer(
    r"^## (\d+)\. (.+)$", (ROOT / "docs" / "annotation.md").read_text(encoding="utf-8"), re.M)}


def _help_texts() -> Iterator[tuple[str, str]]:
    parser = build_parser()
    yield "targetex --help", parser.format_help()
    assert parser._subparsers is not None
    for action in parser._subparsers._group_actions:
        for name, sub in action.choices.items():
            yield f"targetex {name} --help", sub.format_help()


def _docstrings() -> Iterator[tuple[str, str]]:
    for name in targetex.__all__:
        if name.startswith("__"):
            continue
        obj = getattr(targetex, name)
        yield f"help(targetex.{name})", inspect.getdoc(obj) or ""
        for attribute, member in vars(obj).items() if inspect.isclass(obj) else ():
            if not attribute.startswith("_") and (callable(member) or isinstance(member, property)):
                yield f"help(targetex.{name}.{attribute})", inspect.getdoc(member) or ""


def _texts() -> dict[str, str]:
    texts = {"README.md": (ROOT / "README.md").read_text(encoding="utf-8"), **dict(_help_texts()),
             **dict(_docstrings())}
    texts["targetex schema"] = json.dumps(json_schema(), ensure_ascii=False)
    texts["docs/schema.json"] = (ROOT / "docs" / "schema.json").read_text(encoding="utf-8")
    for path in [ROOT / "corpora" / "README.md", *sorted((ROOT / "docs").glob("*.md")),
                 *sorted((ROOT / "benchmarks").rglob("README.md"))]:
        texts[str(path.relative_to(ROOT))] = path.read_text(encoding="utf-8")
    for path in sorted((ROOT / "models").iterdir()):
        if path.suffix in (".toml", ".tsv", ".txt"):
            lines = path.read_text(encoding="utf-8").splitlines()
            comments = [line for line in lines if line.startswith("#")]
            texts[str(path.relative_to(ROOT))] = "\n".join(comments)
    return texts


@pytest.mark.parametrize("name", sorted(_texts()))
def test_no_reference_outside_the_repository(name: str) -> None:
    found = sorted({m.group(0) for m in OUTSIDE.finditer(_texts()[name])})
    assert not found, f"{name} cites {found}"


def test_every_section_reference_exists() -> None:
    sources = dict(_texts())
    for path in sorted((ROOT / "src" / "targetex").glob("*.py")):
        sources[str(path.relative_to(ROOT))] = path.read_text(encoding="utf-8")
    seen = 0
    for name, text in sources.items():
        for match in REFERENCE.finditer(text):
            for number in filter(None, match.groups()):
                assert int(number) in SECTIONS, f"{name}: {match.group(0)!r}: no such section"
                seen += 1
    assert seen >= 20 and len(SECTIONS) == 8


def test_references_name_the_right_sections() -> None:
    assert SECTIONS[8] == "Scoring" and SECTIONS[7] == "Files and formats" and SECTIONS[4] == "Units"
    help_texts = dict(_help_texts())
    assert "docs/annotation.md section 8" in help_texts["targetex eval --help"]
    assert "docs/annotation.md section 4" in (inspect.getdoc(targetex.to_dataframe) or "")
    assert "docs/annotation.md section 7" in (ROOT / "corpora" / "README.md").read_text(encoding="utf-8")
    assert not json_schema()["$id"].startswith("http")  # a name, not a page that does not exist
