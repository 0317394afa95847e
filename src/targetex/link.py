"""Stage: linking — the tasks of the tree, and the task of every target, in raw offsets.

One implementation serves ``extract`` (tasks and targets) and ``segment`` (the section
tree): which node holds a position (the innermost one whose own text holds it), which
nodes are tasks, a task's span (label to the end of its own text and responsibility
lines), its part title, and its resolved roles.  Every string is given as written in the
raw text, through the normalisation's offset map.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from targetex.drafts import Draft, MentionOutcome
from targetex.normalize import NormalizedText
from targetex.phrase import SYNTHETIC, Phrase
from targetex.records import Attribute, Decision, Document, Target, Task
from targetex.structure import Node, Structure, UnitMention, prefix_annexes, resolve_roles

__all__ = [
    "as_written",
    "is_principle",
    "is_review",
    "is_structural_task",
    "link",
    "owner",
    "resolved_roles",
    "task_span",
    "title_as_written",
]


def as_written(norm: NormalizedText, phrase: Phrase) -> str:
    """``phrase`` (read from the normalised text) as the raw text writes it: full-width
    brackets and Traditional numerals come back, characters the normalisation dropped (a
    zero-width space, a line break joined away) stay out."""
    if norm.to_raw is None and not norm.changed:
        return phrase.text
    out: list[str] = []
    for chars, origin in phrase.pieces():
        if origin == SYNTHETIC:
            out.append(chars)
            continue
        if norm.to_raw is None:
            out.append(norm.raw[origin : origin + len(chars)])
            continue
        run_start = prev = norm.to_raw[origin]
        last = norm.to_raw[origin + len(chars) - 1]
        if last - run_start == len(chars) - 1 and not _inserted_within(norm, origin, origin + len(chars)):
            # (the usual case: offsets rise by one throughout, one raw run; without inserted
            # breaks the map only rises, so equal ends mean no gap between them)
            out.append(norm.raw[run_start : last + 1])
            continue
        for i in range(origin + 1, origin + len(chars)):
            at = norm.to_raw[i]
            if at != prev + 1:
                out.append(norm.raw[run_start : prev + 1])
                run_start = at
            prev = at
        out.append(norm.raw[run_start : prev + 1])
    return "".join(out)


def _inserted_within(norm: NormalizedText, start: int, end: int) -> bool:
    """Whether the layout inserted a line break at a normalised offset in ``[start, end)``."""
    at = bisect.bisect_left(norm.inserted, start)
    return at < len(norm.inserted) and norm.inserted[at] < end


def raw_text(norm: NormalizedText, start: int, end: int) -> tuple[int, int, str]:
    """The raw span and text of the normalised span ``[start, end)``."""
    raw_start, raw_end = norm.raw_span(start, end)
    return raw_start, raw_end, norm.raw[raw_start:raw_end]


def is_review(node: Node) -> bool:
    """The node or a heading above it reviews past work."""
    return node.review or any(a.review for a in node.ancestors())


def is_principle(node: Node) -> bool:
    """The node or a heading above it only states guiding ideas and principles."""
    return node.principle or any(a.principle for a in node.ancestors())


def is_structural_task(node: Node) -> bool:
    """A leaf item outside review and principle parts that does not only frame the
    document (总体要求, 本办法所称…) (a heading whose own text carries targets is a task
    too; ``link`` adds those)."""
    return not node.children and not node.preamble and not is_review(node) and not is_principle(node)


def task_span(node: Node) -> tuple[int, int]:
    """Normalised span of the task a node makes: its label to the end of its own text and
    responsibility lines (children excluded)."""
    end = node.end if not node.children else node.own_end
    return node.label_start, max(end, node.label_end)


def owner(nodes: list[Node], starts: list[int], pos: int) -> Node | None:
    """The innermost node whose own text holds ``pos`` (nodes in reading order, nested;
    ``starts`` are their label starts)."""
    i = bisect.bisect_right(starts, pos) - 1
    node = nodes[i] if i >= 0 else None
    while node is not None:
        if node.children and pos >= node.own_end:
            # Not inside any of its items (we came up from them) nor inside its own text:
            # text after an item was closed (a date line, a bracket) is no one's.
            return None
        if node.label_start <= pos < max(node.end, node.reach, node.label_end):
            return node
        node = node.parent
    return None


def title_as_written(norm: NormalizedText, node: Node) -> str:
    """The node's title (label stripped) as the raw text writes it."""
    if not node.title:
        return ""
    at = norm.text.find(node.title, node.label_end)
    if at == -1:
        return node.title
    return norm.written(at, at + len(node.title))


