import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { formatMoney } from "~/domain/money";
import { can, requireUser } from "~/services/auth.server";
import { db } from "~/services/db.server";

export const meta: MetaFunction = () => [{ title: "Dashboard · RE3M admin" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, "checkin:scan");
  if (!can(user, "admin:access")) throw redirect("/admin/check-in");
  const [types, money] = await Promise.all([
    db().ticketType.findMany({ select: { name: true, capacity: true, held: true, sold: true }, orderBy: { position: "asc" } }),
    db().order.aggregate({ where: { status: { in: ["PAID", "REFUNDED"] } }, _sum: { totalCents: true, refundedCents: true, taxCents: true } }),
  ]);
  return {
    types,
    gross: money._sum.totalCents ?? 0,
    refunds: money._sum.refundedCents ?? 0,
    tax: money._sum.taxCents ?? 0,
    sold: types.reduce((s, t) => s + t.sold, 0),
  };
}

export default function Dashboard() {
  const { types, gross, refunds, tax, sold } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <h1>Dashboard</h1>
      <div className="stat-grid">
        <div className="stat">
          <p className="stat__label">Tickets sold</p>
          <p className="stat__value">{sold}</p>
        </div>
        <div className="stat">
          <p className="stat__label">Gross revenue</p>
          <p className="stat__value">{formatMoney(gross, "CAD")}</p>
        </div>
        <div className="stat">
          <p className="stat__label">Refunds</p>
          <p className="stat__value">{formatMoney(refunds, "CAD")}</p>
        </div>
        <div className="stat">
          <p className="stat__label">Net revenue</p>
          <p className="stat__value">{formatMoney(gross - refunds, "CAD")}</p>
        </div>
        <div className="stat">
          <p className="stat__label">HST collected</p>
          <p className="stat__value">{formatMoney(tax, "CAD")}</p>
        </div>
      </div>
      <div className="table-scroll">
        <table className="data-table">
          <caption className="visually-hidden">Seats by ticket type</caption>
          <thead>
            <tr>
              <th scope="col">Ticket type</th>
              <th scope="col" className="num">Sold</th>
              <th scope="col" className="num">Held</th>
              <th scope="col" className="num">Available</th>
              <th scope="col" className="num">Capacity</th>
            </tr>
          </thead>
          <tbody>
            {types.map((t) => (
              <tr key={t.name}>
                <td>{t.name}</td>
                <td className="num">{t.sold}</td>
                <td className="num">{t.held}</td>
                <td className="num">{t.capacity - t.sold - t.held}</td>
                <td className="num">{t.capacity}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
