package io.github.meshalloc.examples.story;

import com.google.common.base.Preconditions;
import io.github.meshalloc.examples.verdict.PresetVerdicts;
import io.github.meshalloc.examples.verdict.Verdict;
import io.github.meshalloc.tracking.RuleSet;
import java.util.ArrayList;
import java.util.List;

/**
 * The debugging story of the seeds, re-enacted: scenarios (a)-(e) with every code state side by side, what the
 * seeds missed, and whether the final fix balances.
 *
 * @param sections    the story's sections in order
 * @param fix         the rule set the story ends with
 * @param fixVerdict  its verdict
 * @param verdictFrom where verdicts come from
 */
public record SeedStory(List<Section> sections, RuleSet fix, Verdict fixVerdict, String verdictFrom) {

    /** Copies the sections. */
    public SeedStory {
        sections = List.copyOf(sections);
        Preconditions.checkNotNull(fix, "fix");
        Preconditions.checkNotNull(fixVerdict, "fixVerdict");
        Preconditions.checkNotNull(verdictFrom, "verdictFrom");
    }

    /** Runs every scenario; the fix is {@link RuleSet#MESHALLOC_FIX}, judged by {@code verdicts}. */
    public static SeedStory run(PresetVerdicts verdicts) {
        List<Section> sections = List.of(MeshTestSection.build(), SuccessiveRunsSection.build(),
                ProgramCacheSection.build(), MeshBufferSection.build(), CircularBufferClashSection.build(),
                SeedsMissedSection.fourteenMegabytes(), SeedsMissedSection.seed003Leak());
        return new SeedStory(sections, RuleSet.MESHALLOC_FIX, verdicts.verdict(RuleSet.MESHALLOC_FIX),
                verdicts.source());
    }

    /** Every figure of every section. */
    public List<Figure> figures() {
        List<Figure> all = new ArrayList<>();
        sections.forEach(s -> all.addAll(s.figures()));
        return all;
    }

    /** Figures the model no longer reproduces as the story expects. */
    public List<Figure> differing() {
        return figures().stream().filter(f -> f.match() == Figure.Match.DIFFERS).toList();
    }

    /** Whether the story holds: every figure as expected and the fix balanced. */
    public boolean holds() {
        return differing().isEmpty() && fixVerdict.balanced();
    }

    /** The whole story as text. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("meshalloc seeds: the debugging story of the seeds, re-enacted in simulation\n");
        sb.append("Every number below is read from a simulated run (2x4 Wormhole mesh, tracking server model);\n");
        sb.append("only the seeds' own quoted figures are typed in, to be compared. Assumptions are numbered as in\n");
        sb.append("seed-arithmetic.md.\n\n");
        for (Section s : sections) {
            sb.append(s.render()).append('\n');
        }
        long exact = count(Figure.Match.EXACT);
        long approx = count(Figure.Match.APPROXIMATE);
        long refuted = count(Figure.Match.REFUTED);
        long differs = count(Figure.Match.DIFFERS);
        sb.append("Summary\n=======\n");
        sb.append("seed figures: ").append(exact).append(" exact, ").append(approx).append(" approximate, ")
                .append(refuted).append(" seed claims refuted, ").append(differs).append(" differing\n");
        sb.append("the fix: ").append(fix.name()).append(" (").append(fix.serverVersion()).append(") is ")
                .append(fixVerdict.word()).append('\n');
        for (String finding : fixVerdict.findings()) {
            sb.append("  ").append(finding).append('\n');
        }
        sb.append("  ").append(fix.description()).append('\n');
        sb.append("(").append(verdictFrom).append(")\n");
        return sb.toString();
    }

    private long count(Figure.Match match) {
        return figures().stream().filter(f -> f.match() == match).count();
    }
}
