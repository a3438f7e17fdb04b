package io.github.meshalloc.examples.repro;

import java.util.function.Function;

/** The scripts {@code meshalloc export-repro} writes. */
public enum ReproFormat {
    /** A runnable ttnn Python script ({@link PythonRepro}). */
    PYTHON(PythonRepro::render),
    /** A C++ gtest against tt-metal's distributed API ({@link GtestRepro}). */
    GTEST(GtestRepro::render);

    private final Function<ReproPlan, String> renderer;

    ReproFormat(Function<ReproPlan, String> renderer) {
        this.renderer = renderer;
    }

    /** The script for {@code plan} in this format. */
    public String render(ReproPlan plan) {
        return renderer.apply(plan);
    }
}
