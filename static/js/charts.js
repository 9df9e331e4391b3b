// Draws every <canvas data-chart="ID"> from the JSON in <script type="application/json" id="ID">
// (Django's json_script), so pages need no inline code under the Content-Security-Policy.
// The JSON holds {"type": "bar"|"line"|..., "labels": [...], "datasets": [{"label", "data"}],
// "stacked": bool, "horizontal": bool}. Each chart has a table beside it with the same numbers:
// the table is the accessible version, the canvas is hidden from screen readers (aria-hidden).
(() => {
  const PALETTE = [
    "#0b5394", "#e69138", "#38761d", "#a61c00", "#674ea7", "#45818e",
    "#bf9000", "#741b47", "#6d9eeb", "#93c47d", "#c27ba0", "#7f6000",
  ];

  function draw(canvas) {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof window.Chart === "undefined") return;
    const spec = JSON.parse(source.textContent);
    const datasets = spec.datasets.map((set, index) => {
      const colour = set.color || PALETTE[index % PALETTE.length];
      return Object.assign({ backgroundColor: colour, borderColor: colour }, set);
    });
    const stacked = Boolean(spec.stacked);
    const narrow = window.innerWidth < 576;
    // A horizontal bar per row: the box grows with the rows, so the bars stay readable.
    const box = canvas.parentElement;
    if (spec.horizontal && box) {
      const wanted = spec.labels.length * 34 + 90;
      if (wanted > box.clientHeight) box.style.height = `${wanted}px`;
    }
    // Long names (partners, neighbourhoods) are shortened on the axis; the table has them whole.
    const longest = narrow ? 14 : 28;
    const shortened = {
      callback(value) {
        const label = String(this.getLabelForValue(value));
        return label.length > longest ? `${label.slice(0, longest - 1)}…` : label;
      },
    };
    const categories = spec.horizontal ? "y" : "x";
    canvas.chart = new window.Chart(canvas, {
      type: spec.type || "bar",
      data: { labels: spec.labels, datasets },
      options: {
        indexAxis: spec.horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: spec.type === "pie" || spec.type === "doughnut" ? {} : {
          // Counts and days are whole numbers: no ticks at 0.5.
          x: { stacked, ticks: categories === "x" ? shortened : { precision: 0 } },
          y: { stacked, beginAtZero: true, ticks: categories === "y" ? shortened : { precision: 0 } },
        },
        plugins: {
          legend: {
            display: datasets.length > 1,
            labels: { boxWidth: narrow ? 10 : 14, font: { size: narrow ? 11 : 12 } },
          },
        },
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
