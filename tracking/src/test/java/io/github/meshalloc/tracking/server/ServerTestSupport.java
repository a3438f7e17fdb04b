package io.github.meshalloc.tracking.server;

import io.github.meshalloc.tracking.log.ServerLine;
import io.github.meshalloc.tracking.wire.AllocMessage;
import java.util.List;
import java.util.stream.Collectors;

/** Helpers shared by the server tests. */
final class ServerTestSupport {

    static final String BOX_TOP = "╔" + "═".repeat(62) + "╗";
    static final String BOX_BOTTOM = "╚" + "═".repeat(62) + "╝";
    static final String REMAINING_TITLE = "║           REMAINING ALLOCATED BUFFERS                       ║";

    private ServerTestSupport() {
    }

    /** Text of the lines printed while running {@code action}. */
    static List<String> printed(AllocationServer server, Runnable action) {
        int from = server.log().size();
        action.run();
        return texts(server.log().linesFrom(from));
    }

    static List<String> texts(List<ServerLine> lines) {
        return lines.stream().map(ServerLine::text).collect(Collectors.toList());
    }

    static List<String> accept(AllocationServer server, AllocMessage... messages) {
        return printed(server, () -> {
            for (AllocMessage m : messages) {
                server.accept(m);
            }
        });
    }

    static AllocMessage alloc(int device, long size, int type, int pid, long id) {
        return AllocMessage.alloc(device, size, type, pid, id, 1_000_000_000L);
    }

    static AllocMessage free(int device, int pid, long id) {
        return AllocMessage.free(device, pid, id);
    }
}
