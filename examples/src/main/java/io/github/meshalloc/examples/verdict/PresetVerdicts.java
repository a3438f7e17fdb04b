package io.github.meshalloc.examples.verdict;

import io.github.meshalloc.tracking.RuleSet;

/**
 * The one place the CLI asks whether a code state is balanced. {@code meshalloc presets} and the closing line of
 * {@code meshalloc seeds} go through this interface only, so the verdict's source (today a battery of seed scenario
 * runs, {@link ScenarioBatteryVerdicts}) can be replaced by another implementation without touching them.
 */
public interface PresetVerdicts {

    /** The verdict for {@code rules}; deterministic for a given rule set. */
    Verdict verdict(RuleSet rules);

    /** One line naming where the verdicts come from (printed under the presets list). */
    String source();
}
