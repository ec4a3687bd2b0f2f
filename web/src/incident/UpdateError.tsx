import { useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/client.js';
import { incidentKeys } from '../api/incidents.js';
import { ErrorNotice } from '../ui/feedback.js';

/**
 * A failed incident change, where it happened. A 412 (someone else changed the incident since this
 * page read it) says so and offers to reload the incident; other errors show the API's words.
 */
export function UpdateError({
  error,
  workspace,
  number,
  onDismiss,
}: {
  error: unknown;
  workspace: string;
  number: number;
  onDismiss: () => void;
}) {
  const client = useQueryClient();
  if (!error) return null;
  if (error instanceof ApiError && error.status === 412) {
    const reload = async () => {
      await client.invalidateQueries({ queryKey: incidentKeys.one(workspace, number) });
      onDismiss();
    };
    return (
      <div className="notice error row" role="alert">
        <span>This incident was changed by someone else — reload to see their change</span>
        <span className="spacer" />
        <button type="button" className="small" onClick={() => void reload()}>
          Reload
        </button>
      </div>
    );
  }
  return <ErrorNotice error={error} what="incident" />;
}
