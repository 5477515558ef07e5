import { Link } from "@remix-run/react";
import type { SessionKind } from "~/generated/prisma/enums";
import { isIntermission, sessionKindLabel } from "~/domain/labels";
import { formatTimeRange } from "~/domain/time";

export function KindBadge({ kind }: { kind: SessionKind }) {
  return <span className={`badge badge--${kind.toLowerCase()}`}>{sessionKindLabel[kind]}</span>;
}

export type SlotSession = {
  slug: string;
  title: string;
  kind: SessionKind;
  startsAt: Date | string;
  endsAt: Date | string;
  track: { slug: string; name: string; color: string } | null;
  room: { name: string } | null;
  speakers: { role: string; speaker: { name: string; slug: string } }[];
};

/** One session as it appears in lists: time, kind, track, room, title (linked) and speakers. */
export function SessionSlot({
  session,
  timeZone,
  headingLevel = 3,
  className = "",
  style,
  dayLabel,
  role,
  linked = true,
}: {
  session: SlotSession;
  timeZone: string;
  headingLevel?: 2 | 3;
  className?: string;
  style?: React.CSSProperties;
  /** Shown before the time where sessions of several days are listed together. */
  dayLabel?: string;
  /** The role of the person whose page lists this session, e.g. "Moderator". */
  role?: string;
  /** False where the session has no page of its own (a past edition's archive). */
  linked?: boolean;
}) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const intermission = isIntermission(session.kind);
  const names = session.speakers.map((s) => s.speaker.name);
  return (
    <li
      className={`slot${intermission ? " slot--break" : ""}${session.kind === "KEYNOTE" ? " slot--keynote" : ""} ${className}`.trim()}
      style={{ ...(session.track ? { "--track": session.track.color } : {}), ...style } as React.CSSProperties}
    >
      <div className="slot__meta">
        <span className="slot__time">
          {dayLabel ? `${dayLabel}, ` : ""}
          {formatTimeRange(session.startsAt, session.endsAt, timeZone)}
        </span>
        {intermission ? null : <KindBadge kind={session.kind} />}
        {session.track ? (
          <span className="badge">
            <span className="track-dot" style={{ "--track": session.track.color } as React.CSSProperties} />
            {session.track.name}
          </span>
        ) : null}
        {session.room ? <span className="slot__room">{session.room.name}</span> : null}
        {role ? <span className="badge badge--keynote">{role}</span> : null}
      </div>
      <Heading>
        {linked ? (
          <Link to={`/sessions/${session.slug}`} prefetch="intent">
            {session.title}
          </Link>
        ) : (
          session.title
        )}
      </Heading>
      {names.length > 0 ? <p className="slot__speakers">{names.join(", ")}</p> : null}
    </li>
  );
}
