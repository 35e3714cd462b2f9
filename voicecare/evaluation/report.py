"""What ``voicecare eval`` shows: a table per engine and SNR, a JSON file, and a plot of
intent accuracy against SNR (matplotlib, from the ``plot`` extra)."""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from voicecare.errors import UsageError
from voicecare.evaluation.metrics import Summary, Trial, snr_label

logger = logging.getLogger(__name__)

PLOT_HINT = "--plot needs matplotlib; install it with: pip install 'voicecare[plot]'"

_COLUMNS = (
    ("engine", "<"),
    ("voice", "<"),
    ("SNR", "<"),
    ("n", ">"),
    ("accuracy", ">"),
    ("OOD false accepts", ">"),
    ("red-flag recall", ">"),
    ("asked", ">"),
    ("false alarms", ">"),
    ("WER", ">"),
    ("RTF", ">"),
    ("latency median", ">"),
    ("p95", ">"),
    ("engine errors", ">"),
)


def table(summaries: Sequence[Summary]) -> str:
    """A Markdown table (readable as plain text too)."""
    rows = [[name for name, _ in _COLUMNS]]
    for s in summaries:
        rows.append(
            [
                s.engine,
                s.voice,
                snr_label(s.snr_db),
                str(s.trials),
                f"{s.accuracy:.1%}",
                f"{s.false_accepts}/{s.out_of_domain} ({s.false_accept_rate:.1%})",
                f"{s.red_flag_recall:.1%}",
                f"{s.red_flags_asked}",
                f"{s.false_alarms}/{s.not_red_flags} (+{s.false_alarms_asked} asked)",
                "-" if math.isnan(s.word_error_rate) else f"{s.word_error_rate:.1%}",
                f"{s.real_time_factor:.3f}",
                f"{s.latency_median_ms:.0f} ms",
                f"{s.latency_p95_ms:.0f} ms",
                str(s.engine_errors),
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(_COLUMNS))]

    def line(cells: list[str]) -> str:
        aligned = (
            f"{cell:{align}{width}}"
            for cell, (_, align), width in zip(cells, _COLUMNS, widths, strict=True)
        )
        return "| " + " | ".join(aligned) + " |"

    rule = (
        "|"
        + "|".join(
            "-" * (w + 1) + (":" if align == ">" else "-")
            for (_, align), w in zip(_COLUMNS, widths, strict=True)
        )
        + "|"
    )
    return "\n".join([line(rows[0]), rule, *(line(row) for row in rows[1:])])


def summary_dict(summary: Summary) -> dict[str, Any]:
    found = asdict(summary)
    found["snr"] = snr_label(summary.snr_db)
    found["false_accept_rate"] = summary.false_accept_rate
    return {key: _finite(value) for key, value in found.items()}


def trial_dict(trial: Trial) -> dict[str, Any]:
    found = asdict(trial)
    found["expected"] = list(trial.expected)
    found["correct"] = trial.correct
    return found


def write_json(
    path: Path,
    about: Mapping[str, Any],
    summaries: Sequence[Summary],
    trials: Sequence[Trial],
) -> None:
    document = {
        **about,
        "results": [summary_dict(s) for s in summaries],
        "trials": [trial_dict(t) for t in trials],
    }
    _write_text(path, json.dumps(document, indent=1) + "\n", "--json")


def check_plotting() -> None:
    """Before a long run: fail at once when --plot cannot be drawn."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise UsageError(PLOT_HINT) from None


def overall(summaries: Sequence[Summary]) -> list[Summary]:
    """Per engine and SNR, the summary over all voices (the only voice's when there is one)."""
    several = {(s.engine, s.snr_db) for s in summaries if s.voice == "all"}
    return [s for s in summaries if s.voice == "all" or (s.engine, s.snr_db) not in several]


def plot(path: Path, summaries: Sequence[Summary], noise: str = "pink noise") -> None:
    """Intent accuracy against SNR over all voices, one line per engine; clean is drawn
    rightmost."""
    summaries = overall(summaries)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as pyplot

    labels = _ordered_conditions(summaries)
    figure, axes = pyplot.subplots(figsize=(6, 4))
    for engine in dict.fromkeys(s.engine for s in summaries):
        points = {snr_label(s.snr_db): s.accuracy for s in summaries if s.engine == engine}
        xs = [i for i, label in enumerate(labels) if label in points]
        axes.plot(xs, [100 * points[labels[i]] for i in xs], marker="o", label=engine)
    axes.set_xticks(range(len(labels)), labels)
    axes.set_xlabel(f"signal-to-noise ratio ({noise})")
    axes.set_ylabel("intent accuracy (%)")
    axes.set_ylim(0, 100)
    axes.grid(alpha=0.3)
    axes.legend()
    figure.tight_layout()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        figure.savefig(path, dpi=120)
    except OSError as error:
        raise UsageError(f"--plot {path}: cannot write it ({error.strerror or error})") from None
    finally:
        pyplot.close(figure)


def _ordered_conditions(summaries: Sequence[Summary]) -> list[str]:
    snrs = {s.snr_db for s in summaries}
    numbers = sorted(snr for snr in snrs if snr is not None)
    return [snr_label(snr) for snr in numbers] + (["clean"] if None in snrs else [])


def _write_text(path: Path, text: str, option: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise UsageError(f"{option} {path}: cannot write it ({error.strerror or error})") from None


def _finite(value: Any) -> Any:
    return None if isinstance(value, float) and math.isnan(value) else value
