import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { useEffect, useRef } from 'react';
import { useI18n } from './i18n';
import type { StatsRow } from './supervision-types';

// Only the parts of Chart.js a bar chart uses: the rest stays out of the bundle.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

/**
 * The on-time rate per unit and procedure as bars (percent). The same numbers are in the table
 * beside it, which is what screen readers (and the browser test) read.
 */
export function StatsChart({ rows }: { rows: StatsRow[] }) {
  const { t, name, lang } = useI18n();
  const canvas = useRef<HTMLCanvasElement>(null);
  const rates = percents(rows);
  useEffect(() => {
    const labels = rows.map((r) => `${r.unitName} · ${name(r.procedure)}`);
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: {
        labels,
        datasets: [
          {
            label: t('stats.onTimeRate'),
            data: percents(rows),
            backgroundColor: rows.map((r) => (r.onTimeRate === null ? '#c9ced6' : r.onTimeRate >= 0.9 ? '#1f7a4d' : r.onTimeRate >= 0.7 ? '#c98a10' : '#b3261e')),
          },
        ],
      },
      options: {
        indexAxis: 'y',
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: { x: { min: 0, max: 100, ticks: { callback: (v) => `${v}%` } } },
        plugins: { legend: { display: false }, tooltip: { callbacks: { label: (c) => `${c.parsed.x}%` } } },
      },
    });
    return () => chart.destroy();
  }, [rows, t, name, lang]);
  return (
    <div className="chart" style={{ height: `${Math.max(160, rows.length * 28 + 60)}px` }}>
      {/* What the bars show, for assistive technology and tests: the same arrays the chart draws. */}
      <canvas ref={canvas} role="img" aria-label={t('stats.chart')} data-labels={JSON.stringify(rows.map((r) => `${r.unitCode}|${r.procedure}`))} data-rates={JSON.stringify(rates)} />
    </div>
  );
}

/** Percent, one decimal; no completed dossier: no rate (no bar). */
function percents(rows: StatsRow[]): Array<number | null> {
  return rows.map((r) => (r.onTimeRate === null ? null : Math.round(r.onTimeRate * 1000) / 10));
}
