package dev.gmpdefer.model.defer;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Reference item 22: defer operations never touch run queues or G status. The defer package must not even
 * refer to the scheduler package: no class file of it names a type of {@code dev.gmpdefer.model.sched}.
 */
class DeferSchedulerSeparationTest {

    @Test
    void deferPackageDoesNotReferToTheScheduler() throws IOException, URISyntaxException {
        URL url = DeferChain.class.getResource("DeferChain.class");
        assertNotNull(url);
        Path dir = Path.of(url.toURI()).getParent();
        List<Path> classes;
        try (Stream<Path> s = Files.list(dir)) {
            classes = s.filter(p -> p.toString().endsWith(".class"))
                    .filter(p -> !p.getFileName().toString().endsWith("Test.class"))
                    .collect(Collectors.toList());
        }
        assertTrue(classes.size() >= 10, "found the package's classes: " + classes);
        for (Path p : classes) {
            String bytes = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
            assertFalse(bytes.contains("dev/gmpdefer/model/sched"), p.getFileName() + " refers to the scheduler");
        }
    }
}
