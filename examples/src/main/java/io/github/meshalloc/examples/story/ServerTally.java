package io.github.meshalloc.examples.story;

import io.github.meshalloc.tracking.log.LogEvent;
import io.github.meshalloc.tracking.log.ServerLine;
import io.github.meshalloc.tracking.server.AllocationServer;
import java.util.List;

/**
 * ALLOC and FREE messages as the server's log shows them: every ALLOC line is one ALLOC received, every FREE
 * line or unknown-FREE warning is one FREE received.
 *
 * @param allocs  ALLOC lines (new key, duplicate or overwrite)
 * @param frees   FREE messages received, matched or not
 * @param unknown FREEs the server warned about (no live key)
 */
public record ServerTally(long allocs, long frees, long unknown) {

    /** Matched FREEs. */
    public long goodFrees() {
        return frees - unknown;
    }

    /** The tally of everything {@code server} has printed. */
    public static ServerTally of(AllocationServer server) {
        return of(server.log().lines());
    }

    /** The tally of {@code lines}. */
    public static ServerTally of(List<ServerLine> lines) {
        long allocs = 0;
        long frees = 0;
        long unknown = 0;
        for (ServerLine line : lines) {
            switch (line.kind()) {
                case ALLOC_NEW, ALLOC_DUP -> allocs++;
                case FREE_PARTIAL, FREE_FINAL, FREE_E1, FREE_E0 -> frees++;
                case UNKNOWN_FREE, UNKNOWN_FREE_LEGACY, UNKNOWN_FREE_NEVER_TRACKED, ALREADY_FREED -> {
                    frees++;
                    unknown++;
                }
                default -> {
                }
            }
        }
        return new ServerTally(allocs, frees, unknown);
    }

    /** This tally minus an earlier one: what happened in between. */
    public ServerTally since(ServerTally earlier) {
        return new ServerTally(allocs - earlier.allocs, frees - earlier.frees, unknown - earlier.unknown);
    }

    /** Whether {@code event} adds to a byte counter in every modelled server but E1r and the history server. */
    static boolean isCountedAlloc(LogEvent event) {
        return event instanceof LogEvent.AllocNew;
    }
}
