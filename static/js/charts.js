// Draws every <canvas data-chart="ID"> from the JSON in <script type="application/json" id="ID">
// (Django's json_script), so pages need no inline code under the Content-Security-Policy.
// The JSON holds {"type": "bar"|"line"|..., "labels": [...], "datasets": [{"label", "data"}],
// "stacked": bool, "horizontal": bool}. Each chart has a table beside it with the same numbers:
// the table is the accessible version, the canvas is hidden from screen readers (aria-hidden).
(() => {
  const PALETTE = ["#0b5394", "#e69138", "#38761d", "#a61c00", "#674ea7", "#45818e", "#bf9000", "#741b47"];

  function draw(canvas) {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof window.Chart === "undefined") return;
    const spec = JSON.parse(source.textContent);
    const datasets = spec.datasets.map((set, index) => {
      const colour = set.color || PALETTE[index % PALETTE.length];
      return Object.assign({ backgroundColor: colour, borderColor: colour }, set);
    });
    const stacked = Boolean(spec.stacked);
    canvas.chart = new window.Chart(canvas, {
      type: spec.type || "bar",
      data: { labels: spec.labels, datasets },
      options: {
        indexAxis: spec.horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: spec.type === "pie" || spec.type === "doughnut" ? {} : {
          x: { stacked },
          y: { stacked, beginAtZero: true },
        },
        plugins: { legend: { display: datasets.length > 1 } },
      },
    });
    canvas.dataset.drawn = "true";
  }

  function drawAll(root) {
    root.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
      if (canvas.dataset.drawn !== "true") draw(canvas);
    });
  }

  document.addEventListener("DOMContentLoaded", () => drawAll(document));
  // Charts in fragments swapped in by htmx (a changed filter) are drawn too.
  document.addEventListener("htmx:afterSettle", (event) => drawAll(event.target));
})();
