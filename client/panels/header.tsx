import type { ComponentChildren } from 'preact';
import { formatToday, strings, type Lang } from '../i18n';
import type { Role } from '../../shared/auth-schemas';
import { adminStrings } from '../admin/admin-strings';
import { tokensStrings } from '../admin/tokens-strings';

interface Props {
  lang: Lang;
  today: Date;
  username: string;
  role: Role;
  /** Shown to admins: opens users and the audit log. */
  onOpenAdmin?: () => void;
  /** Opens the user's own API tokens. */
  onOpenTokens?: () => void;
  onToggleLang(): void;
  onSignOut(): void;
  children?: ComponentChildren;
}

export function Header({ lang, today, username, role, onOpenAdmin, onOpenTokens, onToggleLang, onSignOut, children }: Props) {
  const t = strings[lang];
  const other: Lang = lang === 'fa' ? 'en' : 'fa';
  return (
    <header class="app-header">
      <div class="brand">
        <svg class="brand__mark" viewBox="0 0 32 32" aria-hidden="true">
          <path d="M16 2 28.1 9v14L16 30 3.9 23V9z" />
          <circle cx="16" cy="16" r="5.2" />
        </svg>
        <div class="brand__text">
          <h1 class="brand__name">{t.appName}</h1>
          <p class="brand__tagline">{t.appTagline}</p>
        </div>
      </div>
      {children}
      <div class="header__end">
        <time class="header__date" dateTime={today.toISOString().slice(0, 10)} title={t.today}>
          {formatToday(today, lang)}
        </time>
        <span class="header__user" title={t.signedInAs(username)}>
          <bdi dir="ltr">{username}</bdi>
          <span class="header__role">{adminStrings[lang].roles[role]}</span>
        </span>
        {onOpenTokens && (
          <button type="button" class="tokens-open" onClick={onOpenTokens}>
            {tokensStrings[lang].open}
          </button>
        )}
        {onOpenAdmin && (
          <button type="button" class="admin-open" onClick={onOpenAdmin}>
            {adminStrings[lang].open}
          </button>
        )}
        <button
          type="button"
          class="lang-switch"
          lang={other}
          aria-label={t.switchToLabel}
          onClick={onToggleLang}
        >
          {t.switchTo}
        </button>
        <button type="button" class="sign-out" title={t.signedInAs(username)} onClick={onSignOut}>
          <svg viewBox="0 0 24 24" aria-hidden="true">
            <path d="M14 4h4a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2h-4M10 16l-4-4 4-4M6 12h10" />
          </svg>
          <span>{t.signOut}</span>
        </button>
      </div>
    </header>
  );
}
