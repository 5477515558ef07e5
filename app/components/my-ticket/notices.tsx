/** What the last change did, shown in the section it changed. */
export function SavedNotice({ message }: { message: string | null }) {
  return message ? (
    <div className="alert alert--ok" role="status">
      <p>{message}</p>
    </div>
  ) : null;
}

/** Why the last change in a section was refused. */
export function ErrorNotice({ error }: { error: string | null }) {
  return error ? (
    <div className="alert alert--error" role="alert">
      <p>{error}</p>
    </div>
  ) : null;
}
