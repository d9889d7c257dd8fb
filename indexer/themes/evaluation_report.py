"""The theme evaluation as `kennisbank evalueer-themas` prints it: scores per part, and a comparison
with an earlier run. Mistakes and changed documents of a held-back part are named only on request,
so that tuning stays blind to it."""

from __future__ import annotations

from indexer.evaluation.resampling import INTERVAL, RESAMPLES, bounds_text
from indexer.models import ThemeMatch
from indexer.themes.evaluation import HELD_BACK, MACRO, TUNING, Evaluation, macro_average
from indexer.themes.taxonomy import Taxonomy, theme_list

INTERVAL_EXPLANATION = (
    f"({INTERVAL:.0%}-interval: de F1 ligt daarbinnen bij {INTERVAL:.0%} van {RESAMPLES} hertrekkingen van "
    "deze documenten; hoe breder, hoe minder het cijfer zegt)"
)
DIFFERENCE_EXPLANATION = (
    f"({INTERVAL:.0%}-interval: het verschil ligt daarbinnen bij {INTERVAL:.0%} van {RESAMPLES} hertrekkingen, "
    "voor beide metingen dezelfde; ligt 0 erin, dan kan het verschil toeval zijn)"
)


def _span(bounds: tuple[float, float], signed: bool = False) -> str:
    return f"{bounds_text(bounds, signed):>16}"


def _reason(match: ThemeMatch) -> str:
    top = sorted(match.hits, key=lambda hit: -hit.count)[:5]
    return ", ".join(f"‘{hit.term}’ {hit.count}× ({hit.location})" for hit in top)


def format_report(evaluation: Evaluation, taxonomy: Taxonomy, name: str, show_held_back_mistakes: bool = False) -> str:
    """Scores for both parts; mistakes of the held-back part only on request, so tuning stays blind."""
    lines = []
    slugs = [theme.slug for theme in taxonomy.themes]
    for split in (TUNING, HELD_BACK):
        per_theme, overall = evaluation.scores(split, slugs)
        count = sum(item.split == split for item in evaluation.judged)
        intervals = evaluation.f1_intervals(split, slugs)
        lines += [
            f"\n== {split}: {name} ({count} documenten) ==",
            f"{'thema':<30} {'precisie':>9} {'recall':>7} {'F1':>6} {f'{INTERVAL:.0%}-interval F1':>16}",
        ]
        for slug, scores in per_theme.items():
            lines.append(
                f"{slug:<30} {scores.precision:>9.3f} {scores.recall:>7.3f} {scores.f1:>6.3f} {_span(intervals[slug])}"
            )
        macro = [macro_average(per_theme, key) for key in ("precision", "recall", "f1")]
        lines.append(
            f"{'totaal (macro)':<30} {macro[0]:>9.3f} {macro[1]:>7.3f} {macro[2]:>6.3f} {_span(intervals[MACRO])}"
        )
        lines.append(f"{'totaal (micro)':<30} {overall.precision:>9.3f} {overall.recall:>7.3f} {overall.f1:>6.3f}")
        lines.append(INTERVAL_EXPLANATION)
        untagged, none = evaluation.untagged_share(split)
        if none:
            lines.append(f"zonder thema en ongetagd gebleven: {untagged} van {none} ({untagged / none:.0%})")
        mistakes = evaluation.mistakes(split) if split == TUNING or show_held_back_mistakes else []
        if mistakes:
            lines.append(f"\nVerkeerd getagd ({len(mistakes)}):")
        for item in mistakes:
            missing = sorted(item.expected - item.predicted_slugs)
            extra = [match for match in item.predicted if match.slug not in item.expected]
            lines.append(f"- {item.path}")
            for slug in missing:
                match = next((m for m in item.candidates if m.slug == slug), None)
                because = f"score {match.score:g} door {_reason(match)}" if match else "geen enkele term gevonden"
                lines.append(f"    gemist: {slug} ({because})")
            for match in extra:
                lines.append(f"    onterecht: {match.slug} (score {match.score:g}) door {_reason(match)}")
    return "\n".join(lines)


def format_comparison(
    evaluation: Evaluation,
    before: dict[str, list[str]] | None,
    taxonomy: Taxonomy,
    name: str,
    show_held_back_changes: bool = False,
) -> str:
    """Each part's F1 in an earlier run (`Evaluation.tags`, saved with --bewaar) and now, with the
    interval of the difference; which documents changed only for the tuning part unless asked."""
    paths = {item.path for item in evaluation.judged}
    if before is None or set(before) != paths:
        return (
            f"\nLet op: de eerdere meting heeft niet dezelfde documenten van '{name}' (andere labels of een ander "
            "corpus), dus die zijn niet vergeleken. Bewaar de eerdere meting opnieuw met --bewaar."
        )
    lines = []
    slugs = [theme.slug for theme in taxonomy.themes]
    for split in (TUNING, HELD_BACK):
        compared = evaluation.compared_with(before, split, slugs)
        count = sum(item.split == split for item in evaluation.judged)
        lines += [
            f"\n-- {split}: {name}, vergeleken met de eerdere meting --",
            f"{'thema':<30} {'F1 eerder':>9} {'F1 nu':>6} {'verschil':>9} {f'{INTERVAL:.0%}-interval verschil':>22}",
        ]
        for key in [*slugs, MACRO]:
            label = "totaal (macro)" if key == MACRO else key
            then, now = compared.before[key], compared.now[key]
            interval = _span(compared.difference_intervals[key], signed=True)
            lines.append(f"{label:<30} {then:>9.3f} {now:>6.3f} {now - then:>+9.3f} {interval:>22}")
        lines.append(DIFFERENCE_EXPLANATION)
        lines.append(f"andere thema's bij {len(compared.changed)} van {count} documenten")
        if split == TUNING or show_held_back_changes:
            lines += [
                f"- {path}: {theme_list(sorted(then))} → {theme_list(sorted(now))}"
                for path, then, now in compared.changed
            ]
    return "\n".join(lines)
