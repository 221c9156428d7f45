"""Scale: the synthetic corpus, incremental rebuilds and the bounded pieces of the pipeline.

Nothing here measures time; these are the correctness properties the benchmark relies on.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from atlas.bench import END, START, index_sizes, run_measured, update_page
from atlas.build import build, build_atlas, load_inputs
from atlas.cli import main
from atlas.corpus import copy_project, write_entries
from atlas.sources import Project
from atlas.output import read_manifest
from atlas.synth import synth_papers
from atlas.textindex import cosine, top_k_similar
from conftest import entry, section

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def seed_papers(repo_project):
    inputs, problems = load_inputs(repo_project)
    assert not problems
    return inputs.papers


@pytest.fixture(scope="module")
def built_once(tmp_path_factory, repo_project, seed_papers):
    """A 200-paper project (the seed plus synthetic entries), built once per module."""
    root = tmp_path_factory.mktemp("synthetic") / "project"
    project = copy_project(repo_project, root)
    write_entries(project.papers_dir, synth_papers(seed_papers, 200))
    build(project)
    return project


@pytest.fixture
def synthetic_project(built_once, tmp_path):
    """A fresh copy of the built project (copies keep file times, so the cache holds)."""
    root = tmp_path / "project"
    shutil.copytree(built_once.root, root, symlinks=True)
    return Project(root)


def test_synth_is_deterministic_and_smaller_corpora_are_prefixes(seed_papers):
    first = synth_papers(seed_papers, 150)
    assert first == synth_papers(seed_papers, 150)
    assert synth_papers(seed_papers, 120) == first[:120]
    assert synth_papers(seed_papers, 150, salt=1) != first


def test_synth_starts_with_the_seed_and_has_the_requested_size(seed_papers):
    papers = synth_papers(seed_papers, 100)
    assert len(papers) == 100
    assert [p.id for p in papers[:len(seed_papers)]] == sorted(p.id for p in seed_papers)
    assert synth_papers(seed_papers, 10) == sorted(seed_papers, key=lambda p: p.id)[:10]


def test_synthetic_entries_pass_every_check_and_look_like_real_ones(synthetic_project, seed_papers):
    inputs, problems = load_inputs(synthetic_project)
    assert problems == []
    synthetic = [p for p in inputs.papers if p.source == "synthetic"]
    assert len(synthetic) == 200 - len(seed_papers)
    assert any(p.tags_suggested for p in synthetic) and any(p.tags for p in synthetic)
    assert any(p.link_map.get("code") for p in synthetic)
    assert all(p.aliases and p.title.startswith(p.aliases[0] + ":") for p in synthetic)
    atlas = build_atlas(synthetic_project)
    assert sum(1 for item in atlas.papers if item.mentions) > 20


def test_no_op_rebuild_writes_no_file(synthetic_project):
    again = build(synthetic_project)
    assert again.written == [] and again.removed == []
    assert again.unchanged == len(read_manifest(synthetic_project.docs_dir))


def test_no_op_rebuild_without_the_cache_also_writes_no_file(synthetic_project):
    report = build(synthetic_project, use_cache=False)
    assert report.written == [] and report.unchanged > 200


def test_another_site_url_is_not_a_no_op(synthetic_project, monkeypatch):
    # `make serve` sets SITE_URL; feeds and BibTeX carry the site's address.
    monkeypatch.setenv("SITE_URL", "http://127.0.0.1:8123/")
    report = build(synthetic_project)
    assert "robots.txt" in report.written
    assert "http://127.0.0.1:8123/" in (synthetic_project.docs_dir / "robots.txt").read_text()
    assert build(synthetic_project).written == []


def test_a_no_op_rebuild_reads_the_inputs_without_importing_yaml_jinja_or_numpy(synthetic_project):
    # `mkdocs serve` runs the build after every save: when nothing changed it must cost
    # file reads, not imports (that budget is ~1 s at 10,000 papers).
    code = ("import sys; from atlas.cli import main; code = main(['--root', sys.argv[1], 'build']);"
            "print(sorted(m for m in ('yaml', 'jinja2', 'numpy', 'urllib.request') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code, str(synthetic_project.root)],
                            capture_output=True, text=True, check=True)
    assert "0 written" in result.stdout and result.stdout.rstrip().endswith("[]")


def test_a_broken_template_is_reported_with_its_file_and_line_not_a_traceback(synthetic_project, capsys):
    template = synthetic_project.templates_dir / "tag.html.j2"
    template.write_text(template.read_text() + "\n{% if %}\n")
    assert main(["--root", str(synthetic_project.root), "build"]) == 1
    error = capsys.readouterr().err
    assert error.startswith("templates/tag.html.j2:") and "template:" in error and "Traceback" not in error


def test_editing_one_abstract_rewrites_only_the_pages_whose_content_changed(synthetic_project):
    docs = synthetic_project.docs_dir
    before = {rel: (docs / rel).read_bytes() for rel in read_manifest(docs)}
    path = synthetic_project.papers_dir / "galore.yaml"
    path.write_text(path.read_text().rstrip("\n") + " We also report results on three more benchmarks.\n")
    report = build(synthetic_project)
    after = {rel: (docs / rel).read_bytes() for rel in read_manifest(docs)}
    changed = {rel for rel in after if before.get(rel) != after[rel]}
    assert "papers/galore.md" in changed
    assert set(report.written) == changed
    # Its own page, its data, and the few pages whose related lists shift with the new words.
    assert len(changed) < len(after) // 10


def test_a_hand_edited_generated_page_is_rebuilt(synthetic_project):
    page = synthetic_project.docs_dir / "papers" / "galore.md"
    original = page.read_text()
    page.write_text(original + "\nhand edit\n")
    report = build(synthetic_project)
    assert report.written == ["papers/galore.md"]
    assert page.read_text() == original


def _as_a_new_process():
    """Forget every page this process rendered, as a new `atlas build` process starts."""
    from atlas import memo, pagecache

    memo.clear_all()
    pagecache._KNOWN.clear()


def _rendered_paper_pages(monkeypatch) -> list[str]:
    """The ids of the paper pages rendered from now on (not taken from a memo)."""
    from atlas.render import Renderer

    rendered: list[str] = []
    render = Renderer.paper_page
    monkeypatch.setattr(Renderer, "paper_page", lambda self, item, *rest: rendered.append(item.paper.id)
                        or render(self, item, *rest))
    return rendered


def test_a_new_process_after_an_edit_renders_only_the_pages_whose_inputs_changed(synthetic_project, monkeypatch):
    monkeypatch.setenv("ATLAS_MEMO_CHECK", "0")  # a remembered page is used, not rendered to compare
    path = synthetic_project.papers_dir / "galore.yaml"
    path.write_text(path.read_text().rstrip("\n") + " We also report results on three more benchmarks.\n")
    _as_a_new_process()
    rendered = _rendered_paper_pages(monkeypatch)
    report = build(synthetic_project)
    # Its own page and those whose related papers, scores or map shift with the new words.
    assert "galore" in rendered and "papers/galore.md" in report.written
    assert len(rendered) < 200 // 4
    # Without the last build's page keys, a new process renders every paper page; the pages
    # it writes are the same as those taken from docs/.
    (synthetic_project.root / ".atlas-cache" / "pages.tsv").unlink()
    _as_a_new_process()
    rendered.clear()
    assert build(synthetic_project, use_cache=False).written == []
    assert len(rendered) == 200


def test_a_hand_edited_generated_page_is_not_taken_for_the_last_builds(synthetic_project):
    page = synthetic_project.docs_dir / "papers" / "galore.md"
    original = page.read_text()
    page.write_text(original + "\nhand edit\n")
    _as_a_new_process()
    report = build(synthetic_project)
    assert report.written == ["papers/galore.md"]
    assert page.read_text() == original


def test_pages_written_by_other_code_are_not_reused(synthetic_project, monkeypatch):
    from atlas import pagecache
    from atlas.render import PAGE_MEMOS

    _as_a_new_process()
    assert pagecache.seed(synthetic_project, PAGE_MEMOS) > 200 - 10
    _as_a_new_process()
    monkeypatch.setattr(pagecache, "stamp", lambda: "another version of the atlas code")
    assert pagecache.seed(synthetic_project, PAGE_MEMOS) == 0


def test_a_template_change_is_not_hidden_by_the_cache(synthetic_project):
    template = synthetic_project.templates_dir / "tag.html.j2"
    template.write_text(template.read_text() + "\nSee also the facet pages.\n")
    report = build(synthetic_project)
    assert len(report.written) == sum(1 for rel in read_manifest(synthetic_project.docs_dir)
                                      if rel.startswith("tags/") and rel != "tags/index.md")


def test_a_famous_paper_lists_a_bounded_number_of_mentions(make_project):
    entries = {"galore.yaml": entry("galore", "GaLore: Memory-Efficient Training", aliases="[GaLore]")}
    for n in range(30):
        entries[f"follow-{n}.yaml"] = entry(f"follow-{n}", f"Follow-up number {n} on training",
                                            abstract=f"We extend GaLore to setting {n} with new results.")
    project = make_project(entries)
    build(project)
    page = (project.docs_dir / "papers" / "galore.md").read_text()
    assert section(page, "Mentioned by").count('href="../follow-') == 25
    assert "and 5 more papers" in page


def _brute_force(vectors, k, max_df_share=0.2, min_postings=32, max_postings=256):
    df = {}
    for vector in vectors.values():
        for term in vector:
            df[term] = df.get(term, 0) + 1
    limit = max(min_postings, min(max_postings, int(max_df_share * len(vectors))))
    result = {}
    for key, vector in vectors.items():
        others = [o for o in vectors if o != key and any(df[t] <= limit and t in vectors[o] for t in vector)]
        scores = sorted(((o, cosine(vector, vectors[o])) for o in others), key=lambda kv: (-kv[1], kv[0]))
        result[key] = scores[:k]
    return result


def _small_corpus() -> dict[str, dict[str, float]]:
    words = ["cache", "decoding", "quantization", "pruning", "lora", "kernel", "attention", "serving"]
    vectors = {}
    for i in range(40):
        terms = {words[i % 8]: 0.8, words[(i * 3) % 8]: 0.5, f"name{i}": 0.3, f"pair{i // 2}": 0.4}
        norm = sum(w * w for w in terms.values()) ** 0.5
        vectors[f"p{i:02d}"] = {t: w / norm for t, w in sorted(terms.items(), key=lambda kv: -kv[1])}
    return vectors


def test_related_search_equals_brute_force_on_a_small_corpus():
    vectors = _small_corpus()
    assert top_k_similar(vectors, 5) == _brute_force(vectors, 5)


@pytest.mark.parametrize("parallel", [False, True])
def test_rescore_turns_each_documents_top_k_into_what_is_returned_also_in_workers(parallel):
    vectors = _small_corpus()
    rescored = top_k_similar(vectors, 5, parallel=parallel, rescore=lambda key, top: [(key, other, -score) for other, score in top])
    assert rescored == {key: [(key, other, -score) for other, score in top] for key, top in _brute_force(vectors, 5).items()}


def test_cosine_is_the_plain_dot_product():
    a = {"x": 0.6, "y": 0.8}
    b = {"y": 0.6, "z": 0.8}
    assert cosine(a, b) == pytest.approx(0.48)
    assert cosine(a, {"q": 1.0}) == 0.0


def test_bench_results_replace_only_the_marked_block(tmp_path):
    page = tmp_path / "performance.md"
    page.write_text(f"# Performance\n\nintro\n\n{START}\nold table\n{END}\n\n## Notes\n")
    info = {"cpu": "cpu", "cores": 2, "memory": "1 GB", "os": "os", "python": "3.11", "versions": {},
            "load_average": "0.1"}
    update_page(page, "| new | table |", info)
    text = page.read_text()
    assert "old table" not in text and "| new | table |" in text
    assert text.startswith("# Performance\n\nintro\n") and text.endswith("## Notes\n")


def test_the_search_index_is_measured_raw_and_gzipped(tmp_path):
    # Pagefind's index files are gzipped on disk: raw is what they inflate to. Its scripts are
    # plain: gzipped is what a server's compression makes of them.
    import gzip

    fragment = b"pagefind_dcd" + b'{"url":"/papers/x/"}' * 500
    (tmp_path / "fragment").mkdir()
    (tmp_path / "fragment" / "en_1.pf_fragment").write_bytes(gzip.compress(fragment, mtime=0))
    script = b"function search(q) { return q; }\n" * 300
    (tmp_path / "pagefind.js").write_bytes(script)
    raw, gzipped, files = index_sizes(tmp_path)
    assert files == 2
    assert raw == len(fragment) + len(script)
    assert gzipped == len(gzip.compress(fragment, mtime=0)) + len(gzip.compress(script, 6, mtime=0))
    assert gzipped < raw / 10


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_benchmark_counts_the_memory_of_every_process_a_build_starts(tmp_path):
    # A parent holding little starts a child holding 200 MB of its own: the largest
    # single process (wait4) is the child, the whole tree holds at least as much.
    child = "import time; block = bytearray(200 * 2**20); block[::4096] = b'x' * len(block[::4096]); time.sleep(1.5)"
    parent = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {child!r}])"
    run = run_measured([sys.executable, "-c", parent], tmp_path)
    assert run.ok
    assert run.peak_rss_mb >= 200
    assert run.peak_tree_mb >= 200 + 5  # the child and the parent interpreter


def test_cli_synth_writes_entries_that_check_clean(tmp_path, repo_project, capsys):
    out = tmp_path / "copy"
    assert main(["--root", str(repo_project.root), "synth", "90", "--out", str(out)]) == 0
    assert len(list((out / "data" / "papers").glob("*.yaml"))) == 90
    assert (out / "mkdocs.yml").is_file() and (out / "templates" / "paper.html.j2").is_file()
    assert not (out / "docs" / "papers").exists()
    capsys.readouterr()
    assert main(["--root", str(out), "check"]) == 0
    assert "90 entries" in capsys.readouterr().out


@pytest.mark.parametrize("count", ["0", "-5", "ten"])
def test_cli_synth_refuses_a_count_that_is_not_one_or_more(tmp_path, repo_project, capsys, count):
    with pytest.raises(SystemExit) as exit_:
        main(["--root", str(repo_project.root), "synth", count, "--out", str(tmp_path / "copy")])
    assert exit_.value.code == 2 and "argument n:" in capsys.readouterr().err
    assert not (tmp_path / "copy").exists()


@pytest.mark.parametrize("sizes", ["0", "71 -3", "", "71,x"])
def test_bench_refuses_sizes_that_are_not_numbers_of_papers(repo_project, capsys, sizes):
    assert main(["--root", str(repo_project.root), "bench", "--sizes", sizes]) == 1
    assert capsys.readouterr().err.startswith("--sizes: sizes: ")


def test_a_copied_project_with_synthetic_entries_builds_a_strict_site(tmp_path, repo_project, seed_papers):
    """What `atlas bench` does at every size: the copy must carry all the site needs (e.g. overrides/)."""
    from atlas.cli import main

    project = copy_project(repo_project, tmp_path / "copy")
    write_entries(project.papers_dir, synth_papers(seed_papers, 90))
    assert main(["--root", str(project.root), "site", "--site-dir", str(tmp_path / "site")]) == 0
    assert len(list((tmp_path / "site" / "papers").glob("*/index.html"))) == 90


def test_a_large_build_finds_the_key_numbers_beside_related_papers_and_they_are_the_same(
        seed_papers, repo_project, monkeypatch):
    import atlas.enrich as enrich_module
    from atlas import keynumbers
    from atlas.enrich import enrich

    papers = synth_papers(seed_papers, 150)
    inputs, problems = load_inputs(repo_project)
    # As at 10,000 papers: this build forks, and has many abstracts whose numbers are unknown.
    monkeypatch.setattr(enrich_module, "worth_forking", lambda n: True)
    monkeypatch.setattr(enrich_module, "_KEY_NUMBERS_BESIDE", 1)
    monkeypatch.setattr(keynumbers, "_FOUND", {})
    remembered = []
    monkeypatch.setattr(keynumbers, "remember", lambda abstract, numbers: remembered.append((abstract, numbers)))
    enrich(papers, inputs.taxonomy)
    abstracts = sorted({p.abstract for p in papers})
    assert [abstract for abstract, _ in remembered] == abstracts
    assert all(numbers == keynumbers._extract(abstract) for abstract, numbers in remembered)


def test_the_bare_floor_writes_one_page_per_entry_from_its_own_fields(tmp_path, repo_project, monkeypatch):
    """`atlas bench` times this beside the build script: it must do the floor's work in full
    (every entry read, parsed, templated and written), shared among workers as on 2 cores,
    or the figure would understate what any script must spend."""
    import yaml
    from markupsafe import escape

    from atlas.floorbench import write_floor_pages

    monkeypatch.setenv("ATLAS_WORKERS", "2")
    entries = sorted(repo_project.papers_dir.glob("*.yaml"))
    assert write_floor_pages(repo_project.papers_dir, tmp_path / "pages") == len(entries)
    pages = sorted((tmp_path / "pages").glob("*.md"))
    assert [p.stem for p in pages] == [e.stem for e in entries]
    for path in (entries[0], entries[-1]):
        fields = yaml.safe_load(path.read_text(encoding="utf-8"))
        page = (tmp_path / "pages" / f"{path.stem}.md").read_text(encoding="utf-8")
        assert yaml.safe_load(page.split("---\n")[1])["title"] == fields["title"]
        assert str(escape(" ".join(fields["abstract"].split()[:12]))) in page
        assert all(f'href="../../tags/{tag}/"' in page for tag in fields["tags"])


def test_the_benchmark_times_the_tag_page_with_the_most_html(tmp_path):
    from atlas.pagebench import largest_tag_page

    assert largest_tag_page(tmp_path) is None
    for name, size in (("kv-cache", 300), ("method", 900), ("quantization", 500)):
        (tmp_path / "tags" / name).mkdir(parents=True)
        (tmp_path / "tags" / name / "index.html").write_text("x" * size)
    assert largest_tag_page(tmp_path) == tmp_path / "tags" / "method" / "index.html"
