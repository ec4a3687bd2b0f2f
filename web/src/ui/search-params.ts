import { useSearchParams } from 'react-router-dom';

/**
 * The address's query parameters and a setter of one of them (an empty value removes it); changes
 * replace the history entry, so filters are shareable without piling up Back steps.
 */
export function useSearchParam(): [URLSearchParams, (name: string, value: string) => void, () => void] {
  const [params, setParams] = useSearchParams();
  const set = (name: string, value: string) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );
  const clear = () => setParams(new URLSearchParams(), { replace: true });
  return [params, set, clear];
}
