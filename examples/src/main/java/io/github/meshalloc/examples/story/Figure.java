package io.github.meshalloc.examples.story;

import com.google.common.base.Preconditions;

/**
 * One figure a seed reports, set beside what the simulation produced, and how the two relate.
 *
 * <p>The seed's quoted figure is the only constant: the modelled value is always read from a run. The match is
 * computed, so a change in the model that breaks a figure shows up as {@link Match#DIFFERS}.
 *
 * @param seed       which seed quotes it ({@code "004"})
 * @param claim      the seed's words or figure
 * @param model      what the simulation shows
 * @param match      how they relate
 * @param why        for APPROXIMATE and REFUTED: the reason; otherwise empty
 * @param conditions rules, server version and assumptions (seed-arithmetic.md) that produce the model figure
 */
public record Figure(String seed, String claim, String model, Match match, String why, String conditions) {

    /** How a modelled figure relates to the seed's. */
    public enum Match {
        /** The same number. */
        EXACT,
        /** The seed rounds or paraphrases, or the figure depends on an assumption the references leave open. */
        APPROXIMATE,
        /** The seed claims something the simulation contradicts (the claim is wrong, not the figure). */
        REFUTED,
        /** The model no longer produces what the story expects: a defect to look at. */
        DIFFERS
    }

    /** Validates the fields. */
    public Figure {
        Preconditions.checkNotNull(seed, "seed");
        Preconditions.checkNotNull(claim, "claim");
        Preconditions.checkNotNull(model, "model");
        Preconditions.checkNotNull(match, "match");
        Preconditions.checkNotNull(why, "why");
        Preconditions.checkNotNull(conditions, "conditions");
    }

    /** EXACT when {@code quoted == modelled}, else DIFFERS. */
    public static Figure exact(String seed, String claim, long quoted, long modelled, String modelText,
                               String conditions) {
        boolean same = quoted == modelled;
        return new Figure(seed, claim, modelText, same ? Match.EXACT : Match.DIFFERS,
                same ? "" : "expected " + Fmt.bytes(quoted) + ", model gives " + Fmt.bytes(modelled), conditions);
    }

    /** EXACT when every pair of quoted and modelled values agrees, else DIFFERS. */
    public static Figure exactAll(String seed, String claim, long[] quoted, long[] modelled, String modelText,
                                  String conditions) {
        Preconditions.checkArgument(quoted.length == modelled.length, "%s quoted vs %s modelled values",
                quoted.length, modelled.length);
        for (int i = 0; i < quoted.length; i++) {
            if (quoted[i] != modelled[i]) {
                return new Figure(seed, claim, modelText, Match.DIFFERS, "value " + (i + 1) + ": expected "
                        + Fmt.bytes(quoted[i]) + ", model gives " + Fmt.bytes(modelled[i]), conditions);
            }
        }
        return new Figure(seed, claim, modelText, Match.EXACT, "", conditions);
    }

    /** APPROXIMATE (with {@code why}) when {@code agrees}, else DIFFERS. */
    public static Figure approximate(String seed, String claim, String modelText, boolean agrees, String why,
                                     String conditions) {
        return new Figure(seed, claim, modelText, agrees ? Match.APPROXIMATE : Match.DIFFERS, why, conditions);
    }

    /** REFUTED (with {@code why}) when the model {@code contradicts} the claim, else DIFFERS. */
    public static Figure refuted(String seed, String claim, String modelText, boolean contradicts, String why,
                                 String conditions) {
        return new Figure(seed, claim, modelText, contradicts ? Match.REFUTED : Match.DIFFERS, why, conditions);
    }

    /** The label printed before the figure. */
    public String label() {
        return switch (match) {
            case EXACT -> "[exact]";
            case APPROXIMATE -> "[approximate: " + why + "]";
            case REFUTED -> "[refuted]";
            case DIFFERS -> "[DIFFERS: " + why + "]";
        };
    }

    /** Three or four lines: label and claim, model, (why, for refuted), conditions. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("  ").append(label()).append(" seed ").append(seed).append(": ").append(claim).append('\n');
        sb.append("      model: ").append(model).append('\n');
        if (match == Match.REFUTED) {
            sb.append("      why:   ").append(why).append('\n');
        }
        sb.append("      under: ").append(conditions).append('\n');
        return sb.toString();
    }
}
