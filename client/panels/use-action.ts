import { useState } from 'preact/hooks';
import { ApiError } from '../api';

/**
 * One step of a small panel form (send a file, commit it, create a composite): busy while it
 * runs, then a line saying how it went — the server's refusal, or what the step reports.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setMessage(null);
    try {
      await action();
    } catch (error) {
      setMessage({ text: error instanceof ApiError ? error.message : String(error), error: true });
    } finally {
      setBusy(false);
    }
  };

  return { busy, message, setMessage, run };
}
