package dev.gmpdefer.report.judge;

import dev.gmpdefer.report.load.*;

import java.util.List;

/**
 * What one report is made of, loaded once and judged once: the result store, the claim book, the flame
 * shares, real Go (the primary document and all of them) and the claims' verdicts, which are evaluated on
 * first use and then shared by REPORT.md, README's blocks and docs/defer.md's block.
 */
public final class ReportModel {
    public final ResultStore store;
    public final ClaimBook book;
    public final List<FlameShares.Row> flames;
    /** The committed real Go cross-check, or null. */
    public final RealGo realGo;
    /** Every committed realgo document: the versions table and the paired sessions come from it. */
    public final List<RealGo> allGo;
    /** The paired reference: the latest series of at least 3 paired sessions, or null. */
    public final Sessions sessions;
    private List<ClaimEvaluator.Result> claims;

    public ReportModel(ResultStore store, ClaimBook book, List<FlameShares.Row> flames, RealGo realGo,
                       List<RealGo> allGo) {
        this.store = store;
        this.book = book;
        this.flames = flames;
        this.realGo = realGo;
        this.allGo = allGo;
        this.sessions = Sessions.of(allGo);
    }

    /** The claims' verdicts, in the book's order; evaluated once per model. */
    public List<ClaimEvaluator.Result> claims() {
        if (claims == null) {
            claims = List.copyOf(new ClaimEvaluator(store, book, flames, realGo, sessions).evaluate());
        }
        return claims;
    }
}
