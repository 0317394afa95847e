"""Subjects of table cells: the thing a goal cell counts, named in its row's task cell.

A table of tasks gives each row a task cell and, often, a goal cell that leaves the thing
out (``序号 | 任务内容 | 目标 | 责任单位`` with the row ``1 | 建设县级物流配送中心 | 建成2个 |
县商务局``): read alone, ``建成2个`` names no indicator.  This stage gives such a target the
thing its row's task cell names, without the verb that opens or closes it
(``县级物流配送中心``), as an annotator restores an elided subject.  Only targets whose
own reading found no noun (none, or a verb alone) change; the reader is recorded as
``indicator: row_task_cell``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from targetex.columns import header_role
from targetex.drafts import Draft
from targetex.phrase import Phrase
from targetex.readers import PhraseReaders
from targetex.resources import Lexicon
from targetex.structure import Node, Structure

__all__ = ["fill_cell_subjects", "row_cells", "task_cell"]


def fill_cell_subjects(text: str, structure: Structure, drafts: Sequence[Draft], lexicon: Lexicon,
                       readers: PhraseReaders) -> list[Draft]:
    """``drafts`` with the indicator of each target in a goal cell that names no noun taken
    from its row's task cell (see the module docstring); the others unchanged."""
    rows = [n for n in structure.nodes if n.table == "cells" and n.cell_headers]
    if not rows:
        return list(drafts)
    cells_of = {id(row): row_cells(text, row) for row in rows}
    task_cells = {id(row): task_cell(row, cells_of[id(row)], lexicon) for row in rows}
    out = []
    for draft in drafts:
        row = _row_of(rows, draft.quantity.start)
        subject = None
        if row is not None and _names_nothing(draft, readers):
            found = task_cells[id(row)]
            if found is not None and not found[0] <= draft.quantity.start < found[1]:
                # (培训1500人次: an activity's count keeps the activity, 电商人才培训)
                subject = _thing(text, found, readers,
                                 keep_activity=draft.quantity.unit in lexicon.activity_units)
        if subject:
            draft = replace(draft, indicator=subject,
                            readers=(*[r for r in draft.readers if r[0] != "indicator"],
                                     ("indicator", "row_task_cell")))
        out.append(draft)
    return out


def row_cells(text: str, row: Node) -> list[tuple[int, int]]:
    """The non-blank lines of a row, its number's line first."""
    out = []
    pos = row.label_start
    while pos < row.end:
        end = text.find("\n", pos, row.end)
        end = row.end if end == -1 else end
        start = pos
        while start < end and text[start] in " \t|":
            start += 1
        stop = end
        while stop > start and text[stop - 1] in " \t|":
            stop -= 1
        if stop > start:
            out.append((start, stop))
        pos = end + 1
    return out


def task_cell(row: Node, cells: list[tuple[int, int]], lexicon: Lexicon) -> tuple[int, int] | None:
    """The span of the row's task (indicator-role) cell: the cells after the row's number
    line up with the header cells after 序号 (the row's span may end before the last
    columns, a deadline or a remark)."""
    roles = [header_role(h, lexicon)[0] for h in row.cell_headers]
    if roles and roles[0] == "serial":
        roles = roles[1:]
    body = cells[1:] if cells and cells[0][0] == row.label_start else cells
    if roles.count("indicator") != 1 or len(body) > len(roles):
        return None  # (a row that does not line up with its header: nothing is guessed)
    at = roles.index("indicator")
    return body[at] if at < len(body) else None


def _row_of(rows: list[Node], pos: int) -> Node | None:
    return next((row for row in rows if row.label_start <= pos < row.end), None)


def _names_nothing(draft: Draft, readers: PhraseReaders) -> bool:
    """The target's own reading found no noun: no indicator, or a verb alone (建成)."""
    indicator = draft.indicator.text
    return not indicator or indicator == draft.action.text or readers.verb_length(indicator) == len(indicator)


def _thing(text: str, cell: tuple[int, int], readers: PhraseReaders, keep_activity: bool) -> Phrase | None:
    """The task cell without the verb that opens or closes it (建设县级物流配送中心 →
    县级物流配送中心; 乡镇商贸中心提升 → 乡镇商贸中心; a closing verb stays when the target
    counts that activity), or ``None`` when nothing is left."""
    phrase = Phrase.of(text, *cell)
    verb = readers.find_verb(phrase, first_of_clause=True)
    if verb is not None and verb.start == 0 and verb.end < len(phrase):
        phrase = phrase[verb.end :]
    elif verb is not None and verb.end == len(phrase) and verb.start > 0 and not keep_activity:
        phrase = phrase[: verb.start]
    phrase = readers.clean_indicator(phrase)
    return phrase if len(phrase) >= 2 else None
