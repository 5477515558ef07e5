// The search bar and page links shared by the orders and attendees lists.
import { Form, Link } from "@remix-run/react";

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

export function Pager({ filter, pages }: { filter: Filter; pages: number }) {
  const href = (page: number) => {
    const params = new URLSearchParams();
    for (const key of ["q", "status", "type"] as const) if (filter[key]) params.set(key, filter[key]!);
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
