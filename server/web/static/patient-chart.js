/* One chart per measure from the JSON in #chart-data (built by server/web/charts.py). */
(function () {
  "use strict";
  var SOURCES = {
    sms: { label: "SMS", color: "#1f5fa8", shape: "circle" },
    app: { label: "App", color: "#2e7d32", shape: "rect" },
    clinic: { label: "In clinic", color: "#6a1b9a", shape: "triangle" }
  };

  function xy(point) {
    return { x: point.t, y: point.y, id: point.id };
  }

  function datasets(spec) {
    var sets = [{
      label: spec.short, type: "line", data: spec.points.map(xy),
      borderColor: "#78909c", borderWidth: 1.5, pointRadius: 0, order: 3
    }];
    Object.keys(SOURCES).forEach(function (source) {
      var points = spec.points.filter(function (p) { return p.source === source; });
      if (points.length) {
        sets.push({
          label: SOURCES[source].label, type: "scatter", data: points.map(xy), order: 2,
          pointStyle: SOURCES[source].shape, pointRadius: 5,
          backgroundColor: SOURCES[source].color, borderColor: SOURCES[source].color
        });
      }
    });
    var marked = spec.points.filter(function (p) { return p.late || p.unsolicited; });
    if (marked.length) {
      sets.push({
        label: "Late or unsolicited", type: "scatter", data: marked.map(xy), order: 1,
        pointStyle: "crossRot", pointRadius: 9, borderWidth: 2, borderColor: "#c62828"
      });
    }
    return sets;
  }

  function annotations(spec) {
    var found = {};
    spec.windows.forEach(function (w, i) {
      found["window" + i] = {
        type: "box", xMin: w[0], xMax: w[1], borderWidth: 0,
        backgroundColor: "rgba(255, 179, 0, 0.16)", drawTime: "beforeDatasetsDraw"
      };
    });
    spec.sessions.forEach(function (t, i) {
      found["session" + i] = {
        type: "line", scaleID: "x", value: t, borderColor: "#37474f",
        borderWidth: 1.5, borderDash: [5, 4]
      };
    });
    if (spec.baseline !== null) {
      found.mcidBand = {
        type: "box", yMin: spec.band[0], yMax: spec.band[1], borderWidth: 0,
        backgroundColor: "rgba(21, 101, 192, 0.10)", drawTime: "beforeDatasetsDraw"
      };
      found.baseline = {
        type: "line", scaleID: "y", value: spec.baseline, borderColor: "#1565c0", borderWidth: 2,
        label: { display: true, content: "Baseline " + spec.baseline, position: "start",
                 backgroundColor: "#1565c0", font: { size: 11 } }
      };
    }
    return found;
  }

  function draw(canvas, spec) {
    return new window.Chart(canvas, {
      type: "line",
      data: { datasets: datasets(spec) },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        scales: {
          x: { type: "time", time: { tooltipFormat: "d MMM yyyy HH:mm" }, ticks: { maxTicksLimit: 12 } },
          // Worse is always up: a measure where lower is worse is drawn upside down.
          y: { min: spec.min, max: spec.max, reverse: spec.worse === "down", ticks: { stepSize: 1 },
               title: { display: true, text: spec.short + " (worse ↑)" } }
        },
        plugins: { annotation: { annotations: annotations(spec) }, legend: { position: "bottom" } }
      }
    });
  }

  function start() {
    var source = document.getElementById("chart-data");
    if (!source || !window.Chart) { return; }
    var specs = JSON.parse(source.textContent);
    if (window["chartjs-plugin-annotation"]) {
      window.Chart.register(window["chartjs-plugin-annotation"]);
    }
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      draw(canvas, specs[Number(canvas.dataset.chart)]);
    });
  }

  document.addEventListener("DOMContentLoaded", start);
})();
