// Daily sales as a server-rendered SVG: bars for tickets, a line for revenue (each on its own
// scale). The figures are also in a table below the picture, for screen readers and for reading
// exact values.
import { formatMoney } from "~/domain/money";
import { formatDayKey } from "~/domain/time";

type Day = { day: string; tickets: number; revenueCents: number };

const WIDTH = 640;
const HEIGHT = 220;
const PAD = { top: 16, right: 12, bottom: 28, left: 36 };

export function SalesChart({ days, currency }: { days: Day[]; currency: string }) {
  if (days.length === 0) return <p className="muted">No sales yet: the chart appears with the first paid order.</p>;
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const maxTickets = Math.max(1, ...days.map((d) => d.tickets));
  const maxRevenue = Math.max(1, ...days.map((d) => d.revenueCents));
  const slot = plotW / days.length;
  const barW = Math.max(2, Math.min(32, slot * 0.6));
  const x = (i: number) => PAD.left + slot * i + slot / 2;
  const yTickets = (n: number) => PAD.top + plotH - (n / maxTickets) * plotH;
  const yRevenue = (c: number) => PAD.top + plotH - (c / maxRevenue) * plotH;
  const labelEvery = Math.ceil(days.length / 8);
  const totalTickets = days.reduce((s, d) => s + d.tickets, 0);
  const totalRevenue = days.reduce((s, d) => s + d.revenueCents, 0);
  return (
    <figure className="sales-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby="sales-chart-title sales-chart-desc" preserveAspectRatio="xMidYMid meet">
        <title id="sales-chart-title">Tickets sold and revenue per day</title>
        <desc id="sales-chart-desc">
          {`${days.length} days from ${formatDayKey(days[0]!.day, "short")} to ${formatDayKey(days[days.length - 1]!.day, "short")}: ${totalTickets} tickets, ${formatMoney(totalRevenue, currency)}. Busiest day: ${maxTickets} tickets. Exact figures are in the table below.`}
        </desc>
        <line x1={PAD.left} x2={WIDTH - PAD.right} y1={PAD.top + plotH} y2={PAD.top + plotH} className="sales-chart__axis" />
        <text x={PAD.left - 6} y={PAD.top + 4} textAnchor="end" className="sales-chart__label">
          {maxTickets}
        </text>
        <text x={PAD.left - 6} y={PAD.top + plotH} textAnchor="end" className="sales-chart__label">
          0
        </text>
        {days.map((d, i) => (
          <rect key={d.day} x={x(i) - barW / 2} y={yTickets(d.tickets)} width={barW} height={PAD.top + plotH - yTickets(d.tickets)} className="sales-chart__bar" />
        ))}
        <polyline points={days.map((d, i) => `${x(i)},${yRevenue(d.revenueCents)}`).join(" ")} className="sales-chart__line" fill="none" />
        {days.map((d, i) =>
          i % labelEvery === 0 ? (
            <text key={d.day} x={x(i)} y={HEIGHT - 8} textAnchor="middle" className="sales-chart__label">
              {d.day.slice(5)}
            </text>
          ) : null,
        )}
      </svg>
      <figcaption className="small muted">
        <span className="sales-chart__key sales-chart__key--bar" aria-hidden="true" /> Tickets per day (left scale){" "}
        <span className="sales-chart__key sales-chart__key--line" aria-hidden="true" /> Revenue per day (own scale{totalRevenue > 0 ? `, up to ${formatMoney(maxRevenue, currency)}` : ""})
      </figcaption>
      <details>
        <summary>Sales per day as a table</summary>
        <div className="table-scroll" role="region" aria-label="Sales per day" tabIndex={0}>
          <table className="data-table">
            <caption className="visually-hidden">Sales per day</caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col" className="num">Tickets</th>
                <th scope="col" className="num">Revenue</th>
              </tr>
            </thead>
            <tbody>
              {days.map((d) => (
                <tr key={d.day}>
                  <td>{formatDayKey(d.day, "short")}</td>
                  <td className="num">{d.tickets}</td>
                  <td className="num">{formatMoney(d.revenueCents, currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
