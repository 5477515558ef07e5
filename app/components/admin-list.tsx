// What the admin list pages share: their table, and the search bar and page links of the orders,
// attendees and emails lists.
import type { ReactNode } from "react";
import { Form, Link } from "@remix-run/react";

export type Column<Row> = {
  header: string;
  cell: (row: Row) => ReactNode;
  /** Right-aligned figures, header included. */
  numeric?: boolean;
  /** The cell names its row (`<th scope="row">`). */
  rowHeader?: boolean;
  /** Extra classes for the cells (not the header). */
  cellClassName?: string;
};

/**
 * An admin list: a table named by its (visually hidden) caption, in a scrolling region that the
 * keyboard can reach. `cards` lays each row out as a card on a phone, labelled by its headers.
 */
export function AdminTable<Row extends { id: string }>({
  caption,
  columns,
  rows,
  empty,
  cards = false,
}: {
  caption: string;
  columns: Column<Row>[];
  rows: Row[];
  /** Shown in place of the rows when there are none. */
  empty?: string;
  cards?: boolean;
}) {
  const table = (
    <table className={cards ? "data-table data-table--cards" : "data-table"}>
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column.header} scope="col" className={column.numeric ? "num" : undefined}>
              {column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 && empty ? (
          <tr>
            <td colSpan={columns.length}>{empty}</td>
          </tr>
        ) : null}
        {rows.map((row) => (
          <tr key={row.id}>
            {columns.map((column) => {
              const Cell = column.rowHeader ? "th" : "td";
              const className = [column.numeric ? "num" : "", column.cellClassName ?? ""].join(" ").trim() || undefined;
              return (
                <Cell key={column.header} scope={column.rowHeader ? "row" : undefined} className={className} data-label={cards ? column.header : undefined}>
                  {column.cell(row)}
                </Cell>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
  // Cards fit a phone's width; a wide table scrolls inside its own region instead of the page.
  if (cards) return table;
  return (
    <div className="table-scroll" role="region" aria-label={caption} tabIndex={0}>
      {table}
    </div>
  );
}

type Filter = { q?: string; status?: string; type?: string; page: number };

export function SearchToolbar({
  filter,
  statuses,
  types,
  searchHint,
}: {
  filter: Filter;
  statuses: readonly { value: string; label: string }[];
  types: { id: string; name: string }[];
  searchHint: string;
}) {
  return (
    <Form method="get" className="toolbar" role="search">
      <div className="field">
        <label htmlFor="q">Search</label>
        <input id="q" name="q" type="search" defaultValue={filter.q ?? ""} aria-describedby="q-hint" />
      </div>
      <div className="field">
        <label htmlFor="status">Status</label>
        <select id="status" name="status" defaultValue={filter.status ?? ""}>
          <option value="">All</option>
          {statuses.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="type">Ticket type</label>
        <select id="type" name="type" defaultValue={filter.type ?? ""}>
          <option value="">All</option>
          {types.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button button--small">
        Search
      </button>
      {/* Under the whole row, so that every field's label and box line up. */}
      <span className="hint toolbar__hint" id="q-hint">
        {searchHint}
      </span>
    </Form>
  );
}

/** Previous and next pages of a list, keeping its filter (every field of `filter` but the page). */
export function Pager({ filter, pages }: { filter: { page: number } & Record<string, string | number | null | undefined>; pages: number }) {
  const href = (page: number) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(filter)) if (key !== "page" && value) params.set(key, String(value));
    params.set("page", String(page));
    return `?${params}`;
  };
  return (
    <nav aria-label="Pages" className="button-row">
      {filter.page > 1 ? <Link to={href(filter.page - 1)}>← Previous</Link> : null}
      <span className="small muted">
        Page {filter.page} of {pages}
      </span>
      {filter.page < pages ? <Link to={href(filter.page + 1)}>Next →</Link> : null}
    </nav>
  );
}
