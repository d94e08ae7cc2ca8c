/**
 * Report writing shared by every benchmark command: report folders, markdown tables, CSV, plots (SVG + PNG), the
 * machine description, and baseline ratios of JMH results. Generated reports state measured facts only.
 */
package io.sluice.bench.report;
