import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import type { Lang } from '../i18n';
import type { Role } from '../../shared/auth-schemas';
import { adminStrings } from './admin-strings';
import { createUser, fetchAudit, fetchUsers, updateUser, type AuditFilter, type AuditList, type User } from './admin-api';
import { describeChange } from './audit-diff';
import { DateInput } from '../panels/date-input';
import { useEscapeToClose } from '../panels/use-escape';
import './admin.css';

const ROLES: Role[] = ['admin', 'planner', 'commander', 'gis'];
const ENTITIES = ['users', 'tokens', 'session', 'problems', 'interventions', 'networks', 'agencies', 'stages', 'coverage', 'boundaries'];

interface Props {
  lang: Lang;
  onClose(): void;
}

/** Users and the audit log, for admins only (the server refuses everyone else anyway). */
export function AdminPanel({ lang, onClose }: Props) {
  const t = adminStrings[lang];
  const [tab, setTab] = useState<'users' | 'audit'>('users');
  useEscapeToClose(true, onClose);

  return (
    <div class="admin-backdrop" onClick={(event) => event.target === event.currentTarget && onClose()}>
      <section class="admin" role="dialog" aria-modal="true" aria-labelledby="admin-title">
        <header class="admin__header">
          <h2 id="admin-title">{t.title}</h2>
          <button type="button" class="admin__close" aria-label={t.close} title={t.close} onClick={onClose}>×</button>
        </header>
        <div class="admin__tabs" role="tablist">
          <button type="button" role="tab" aria-selected={tab === 'users'} onClick={() => setTab('users')}>{t.usersTab}</button>
          <button type="button" role="tab" aria-selected={tab === 'audit'} onClick={() => setTab('audit')}>{t.auditTab}</button>
        </div>
        {tab === 'users' ? <UsersTab lang={lang} /> : <AuditTab lang={lang} />}
      </section>
    </div>
  );
}

