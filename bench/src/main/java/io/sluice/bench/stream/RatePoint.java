package io.sluice.bench.stream;

/**
 * One step of the throughput search: a job at a target rate and what the stream did with it.
 *
 * @param job                the job label
 * @param intervalMillis     batch interval
 * @param targetRate         records/s asked of the producer
 * @param stats              the run's measurements and verdict
 */
public record RatePoint(String job, long intervalMillis, double targetRate, RunStats stats) {
    public boolean sustainable() {
        return stats.verdict().sustainable();
    }
}
