import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { backends } from './backends.js';
import { ADMIN_PASSWORD, send, signIn, type Client } from './clients.js';
import { runCli } from './processes.js';

/**
 * `npm run user` while the server runs, as the README shows it: on the embedded database
 * the command goes through the server's admin socket (a second opener would corrupt the
 * folder), on a PostGIS server it connects itself. Every change takes effect at once.
 */
describe.each(backends)('npm run user on $name', (backend) => {
  it('adds, changes, disables and enables a user while the server runs, at once and in the audit log', async () => {
    const copy = await backend.copy();
    const user = (...args: string[]) => runCli('server/users/cli.ts', args, copy.env);
    // Kept by afterClose for the embedded check below; removed at the end.
    const app = await copy.start({ afterClose: async () => {} });
    let admin: Client;
    try {
      admin = await signIn(app, 'admin', ADMIN_PASSWORD);
      const added = await user('add', 'leila', 'commander', '--password', 'first-password-1');
      expect(added, added.stderr).toMatchObject({ code: 0, stdout: expect.stringContaining('created leila (commander)') });
      const leila = await signIn(app, 'leila', 'first-password-1');
      expect((await leila.get('/api/auth/me')).body).toMatchObject({ username: 'leila', role: 'commander' });
      expect(await user('add', 'leila', 'planner')).toMatchObject({ code: 1, stderr: expect.stringContaining('taken') });
      expect((await user('add', 'omid', 'king')).code).not.toBe(0);

      const changed = await user('passwd', 'leila');
      const printed = /^new password for leila: (\S+)$/m.exec(changed.stdout);
      expect(printed, changed.stdout + changed.stderr).not.toBeNull();
      expect((await leila.get('/api/auth/me')).status).toBe(401);
      const refused = await send(app, { method: 'POST', url: '/api/auth/login', payload: { username: 'leila', password: 'first-password-1' } });
      expect(refused.status).toBe(401);
      const newPassword = printed![1]!;

      const again = await signIn(app, 'leila', newPassword);
      const token = (await again.post('/api/tokens', { name: 'qgis' })).body.token as string;
      const withToken = () => send(app, { method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });
      expect((await withToken()).status).toBe(200);

      expect(await user('disable', 'leila')).toMatchObject({ code: 0, stdout: expect.stringContaining('leila disabled') });
      // The very next request of her session and of her token is refused.
      expect((await again.get('/api/auth/me')).status).toBe(401);
      expect((await withToken()).status).toBe(401);
      const disabledLogin = await send(app, { method: 'POST', url: '/api/auth/login', payload: { username: 'leila', password: newPassword } });
      expect(disabledLogin.status).toBe(401);

      expect((await user('enable', 'leila')).stdout).toContain('leila enabled');
      expect((await (await signIn(app, 'leila', newPassword)).get('/api/auth/me')).status).toBe(200);
      expect((await user('list')).stdout).toMatch(/\tleila\tcommander\tactive$/m);

      const audit = await admin.get('/api/audit?entity=users&user=command%20line');
      const entries = audit.body.items as { action: string; after: { command: string } }[];
      expect(entries.map((e) => e.action)).toEqual(['update', 'update', 'update', 'create']);
      expect(entries.map((e) => e.after.command)).toEqual([
        'npm run user -- enable leila',
        'npm run user -- disable leila',
        'npm run user -- passwd leila',
        'npm run user -- add leila commander --password …',
      ]);
      expect(JSON.stringify(audit.body)).not.toContain('first-password-1');
    } finally {
      await app.close();
    }

    if (backend.name === 'embedded') {
      // No server now: the command opens the folder itself, and leaves it free again.
      expect((await user('list')).stdout).toMatch(/\tleila\tcommander\tactive$/m);
      const after = await copy.start();
      await after.close();
    } else {
      await (await copy.start()).close();
    }
  }, 900_000);
});
