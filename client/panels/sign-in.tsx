import { useState } from 'preact/hooks';
import { ApiError } from '../api';
import { strings, type Lang } from '../i18n';

interface Props {
  lang: Lang;
  onToggleLang(): void;
  onSignIn(username: string, password: string): Promise<void>;
  /** The user is typing (or submitting an autofilled form): time to fetch the map's code. */
  onTyping?(): void;
}

export function SignIn({ lang, onToggleLang, onSignIn, onTyping }: Props) {
  const t = strings[lang];
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    onTyping?.();
    setBusy(true);
    setError(null);
    try {
      await onSignIn(username.trim(), password);
    } catch (e) {
      const status = e instanceof ApiError ? e.status : 0;
      setError(status === 401 ? t.wrongCredentials : status === 429 ? t.tooManyAttempts : t.signInFailed);
      setBusy(false);
    }
  };

  return (
    <main class="sign-in">
      <form class="sign-in__card" onSubmit={submit} onInput={onTyping} aria-labelledby="sign-in-title">
        <div class="sign-in__top">
          <svg class="brand__mark" viewBox="0 0 32 32" aria-hidden="true">
            <path d="M16 2 28.1 9v14L16 30 3.9 23V9z" />
            <circle cx="16" cy="16" r="5.2" />
          </svg>
          <button type="button" class="lang-switch" lang={lang === 'fa' ? 'en' : 'fa'} onClick={onToggleLang}>
            {t.switchTo}
          </button>
        </div>
        <h1 class="sign-in__title" id="sign-in-title">
          {t.signInTitle}
        </h1>
        <p class="sign-in__intro">{t.signInIntro}</p>
        <label class="field">
          <span>{t.username}</span>
          <input
            name="username"
            dir="ltr"
            autocomplete="username"
            required
            value={username}
            onInput={(event) => setUsername(event.currentTarget.value)}
          />
        </label>
        <label class="field">
          <span>{t.password}</span>
          <input
            name="password"
            type="password"
            dir="ltr"
            autocomplete="current-password"
            required
            value={password}
            onInput={(event) => setPassword(event.currentTarget.value)}
          />
        </label>
        {error && (
          <p class="sign-in__error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="button-primary" disabled={busy}>
          {busy ? t.signingIn : t.signIn}
        </button>
      </form>
    </main>
  );
}
