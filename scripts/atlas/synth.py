"""A synthetic corpus: N realistic entries made from the seed's own material, for scale tests.

Performance at 10,000 papers cannot wait for 10,000 real ones. Synthetic entries reuse
what real entries look like: the seed papers come first (so "KV cache" still finds the
KV-cache papers), then each new paper copies the tag set of a random seed paper (tags are
drawn like the seed's), gets a coined system name as title prefix and alias, and an
abstract stitched from sentences of seed papers that share a tag, with its numbers
changed, a code link now and then, and a mention of an earlier paper's name (so mention
links and "Mentioned by" lists grow as they would). About one in ten has no `tags:`, so
the tagger runs at scale too.

Entry i depends only on (seed, i) and the seed corpus, so 1,000 synthetic papers are a
prefix of 10,000: a change in timing between sizes is the size, not different data.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from dataclasses import replace

from .model import Paper

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_NUMBER = re.compile(r"\b\d+(?:\.\d+)?\b")
_PREFIXES = ("Flash", "Quant", "Spec", "Lo", "Sparse", "Turbo", "Mem", "Pipe", "Tiny", "Fast", "Deep",
             "Hydra", "Vec", "Opti", "Gist", "Prune", "Route", "Token", "Mix", "Edge", "Scale", "Zip",
             "Cache", "Serve", "Atom", "Lite", "Meta", "Omni", "Nano", "Hyper")
_ROOTS = ("Rot", "Infer", "Ra", "Former", "Mamba", "Lens", "Gate", "Shift", "Fuse", "Kernel", "Bench",
          "Tune", "Draft", "Stream", "Pack", "Merge", "Slice", "Loom", "Forge", "Pilot", "Core", "Wave",
          "Grid", "Bit", "Quill", "Sage", "Nest", "Flow", "Mind", "Spark")
_SUFFIXES = ("", "", "", "-V", "-X", "-Lite", "++", "2", "-Pro", "-S")
_FIRST = ("Wei", "Anna", "Rahul", "Chen", "Maria", "Yuki", "Omar", "Lena", "Jun", "Priya", "Tomás",
          "Sara", "Ivan", "Mei", "Kofi", "Elena", "Hao", "Noah", "Aisha", "Lucas")
_LAST = ("Zhang", "Müller", "Patel", "Kim", "Rossi", "Tanaka", "Haddad", "Novak", "Li", "Garcia",
         "Okafor", "Silva", "Ivanova", "Wang", "Dubois", "Nguyen", "Cohen", "Singh", "Berg", "Costa")
_TITLE_TAILS = ("Efficient {a} for {b}", "Towards Faster {a} with {b}", "Rethinking {a} in {b}",
                "{a} Meets {b}", "Scalable {a} via {b}", "A Study of {a} under {b}", "{a} at Scale for {b}")
_MENTION_SENTENCES = ("Compared with {name}, our method reduces memory by {x}% at equal accuracy.",
                      "We build on {name} and extend it to {y} new settings.",
                      "Unlike {name}, it needs no retraining and runs {z}x faster on a single GPU.")


def _coined_name(index: int, rng: random.Random) -> str:
    """A unique CamelCase system name: the index picks prefix and root, a counter the rest."""
    prefix = _PREFIXES[index % len(_PREFIXES)]
    root = _ROOTS[(index // len(_PREFIXES)) % len(_ROOTS)]
    cycle = index // (len(_PREFIXES) * len(_ROOTS))
    suffix = rng.choice(_SUFFIXES)
    return f"{prefix}{root}{suffix}" + (f"{cycle + 1}" if cycle else "")


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _change_numbers(sentence: str, rng: random.Random) -> str:
    def swap(match: re.Match) -> str:
        text = match.group(0)
        if (len(text) == 4 and text.startswith(("19", "20"))) or (text.isdigit() and int(text) < 10):
            return text  # a year, or a list item "(1)"
        if "." in text:
            return f"{rng.uniform(0.5, 99):.1f}"
        return str(rng.randint(2, 512))
    return _NUMBER.sub(swap, sentence)


def _phrases(paper: Paper) -> list[str]:
    """Short noun phrases from a title, for new titles that read like the seed's."""
    tail = paper.title.split(":", 1)[-1]
    words = [w for w in re.split(r"\s+", tail.strip()) if w]
    return [" ".join(words[i:i + 2]) for i in range(0, max(1, len(words) - 1), 2) if words[i:i + 2]]


def synth_papers(seed: list[Paper], n: int, salt: int = 0) -> list[Paper]:
    """The first min(n, len(seed)) seed papers, then synthetic ones up to n papers in all."""
    seed = sorted(seed, key=lambda p: p.id)
    result = list(seed[:n])
    if n <= len(seed) or not seed:
        return result
    sentences_by_tag: dict[str, list[tuple[Paper, str]]] = defaultdict(list)
    for paper in seed:
        for sentence in _SENTENCE_END.split(paper.abstract):
            for tag in paper.tags:
                sentences_by_tag[tag].append((paper, sentence))
    taken_ids = {p.id for p in seed}
    names = [name for p in seed for name in p.aliases]
    for index in range(n - len(seed)):
        rng = random.Random(f"atlas-synth:{salt}:{index}")
        model = rng.choice(seed)
        name = _coined_name(index, rng)
        while _slug(name) in taken_ids:
            name += "X"
        pid = _slug(name)
        taken_ids.add(pid)
        other = rng.choice(seed)
        pa, pb = rng.choice(_phrases(model)), rng.choice(_phrases(other))
        title = f"{name}: " + rng.choice(_TITLE_TAILS).format(a=pa, b=pb)
        pool = [s for tag in model.tags for s in sentences_by_tag[tag]] or \
               [(model, s) for s in _SENTENCE_END.split(model.abstract)]
        sentences = []
        for source, sentence in rng.sample(pool, min(len(pool), rng.randint(5, 9))):
            for alias in source.aliases:
                sentence = re.sub(rf"(?<![/\w]){re.escape(alias)}(?![\w/])", lambda _: name, sentence)
            sentences.append(_change_numbers(sentence, rng))
        if names and rng.random() < 0.4:
            mention = rng.choice(names[-200:]) if rng.random() < 0.7 else rng.choice(names)
            sentences.insert(rng.randint(1, len(sentences)),
                             rng.choice(_MENTION_SENTENCES).format(name=mention, x=rng.randint(10, 80),
                                                                   y=rng.randint(2, 9), z=rng.randint(2, 9)))
        links: tuple[tuple[str, str], ...] = ()
        if rng.random() < 0.35:
            url = f"https://github.com/atlas-synth/{pid}"
            links = (("code", url),)
            sentences.append(f"Code is available at {url}.")
        abstract = " ".join(sentences)[:5800]
        untagged = rng.random() < 0.1
        year = rng.randint(2022, 2026)
        paper = Paper(
            id=pid, title=title, abstract=abstract,
            arxiv=f"{year % 100:02d}{rng.randint(1, 12):02d}.{10000 + index:05d}",
            aliases=(name,), links=links, tags=() if untagged else model.tags,
            added="2026-11-27", source="synthetic",
            authors=tuple(dict.fromkeys(f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
                                        for _ in range(rng.randint(1, 6)))),
            year=year, tags_suggested=untagged,
        )
        result.append(replace(paper, source_path=f"data/papers/{pid}.yaml"))
        names.append(name)
    return result
