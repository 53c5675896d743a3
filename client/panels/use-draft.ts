import { useRef, useState } from 'preact/hooks';

// Half-filled forms survive a reload (or a browser that closed): each form keeps its fields in
// localStorage under its own key (the form and the record it edits) until it is saved or
// cancelled. Only fields the form knows, with the type it expects, come back from storage.

const PREFIX = 'mahallenama.draft.';

type Fields = Record<string, string | number | boolean | null | readonly unknown[] | Record<string, unknown>>;

function read(key: string): Record<string, unknown> | null {
  try {
    const text = window.localStorage.getItem(PREFIX + key);
    const parsed: unknown = text ? JSON.parse(text) : null;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch (error) {
    // A draft that cannot be read is worth less than the form: start afresh, but say so.
    console.warn(`draft ${key} could not be read`, error);
    return null;
  }
}

/** Stored fields that still fit the form: same names, same kind of value (null for a nullable one). */
function restore<T extends Fields>(initial: T, stored: Record<string, unknown>): T {
  const out: Fields = { ...initial };
  for (const [name, value] of Object.entries(stored)) {
    if (!(name in initial)) continue;
    const expected = initial[name];
    const fits = value === null || expected === null
      ? value === null || typeof value === 'number' || typeof value === 'string'
      : Array.isArray(expected) ? Array.isArray(value) : typeof value === typeof expected;
    if (fits) out[name] = value as Fields[string];
  }
  return out as T;
}

export function hasDraft(key: string): boolean {
  return read(key) !== null;
}

export interface Draft<T extends Fields> {
  values: T;
  /** Changes some fields and stores the draft. */
  set(change: Partial<T>): void;
  /** Forgets the draft (saved or cancelled) and goes back to the initial values. */
  clear(): void;
}

/**
 * A form's fields with their draft. Until the person edits something (and again after `clear`)
 * the values are `initial` as given on each render, so a form over a record shows the record as
 * it is now (after a save, say), not as it was when the form opened.
 */
export function useDraft<T extends Fields>(key: string, initial: T): Draft<T> {
  const [edited, setEdited] = useState<T | null>(() => {
    const stored = read(key);
    return stored ? restore(initial, stored) : null;
  });
  const latest = useRef(initial);
  latest.current = initial;
  return {
    values: edited ?? initial,
    set(change) {
      setEdited((current) => {
        const next = { ...(current ?? latest.current), ...change };
        try {
          window.localStorage.setItem(PREFIX + key, JSON.stringify(next));
        } catch (error) {
          // Storage full or refused (private mode): the form still works, without a draft.
          console.warn(`draft ${key} could not be stored`, error);
        }
        return next;
      });
    },
    clear() {
      window.localStorage.removeItem(PREFIX + key);
      setEdited(null);
    },
  };
}
