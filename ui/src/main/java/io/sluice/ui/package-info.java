/**
 * A live dashboard and Prometheus metrics for a running Sluice context: {@link io.sluice.ui.SluiceUi} serves a page
 * (charts per micro-batch, a per-worker task timeline), JSON endpoints for everything the page shows and
 * {@code /metrics} in the Prometheus text format, on the JDK's built-in HTTP server. Collectors listen to the
 * engine ({@code StreamingListener}, {@code SchedulerListener}) and publish snapshots the server only reads, so a
 * request never blocks a worker or the job thread.
 */
package io.sluice.ui;
