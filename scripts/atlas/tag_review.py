"""Where curated tags and the tagger disagree, as lines a reviewer can act on.

Each curated entry is tagged as if it were new (its own tags never count as evidence),
then compared with its `tags:`. A tag the tagger suggests with evidence may be missing
from the entry; a curated tag without evidence may be wrong — or the rules may need a
phrase. Either way the reviewer decides.
"""

from __future__ import annotations

from .model import Paper, Taxonomy
from .neighbours import TaggedCorpus
from .tagger import DEFAULT_MIN_SCORE, rule_evidence, suggest_tags


def tag_disagreements(papers: list[Paper], taxonomy: Taxonomy) -> list[str]:
    """`path:line: tags: ...` lines, sorted by entry, then suggested-but-missing before curated-only."""
    curated = [p for p in papers if p.tags and not p.tags_suggested]
    lines = []
    for paper in sorted(curated, key=lambda p: p.id):
        corpus = TaggedCorpus.from_papers([p for p in curated if p.id != paper.id])
        suggestions = suggest_tags(paper.title, paper.abstract, taxonomy, corpus.nearest(paper.title, paper.abstract))
        where = f"{paper.source_path or f'data/papers/{paper.id}.yaml'}:{paper.line_of('tags')}: tags"
        suggested = {s.tag: s for s in suggestions}
        for tag in sorted(set(suggested) - set(paper.tags)):
            lines.append(f"{where}: suggested '{tag}' is not curated — evidence: {'; '.join(suggested[tag].evidence)}")
        for tag in sorted(set(paper.tags) - set(suggested)):
            rule = taxonomy.rules.get(tag) or {}
            score, found = rule_evidence(rule, paper.title, paper.abstract)
            beaten_by = sorted((set(rule.get("excluded_by", ())) | set(rule.get("gives_way_to", ()))) & set(suggested))
            why = (f"left out because {', '.join(beaten_by)} is suggested" if beaten_by and score >= float(
                rule.get("min_score", DEFAULT_MIN_SCORE)) else f"its rule scored {score:g} of {float(rule.get('min_score', DEFAULT_MIN_SCORE)):g}: {'; '.join(found)}"
                   if found else "no phrase of its rule matched")
            lines.append(f"{where}: curated '{tag}' is not suggested — {why}")
    return lines