def resolved_roles(
    norm: NormalizedText, node: Node, first_leads: bool
) -> tuple[list[str], list[str], list[str]]:
    """Leaders, lead and cooperating units of a node (docs/annotation.md section 1), as written."""
    leaders, lead, cooperating = resolve_roles(node, first_leads)

    def written(units: list[UnitMention]) -> list[str]:
        return [norm.written(u.start, u.end) for u in units]  # (a hard wrap inside a name is no part of it)

    return written(leaders), written(lead), written(cooperating)


def _tasks(norm: NormalizedText, structure: Structure, task_nodes: Iterable[Node]) -> list[Task]:
    tasks = []
    for node in task_nodes:
        start, end, _ = raw_text(norm, *task_span(node))
        leaders, lead, cooperating = resolved_roles(norm, node, structure.first_leads)
        tasks.append(Task(
            task_id=node.node_id,
            part_title=title_as_written(norm, node.top),
            start=start,
            end=end,
            leaders=tuple(leaders),
            lead_units=tuple(lead),
            cooperating_units=tuple(cooperating),
        ))
    return tasks


def link(
    doc_id: str, norm: NormalizedText, structure: Structure, drafts: list[Draft],
    outcomes: list[MentionOutcome] | None = None,
) -> Document:
    """The document's tasks and targets: every draft linked to the task that holds it.

    A task is a structural task, or a heading whose own text holds a target (outside the
    parts that review past work).  Offsets and strings are the raw text's.
    """
    nodes = structure.nodes
    starts = [n.label_start for n in nodes]
    owners = [owner(nodes, starts, d.quantity.start) for d in drafts]
    chosen = {id(n) for n in owners if n is not None and not is_review(n)}
    chosen.update(id(n) for n in nodes if is_structural_task(n))
    task_nodes = [n for n in nodes if id(n) in chosen]
    prefix_annexes(task_nodes)  # (A1.3 where an annex task's id would repeat a body task's)
    targets = []
    for draft, node in zip(drafts, owners, strict=True):
        q = draft.quantity
        start, end, text = raw_text(norm, q.start, q.end)
        targets.append(Target(
            task_id=node.node_id if node is not None and id(node) in chosen else "",
            start=start,
            end=end,
            text=text,
            indicator=as_written(norm, draft.indicator),
            action=as_written(norm, draft.action),
            kind=draft.kind,
            value=q.value,
            value_max=q.value_max,
            unit=q.unit,
            classifier=q.classifier,
            comparator=draft.comparator,
            modality=draft.modality,
            year=draft.year,
            base_year=draft.base_year,
            per_year=draft.per_year,
            attribute=Attribute(draft.attribute),
        ))
    decisions = tuple(_decision(norm, o) for o in outcomes) if outcomes else ()
    return Document(doc_id=doc_id, tasks=tuple(_tasks(norm, structure, task_nodes)), targets=tuple(targets),
                    decisions=decisions)


def _decision(norm: NormalizedText, outcome: MentionOutcome) -> Decision:
    start, end, text = raw_text(norm, outcome.quantity.start, outcome.quantity.end)
    readers = tuple(f"{field}:{reader}" for field, reader in outcome.readers)
    return Decision(start, end, text, outcome.kept, outcome.rule, outcome.reason, readers)
