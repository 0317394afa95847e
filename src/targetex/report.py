"""A page to look at: one document with its targets highlighted, its task tree and a table.

``targetex report FILE -o report.html`` writes one static, self-contained HTML file (inline
CSS and a little inline JavaScript; nothing is fetched): the metadata, the text with each
target marked (colour by kind, the record on hover), the task tree with its responsible
units beside the text, and a sortable table of the targets.  Clicking a target in the text
scrolls the tree to its task and marks it; clicking a row of the table scrolls the text to
the target.  The table's columns are the target's fields (:func:`exported_fields`), so a
field added to :class:`~targetex.records.Target` shows up here too.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from typing import Any

from targetex.export import exported_fields
from targetex.records import Document, DocumentMeta, Target, Task

__all__ = ["render_report"]

# Labels of the metadata block, in the order shown; fields without one show their name.
_META_LABELS = {"title": "标题 title", "doc_number": "文号 number", "issuer": "发文机关 issuer",
                "date": "成文日期 date", "published": "发布日期 published", "source": "source",
                "format": "format", "encoding": "encoding"}
# Task fields shown in the tree beside the id (the units are the point of the tree).
_TREE_FIELDS = (("leaders", "领导"), ("lead_units", "牵头"), ("cooperating_units", "配合"))
# Columns of the table: every target field but the offsets, then the task's lead units.
_HIDDEN_COLUMNS = ("start", "end")

_CSS = """
:root { --change: #2563eb; --level: #16a34a; --amount: #ea580c; --line: #d4d4d8; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.6 "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei",
       "PingFang SC", sans-serif; color: #18181b; background: #fafafa; }
header { padding: 12px 20px; background: #fff; border-bottom: 1px solid var(--line); }
header h1 { font-size: 19px; margin: 0 0 6px; }
dl.meta { display: grid; grid-template-columns: max-content 1fr max-content 1fr; gap: 2px 14px;
          margin: 0; font-size: 13px; }
dl.meta dt { color: #71717a; } dl.meta dd { margin: 0; }
.legend { font-size: 13px; margin-top: 6px; }
.legend span { padding: 0 6px; border-radius: 3px; margin-right: 8px; color: #fff; }
main { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 0;
       height: 62vh; border-bottom: 1px solid var(--line); }
#text { overflow: auto; padding: 12px 20px; white-space: pre-wrap; background: #fff;
        border-right: 1px solid var(--line); }
#tree { overflow: auto; padding: 8px 12px; font-size: 13px; }
#tree ul { list-style: none; margin: 0; padding-left: 14px; }
#tree > ul { padding-left: 0; }
#tree li > div { padding: 3px 6px; border-radius: 4px; border-left: 3px solid transparent; }
#tree li > div.active { background: #fef3c7; border-left-color: #d97706; }
#tree .id { font-weight: 600; margin-right: 6px; }
#tree .units { color: #52525b; }
#tree .count { color: #a1a1aa; margin-left: 4px; }
mark.target { background: none; border-bottom: 3px solid; cursor: pointer; padding: 0 1px; }
mark.kind-change { border-color: var(--change); background: #dbeafe; }
mark.kind-level { border-color: var(--level); background: #dcfce7; }
mark.kind-amount { border-color: var(--amount); background: #ffedd5; }
mark.target.active { outline: 2px solid #d97706; }
section.table { padding: 10px 20px 30px; }
table { border-collapse: collapse; font-size: 13px; width: 100%; background: #fff; }
th, td { border: 1px solid var(--line); padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #f4f4f5; cursor: pointer; user-select: none; position: sticky; top: 0; }
th[aria-sort="ascending"]::after { content: " ▲"; } th[aria-sort="descending"]::after { content: " ▼"; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr:hover { background: #fef9c3; cursor: pointer; }
"""

_JS = """
(function () {
  function show(el, container) {
    var box = container.getBoundingClientRect(), r = el.getBoundingClientRect();
    container.scrollTop += (r.top - box.top) - container.clientHeight / 3;
  }
  var tree = document.getElementById('tree'), text = document.getElementById('text');
  document.querySelectorAll('mark.target').forEach(function (mark) {
    mark.addEventListener('click', function () {
      document.querySelectorAll('#tree .active, mark.active').forEach(function (e) {
        e.classList.remove('active'); });
      mark.classList.add('active');
      var task = document.getElementById('task-' + mark.dataset.task);
      if (task) { task.classList.add('active'); show(task, tree); }
    });
  });
  document.querySelectorAll('tbody tr[data-mark]').forEach(function (row) {
    row.addEventListener('click', function () {
      var mark = document.getElementById(row.dataset.mark);
      if (mark) { show(mark, text); mark.click(); }
    });
  });
  document.querySelectorAll('th').forEach(function (th, column) {
    th.addEventListener('click', function () {
      var body = th.closest('table').tBodies[0];
      var order = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
      document.querySelectorAll('th').forEach(function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', order === 1 ? 'ascending' : 'descending');
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[column].dataset.sort, y = b.cells[column].dataset.sort;
        var nx = parseFloat(x), ny = parseFloat(y);
        if (!isNaN(nx) && !isNaN(ny) && String(nx) === x && String(ny) === y) { return order * (nx - ny); }
        return order * x.localeCompare(y, 'zh');
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
})();
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _shown(value: object) -> str:
    """A field's value as the page shows it, in the JSON's spelling: ``true``/``false``
    (not Python's ``True``), nothing for null, lists joined with 、."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "、".join(_shown(v) for v in value)
    return str(value)


def _hover(target: Target) -> str:
    """The record as lines of ``field: value`` (the mark's tooltip)."""
    return "\n".join(f"{k}: {_shown(v)}" for k, v in target.to_dict().items())


def _groups(targets: Sequence[Target]) -> list[tuple[int, int, list[int]]]:
    """Spans to mark: (start, end, indices of the targets); targets whose spans overlap
    (各, 均: several targets share one number) are one mark."""
    groups: list[tuple[int, int, list[int]]] = []
    for i, target in sorted(enumerate(targets), key=lambda it: (it[1].start, it[1].end)):
        if groups and target.start < groups[-1][1]:
            start, end, members = groups[-1]
            groups[-1] = (start, max(end, target.end), [*members, i])
        else:
            groups.append((target.start, target.end, [i]))
    return groups


def _marks(text: str, targets: Sequence[Target], groups: list[tuple[int, int, list[int]]]) -> str:
    """The text, escaped, with every group of targets in a ``<mark>``."""
    out: list[str] = []
    position = 0
    for start, end, members in groups:
        first = targets[members[0]]
        out.append(_e(text[position:start]))
        hover = "\n\n".join(_hover(targets[i]) for i in members)
        out.append(f'<mark class="target kind-{_e(first.kind.value)}" id="t{members[0]}" '
                   f'data-task="{_e(first.task_id)}" data-targets="{" ".join(map(str, members))}" '
                   f'title="{_e(hover)}">{_e(text[start:end])}</mark>')
        position = end
    out.append(_e(text[position:]))
    return "".join(out)


def _tree(tasks: Sequence[Task], targets: Sequence[Target], text: str) -> str:
    """The tasks as nested lists by their dotted ids, with units and target counts."""
    counts: dict[str, int] = {}
    for target in targets:
        counts[target.task_id] = counts.get(target.task_id, 0) + 1
    children: dict[str, list[Task]] = {}
    ids = {t.task_id for t in tasks}
    for task in tasks:
        parent = task.task_id.rpartition(".")[0]
        while parent and parent not in ids:
            parent = parent.rpartition(".")[0]
        children.setdefault(parent, []).append(task)

    def node(task: Task) -> str:
        snippet = " ".join(text[task.start:task.end].split())[:48]
        units = "".join(f'<div class="units">{label}：{_e("、".join(getattr(task, name)))}</div>'
                        for name, label in _TREE_FIELDS if getattr(task, name))
        count = counts.get(task.task_id, 0)
        inner = "".join(node(c) for c in children.get(task.task_id, []))
        return (f'<li><div id="task-{_e(task.task_id)}" data-task="{_e(task.task_id)}">'
                f'<span class="id">{_e(task.task_id)}</span>{_e(snippet)}'
                f'<span class="count">({count} target{"s" if count != 1 else ""})</span>{units}</div>'
                + (f"<ul>{inner}</ul>" if inner else "") + "</li>")

    return "<ul>" + "".join(node(t) for t in children.get("", [])) + "</ul>"


def _cell(value: Any) -> tuple[str, str]:
    """(shown, sort key) of a table cell."""
    if value is None or isinstance(value, bool | list | tuple):
        return _shown(value), _shown(value)
    if isinstance(value, float):
        shown = f"{value:,.0f}" if value == int(value) and abs(value) >= 1000 else f"{value:g}"
        return shown, repr(value) if value != int(value) else str(int(value))
    return str(value), str(value)


def _table(document: Document, mark_of: dict[int, str]) -> str:
    columns = [c for c in exported_fields(Target) if c not in _HIDDEN_COLUMNS] + ["lead_units"]
    tasks = {t.task_id: t for t in document.tasks}
    head = "".join(f"<th>{_e(c)}</th>" for c in columns)
    rows = []
    for i, target in enumerate(document.targets):
        record = target.to_dict()
        task = tasks.get(target.task_id)
        record["lead_units"] = list(task.lead_units) if task else []
        cells = []
        for column in columns:
            shown, key = _cell(record.get(column))
            numeric = isinstance(record.get(column), int | float) and not isinstance(record.get(column), bool)
            cells.append(f'<td{" class=num" if numeric else ""} data-sort="{_e(key)}">{_e(shown)}</td>')
        rows.append(f'<tr data-mark="{mark_of[i]}">{"".join(cells)}</tr>')
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _meta(meta: DocumentMeta, doc_id: str) -> str:
    items = [("doc_id", doc_id)] + [(_META_LABELS.get(k, k), v) for k, v in meta.to_dict().items() if v]
    return '<dl class="meta">' + "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in items) + "</dl>"


def render_report(document: Document, text: str) -> str:
    """The report page of ``document``, whose offsets refer to ``text``, as one HTML string."""
    title = document.meta.title or document.doc_id or "targetex report"
    counts = (f"{len(document.targets)} targets in {len(document.tasks)} tasks")
    legend = ('<div class="legend">kind: <span style="background:var(--change)">change</span>'
              '<span style="background:var(--level)">level</span>'
              '<span style="background:var(--amount)">amount</span>'
              f"{_e(counts)} · click a target to see its task · click a column to sort</div>")
    data = json.dumps(document.to_dict(), ensure_ascii=False).replace("</", "<\\/")
    groups = _groups(document.targets)
    mark_of = {i: f"t{members[0]}" for _, _, members in groups for i in members}
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="targetex">
<title>{_e(title)} · targetex</title>
<style>{_CSS}</style>
</head>
<body>
<header><h1>{_e(title)}</h1>{_meta(document.meta, document.doc_id)}{legend}</header>
<main>
<article id="text">{_marks(text, document.targets, groups)}</article>
<nav id="tree" aria-label="tasks">{_tree(document.tasks, document.targets, text)}</nav>
</main>
<section class="table">{_table(document, mark_of)}</section>
<script type="application/json" id="records">{data}</script>
<script>{_JS}</script>
</body>
</html>
"""
