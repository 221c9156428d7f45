"""Print the four Lighthouse category scores of each report, and the audits that did not pass.

Usage: python scripts/lighthouse_scores.py REPORT.json... (written by scripts/lighthouse.sh).
Exits 1 when a page misses a target: performance >= 95, the other three 100.
"""

from __future__ import annotations

import json
import sys

TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}


def main(paths: list[str]) -> int:
    missed = False
    print(f"{'page':40} " + " ".join(f"{c:>14}" for c in TARGETS))
    details = []
    for path in paths:
        report = json.load(open(path, encoding="utf-8"))
        scores = {c: round(100 * (report["categories"][c]["score"] or 0)) for c in TARGETS}
        missed |= any(scores[c] < target for c, target in TARGETS.items())
        url = report["finalDisplayedUrl"].split("/", 3)[-1] or "(home)"
        print(f"/{url:39} " + " ".join(f"{scores[c]:>14}" for c in TARGETS))
        for category in TARGETS:
            for ref in report["categories"][category]["auditRefs"]:
                audit = report["audits"][ref["id"]]
                if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                    shown = audit.get("displayValue", "")
                    details.append(f"  /{url}: {category}: {audit['id']} ({audit['score']}) {audit['title']} {shown}")
    if details:
        print("audits below full marks:")
        print("\n".join(details))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
