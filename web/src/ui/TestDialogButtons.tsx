/** A test dialog's footer: Close, and a primary button that sends the test (`sendLabel`), then reads "Send again". */
export function TestDialogButtons({
  sendLabel,
  sent,
  pending,
  onSend,
  onClose,
}: {
  sendLabel: string;
  /** A test already ran (answered or failed). */
  sent: boolean;
  pending: boolean;
  onSend: () => void;
  onClose: () => void;
}) {
  return (
    <div className="row">
      <span className="spacer" />
      <button type="button" onClick={onClose}>
        Close
      </button>
      <button type="button" className="primary" disabled={pending} onClick={onSend}>
        {sent ? 'Send again' : sendLabel}
      </button>
    </div>
  );
}
