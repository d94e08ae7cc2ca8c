package io.sluice.bench.stream;

import java.util.ArrayList;
import java.util.List;

/**
 * Steps an input rate up geometrically until a run is not sustainable, then tries once more at the geometric
 * midpoint between the last sustainable and the first unsustainable rate: the highest sustainable rate is known
 * to within a factor of {@code sqrt(step)}. Pure logic; the runs are supplied by the caller.
 */
public final class RateSearch {
    /** Runs the stream at a rate and says whether it kept up. */
    @FunctionalInterface
    public interface Probe {
        boolean sustainable(double rate) throws InterruptedException;
    }

    /** What the search tried, in order, and the highest sustainable rate (0 if none was). */
    public record Result(List<Double> tried, double maxSustainable) {
    }

    private RateSearch() {
    }

    /** Searches from {@code start} by factor {@code step} (> 1) up to {@code maxRate} (inclusive, at most). */
    public static Result search(final double start, final double step, final double maxRate, final Probe probe)
        throws InterruptedException {
        if (!(start > 0) || !(step > 1) || !(maxRate >= start)) {
            throw new IllegalArgumentException("start=" + start + " (> 0) step=" + step + " (> 1) maxRate=" + maxRate
                + " (>= start)");
        }
        final List<Double> tried = new ArrayList<>();
        double best = 0;
        double rate = start;
        while (true) {
            tried.add(rate);
            if (!probe.sustainable(rate)) {
                if (best > 0) {
                    final double mid = Math.sqrt(best * rate);
                    tried.add(mid);
                    if (probe.sustainable(mid)) {
                        best = mid;
                    }
                }
                return new Result(List.copyOf(tried), best);
            }
            best = rate;
            if (rate >= maxRate) {
                return new Result(List.copyOf(tried), best);
            }
            rate = Math.min(maxRate, rate * step);
        }
    }
}
