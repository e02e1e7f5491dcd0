// The problems of an item list, one line each, announced with the form.
export function ItemErrors({ messages }: { messages: readonly string[] }) {
  if (messages.length === 0) return null;
  return (
    <ul className="form-error item-errors" role="alert" data-testid="list-item-errors">
      {messages.map((m, i) => <li key={i}>{m}</li>)}
    </ul>
  );
}
