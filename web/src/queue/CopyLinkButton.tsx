import { useEffect, useState } from 'react';

/**
 * Copies the page's address (filters, sort and page are all in it) to the clipboard and says
 * "Link copied". Without clipboard access it shows the link in a selected text field to copy by hand.
 */
export function CopyLinkButton() {
  const [state, setState] = useState<'idle' | 'copied' | 'manual'>('idle');
  const [link, setLink] = useState('');
  useEffect(() => {
    if (state !== 'copied') return;
    const timer = setTimeout(() => setState('idle'), 3_000);
    return () => clearTimeout(timer);
  }, [state]);
  const copy = async () => {
    const href = window.location.href;
    setLink(href);
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(href);
      setState('copied');
    } catch {
      setState('manual');
    }
  };
  return (
    <div className="copy-link row">
      <button type="button" onClick={() => void copy()}>
        Copy list link
      </button>
      <span role="status" className="copy-status">
        {state === 'copied' ? 'Link copied' : ''}
      </span>
      {state === 'manual' && (
        <label className="row">
          <span className="muted">Copy this link:</span>
          <input
            readOnly
            aria-label="List link"
            value={link}
            size={40}
            ref={(input) => input?.select()}
            onBlur={() => setState('idle')}
          />
        </label>
      )}
    </div>
  );
}
