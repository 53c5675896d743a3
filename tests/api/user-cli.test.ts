import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { backends } from './backends.js';
import { ADMIN_PASSWORD, send, signIn } from './clients.js';

const run = promisify(execFile);

describe.each(backends)('npm run user on $name', (backend) => {
  it('adds a user, changes the password and disables the user from the shell', async () => {
    const copy = await backend.copy();
    const user = (...args: string[]) =>
      run('npx', ['tsx', 'server/users/cli.ts', ...args], { env: { ...process.env, ...copy.env }, encoding: 'utf8' });

    const added = await user('add', 'leila', 'commander', '--password', 'first-password-1');
    expect(added.stdout).toContain('created leila (commander)');
    const changed = await user('passwd', 'leila');
    const printed = /^new password for leila: (\S+)$/m.exec(changed.stdout);
    expect(printed, changed.stdout).not.toBeNull();
    const newPassword = printed![1]!;
    await expect(user('add', 'leila', 'planner')).rejects.toMatchObject({ stderr: expect.stringContaining('taken') });
    await expect(user('add', 'omid', 'king')).rejects.toMatchObject({ code: 1 });

    // The embedded database is one process at a time, so the CLI and the server take turns.
    let app = await copy.start({ afterClose: async () => {} });
    try {
      const refused = await send(app, { method: 'POST', url: '/api/auth/login', payload: { username: 'leila', password: 'first-password-1' } });
      expect(refused.status).toBe(401);
      const leila = await signIn(app, 'leila', newPassword);
      expect((await leila.get('/api/auth/me')).body).toMatchObject({ username: 'leila', role: 'commander' });
    } finally {
      await app.close();
    }

    expect((await user('disable', 'leila')).stdout).toContain('leila disabled');
    app = await copy.start();
    try {
      const after = await send(app, { method: 'POST', url: '/api/auth/login', payload: { username: 'leila', password: newPassword } });
      expect(after.status).toBe(401);
      const audit = await (await signIn(app, 'admin', ADMIN_PASSWORD)).get('/api/audit?entity=users&user=command%20line');
      expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(['update', 'update', 'create']);
    } finally {
      await app.close();
    }
  });
});
