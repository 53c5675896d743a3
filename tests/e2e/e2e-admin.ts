/**
 * The first admin of every server tests/e2e/server.ts starts (each has a fresh database), kept
 * apart from the server module so the screenshot script can read it without loading the server.
 */
export const E2E_ADMIN = { username: 'admin', password: 'e2e-admin-password' } as const;
