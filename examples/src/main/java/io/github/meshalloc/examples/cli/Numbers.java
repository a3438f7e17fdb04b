package io.github.meshalloc.examples.cli;

import io.github.meshalloc.allocator.BufferType;
import io.github.meshalloc.tracking.server.AllocationServer;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A meshalloc tool: picocli converters for the CLI's numeric options (and the memory map's bank type) whose error
 * says what the option allows, instead of picocli's "'x' is not an int". Ranges that depend on other input (a
 * scenario's last step) are checked by the command; these only refuse what is not a number of the right kind.
 */
final class Numbers {

    private Numbers() {
    }

    private abstract static class IntConverter implements ITypeConverter<Integer> {
        private final String allowed;

        IntConverter(String allowed) {
            this.allowed = allowed;
        }

        @Override
        public Integer convert(String value) {
            try {
                return Integer.parseInt(value.strip());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not " + allowed);
            }
        }
    }

    /** {@code --tries}, {@code --steps}: a positive count (zero and negatives are refused by the search). */
    static final class Count extends IntConverter {
        Count() {
            super("a positive whole number (1.." + Integer.MAX_VALUE + ")");
        }
    }

    /** {@code --limit}: zero or more (negatives are refused by the command). */
    static final class Limit extends IntConverter {
        Limit() {
            super("a whole number, 0 or more");
        }
    }

    /** {@code --step}: a step of the scenario (the command checks its range). */
    static final class Step extends IntConverter {
        Step() {
            super("a step number (a whole number from 1 to the scenario's last step)");
        }
    }

    /** {@code --device}: a device id (the command checks its range). */
    static final class Device extends IntConverter {
        Device() {
            super("a device id (a whole number, 0.." + (AllocationServer.MAX_DEVICES - 1) + ")");
        }
    }

    /** {@code --seed}: any 64-bit integer. */
    static final class Seed implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return Long.parseLong(value.strip());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a whole number (" + Long.MIN_VALUE + ".."
                        + Long.MAX_VALUE + ")");
            }
        }
    }

    /** {@code --bank-type}: the memory map shows DRAM or L1 banks only. */
    static final class MapBankType implements ITypeConverter<BufferType> {
        @Override
        public BufferType convert(String value) {
            String v = value.strip().toUpperCase(Locale.ROOT);
            if (v.equals("DRAM")) {
                return BufferType.DRAM;
            }
            if (v.equals("L1")) {
                return BufferType.L1;
            }
            throw new TypeConversionException("'" + value + "' is not a bank type the memory map shows: DRAM or L1 "
                    + "(case-insensitive)");
        }
    }
}
