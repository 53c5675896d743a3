import { useEffect, useRef, useState } from 'preact/hooks';
import { fetchSearch } from '../api';
import type { SearchItem } from '../../shared/search-schemas';

const DEBOUNCE_MS = 200;

export type SearchStatus = 'idle' | 'searching' | 'done' | 'error';

interface Found {
  text: string;
  items: SearchItem[];
}

/**
 * Name search against the server (GET /api/search), which forgives the usual Persian and Latin
 * spellings (spaces and half-spaces, آ and ا, Arabic letters, one wrong letter) and answers
 * neighbourhoods, counties and agencies in one ranked list. Debounced; a newer query cancels an older
 * one, and results are kept with the text they answer, so a late answer never shows for new text.
 */
export function useSearch(query: string) {
  const [found, setFound] = useState<Found | null>(null);
  const [status, setStatus] = useState<SearchStatus>('idle');
  const pending = useRef<{ text: string; promise: Promise<SearchItem[]> } | null>(null);

  const run = (text: string, signal: AbortSignal): Promise<SearchItem[]> => {
    setStatus('searching');
    const promise = fetchSearch(text, signal).then(
      ({ items }) => {
        if (!signal.aborted) {
          setFound({ text, items });
          setStatus('done');
        }
        return items;
      },
      (error: unknown) => {
        if (!signal.aborted) {
          console.error(error);
          setFound({ text, items: [] });
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
  const results = found && found.text === text ? found.items : [];

  /** The results for the current text, searching at once if the debounce has not fired yet. */
  const resolve = (): Promise<SearchItem[]> => {
    if (!text) return Promise.resolve([]);
    if (found?.text === text) return Promise.resolve(found.items);
    if (pending.current?.text === text) return pending.current.promise;
    return run(text, new AbortController().signal);
  };

  return { results, status: text ? status : 'idle', resolve };
}
