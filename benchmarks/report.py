"""The printed table and the targets of issues 3, 4 and 8, from one run's results."""

from __future__ import annotations

from typing import Any

MB_PER_GB = 1024


def _target(
    name: str, value: float | None, shown: str, target: str, ok: bool | None
) -> dict[str, Any]:
    return {"name": name, "value": value, "shown": shown, "target": target, "met": ok}


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Each figure an issue sets a target for, with the target and whether it is met."""
    found = []
    side = results.get("side_by_side")
    if side:
        ratios = side["ratios"]
        ratio, cpu = (
            ratios["end_to_end_throughput_vs_bare_nlp"],
            ratios["end_to_end_throughput_vs_bare_nlp_cpu"],
        )
        chunks = ratios["per_chunk_end_to_end_vs_bare"]
        spread = f", chunks {min(chunks):.2f}–{max(chunks):.2f}" if chunks else ""
        found.append(
            _target(
                "end-to-end throughput / bare nlp.pipe (issue 8)",
                ratio,
                f"{ratio:.2f} (cpu {cpu:.2f}{spread})",
                "≥ 0.80",
                ratio >= 0.80 if ratio is not None else None,
            )
        )
        events, events_cpu = (
            ratios["events_overhead_vs_bare_nlp"],
            ratios["events_overhead_vs_bare_nlp_cpu"],
        )
        found.append(
            _target(
                "events stage time / bare nlp.pipe time (issue 3)",
                events,
                f"{events:.1%} (cpu {events_cpu:.1%})",
                "≤ 15%",
                events <= 0.15 if events is not None else None,
            )
        )
    memory = results.get("memory")
    peak = memory["peak_rss_mb"] if memory else (side or {}).get("memory", {}).get("peak_rss_mb")
    if peak is not None:
        where = "ingest process" if memory else "benchmark process"
        found.append(
            _target(
                f"peak RSS, {where} (issue 8)",
                peak,
                f"{peak:.0f} MB",
                "≤ 1024 MB",
                peak <= MB_PER_GB,
            )
        )
    if memory:
        growth = memory["growth_after_warm_up"]
        found.append(
            _target(
                f"RSS growth after warm-up, {memory['articles']:,} articles (issue 8)",
                growth,
                f"{growth:+.1%} ({memory['rss_after_warm_up_mb']:.0f} → "
                f"{memory['rss_end_mb']:.0f} MB,"
                f" slope {memory['slope_mb_per_1000_articles']} MB/1k)",
                "≤ +10%",
                growth <= 0.10 if growth is not None else None,
            )
        )
    scale = results.get("scale")
    if scale:
        ratios = scale["ratios"]
        two = ratios["workers2_over_workers1"]
        found.append(
            _target(
                f"--workers 2 / --workers 1 throughput, {scale['articles']:,} articles (issue 8)",
                two,
                f"{two:.2f} (incl. start-up {ratios['workers2_over_workers1_total']:.2f})",
                "≥ 1.30",
                two >= 1.30,
            )
        )
        ray = ratios["ray_over_workers2"]
        with_load = ratios["ray_with_load_over_workers2"]
        found.append(
            _target(
                "Ray on 2 CPUs / --workers 2 throughput (issue 8)",
                ray,
                f"{ray:.2f} shards, {with_load:.2f} with load "
                f"(incl. start-up {ratios['ray_over_workers2_total']:.2f})",
                "≥ 0.80",
                ray >= 0.80,
            )
        )
        worker_rss = scale["engines"]["workers 2"]["peak_rss_mb"]
        found.append(
            _target(
                "peak RSS, largest process of --workers 2 (issue 8)",
                worker_rss,
                f"{worker_rss:.0f} MB",
                "≤ 1024 MB",
                worker_rss <= MB_PER_GB,
            )
        )
    startup = results.get("startup")
    if startup:
        cli = startup["cli_extract"]
        found.append(
            _target(
                "`eventwire extract` one short text, new process (issue 8)",
                cli["median_s"],
                f"{cli['median_s']:.2f} s median, first {cli['first_s']:.2f} s "
                f"(cpu {cli['median_cpu_s']:.2f} s)",
                "≤ 3 s",
                cli["median_s"] <= 3.0,
            )
        )
        both = startup["knowledge_base_and_gazetteer"]
        found.append(
            _target(
                "knowledge base + gazetteer load (issue 4)",
                both["load_s"],
                f"{both['load_s']:.2f} s, +{both['rss_added_mb']:.0f} MB RSS"
                f" ({both['python_allocated_mb']['retained']:.0f} MB Python objects)",
                "< 1 s, < 100 MB",
                both["load_s"] < 1.0 and both["rss_added_mb"] < 100,
            )
        )
    return found


def _table(header: list[str], rows: list[list[str]], align: str) -> list[str]:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]

    def line(cells: list[str]) -> str:
        return "  ".join(
            str(c).ljust(w) if a == "l" else str(c).rjust(w)
            for c, w, a in zip(cells, widths, align, strict=True)
        )

    return [line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def _number(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def _stage_lines(side: dict[str, Any]) -> list[str]:
    rows = [
        [
            row["stage"],
            _number(row["wall_s"], 1),
            _number(row["cpu_s"], 1),
            _number(row["words_per_s"]),
            _number(row["articles_per_s"], 2),
            _number(row["words_per_cpu_s"]),
            _number(row["share_of_bare_nlp"], 3),
            _number(row["cpu_over_wall"], 2),
        ]
        for row in side["stages"]
    ]
    header = ["stage", "wall s", "cpu s", "words/s", "art./s", "words/cpu-s", "× bare", "cpu/wall"]
    return _table(header, rows, "lrrrrrrr")


def render(results: dict[str, Any]) -> str:
    meta = results["meta"]
    lines = [
        f"eventwire benchmark {meta['started']} — {meta['machine']}",
        f"spaCy {meta['spacy']} / {meta['model']}, batch size {meta['batch_size']}, "
        f"seed {meta['seed']}",
    ]
    side = results.get("side_by_side")
    if side:
        corpus = side["corpus"]
        kinds = ", ".join(f"{n} {k}" for k, n in corpus["by_kind"].items())
        length = corpus["words_per_article"]
        lines += [
            "",
            f"corpus: {corpus['articles']:,} articles ({kinds}), {corpus['words']:,} words, "
            f"{corpus['tokens']:,} tokens; words/article min {length['min']}, median "
            f"{length['median']:.0f}, mean {length['mean']:.0f}, max {length['max']}; "
            f"{corpus['sentences']:,} sentences, {corpus['events']:,} events; "
            f"{corpus['failed']} failed",
            "",
            *_stage_lines(side),
            "",
            "extract per document kind: "
            + ", ".join(
                f"{kind} {figures['ms_per_article']:.1f} ms/article"
                for kind, figures in side["extract_by_kind"].items()
            ),
            "extract fidelity (extracted words / generated words): "
            + ", ".join(
                f"{kind} {f['mean_ratio']:.3f} ({f['exact_share']:.0%} exact)"
                for kind, f in side["corpus"]["extract_fidelity"].items()
            ),
        ]
        checks = side["checks"]
        for what in ("events", "near_duplicates"):
            staged, whole = checks[f"{what}_staged"], checks[f"{what}_end_to_end"]
            if staged != whole:
                lines.append(
                    f"WARNING: staged run found {staged} {what.replace('_', '-')}, end to end "
                    f"{whole}: stages.py no longer mirrors pipeline.py"
                )
        load = side["load_average"]
        lines.append(
            f"load average during the run: {load['samples']} (mean {load['mean']}) "
            f"on {meta['cpus']} CPUs; peak RSS of this process "
            f"{side['memory']['peak_rss_mb']:.0f} MB"
        )
    lines += ["", "targets:"]
    rows = [
        [t["name"], t["shown"], t["target"], {True: "met", False: "MISSED", None: "?"}[t["met"]]]
        for t in results["targets"]
    ]
    lines += ["  " + line for line in _table(["figure", "measured", "target", ""], rows, "llll")]
    scale = results.get("scale")
    if scale:
        from benchmarks.scale_bench import render as render_scale

        lines += ["", render_scale(scale)]
    startup = results.get("startup")
    if startup:
        lines += ["", "start-up of one cold process, step by step (s):"]
        lines += [f"  {seconds:6.3f}  {step}" for step, seconds in startup["breakdown_s"].items()]
        for name in ("knowledge_base", "gazetteer"):
            part = startup[name]
            lines.append(
                f"  {name.replace('_', ' ')} alone: {part['load_s']:.3f} s, "
                f"+{part['rss_added_mb']:.1f} MB RSS, "
                f"{part['python_allocated_mb']['retained']:.1f} MB Python objects"
            )
    profile = results.get("profile")
    if profile:
        lines += [
            "",
            f"profile of pipeline.ingest, {profile['articles']} articles "
            f"({profile['profiled_total_s']:.1f} s under cProfile), time by package:",
        ]
        lines += [
            f"  {figures['share']:6.1%}  {name}" for name, figures in profile["by_package"].items()
        ]
        lines += ["", "  eventwire functions by inclusive time (incl. spaCy calls they make):"]
        lines += [
            f"  {row['share_of_run']:6.1%}  {row['inclusive_s']:7.2f} s  "
            f"{row['calls']:>8,}×  {row['function']}"
            for row in profile["own_by_inclusive_time"][:12]
        ]
        lines += ["", "  eventwire functions by self time:"]
        lines += [
            f"  {row['share_of_run']:6.1%}  {row['self_s']:7.2f} s  "
            f"{row['calls']:>8,}×  {row['function']}"
            for row in profile["own_by_self_time"][:10]
        ]
        lines += ["", "  spaCy called from eventwire code after parsing:"]
        lines += [
            f"  {row['inclusive_s']:7.2f} s  {row['calls']:>8,}×  {row['function']}"
            f"  ← {', '.join(row['called_from'])}"
            for row in profile["spacy_called_from_own_code"][:8]
        ]
    return "\n".join(lines)
