"""The curated seed tags agree with an independent, blind careful reading of the same abstracts."""

from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent


def test_curated_seed_tags_agree_with_an_independent_reading_at_micro_f1_085():
    independent = yaml.safe_load((REPO / "tests" / "data" / "seed-independent-tags.yaml").read_text(encoding="utf-8"))
    curated = {}
    for path in (REPO / "data" / "papers").glob("*.yaml"):
        entry = yaml.safe_load(path.read_text(encoding="utf-8"))
        curated[entry["id"]] = set(entry.get("tags", ()))
    assert set(independent) <= set(curated) and len(independent) == 71
    tp = sum(len(curated[pid] & set(tags)) for pid, tags in independent.items())
    fp = sum(len(curated[pid] - set(tags)) for pid, tags in independent.items())
    fn = sum(len(set(tags) - curated[pid]) for pid, tags in independent.items())
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= 0.85, f"micro-F1 {f1:.3f} (tp {tp}, fp {fp}, fn {fn})"
