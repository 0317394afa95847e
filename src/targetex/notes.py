"""Notes on a result: what it holds that a reader may not expect, and why.

The last step of extraction, after linking: it reads the finished
:class:`~targetex.records.Document` and the structure it came from, and adds a
:class:`~targetex.records.Note` where the result needs explaining.

- ``covering_notice``: targets but no tasks, in a text whose title reads as a covering
  notice (``关于印发…的通知``, the pattern ``notice_title`` of ``models/structure.toml``) and
  whose numbered paragraphs were all left out of the task tree: a covering notice's own
  paragraphs, before its first closer (``特此通知``, the signature), are not tasks (the
  ruling of README, "Restarted numbering"), so every target has ``task_id ""``.
- ``rules_document``: a document of rules (办法, 细则: 第X条 articles) whose articles or
  items that set terms rather than give a body of the administration work were left out
  of the tasks (targetex.articles), counted by the rule that says why (``support_standard``,
  ``eligibility``, ``no_actor``…).
- ``no_chinese_text``: a text that holds words in another script and not one Chinese
  character (an English page, a wrongly decoded file): targetex reads Chinese, so the
  result is empty for that reason, not because the document sets no targets.
"""

from __future__ import annotations

from collections import Counter

from targetex.non_targets import foreign_script
from targetex.records import Document, Note
from targetex.resources import Lexicon
from targetex.structure import Structure

__all__ = ["document_notes"]


def document_notes(text: str, structure: Structure, document: Document, lexicon: Lexicon) -> tuple[Note, ...]:
    """The notes of ``document``, extracted from the normalised ``text`` read as ``structure``."""
    if foreign_script(text):
        return (Note("no_chinese_text", "the text holds no Chinese character: targetex reads Chinese "
                     "policy documents, so nothing in it was read as a target"),)
    rules = _rules_document(structure, document)
    covering = _covering_notice(text, structure, document, lexicon)
    return tuple(note for note in (rules, covering) if note is not None)


def _rules_document(structure: Structure, document: Document) -> Note | None:
    """Articles of a rules document left out as tasks, counted by the rule that says why."""
    tasks = {t.task_id for t in document.tasks}
    counts = Counter(n.no_work for n in structure.nodes if n.no_work and n.node_id not in tasks)
    if not counts:
        return None
    total = sum(counts.values())
    named = ", ".join(f"{rule} {count}" for rule, count in counts.most_common())
    return Note("rules_document",
                f"read as a document of rules: {total} article{'s' if total != 1 else ''} or items set terms "
                f"rather than give a body of the administration work, and are not tasks ({named}); "
                "one whose text carries a target is still a task")


def _covering_notice(text: str, structure: Structure, document: Document, lexicon: Lexicon) -> Note | None:
    """Targets but no tasks in a covering notice whose own paragraphs were left out."""
    if document.tasks or not document.targets:
        return None
    in_tree = {id(node) for node in structure.nodes}
    # (items a rules document folds into their article are text, not a notice's paragraphs)
    left_out = [node for node in structure.all_nodes if id(node) not in in_tree and not node.no_work]
    if not left_out:
        return None
    first_label = min(node.label_start for node in left_out)
    if lexicon.notice_title.search(text, 0, first_label) is None:
        return None
    count = len(document.targets)
    return Note("covering_notice",
                 f"{count} target{'s' if count != 1 else ''} but no tasks: the title reads as a covering "
                 "notice (关于印发…的通知), and a covering notice's own numbered paragraphs, before its "
                 "signature or 特此通知, are not tasks; its targets have task_id \"\"")
