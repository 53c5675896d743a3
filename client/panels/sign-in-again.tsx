import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { strings, type Lang } from '../i18n';

interface Props {
  lang: Lang;
  username: string;
  onSignIn(password: string): Promise<void>;
  /** Gives up: the waiting writes fail, the drafts stay, and the sign-in page takes over. */
  onSignOut(): void;
}

/**
 * The session ended while the person was working: their password, asked for over the map, with
 * every panel and form left as it was underneath. A modal dialog, so nothing else is clicked
 * (or Esc-closed) in the meantime.
 */
export function SignInAgain({ lang, username, onSignIn, onSignOut }: Props) {
  const t = strings[lang];
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSignIn(password);
    } catch (e) {
      const status = e instanceof ApiError ? e.status : 0;
      setError(status === 401 ? t.wrongCredentials : status === 429 ? t.tooManyAttempts : t.signInFailed);
      setBusy(false);
    }
  };

  return (
    <div class="sign-in-again" role="dialog" aria-modal="true" aria-labelledby="sign-in-again-title" onKeyDown={(e) => e.key === 'Escape' && e.stopPropagation()}>
      <form class="sign-in__card" name="sign-in-again" onSubmit={submit}>
        <h2 class="sign-in__title" id="sign-in-again-title">{t.sessionEndedTitle}</h2>
        <p class="sign-in__intro">{t.sessionEndedIntro}</p>
        <label class="field">
          <span>{t.username}</span>
          <input name="username" dir="ltr" autocomplete="username" readOnly value={username} />
        </label>
        <label class="field">
          <span>{t.password}</span>
          <input
            ref={input}
            name="password"
            type="password"
            dir="ltr"
            autocomplete="current-password"
            required
            value={password}
            onInput={(event) => setPassword(event.currentTarget.value)}
          />
        </label>
        {error && <p class="sign-in__error" role="alert">{error}</p>}
        <button type="submit" class="button-primary" disabled={busy}>{busy ? t.signingIn : t.signIn}</button>
        <button type="button" class="sign-out sign-in-again__leave" onClick={onSignOut}>{t.signOut}</button>
      </form>
    </div>
  );
}
