"""Stage (part of the document structure): which articles of a rules document carry work.

A document of rules (办法, 细则, 规定: numbered 第X条) mostly sets terms: the principles it
follows, who may apply, how much a subsidy is, how money is divided, what happens to those
who break it, who interprets it and when it takes effect.  The project's ruling (corpora/
README.md, "Documents of rules") makes an article, or a numbered item inside one, a task
only when it gives a body of the administration something to do or commits to an outcome.

This stage reads every article and item of such a document (at least ``min_articles``
articles, ``[articles]`` of ``models/structure.toml``) and marks those that carry no work
as framing (``Node.preamble``: a task only if its text carries a target, which the link
stage decides), naming the rule that says why (``Node.no_work``):

- the named rules of ``[[article_rules]]``, read in order on the node's own text (a
  sanction, a permissive clause, the principles, an eligibility condition, an allocation
  method, a subsidy standard…), come first;
- else an actor and a duty (省科技厅负责…, 县级民政部门应当在15个工作日内…) make it work;
  an item (（一）…) under an article with an actor is work when it opens with a verb of
  work (（一）会同市财政局编制…);
- else nothing gives work to anyone: rule ``no_actor``.

When no item of an article carries work (a list of amounts, materials, weights), the items
are a parameter list: they are folded into the article, which is then read as one.
"""

from __future__ import annotations

from targetex.resources import ArticleRules
from targetex.structure import Node, Structure

__all__ = ["NO_ACTOR", "PARAMETER_LIST", "mark_articles", "terms_spans"]

#: The rule name of an article or item that nothing gives work to.
NO_ACTOR = "no_actor"
#: The mark of an item folded into its article (a list of amounts, materials, weights).
PARAMETER_LIST = "parameter_list"


def mark_articles(text: str, structure: Structure, rules: ArticleRules) -> None:
    """Mark the articles and items of a rules document that carry no work (in place)."""
    articles = [n for n in structure.nodes if n.style == "article"]
    if len(articles) < rules.min_articles:
        return
    for article in articles:
        intro = _own_text(text, article)  # (before its first item)
        items = [item for item in article.children if not item.children]
        verdicts = [_verdict(_own_text(text, item), rules, intro) for item in items]
        if article.children and len(items) == len(article.children) and all(verdicts):
            _fold_items(structure, article)  # a parameter list: the article is read whole
        if article.children:
            for item, rule in zip(items, verdicts, strict=True):
                _mark(item, rule)
        else:
            _mark(article, _verdict(_own_text(text, article), rules, ""))


def terms_spans(structure: Structure) -> list[tuple[int, int]]:
    """Spans (sorted) of the articles and items a named rule says set terms (a subsidy
    standard, an allocation method…): their money, rates and bare numbers are parameters
    (non-target rule ``terms_article``).  Those that only lack an actor (``no_actor``) are
    left out: their numbers may still be what the rules commit to (全县力争新增…300户)."""
    return sorted((n.label_start, max(n.end, n.reach)) for n in structure.nodes
                  if n.no_work and n.no_work != NO_ACTOR)


def _own_text(text: str, node: Node) -> str:
    """The node's text before its first item (its whole text when it has none)."""
    end = node.own_end if node.children and node.own_end else node.end
    return text[node.label_end : max(end, node.label_end)].strip()


def _verdict(own: str, rules: ArticleRules, intro: str) -> str:
    """The name of the rule that says a node (its own text ``own``; ``intro``: the text of
    the article above an item) carries no work, or ``""`` (work).

    What an article is about is said in its first sentence (after a short title sentence:
    研发投入增量奖补。对…给予…): the rules that override work are read there, work in it and
    the sentence after (专项资金实行…方式。市人社局会同市财政局…发布…), and the rules that
    only name a reason in the whole text."""
    head = _sentences(own, 1)
    for rule in rules.rules:
        if not rule.after_work and rule.pattern.search(head):
            return rule.name
    if rules.work.search(_sentences(own, 2)):
        return ""
    if intro and (rules.item_work.match(own) or any(w in own for w in rules.item_obligations)) \
            and rules.work.search(_sentences(intro, 2)):
        return ""  # （一）会同市财政局编制… under 市人社局负责…：; （一）…每个区应当设置…
    for rule in rules.rules:
        if rule.after_work and rule.pattern.search(own):
            return rule.name
    return NO_ACTOR


_TITLE_SENTENCE = 12  # at most this many characters: a sentence that only names the article


def _sentences(text: str, count: int) -> str:
    """The first ``count`` sentences of ``text`` (a short title sentence not counted)."""
    end = 0
    for _ in range(count):
        stop = text.find("。", end)
        if stop == -1:
            return text
        if end == 0 and stop <= _TITLE_SENTENCE:  # (职业技能培训补贴。对…)
            stop = text.find("。", stop + 1)
            if stop == -1:
                return text
        end = stop + 1
    return text[:end]


def _mark(node: Node, rule: str) -> None:
    if rule:
        node.preamble = True  # (a task still when its text carries a target: link.py)
        node.no_work = rule


def _fold_items(structure: Structure, article: Node) -> None:
    """The items become text of the article (a parameter list, not tasks)."""
    items = article.children
    article.own_end = article.own_end or items[0].label_start
    article.end = max(article.end, *(i.end for i in items), *(i.reach for i in items))
    article.reach = max(article.reach, article.end)
    article.children = []
    for item in items:
        item.no_work = PARAMETER_LIST
    folded = {id(i) for i in items}
    structure.nodes = [n for n in structure.nodes if id(n) not in folded]
