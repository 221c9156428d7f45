"""Measure the tagger against curated tags: precision, recall and micro-F1 per facet.

Three settings:
- the seed, one paper at a time, with neighbours drawn from the *other* papers only
  (leave-one-out; note the rules themselves were written while reading the seed);
- held-out sets of papers outside the atlas (a digest plus `heldout-tags.yaml` mapping each
  title to its careful tags), with the whole seed as neighbours: `tests/data/heldout/` is
  the *dev* set (its errors were read while the rules were tuned), `tests/data/heldout2/`
  the *test* set (never looked at while tuning: the honest figure for new papers).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .digest import parse_digest
from .identity import normalize_title
from .model import Paper, Taxonomy
from .neighbours import TaggedCorpus
from .problems import Problem
from .tagger import suggest_tags
from .textclean import clean_text
from .yamlsafe import read_yaml


@dataclass(frozen=True)
class Case:
    """One paper to tag, with the tags a careful reader gave it."""

    id: str
    title: str
    abstract: str
    gold: frozenset[str]


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    """Micro-averaged counts per facet and overall, plus every disagreement."""

    facets: dict[str, Counts] = field(default_factory=dict)
    overall: Counts = field(default_factory=Counts)
    # (case id, tag, "missed" | "extra")
    errors: list[tuple[str, str, str]] = field(default_factory=list)


def score(cases: list[Case], predicted: dict[str, set[str]], taxonomy: Taxonomy) -> Report:
    """Compare predicted tag sets with the gold ones; tags outside the taxonomy are ignored."""
    report = Report(facets={f.id: Counts() for f in taxonomy.facets})
    known = taxonomy.tags
    for case in cases:
        gold = {t for t in case.gold if t in known}
        guess = {t for t in predicted.get(case.id, set()) if t in known}
        for tag in sorted(gold | guess):
            counts = report.facets[known[tag].facet]
            if tag in gold and tag in guess:
                counts.tp += 1
                report.overall.tp += 1
            elif tag in guess:
                counts.fp += 1
                report.overall.fp += 1
                report.errors.append((case.id, tag, "extra"))
            else:
                counts.fn += 1
                report.overall.fn += 1
                report.errors.append((case.id, tag, "missed"))
    return report


def seed_cases(papers: list[Paper]) -> list[Case]:
    return [Case(p.id, p.title, p.abstract, frozenset(p.tags)) for p in papers if p.tags and not p.tags_suggested]


def predict_leave_one_out(papers: list[Paper], taxonomy: Taxonomy, neighbours: bool) -> dict[str, set[str]]:
    """Tag each curated paper as if it were new: its own tags never count as evidence."""
    curated = [p for p in papers if p.tags and not p.tags_suggested]
    predicted = {}
    for paper in curated:
        found = []
        if neighbours:
            corpus = TaggedCorpus.from_papers([p for p in curated if p.id != paper.id])
            found = corpus.nearest(paper.title, paper.abstract)
        predicted[paper.id] = {s.tag for s in suggest_tags(paper.title, paper.abstract, taxonomy, found)}
    return predicted


def predict_with_corpus(cases: list[Case], taxonomy: Taxonomy, corpus: TaggedCorpus | None) -> dict[str, set[str]]:
    predicted = {}
    for case in cases:
        found = corpus.nearest(case.title, case.abstract) if corpus else []
        predicted[case.id] = {s.tag for s in suggest_tags(case.title, case.abstract, taxonomy, found)}
    return predicted


def load_heldout(digest_text: str, tags_raw: bytes, digest_path: str, tags_path: str,
                 prefix: str = "heldout") -> tuple[list[Case], list[Problem]]:
    """Held-out cases (ids `<prefix>-01`, ...): digest items joined with `title: [tags]` by normalised title."""
    parsed = parse_digest(digest_text, digest_path)
    problems = list(parsed.problems)
    doc, found = read_yaml(tags_raw, tags_path)
    problems += found
    if doc is None:
        return [], problems
    if not isinstance(doc.data, dict):
        return [], problems + [Problem(tags_path, 1, "tags", "expected a mapping of title to tag list",
                                       "write one `\"Title\": [tag, ...]` line per paper")]
    gold = {normalize_title(str(title)): (str(title), tags) for title, tags in doc.data.items()}
    cases, matched = [], set()
    for item in parsed.items:
        key = normalize_title(item.title)
        if key not in gold:
            problems.append(Problem(digest_path, item.line, "title", f"no tags for {item.title!r}",
                                    f"add it to {tags_path}"))
            continue
        matched.add(key)
        # Cleaned exactly as `atlas import` cleans a digest before it suggests tags.
        title, abstract = clean_text(item.title)[0], clean_text(item.abstract)[0]
        cases.append(Case(f"{prefix}-{len(cases) + 1:02d}", title, abstract, frozenset(gold[key][1] or ())))
    for key in sorted(set(gold) - matched):
        problems.append(Problem(tags_path, doc.line(gold[key][0]), "title", f"{gold[key][0]!r} is not in the digest",
                                "fix the title or remove the line"))
    return cases, problems


def format_report(name: str, report: Report, n_cases: int, taxonomy: Taxonomy) -> str:
    """A fixed-width table: one row per facet, then the overall micro average."""
    lines = [f"{name} ({n_cases} papers)",
             f"  {'facet':<13} {'precision':>9} {'recall':>7} {'F1':>6} {'tp':>5} {'fp':>4} {'fn':>4}"]
    rows = [(f.id, report.facets[f.id]) for f in taxonomy.facets] + [("overall", report.overall)]
    for label, c in rows:
        lines.append(f"  {label:<13} {c.precision:>9.3f} {c.recall:>7.3f} {c.f1:>6.3f} {c.tp:>5} {c.fp:>4} {c.fn:>4}")
    return "\n".join(lines)
