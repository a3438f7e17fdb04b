package io.github.meshalloc.examples.timeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.allocator.BufferType;
import io.github.meshalloc.examples.story.MeshTestRun;
import io.github.meshalloc.tracking.RuleSet;
import io.github.meshalloc.tracking.server.DeviceCounters;
import io.github.meshalloc.tracking.wire.BufferTypeCode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The timeline page is well-formed, self-contained, and plots exactly the model's counters. */
class TimelineHtmlTest {

    @TempDir
    Path dir;

    private static Document parse(String html) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void scenarioPageIsWellFormedAndPlotsTheServersCounters() throws Exception {
        Timelines.Page page = Timelines.fromScenario("mesh-test", RuleSet.SEED_004, 6, BufferType.DRAM, 1);
        String html = page.html();
        Document doc = parse(html);
        MeshTestRun truth = MeshTestRun.run(RuleSet.SEED_004, 8);
        NodeList lines = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "polyline");
        assertTrue(lines.getLength() >= 9, "one line per device with DRAM, plus chip 0's L1");
        for (int i = 0; i < lines.getLength(); i++) {
            Element line = (Element) lines.item(i);
            int device = Integer.parseInt(line.getAttribute("data-device"));
            BufferTypeCode.Counter counter = BufferTypeCode.Counter.valueOf(line.getAttribute("data-counter"));
            DeviceCounters end = truth.at(8).device(device);
            assertEquals(end.counter(counter), Long.parseLong(line.getAttribute("data-final")),
                    "device " + device + " " + counter);
            assertEquals(truth.at(5).device(device).counter(counter), Long.parseLong(line.getAttribute("data-max")),
                    "peak of device " + device + " " + counter + " is step 5's value");
        }
        assertEquals(truth.server().activeAllocations(), page.data().leaks().size());
        assertEquals(page.data().leaks().size(), doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "line")
                .getLength() - countNonLeakLines(doc));
        assertTrue(html.contains("ttnn.add kernel binary"), "the map names the blocks at step 6");
        assertTrue(page.map().isPresent());
        assertEquals(2, page.map().get().blocks().stream().filter(MemoryMap.Block::allocated).count(),
                "at step 6 the mesh allocator holds only the two kernel binaries");
    }

    private static int countNonLeakLines(Document doc) {
        NodeList all = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "line");
        int n = 0;
        for (int i = 0; i < all.getLength(); i++) {
            if (!((Element) all.item(i)).hasAttribute("data-leak")) {
                n++;
            }
        }
        return n;
    }

    @Test
    void thePageReferencesNothingOutsideItself() {
        String html = Timelines.fromScenario("mesh-test", RuleSet.SEED_003_FINAL, 7, BufferType.DRAM, 1).html();
        String withoutNamespaces = html.replace("http://www.w3.org/1999/xhtml", "")
                .replace("http://www.w3.org/2000/svg", "");
        for (String banned : new String[] {"http:", "https:", "<script", "src=", "url(", "@import", "@font-face",
            "<link"}) {
            assertFalse(withoutNamespaces.contains(banned), banned);
        }
        assertTrue(html.contains("leaked (marked DEALLOCATED, range held)"), "seed 003's leak shows in the map");
    }

    @Test
    void aLogPageHasNoMapAndTheFixsLogEndsAtZero() throws Exception {
        MeshTestRun run = MeshTestRun.run(RuleSet.MESHALLOC_FIX, 8);
        Path log = dir.resolve("server.log");
        Files.writeString(log, run.server().log().render(), StandardCharsets.UTF_8);
        Timelines.Page page = Timelines.fromLog(log, Optional.empty(), false);
        parse(page.html());
        assertTrue(page.map().isEmpty());
        assertTrue(page.data().leaks().isEmpty());
        assertTrue(page.data().series().stream().allMatch(s -> s.last() == 0));
        assertTrue(page.data().series(1, BufferTypeCode.Counter.DRAM).orElseThrow().max() > 0);
    }

    @Test
    void theSameScenarioGivesAByteIdenticalPage() {
        for (RuleSet rules : java.util.List.of(RuleSet.SEED_004, RuleSet.SEED_003_FINAL, RuleSet.MESHALLOC_FIX)) {
            String first = Timelines.fromScenario("mesh-test", rules, 7, BufferType.DRAM, 1).html();
            String second = Timelines.fromScenario("mesh-test", rules, 7, BufferType.DRAM, 1).html();
            assertEquals(first, second, rules.name());
        }
    }
}
