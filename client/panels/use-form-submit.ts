import { useState } from 'preact/hooks';

// The steps every form of the method panel takes on Save: ask first when the input calls for it
// (a due date in the past), show that it is busy, send the write, show the refusal if there is
// one, otherwise forget the draft, reload the section and close. A session that ended on the way
// does not lose the form: the API client asks for the password in place and sends the write
// again (see client/api.ts), so the await below simply takes longer.

export interface FormSubmitOptions {
  write(): Promise<unknown>;
  /** A question to confirm before writing, or null when there is nothing to ask. */
  confirm?(): string | null;
  /** Forgets the form's draft once the write is accepted. */
  draft?: { clear(): void };
  /** Reloads what the write changed (the neighbourhood's section, the map). */
  reload?(): Promise<void>;
  /** Called after an accepted write or a cancel, e.g. to close the form. */
  onDone?(): void;
}

export interface FormSubmit {
  busy: boolean;
  /** The last refusal, to show; null when none. */
  error: unknown;
  /** The question awaiting an answer before the write, or null. */
  question: string | null;
  /** For a form's onSubmit (or a button's onClick when the fields sit inside another form). */
  submit(event?: Event): void;
  /** The answer to `question`: yes writes, no goes back to the form. */
  answer(yes: boolean): void;
  /** Closes the form without writing, forgetting its draft. */
  cancel(): void;
}

export function useFormSubmit(options: FormSubmitOptions): FormSubmit {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [question, setQuestion] = useState<string | null>(null);

  const run = async () => {
    setQuestion(null);
    setBusy(true);
    try {
      await options.write();
    } catch (refusal) {
      setError(refusal);
      setBusy(false);
      return;
    }
    setError(null);
    setBusy(false);
    options.draft?.clear();
    await options.reload?.().catch((reloadError: unknown) => console.error(reloadError));
    options.onDone?.();
  };

  return {
    busy,
    error,
    question,
    submit(event) {
      event?.preventDefault();
      if (busy) return;
      const ask = options.confirm?.() ?? null;
      if (ask) setQuestion(ask);
      else void run();
    },
    answer(yes) {
      if (yes) void run();
      else setQuestion(null);
    },
    cancel() {
      options.draft?.clear();
      options.onDone?.();
    },
  };
}
