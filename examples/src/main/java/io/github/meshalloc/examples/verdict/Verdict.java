package io.github.meshalloc.examples.verdict;

import com.google.common.base.Preconditions;
import java.util.List;

/**
 * Whether a code state keeps the server's view equal to the truth, and what broke it if not.
 *
 * @param balanced whether every check passed
 * @param findings one line per failed check (empty when balanced)
 */
public record Verdict(boolean balanced, List<String> findings) {

    /** Copies the findings; a balanced verdict has none, an unbalanced one at least one. */
    public Verdict {
        findings = List.copyOf(findings);
        Preconditions.checkArgument(balanced == findings.isEmpty(),
                "a verdict is balanced exactly when it has no findings; balanced=%s, findings=%s", balanced, findings);
    }

    /** From findings: balanced when there are none. */
    public static Verdict of(List<String> findings) {
        return new Verdict(findings.isEmpty(), findings);
    }

    /** {@code balanced} or {@code unbalanced}. */
    public String word() {
        return balanced ? "balanced" : "unbalanced";
    }
}
