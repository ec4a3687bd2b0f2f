/** A table cell with an On/Off checkbox that enables or disables the row's item (named by `name`). */
export function EnabledCell({
  name,
  enabled,
  disabled,
  title,
  onToggle,
}: {
  name: string;
  enabled: boolean;
  disabled: boolean;
  /** Why the checkbox is disabled, if it is. */
  title?: string;
  onToggle: (enabled: boolean) => void;
}) {
  return (
    <td>
      <label className="row" title={title}>
        <input
          type="checkbox"
          checked={enabled}
          disabled={disabled}
          onChange={(e) => onToggle(e.target.checked)}
          aria-label={`${name} enabled`}
        />
        {enabled ? 'On' : 'Off'}
      </label>
    </td>
  );
}
