import { useState } from 'react';

/** A secret the API returns once (token, one-time password, signing secret), with a copy button and a warning. */
export function OneTimeSecret({ label, value, warning }: { label: string; value: string; warning: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <div className="stack" style={{ gap: 8 }}>
      <div className="notice warn" role="note">
        <strong>Copy it now.</strong> {warning}
      </div>
      <div className="secret-box">
        <code aria-label={label}>{value}</code>
        <button type="button" onClick={() => void copy()}>
          Copy
        </button>
      </div>
      <span role="status" className="muted">
        {copied === 'yes'
          ? 'Copied to the clipboard.'
          : copied === 'failed'
            ? 'The browser refused; select the text and copy it.'
            : ''}
      </span>
    </div>
  );
}
