package io.github.meshalloc.examples.verdict;

import io.github.meshalloc.tracking.RuleSet;

/**
 * The one place the CLI asks whether a code state is balanced. {@code meshalloc presets} and the closing line of
 * {@code meshalloc seeds} go through this interface only, so the verdict's source can be replaced without touching
 * them: the CLI's default is the BalanceExplorer ({@link ExplorerVerdicts}, the verdict {@code meshalloc check}
 * reaches); {@code presets --battery} uses the seed-scenario battery ({@link ScenarioBatteryVerdicts}).
 */
public interface PresetVerdicts {

    /** The verdict for {@code rules}; deterministic for a given rule set. */
    Verdict verdict(RuleSet rules);

    /** One line naming where the verdicts come from (printed under the presets list). */
    String source();
}
