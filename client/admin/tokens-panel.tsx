import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Lang } from '../i18n';
import { ConfirmQuestion } from '../panels/confirm-question';
import { tokensStrings } from './tokens-strings';
import { createToken, fetchTokens, revokeToken, type NewToken, type TokenList } from './tokens-api';
import './admin.css';

interface Props {
  lang: Lang;
  onClose(): void;
}

/** The signed-in user's own API tokens: see when each was last used, revoke, make a new one. */
export function TokensPanel({ lang, onClose }: Props) {
  const t = tokensStrings[lang];
  const [tokens, setTokens] = useState<TokenList['items'] | null>(null);
  const [created, setCreated] = useState<NewToken | null>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  /** The token whose revoking awaits a yes, asked under its row. */
  const [asking, setAsking] = useState<number | null>(null);
  const reload = () => fetchTokens().then((list) => setTokens(list.items), (error: Error) => setMessage({ kind: 'error', text: error.message }));
  useEffect(() => void reload(), []);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const run = async (action: () => Promise<void>) => {
    try {
      await action();
      await reload();
    } catch (error) {
      setMessage({ kind: 'error', text: error instanceof Error ? error.message : String(error) });
    }
  };

  const onCreate = (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const name = String(new FormData(form).get('name') ?? '').trim();
    void run(async () => {
      setCreated(await createToken(name));
      setMessage(null);
      form.reset();
    });
  };

  const revoke = (id: number) => {
    setAsking(null);
    void run(async () => {
      await revokeToken(id);
      if (created?.id === id) setCreated(null);
      setMessage({ kind: 'ok', text: t.revoked });
    });
  };

  const when = new Intl.DateTimeFormat(lang === 'fa' ? 'fa-IR-u-ca-persian' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <div class="admin-backdrop" onClick={(event) => event.target === event.currentTarget && onClose()}>
      <section class="admin tokens" role="dialog" aria-modal="true" aria-labelledby="tokens-title">
        <header class="admin__header">
          <h2 id="tokens-title">{t.title}</h2>
          <button type="button" class="admin__close" aria-label={t.close} title={t.close} onClick={onClose}>×</button>
        </header>
        <p class="tokens__intro">{t.intro}</p>
        {message && <p class={`admin__message admin__message--${message.kind}`} role={message.kind === 'error' ? 'alert' : 'status'}>{message.text}</p>}
        {created && (
          <div class="tokens__new" role="status">
            <p>{t.shownOnce}</p>
            <code dir="ltr">{created.token}</code>
            <button type="button" class="admin-link" onClick={() => void navigator.clipboard?.writeText(created.token)}>{t.copy}</button>
          </div>
        )}
        {!tokens ? (
          <p>{t.loading}</p>
        ) : tokens.length === 0 ? (
          <p>{t.none}</p>
        ) : (
          <table class="admin-table">
            <thead>
              <tr><th>{t.name}</th><th>{t.created}</th><th>{t.lastUsed}</th><th /></tr>
            </thead>
            <tbody>
              {tokens.map((token) => (
                <Fragment key={token.id}>
                  <tr>
                    <td><bdi>{token.name}</bdi></td>
                    <td>{when.format(new Date(token.created_at))}</td>
                    <td>{token.last_used_at ? when.format(new Date(token.last_used_at)) : t.never}</td>
                    <td>
                      <button type="button" class="admin-link tokens__revoke" aria-expanded={asking === token.id}
                        onClick={() => setAsking(token.id)}>
                        {t.revoke}
                      </button>
                    </td>
                  </tr>
                  {asking === token.id && (
                    <tr class="tokens__asking">
                      <td colSpan={4}>
                        <ConfirmQuestion question={t.revokeConfirm(token.name)} yes={t.revokeYes} no={t.cancel} danger
                          yesName="confirm-revoke" noName="cancel-revoke" onAnswer={(yes) => (yes ? revoke(token.id) : setAsking(null))} />
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        )}
        <form class="admin-add" onSubmit={onCreate}>
          <h3>{t.add}</h3>
          <label>{t.name}<input name="name" required maxLength={100} placeholder={t.namePlaceholder} autocomplete="off" /></label>
          <button type="submit" class="admin-button">{t.create}</button>
        </form>
      </section>
    </div>
  );
}
