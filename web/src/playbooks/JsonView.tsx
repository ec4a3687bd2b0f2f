/** A value as pretty-printed JSON in a collapsible section (open by default when small). */
export function JsonView({ label, value, open }: { label: string; value: unknown; open?: boolean }) {
  const text = value === undefined ? 'undefined' : JSON.stringify(value, null, 2);
  const lines = text.split('\n').length;
  return (
    <details className="json-view" open={open ?? lines <= 30}>
      <summary>
        {label}{' '}
        <span className="muted">
          ({lines} {lines === 1 ? 'line' : 'lines'})
        </span>
      </summary>
      <pre>{text}</pre>
    </details>
  );
}
