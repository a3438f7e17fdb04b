package io.github.meshalloc.examples.cli;

import io.github.meshalloc.examples.scenario.ScenarioCatalog;
import io.github.meshalloc.examples.story.Fmt;
import io.github.meshalloc.examples.story.MeshTestRun;
import io.github.meshalloc.tracking.RuleSet;
import io.github.meshalloc.tracking.monitor.DeviceDescription;
import io.github.meshalloc.tracking.monitor.DeviceMemorySnapshot;
import io.github.meshalloc.tracking.monitor.MonitorRenderer;
import io.github.meshalloc.tracking.monitor.MonitorStyle;
import io.github.meshalloc.tracking.monitor.MonitorVersion;
import io.github.meshalloc.tracking.server.AllocationServer;
import io.github.meshalloc.tracking.wire.RecordFormat;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code meshalloc monitor}: what {@code allocation_monitor_client} shows at a step of a scenario. */
@Command(name = "monitor", mixinStandardHelpOptions = true,
        description = {"Shows the allocation_monitor_client screen at a step of a scenario.",
                "One refresh, no clear-screen; Time is fixed at 00:00:00 so the output is deterministic. Then "
                        + "the allocators' truth for the same devices (the monitor only sees the server)."})
public final class MonitorCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<scenario>", completionCandidates = ScenarioCatalog.class,
            description = "Scenario to run: ${COMPLETION-CANDIDATES}.")
    private String scenario;

    @Option(names = "--rules", paramLabel = "<preset>", converter = RuleSetConverter.class,
            completionCandidates = RuleSetConverter.Names.class, defaultValue = "seed-004",
            description = "Code state (rule-set preset), default ${DEFAULT-VALUE}; one of: ${COMPLETION-CANDIDATES}.")
    private RuleSet rules;

    @Option(names = "--step", paramLabel = "N", converter = Numbers.Step.class, description = "Run through step N (default: the last step).")
    private Integer step;

    @Option(names = {"-a", "--all"}, description = "Show devices 0-7 (as the monitor's -a); default: device 0.")
    private boolean all;

    @Option(names = {"-d", "--device"}, paramLabel = "D", converter = Numbers.Device.class, description = "Show device D (repeatable).")
    private List<Integer> devices = new ArrayList<>();

    @Option(names = "--monitor-version", paramLabel = "V1|V2",
            description = "Monitor build (default: V1 for 72-byte servers E0/E1/S1, V2 otherwise).")
    private MonitorVersion monitorVersion;

    @Option(names = "--color", description = "Keep the monitor's ANSI colours.")
    private boolean color;

    @Override
    public Integer call() {
        if (!ScenarioCatalog.exists(scenario)) {
            throw new BadInputException("unknown scenario '" + scenario + "'; known scenarios: "
                    + ScenarioCatalog.names());
        }
        int steps = ScenarioCatalog.steps(scenario);
        int last = step == null ? steps : step;
        if (last < 1 || last > steps) {
            throw new BadInputException("--step " + last + " is outside 1.." + steps + " for " + scenario);
        }
        List<Integer> shown = new ArrayList<>();
        if (all && !devices.isEmpty()) {
            throw new BadInputException("--all and --device " + devices.get(0) + " conflict: --all shows devices 0-"
                    + (AllocationServer.MAX_DEVICES - 1) + ", --device one device each");
        }
        if (all) {
            for (int d = 0; d < AllocationServer.MAX_DEVICES; d++) {
                shown.add(d);
            }
        } else if (!devices.isEmpty()) {
            for (int d : devices) {
                if (d < 0 || d >= AllocationServer.MAX_DEVICES) {
                    throw new BadInputException("--device " + d + " is outside 0.." + (AllocationServer.MAX_DEVICES
                            - 1));
                }
                if (shown.contains(d)) {
                    throw new BadInputException("--device " + d + " is given twice");
                }
                shown.add(d);
            }
        } else {
            shown.add(0);
        }
        MeshTestRun run = ScenarioCatalog.run(scenario, rules, last);
        MonitorVersion version = monitorVersion != null ? monitorVersion
                : rules.serverVersion().recordFormat() == RecordFormat.BYTES_72 ? MonitorVersion.V1 : MonitorVersion.V2;
        MonitorRenderer renderer = new MonitorRenderer(version, color ? MonitorStyle.ANSI : MonitorStyle.PLAIN);
        List<DeviceMemorySnapshot> snapshots = new ArrayList<>();
        for (int d : shown) {
            snapshots.add(DeviceMemorySnapshot.ofServer(run.server(), d, DeviceDescription.UNAVAILABLE));
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("meshalloc monitor: " + scenario + " through step " + last + " under " + rules.name() + " ("
                + rules.serverVersion() + " server), monitor " + version);
        out.print(renderer.banner(shown, 500));
        out.print(renderer.frame(snapshots, 500, "00:00:00", run.server().detectedDevices().size()));
        out.println();
        out.println("Truth at step " + last + " (allocators, per chip; the monitor shows the server's view):");
        MeshTestRun.Checkpoint c = run.at(last);
        boolean open = run.mesh().isInitialized();
        for (int d : shown) {
            long server = c.device(d).dram();
            long truth = open ? c.dramTruth(d) : 0;
            out.println("  Device " + d + ": DRAM server " + Fmt.bytes(server) + " B, truth " + Fmt.bytes(truth) + " B"
                    + (server == truth ? "" : "  <- differs by " + Fmt.bytes(server - truth) + " B")
                    + (open ? "" : " (mesh closed)"));
        }
        out.flush();
        return ExitCodes.OK;
    }
}
