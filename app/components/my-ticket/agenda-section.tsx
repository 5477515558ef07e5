import { Form, Link, useNavigation } from "@remix-run/react";
import { FormErrors } from "~/components/form-errors";
import { SavedNotice } from "./notices";

export type AgendaDay = {
  day: string;
  label: string;
  short: string;
  sessions: { id: string; slug: string; title: string; kind: string; time: string; room: string | null; picked: boolean }[];
};

export function AgendaSection({
  agenda,
  zoneNote,
  token,
  locked,
  saved,
  error,
}: {
  agenda: AgendaDay[];
  zoneNote: string | null;
  token: string;
  /** Why picks can no longer be changed, or null while they can. */
  locked: string | null;
  saved: string | null;
  error: string | null;
}) {
  const picks = agenda.flatMap((d) => d.sessions.filter((s) => s.picked).map((s) => ({ ...s, day: d.short })));
  return (
    <section aria-labelledby="agenda-title" className="panel-section" id="agenda">
      <h2 id="agenda-title">Your agenda</h2>
      <SavedNotice message={saved} />
      {picks.length > 0 ? (
        <>
          <p>
            Sessions you plan to attend{zoneNote ? `, in ${zoneNote}` : ""}. Add each to your calendar, or all of them at
            once with <a href={`/my/${token}/agenda.ics`}>your agenda as a calendar file</a>.
          </p>
          <ul className="pick-list">
            {picks.map((s) => (
              <li key={s.id}>
                <span className="pick-list__when">
                  {s.day}, {s.time}
                </span>
                <Link to={`/sessions/${s.slug}`}>{s.title}</Link>
                <a className="small" href={`/sessions/${s.slug}.ics`}>
                  Add to calendar<span className="visually-hidden"> – {s.title}</span>
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p>Pick the sessions you plan to attend: they appear here, each with a link to add it to your calendar.</p>
      )}
      {locked ? <p className="alert alert--info">{locked}</p> : <AgendaPicker agenda={agenda} zoneNote={zoneNote} error={error} />}
    </section>
  );
}

function AgendaPicker({ agenda, zoneNote, error }: { agenda: AgendaDay[]; zoneNote: string | null; error: string | null }) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "agenda";
  const count = agenda.reduce((n, d) => n + d.sessions.length, 0);
  return (
    <details className="picker" open={error !== null}>
      <summary>Choose sessions ({count} on the agenda)</summary>
      <Form method="post">
        <input type="hidden" name="intent" value="agenda" />
        {zoneNote ? <p className="small muted">All times are {zoneNote}.</p> : null}
        <FormErrors errors={error} />
        {agenda.map((day) => (
          <fieldset key={day.day} className="picker__day">
            <legend>{day.label}</legend>
            <ul>
              {day.sessions.map((s) => (
                <li key={s.id} className="check">
                  <input type="checkbox" name="sessions" value={s.id} id={`pick-${s.id}`} defaultChecked={s.picked} />
                  <label htmlFor={`pick-${s.id}`}>
                    <span className="picker__time">{s.time}</span> {s.title}
                    <span className="small muted">
                      {" "}
                      · {s.kind}
                      {s.room ? ` · ${s.room}` : ""}
                    </span>
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>
        ))}
        <p className="form-actions">
          <button type="submit" className="button" disabled={busy}>
            Save my agenda
          </button>
        </p>
      </Form>
    </details>
  );
}
