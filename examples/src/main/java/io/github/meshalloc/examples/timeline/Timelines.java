package io.github.meshalloc.examples.timeline;

import com.google.common.base.Preconditions;
import io.github.meshalloc.allocator.BufferType;
import io.github.meshalloc.allocator.Device;
import io.github.meshalloc.examples.replay.LogReplay;
import io.github.meshalloc.examples.scenario.ScenarioCatalog;
import io.github.meshalloc.examples.story.MeshTestRun;
import io.github.meshalloc.tracking.RuleSet;
import io.github.meshalloc.tracking.log.LogEvent;
import io.github.meshalloc.tracking.log.ServerLogParser;
import io.github.meshalloc.tracking.server.ServerVersion;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds timeline pages from a named scenario or a server log. */
public final class Timelines {

    /**
     * What a page shows.
     *
     * @param data    the timeline
     * @param map     the memory map, when an allocator exists at the chosen step
     * @param mapNote why there is no map, otherwise empty
     */
    public record Page(TimelineData data, Optional<MemoryMap> map, String mapNote) {

        /** The HTML. */
        public String html() {
            return TimelineHtml.render(data, map, mapNote);
        }
    }

    private Timelines() {
    }

    /**
     * Runs {@code scenario} under {@code rules}, takes the memory map of {@code bankType} on {@code device} after
     * {@code mapStep}, finishes the scenario and replays its server log.
     *
     * @throws IllegalArgumentException for an unknown scenario, a step out of range or a device outside the mesh
     */
    public static Page fromScenario(String scenario, RuleSet rules, int mapStep, BufferType bankType, int device) {
        int steps = ScenarioCatalog.steps(scenario);
        Preconditions.checkArgument(mapStep >= 1 && mapStep <= steps, "step %s is outside 1..%s", mapStep, steps);
        MeshTestRun run = ScenarioCatalog.run(scenario, rules, mapStep);
        Optional<Device> chip = run.mesh().devices().stream().filter(d -> d.id() == device).findFirst();
        Preconditions.checkArgument(chip.isPresent(), "device %s is not in the %s mesh (devices %s)", device,
                run.mesh().shape(), run.mesh().devices().stream().map(Device::id).sorted().toList());
        Optional<MemoryMap> map = Optional.empty();
        String note = "";
        if (run.mesh().isInitialized()) {
            map = Optional.of(MemoryMap.of(device, bankType, mapStep, run.mesh().allocator(), chip.get().allocator(),
                    run::nameOf));
        } else {
            note = "The mesh is closed after step " + mapStep + ": no allocator is left to map.";
        }
        run.runThrough(steps);
        Map<Integer, String> markers = new HashMap<>();
        for (int step = 1; step <= steps; step++) {
            int start = step == 1 ? 0 : run.at(step - 1).logSize();
            markers.merge(start, "step " + step, (a, b) -> a + "," + b);
        }
        List<LogEvent> events = run.server().log().events();
        String title = "meshalloc timeline: " + scenario + " under " + rules.name() + " (" + rules.serverVersion()
                + " server)";
        return new Page(TimelineData.replay(title, events, rules.serverVersion(), markers, run::nameOf), map, note);
    }

    /**
     * Parses and replays a server log.
     *
     * @throws io.github.meshalloc.tracking.log.LogParseException on a malformed line when not lenient
     */
    public static Page fromLog(Path log, Optional<ServerVersion> version, boolean lenient) throws IOException {
        ServerVersion v;
        if (version.isPresent()) {
            v = version.get();
        } else {
            try (BufferedReader r = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
                v = LogReplay.detect(r).version();
            }
        }
        List<LogEvent> events;
        try (BufferedReader r = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
            events = (lenient ? ServerLogParser.lenient() : ServerLogParser.strict()).parse(r);
        }
        TimelineData data = TimelineData.replay("meshalloc timeline: " + log.getFileName(), events, v, Map.of(),
                id -> null);
        return new Page(data, Optional.empty(), "A server log has no allocator: the memory map needs a scenario "
                + "(meshalloc timeline mesh-test --step N).");
    }
}
