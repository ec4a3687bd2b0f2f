import { useState } from 'react';
import { useExport, useRequestExport } from '../api/exports.js';
import { describeError } from '../ui/errors.js';

/** "Export PDF": asks for the incident's PDF, follows it while it is generated, then offers the download. */
export function ExportButton({ workspace, number }: { workspace: string; number: number }) {
  const request = useRequestExport(workspace, number);
  const [exportId, setExportId] = useState<string | null>(null);
  const current = useExport(workspace, number, exportId);
  const status = current.data?.status;
  const start = () =>
    request.mutate(undefined, {
      onSuccess: (created) => setExportId(created.id),
    });
  if (status === 'ready' && current.data?.fileUrl) {
    return (
      <span className="row">
        <a className="button" href={current.data.fileUrl} download={current.data.fileName}>
          Download PDF
        </a>
        <button type="button" className="link" onClick={() => setExportId(null)} aria-label="Dismiss the export">
          ✕
        </button>
      </span>
    );
  }
  const failure =
    request.error ?? current.error ?? (status === 'failed' ? new Error(current.data?.error ?? 'unknown error') : null);
  const busy = request.isPending || status === 'pending';
  return (
    <span className="row">
      <button type="button" onClick={start} disabled={busy} aria-busy={busy}>
        {busy ? (
          <>
            <span className="spinner" aria-hidden="true" /> Preparing PDF…
          </>
        ) : (
          'Export PDF'
        )}
      </button>
      {failure && !busy && (
        <span className="field-error" role="alert">
          The PDF could not be made: {describeError(failure, 'incident').title}
        </span>
      )}
    </span>
  );
}