function UsersTab({ lang }: { lang: Lang }) {
  const t = adminStrings[lang];
  const [users, setUsers] = useState<User[] | null>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const reload = () => fetchUsers().then((list) => setUsers(list.items), (error: Error) => setMessage({ kind: 'error', text: error.message }));
  useEffect(() => void reload(), []);

  const run = async (action: () => Promise<unknown>) => {
    try {
      await action();
      setMessage({ kind: 'ok', text: t.saved });
      await reload();
    } catch (error) {
      setMessage({ kind: 'error', text: error instanceof ApiError || error instanceof Error ? error.message : String(error) });
    }
  };

  const onAdd = (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    void run(async () => {
      await createUser({ username: String(data.get('username')), password: String(data.get('password')), role: String(data.get('role')) as Role });
      form.reset();
    });
  };

  return (
    <div class="admin__body">
      {message && <p class={`admin__message admin__message--${message.kind}`} role={message.kind === 'error' ? 'alert' : 'status'}>{message.text}</p>}
      {!users ? (
        <p>{t.loading}</p>
      ) : (
        <table class="admin-table">
          <thead>
            <tr><th>{t.username}</th><th>{t.role}</th><th>{t.state}</th><th>{t.setPassword}</th></tr>
          </thead>
          <tbody>
            {users.map((user) => (
              <tr key={user.id} class={user.disabled ? 'is-disabled' : ''}>
                <td dir="ltr" class="admin-table__name">{user.username}</td>
                <td>
                  <select aria-label={`${t.role} ${user.username}`} value={user.role} onChange={(e) => run(() => updateUser(user.id, { role: (e.currentTarget as HTMLSelectElement).value as Role }))}>
                    {ROLES.map((role) => <option key={role} value={role}>{t.roles[role]}</option>)}
                  </select>
                </td>
                <td>
                  <span class="admin-state">{user.disabled ? t.disabled : t.active}</span>
                  <button type="button" class="admin-link" onClick={() => run(() => updateUser(user.id, { disabled: !user.disabled }))}>
                    {user.disabled ? t.enable : t.disable}
                  </button>
                </td>
                <td>
                  <form class="admin-inline" onSubmit={(event) => {
                    event.preventDefault();
                    const input = (event.currentTarget as HTMLFormElement).elements.namedItem('password') as HTMLInputElement;
                    void run(async () => { await updateUser(user.id, { password: input.value }); input.value = ''; });
                  }}>
                    <input name="password" type="password" autocomplete="new-password" minLength={10} required placeholder={t.passwordHint} aria-label={`${t.newPassword} ${user.username}`} />
                    <button type="submit" class="admin-link">{t.setPassword}</button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form class="admin-add" onSubmit={onAdd}>
        <h3>{t.addUser}</h3>
        <label>{t.username}<input name="username" dir="ltr" required pattern="[A-Za-z0-9_.@\-]+" autocomplete="off" /></label>
        <label>{t.password}<input name="password" type="password" required minLength={10} autocomplete="new-password" placeholder={t.passwordHint} /></label>
        <label>{t.role}
          {/* Planner first chosen: the least surprising role for a new account; admin is a deliberate choice. */}
          <select name="role">{ROLES.map((role) => <option key={role} value={role} selected={role === 'planner'}>{t.roles[role]}</option>)}</select>
        </label>
        <button type="submit" class="admin-button">{t.add}</button>
      </form>
    </div>
  );
}

function AuditTab({ lang }: { lang: Lang }) {
  const t = adminStrings[lang];
  const [filter, setFilter] = useState<AuditFilter>({});
  // The dates are typed in the interface's calendar; the field reports ISO days.
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [log, setLog] = useState<AuditList | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    setLog(null);
    fetchAudit(filter, controller.signal).then(setLog, (e: Error) => !controller.signal.aborted && setError(e.message));
    return () => controller.abort();
  }, [filter]);

  const onFilter = (event: Event) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const value = (key: string) => String(data.get(key) ?? '') || undefined;
    setError(null);
    setFilter({ entity: value('entity'), user: value('user'), from: from || undefined, to: to || undefined });
  };

  const when = new Intl.DateTimeFormat(lang === 'fa' ? 'fa-IR-u-ca-persian' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <div class="admin__body">
      <form class="admin-filter" onSubmit={onFilter}>
        <label>{t.entity}
          <select name="entity"><option value="">{t.anyEntity}</option>{ENTITIES.map((e) => <option key={e} value={e}>{e}</option>)}</select>
        </label>
        <label>{t.who}<input name="user" dir="ltr" /></label>
        <div class="admin-filter__date"><label for="audit-from">{t.from}</label><DateInput id="audit-from" name="from" value={from} lang={lang} onChange={setFrom} /></div>
        <div class="admin-filter__date"><label for="audit-to">{t.to}</label><DateInput id="audit-to" name="to" value={to} lang={lang} onChange={setTo} /></div>
        <button type="submit" class="admin-button">{t.filter}</button>
      </form>
      {error && <p class="admin__message admin__message--error" role="alert">{error}</p>}
      {!log && !error && <p>{t.loading}</p>}
      {log && log.items.length === 0 && <p>{t.noEntries}</p>}
      {log && log.items.length > 0 && (
        <table class="admin-table admin-table--audit">
          <thead>
            <tr><th>{t.when}</th><th>{t.who}</th><th>{t.action}</th><th>{t.entity}</th><th>{t.entityId}</th><th>{t.address}</th><th>{t.change}</th></tr>
          </thead>
          <tbody>
            {log.items.map((entry) => (
              <tr key={entry.id}>
                <td>{when.format(new Date(entry.at))}</td>
                <td dir="ltr">{entry.user ?? '—'}</td>
                <td>{entry.action}</td>
                <td>{entry.entity}</td>
                <td dir="ltr">{entry.entity_id ?? '—'}</td>
                <td dir="ltr">{entry.address ?? '—'}</td>
                <td dir="ltr" class="admin-table__change">{describeChange(entry.before, entry.after)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
