import { useEffect, useRef, useState } from 'preact/hooks';
import { fetchNeighbourhoods, type NeighbourhoodFeature } from '../api';

const DEBOUNCE_MS = 200;
const MAX_RESULTS = 8;

export type SearchStatus = 'idle' | 'searching' | 'done' | 'error';

interface Found {
  text: string;
  features: NeighbourhoodFeature[];
}

/**
 * Name search against the server (`q=`), which matches Persian and English names and treats the
 * Arabic and Persian letter forms and the ZWNJ as equal. Debounced; a newer query cancels an older
 * one, and results are kept with the text they answer, so a late answer never shows for new text.
 */
export function useSearch(query: string) {
  const [found, setFound] = useState<Found | null>(null);
  const [status, setStatus] = useState<SearchStatus>('idle');
  const pending = useRef<{ text: string; promise: Promise<NeighbourhoodFeature[]> } | null>(null);

  const run = (text: string, signal: AbortSignal): Promise<NeighbourhoodFeature[]> => {
    setStatus('searching');
    const promise = fetchNeighbourhoods({ q: text }, signal).then(
      (collection) => {
        const features = collection.features.slice(0, MAX_RESULTS);
        if (!signal.aborted) {
          setFound({ text, features });
          setStatus('done');
        }
        return features;
      },
      (error: unknown) => {
        if (!signal.aborted) {
          console.error(error);
          setFound({ text, features: [] });
          setStatus('error');
        }
        return [];
      },
    );
    pending.current = { text, promise };
    return promise;
  };

  useEffect(() => {
    const text = query.trim();
    if (!text) {
      setStatus('idle');
      return;
    }
    const controller = new AbortController();
    const timer = window.setTimeout(() => void run(text, controller.signal), DEBOUNCE_MS);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [query]);

  const text = query.trim();
  const results = found && found.text === text ? found.features : [];

  /** The results for the current text, searching at once if the debounce has not fired yet. */
  const resolve = (): Promise<NeighbourhoodFeature[]> => {
    if (!text) return Promise.resolve([]);
    if (found?.text === text) return Promise.resolve(found.features);
    if (pending.current?.text === text) return pending.current.promise;
    return run(text, new AbortController().signal);
  };

  return { results, status: text ? status : 'idle', resolve };
}
