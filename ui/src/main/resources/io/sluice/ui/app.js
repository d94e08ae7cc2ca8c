// Sluice dashboard: polls the JSON endpoints and draws uPlot charts per micro-batch and a per-worker timeline.
// window.sluice exposes what is drawn (chart instances, kept batches, the last timeline) for tools and tests.
(function () {
  "use strict";
  const POLL_MS = 500;
  const KEEP = 600;
  const STAGES = 4;         // drawn
  const STAT_STAGES = 64;   // summarised per worker
  const MIN_MEDIAN_MS = 0.05;
  const FLAG = { stolen: 1, speculative: 2, committed: 4, failed: 8, splitPart: 16 };
  const state = { since: 0, batches: [], charts: {}, timeline: null, summary: null, polls: 0, errors: 0 };
  window.sluice = state;

  const el = (id) => document.getElementById(id);
  const fmt = (v, digits) => v == null || !isFinite(v) ? "–" : Number(v).toFixed(digits === undefined ? 1 : digits);

  async function getJson(path) {
    const response = await fetch(path, { cache: "no-store" });
    if (!response.ok) {
      throw new Error(path + ": HTTP " + response.status + " " + (await response.text()));
    }
    return response.json();
  }

  // series: [label, colour, scale]; scales other than the first get an axis on the right.
  function makeChart(id, series, leftLabel, rightLabel) {
    const host = el(id);
    const left = series[0][2];
    const right = series.map(s => s[2]).find(scale => scale !== left);
    const axes = [{}, { scale: left, label: leftLabel, size: 64 }];
    if (right) {
      axes.push({ scale: right, label: rightLabel, side: 1, size: 64, grid: { show: false } });
    }
    const opts = {
      width: Math.max(300, host.clientWidth || 500), height: 220,
      scales: { x: { time: true } },
      axes: axes,
      series: [{ label: "batch time" }].concat(series.map(s => ({ label: s[0], stroke: s[1], scale: s[2], width: 1.5,
        points: { show: false } })))
    };
    const data = [[]].concat(series.map(() => []));
    return new uPlot(opts, data, host);
  }

  function ensureCharts(summary) {
    if (state.charts.input || !summary.stream) {
      return;
    }
    state.charts.input = makeChart("chart-input", [["input rate", "#4c78a8", "rate"], ["rate limit", "#54a24b", "rate"]],
      "records/s");
    state.charts.delays = makeChart("chart-delays",
      [["scheduling delay", "#72b7b2", "ms"], ["processing time", "#4c78a8", "ms"], ["total delay", "#e45756", "ms"]], "ms");
    state.charts.backpressure = makeChart("chart-backpressure",
      [["lag (records)", "#e45756", "records"], ["queued batches", "#b279a2", "batches"]], "records", "batches");
    if (summary.stream.keyedState) {
      el("card-state").hidden = false;
      state.charts.state = makeChart("chart-state", [["keys", "#4c78a8", "keys"]], "keys");
    }
  }

  function column(key) {
    return state.batches.map(b => b[key] == null ? null : b[key]);
  }

  function redrawCharts() {
    if (!state.charts.input) {
      return;
    }
    const x = state.batches.map(b => b.batchTimeMs / 1000);
    const limits = state.batches.map(b => b.rateLimit == null ? null : b.rateLimit);
    state.charts.input.setData([x, column("inputRate"), limits]);
    state.charts.delays.setData([x, column("schedulingDelayMs"), column("processingTimeMs"), column("totalDelayMs")]);
    state.charts.backpressure.setData([x, column("lagRecords"), column("queuedBatches")]);
    if (state.charts.state) {
      state.charts.state.setData([x, column("stateKeys")]);
    }
  }

  function tile(label, value) {
    return "<div class=\"tile\"><b>" + value + "</b><span>" + label + "</span></div>";
  }

  function renderTiles(summary) {
    const tiles = [];
    if (summary.stream) {
      const s = summary.stream;
      const p = s.percentilesMs;
      const latest = s.latest || {};
      tiles.push(tile("batches", s.batchesCompleted), tile("failed batches", s.batchesFailed), tile("records", s.recordsProcessed),
        tile("input rate (records/s)", fmt(latest.inputRate, 0)),
        tile("total delay p50 / p99 / p99.9 (ms)", fmt(p.totalDelay.p50, 2) + " / " + fmt(p.totalDelay.p99, 2) + " / " + fmt(p.totalDelay["p99.9"], 2)),
        tile("scheduling delay p99 (ms)", fmt(p.schedulingDelay.p99, 2)), tile("processing p99 (ms)", fmt(p.processingTime.p99, 2)),
        tile("rate limit (records/s)", latest.rateLimit == null ? "none" : fmt(latest.rateLimit, 0)),
        tile("lag (records)", latest.lagRecords == null ? "–" : latest.lagRecords),
        tile("queued batches", latest.queuedBatches == null ? "–" : latest.queuedBatches),
        tile("write-ahead log / snapshots", (s.checkpoint.writeAheadLog ? "on" : "off") + " / " + s.checkpoint.snapshots
          + (s.checkpoint.snapshots ? " (last " + fmt(s.checkpoint.lastSnapshotMs, 1) + " ms)" : "")));
      el("config").textContent = "batch interval " + s.batchIntervalMs + " ms · inputs: " + s.inputs.join(", ");
    }
    if (summary.tasks) {
      const t = summary.tasks;
      tiles.push(tile("stages", t.stagesStarted), tile("task attempts", t.attempts), tile("stolen", t.stolen),
        tile("speculative copies", t.speculative), tile("failed attempts", t.failed), tile("workers replaced", t.workerReplacements));
    }
    if (summary.scheduler) {
      el("config").textContent += (el("config").textContent ? " · " : "") + summary.scheduler.policy.toLowerCase().replace("_", " ")
        + ", " + summary.scheduler.workers + " workers";
    }
    el("tiles").innerHTML = tiles.join("");
  }

  function colour(flags) {
    if (flags & FLAG.failed) { return "#e45756"; }
    if (!(flags & FLAG.committed)) { return "#bab0ac"; }
    if (flags & FLAG.speculative) { return "#54a24b"; }
    if (flags & FLAG.stolen) { return "#f58518"; }
    if (flags & FLAG.splitPart) { return "#72b7b2"; }
    return "#4c78a8";
  }

  function renderTimeline(t) {
    state.timeline = t;
    const canvas = el("timeline");
    const workers = t.workers || 0;
    const row = 22, top = 18, left = 70;
    const width = canvas.clientWidth || 1000;
    const ratio = window.devicePixelRatio || 1;
    canvas.style.height = (top + workers * row + 4) + "px";
    canvas.width = width * ratio;
    canvas.height = (top + workers * row + 4) * ratio;
    const g = canvas.getContext("2d");
    g.scale(ratio, ratio);
    g.clearRect(0, 0, width, top + workers * row + 4);
    g.font = "11px system-ui, sans-serif";
    const stages = (t.stages || []).slice(-STAGES);
    const firstSeq = stages.length ? stages[0].seq : Infinity;
    const origin = stages.length ? stages[0].startMs : 0;
    const drawn = (t.attempts || []).filter(a => a[1] >= firstSeq);
    const end = stages.length ? Math.max.apply(null, stages.map(s => s.endMs)) - origin : 1;
    const xOf = (ms) => left + (width - left - 8) * (ms - origin) / Math.max(end, 1e-6);
    const perWorker = [];
    for (let w = 0; w < workers; w++) {
      perWorker.push({ attempts: 0, busyMs: 0, stolen: 0, speculative: 0, lost: 0, failed: 0 });
      g.fillStyle = w % 2 ? "#fafbfc" : "#f0f2f5";
      g.fillRect(left, top + w * row, width - left, row);
      g.fillStyle = "#1d2330";
      g.fillText(w === t.callerLane ? "caller" : "worker " + w, 4, top + w * row + 15);
    }
    stages.forEach(s => {
      g.strokeStyle = "#8891a0";
      g.beginPath();
      g.moveTo(xOf(s.startMs), 2);
      g.lineTo(xOf(s.startMs), top + workers * row);
      g.stroke();
      // Label only stages wide enough for it (tiny stages would overprint their neighbours).
      const label = s.name + " #" + s.seq;
      if (xOf(s.endMs) - xOf(s.startMs) > g.measureText(label).width + 6) {
        g.fillStyle = "#5b6475";
        g.fillText(label, xOf(s.startMs) + 3, 12);
      }
    });
    drawn.forEach(a => {
      const w = a[0], start = a[4], stop = a[5], flags = a[6];
      const x0 = xOf(start), x1 = Math.max(xOf(stop), x0 + 1);
      g.fillStyle = colour(flags);
      g.fillRect(x0, top + w * row + 3, x1 - x0, row - 6);
    });
    (t.attempts || []).forEach(a => {
      const w = a[0], start = a[4], stop = a[5], flags = a[6];
      const pw = perWorker[w];
      pw.attempts++;
      pw.busyMs += stop - start;
      if (flags & FLAG.stolen) { pw.stolen++; }
      if (flags & FLAG.speculative) { pw.speculative++; }
      if (flags & FLAG.failed) { pw.failed++; } else if (!(flags & FLAG.committed)) { pw.lost++; }
    });
    (t.replacements || []).filter(r => r.stage >= firstSeq).forEach(r => {
      g.fillStyle = "#000";
      g.fillRect(xOf(r.atMs) - 2, top + r.worker * row, 4, row);
    });
    // Relative speed over the last STAT_STAGES stages: per worker, the median over its committed attempts of the
    // attempt's time / the median committed attempt of its stage (stages of sub-50 us tasks skipped: clock noise).
    // About 1 for a normal worker, the slowdown factor for a slow one.
    const durations = {};
    (t.attempts || []).forEach(a => {
      if (a[6] & FLAG.committed) {
        (durations[a[1]] = durations[a[1]] || []).push(a[5] - a[4]);
      }
    });
    const middle = (values) => {
      const d = values.slice().sort((p, q) => p - q);
      return d.length % 2 ? d[(d.length - 1) / 2] : (d[d.length / 2 - 1] + d[d.length / 2]) / 2;
    };
    const median = {};
    Object.keys(durations).forEach(k => { median[k] = middle(durations[k]); });
    const ratios = perWorker.map(() => []);
    (t.attempts || []).forEach(a => {
      if ((a[6] & FLAG.committed) && median[a[1]] >= MIN_MEDIAN_MS) {
        ratios[a[0]].push((a[5] - a[4]) / median[a[1]]);
      }
    });
    let slowest = -1, slowestRatio = -1;
    perWorker.forEach((p, w) => {
      p.relative = ratios[w].length ? middle(ratios[w]) : null;
      if (p.relative !== null && p.relative > slowestRatio) { slowestRatio = p.relative; slowest = w; }
    });
    el("timeline-workers").innerHTML = perWorker.map((p, w) =>
      "<li data-worker=\"" + w + "\" data-attempts=\"" + p.attempts + "\" data-stolen=\"" + p.stolen + "\" data-busy-ms=\""
      + p.busyMs.toFixed(3) + "\" data-relative=\"" + (p.relative === null ? "" : p.relative.toFixed(3)) + "\"" + (w === slowest && workers > 1 ? " class=\"slow\"" : "") + ">"
      + (w === t.callerLane ? "caller" : "worker " + w) + ": busy " + fmt(p.busyMs) + " ms, " + p.attempts + " attempts (" + p.stolen + " stolen, "
      + p.speculative + " speculative, " + p.lost + " lost, " + p.failed + " failed); tasks take "
      + (p.relative === null ? "–" : fmt(p.relative, 2) + "x") + " their stage's median"
      + (w === slowest && workers > 1 ? " (slowest)" : "") + "</li>").join("");
    el("timeline-caption").textContent = stages.length
      ? "latest " + stages.length + " stages drawn, " + fmt(end, 1) + " ms; worker figures over the last "
        + (t.stages || []).length + " stages" : "no stage finished yet";
  }

  async function poll() {
    try {
      const summary = await getJson("/api/summary");
      state.summary = summary;
      ensureCharts(summary);
      renderTiles(summary);
      if (summary.stream) {
        const page = await getJson("/api/batches?since=" + state.since);
        if (page.batches.length) {
          state.batches = state.batches.concat(page.batches).slice(-KEEP);
          state.since = page.batches[page.batches.length - 1].seq;
          redrawCharts();
        }
      } else {
        el("stream").hidden = true;
      }
      if (summary.tasks) {
        renderTimeline(await getJson("/api/timeline?stages=" + STAT_STAGES));
      } else {
        el("scheduler").hidden = true;
      }
      state.polls++;
      el("status").textContent = "live · updated " + new Date().toLocaleTimeString();
    } catch (e) {
      state.errors++;
      el("status").textContent = "disconnected: " + e.message;
    }
    setTimeout(poll, POLL_MS);
  }

  poll();
})();
