/** What the last change did, shown in the section it changed. */
export function SavedNotice({ message }: { message: string | null }) {
  return message ? (
    <div className="alert alert--ok" role="status">
      <p>{message}</p>
    </div>
  ) : null;
}
