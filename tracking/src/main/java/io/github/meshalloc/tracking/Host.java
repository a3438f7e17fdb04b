package io.github.meshalloc.tracking;

import com.google.common.base.Preconditions;
import io.github.meshalloc.tracking.server.AllocationServer;
import io.github.meshalloc.tracking.server.LivenessOracle;
import io.github.meshalloc.tracking.server.ServerVersion;
import io.github.meshalloc.tracking.wire.AllocMessage;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * The simulated machine: one allocation server, a step counter instead of a clock, and the table of
 * processes (the server's liveness oracle).
 *
 * <p>Stands for what is process-external in the real set-up: the {@code allocation_server_poc} daemon
 * listening on {@code /tmp/tt_allocation_server.sock} and the operating system's process table that
 * its dead-process sweep asks with {@code kill(pid, 0)}. Not thread-safe for process creation; the
 * server itself applies each message atomically.
 */
public final class Host {
    /** First pid handed out [I: any positive value works; real pids are large]. */
    public static final int FIRST_PID = 1000;

    private final ServerVersion serverVersion;
    private final UnaryOperator<AllocationServer.Builder> serverSettings;
    private final TreeMap<Integer, SimulatedProcess> processes = new TreeMap<>();
    // Written under the host's lock; volatile so that every message's delivery reads them without taking it.
    private volatile AllocationServer server;
    private volatile boolean serverUp = true;
    private volatile DeliveryObserver deliveryObserver;
    private int nextPid = FIRST_PID;
    private final AtomicLong step = new AtomicLong();

    /** A host whose server runs {@code serverVersion} and is up. */
    public Host(ServerVersion serverVersion) {
        this(serverVersion, UnaryOperator.identity());
    }

    /**
     * A host whose server runs {@code serverVersion}, configured by {@code serverSettings}, and is up; every
     * restarted instance gets the same settings. For runs that read only the server's state, such as benchmarks:
     * e.g. {@code b -> b.quiet(true)} keeps no log ({@link AllocationServer.Builder#quiet(boolean)}, S5's
     * {@code --quiet}).
     */
    public Host(ServerVersion serverVersion, UnaryOperator<AllocationServer.Builder> serverSettings) {
        this.serverVersion = Preconditions.checkNotNull(serverVersion, "serverVersion");
        this.serverSettings = Preconditions.checkNotNull(serverSettings, "serverSettings");
        this.server = newServer();
    }

    private AllocationServer newServer() {
        return serverSettings.apply(AllocationServer.builder(serverVersion)).build();
    }

    /** The server (the current instance after a restart). */
    public AllocationServer server() {
        return server;
    }

    /** The server version. */
    public ServerVersion serverVersion() {
        return serverVersion;
    }

    /** The next simulation step (used as the records' timestamp). */
    public long nextStep() {
        return step.incrementAndGet();
    }

    /** Starts a process running {@code rules} with {@code TT_ALLOC_TRACKING_ENABLED=1}. */
    public SimulatedProcess startProcess(RuleSet rules) {
        return startProcess(rules, Map.of(AllocationClient.ENABLE_VARIABLE, "1"));
    }

    /** Starts a process running {@code rules} with the given environment. */
    public synchronized SimulatedProcess startProcess(RuleSet rules, Map<String, String> environment) {
        int pid = nextPid++;
        SimulatedProcess process = new SimulatedProcess(this, pid, rules, environment);
        processes.put(pid, process);
        return process;
    }

    /**
     * Kills a process: it stops without closing anything (its devices' memory is gone with it; nothing
     * more is reported). The server learns of it only through a sweep.
     *
     * @throws IllegalArgumentException for an unknown or already dead pid
     */
    public synchronized void killProcess(int pid) {
        SimulatedProcess process = processes.get(pid);
        Preconditions.checkArgument(process != null && process.isAlive(), "no live process with pid %s; live: %s",
                pid, livePids());
        process.markKilled();
    }

    /** Pids of live processes, ascending. */
    public synchronized List<Integer> livePids() {
        return processes.values().stream().filter(SimulatedProcess::isAlive).map(SimulatedProcess::pid).toList();
    }

    /** Every process ever started, by pid. */
    public synchronized List<SimulatedProcess> processes() {
        return List.copyOf(processes.values());
    }

    /**
     * The sweep's liveness oracle: a pid is alive iff it is a live process of this host; pid 0 is alive
     * ({@code kill(0, 0)} succeeds).
     */
    public LivenessOracle liveness() {
        return pid -> {
            synchronized (Host.this) {
                if (pid == 0) {
                    return true;
                }
                SimulatedProcess p = processes.get(pid);
                return p != null && p.isAlive();
            }
        };
    }

    /** Stops the server: clients drop messages until it is started again. */
    public synchronized void stopServer() {
        serverUp = false;
    }

    /** Starts the server again with empty state (a restart loses the registry). */
    public synchronized void restartServer() {
        server = newServer();
        serverUp = true;
    }

    /** Whether the server is listening. */
    public boolean isServerUp() {
        return serverUp;
    }

    /**
     * Watches each message just before the server applies it. Not part of the C++ set-up: meshalloc's checks use it
     * to attribute what the server does (a duplicate ALLOC, an unknown FREE) to a key and a step.
     */
    @FunctionalInterface
    public interface DeliveryObserver {
        /** Called with the message and the server instance about to accept it. */
        void beforeDelivery(AllocMessage message, AllocationServer server);
    }

    /** Installs (or, with null, removes) the delivery observer. */
    public synchronized void setDeliveryObserver(DeliveryObserver observer) {
        deliveryObserver = observer;
    }

    /** The socket as each process's client sees it. */
    ServerLink link() {
        return new ServerLink() {
            @Override
            public boolean isUp() {
                return isServerUp();
            }

            @Override
            public void deliver(AllocMessage message) {
                AllocationServer target = server;
                DeliveryObserver observer = deliveryObserver;
                if (observer != null) {
                    observer.beforeDelivery(message, target);
                }
                target.accept(message);
            }
        };
    }
}
