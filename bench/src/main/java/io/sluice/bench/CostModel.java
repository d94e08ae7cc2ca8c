package io.sluice.bench;

import java.util.Locale;

/** How a synthetic task spends its time: parked ({@code sleep}) or burning CPU ({@code spin}). */
public enum CostModel {
    /** The thread parks until its deadline: models I/O-bound tasks; costs no CPU, so 2 cores can host many workers. */
    SLEEP,
    /** The thread runs a calibrated busy loop: models CPU-bound tasks; competes for the cores like real work. */
    SPIN;

    /** The name on the command line: {@code sleep} or {@code spin}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code sleep} or {@code spin} (any case). */
    public static CostModel parse(final String text) {
        for (final CostModel model : values()) {
            if (model.label().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return model;
            }
        }
        throw new IllegalArgumentException("cost='" + text + "' not accepted; accepted: sleep, spin");
    }
}
