package io.github.meshalloc.examples.cli;

import io.github.meshalloc.tracking.RuleSet;
import java.util.Iterator;
import picocli.CommandLine;

/** Converts a preset name to its {@link RuleSet}; an unknown name is a usage error listing the presets. */
public final class RuleSetConverter implements CommandLine.ITypeConverter<RuleSet> {

    @Override
    public RuleSet convert(String value) {
        try {
            return RuleSet.preset(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }

    /** The preset names, for help and completion. */
    public static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return RuleSet.PRESETS.stream().map(RuleSet::name).iterator();
        }
    }
}
