/** The form-level errors (not tied to one field), or one such message, announced to screen readers. */
export function FormErrors({ errors, id }: { errors?: string[] | string | null; id?: string }) {
  const messages = [errors ?? []].flat().filter((message) => message !== "");
  if (!messages.length) return null;
  return (
    <div className="alert alert--error" role="alert" id={id}>
      {messages.map((e) => (
        <p key={e}>{e}</p>
      ))}
    </div>
  );
}
