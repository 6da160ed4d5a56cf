package dev.gmpdefer.report;

import dev.gmpdefer.report.load.*;
import dev.gmpdefer.report.judge.*;
import dev.gmpdefer.report.render.*;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The claim register (gmpdefer/claims.json) is complete and well formed. */
class ClaimBookTest {

    @Test
    void everyClaimInOrder() {
        List<ClaimBook.Claim> claims = ClaimBook.load().claims();
        assertEquals(22, claims.size());
        for (int i = 0; i < 22; i++) {
            assertEquals("C" + (i + 1), claims.get(i).id());
            assertFalse(claims.get(i).title().isBlank());
            assertFalse(claims.get(i).article().isBlank());
        }
    }

    @Test
    void sourceVerdictsCiteGoAndNotTestableGiveAReason() {
        for (ClaimBook.Claim c : ClaimBook.load().claims()) {
            if ("source".equals(c.kind())) {
                assertNotNull(c.verdict(), c.id());
                assertFalse(c.go().isEmpty(), c.id() + " cites Go's source");
                assertFalse(c.reason().isBlank(), c.id());
                for (ClaimBook.GoRef g : c.go()) {
                    assertTrue(g.file().startsWith("src/"), c.id() + ": " + g.file());
                    assertFalse(g.function().isBlank());
                    assertFalse(g.version().isBlank());
                }
            } else if ("notTestable".equals(c.kind())) {
                assertFalse(c.reason().isBlank(), c.id() + " says why");
            }
        }
    }

    @Test
    void measuredClaims() {
        Set<String> measured = Set.of("C2", "C3", "C4", "C6", "C12", "C14", "C17");
        for (ClaimBook.Claim c : ClaimBook.load().claims()) {
            assertEquals(measured.contains(c.id()), c.measured(), c.id());
            assertEquals(c.measured(), !c.checks().isEmpty(), c.id() + ": checks only on measured claims");
            for (ClaimBook.Check k : c.checks()) {
                assertNotNull(k.evaluator(), c.id());
                assertFalse(k.label().isBlank(), c.id());
                assertTrue(!Double.isNaN(k.article()) || k.evaluator() == ClaimBook.Evaluator.BEYOND_CONTROL,
                        c.id() + " " + k.label() + " has the article's figure");
            }
        }
    }

    @Test
    void aBadCheckIsRefusedWithOneLine() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"claims\": [{\"id\": \"C1\", "
                + "\"title\": \"t\", \"article\": \"a\", \"kind\": \"measured\", \"checks\": [{\"evaluator\": "
                + "\"guess\"}]}]}");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ClaimBook.parse(json));
        assertTrue(e.getMessage().contains("evaluator 'guess'"), e.getMessage());
    }

    @Test
    void publishedFigures() {
        ClaimBook b = ClaimBook.load();
        assertEquals(4.4, b.published("baseline").ns());
        assertEquals(5.6, b.published("OPEN_CODED").ns());
        assertEquals(35.4, b.published("STACK").ns());
    }
}
