package io.github.meshalloc.examples.verdict;

import com.google.common.base.Preconditions;
import java.util.List;

/**
 * Whether a code state keeps the server's view equal to the truth, and what broke it if not.
 *
 * @param balanced  whether every check passed
 * @param findings  one line per failed check (empty when balanced)
 * @param qualifier what limits a balanced verdict, in a few words (e.g. {@code nothing reported}), or empty
 */
public record Verdict(boolean balanced, List<String> findings, String qualifier) {

    /** Copies the findings; a balanced verdict has none, an unbalanced one at least one and no qualifier. */
    public Verdict {
        findings = List.copyOf(findings);
        Preconditions.checkNotNull(qualifier, "qualifier");
        Preconditions.checkArgument(balanced == findings.isEmpty(),
                "a verdict is balanced exactly when it has no findings; balanced=%s, findings=%s", balanced, findings);
        Preconditions.checkArgument(balanced || qualifier.isEmpty(),
                "only a balanced verdict is qualified; got '%s' with findings %s", qualifier, findings);
    }

    /** Without a qualifier. */
    public Verdict(boolean balanced, List<String> findings) {
        this(balanced, findings, "");
    }

    /** From findings: balanced when there are none. */
    public static Verdict of(List<String> findings) {
        return new Verdict(findings.isEmpty(), findings);
    }

    /** Balanced, with what limits it (e.g. {@code nothing reported}: there was no server view to compare). */
    public static Verdict balancedBut(String qualifier) {
        Preconditions.checkArgument(!qualifier.isBlank(), "a qualifier says something");
        return new Verdict(true, List.of(), qualifier);
    }

    /** {@code balanced}, {@code balanced (qualifier)} or {@code unbalanced}. */
    public String word() {
        if (!balanced) {
            return "unbalanced";
        }
        return qualifier.isEmpty() ? "balanced" : "balanced (" + qualifier + ")";
    }
}
