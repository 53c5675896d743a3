import { useEffect, useRef, useState } from 'preact/hooks';
import { fetchMe, login, logout, setUnauthorizedHandler, type ApiError, type Me } from './api';

export type Session = { status: 'checking' } | { status: 'signed-out' } | { status: 'signed-in'; me: Me };

interface Waiter {
  resolve(): void;
  reject(): void;
}

/**
 * Who is signed in. Every /api and /tiles address needs a session, so the map waits for one.
 * When the session ends under a signed-in person (it expired, they signed out in another tab),
 * the app does not leave the map: `reauth` asks for the password in place, and the requests that
 * were refused wait for it and are sent again (see client/api.ts), so no form loses its work.
 */
export function useSession() {
  const [session, setSession] = useState<Session>({ status: 'checking' });
  const [reauth, setReauth] = useState<{ username: string } | null>(null);
  const current = useRef(session);
  current.current = session;
  const waiters = useRef<Waiter[]>([]);

  const settle = (signedIn: boolean) => {
    const pending = waiters.current;
    waiters.current = [];
    setReauth(null);
    for (const waiter of pending) {
      if (signedIn) waiter.resolve();
      else waiter.reject();
    }
  };

  useEffect(() => {
    setUnauthorizedHandler((refusal: ApiError) => {
      const now = current.current;
      if (now.status !== 'signed-in') return Promise.reject(refusal);
      return new Promise<void>((resolve, reject) => {
        waiters.current.push({ resolve, reject: () => reject(refusal) });
        setReauth({ username: now.me.username });
      });
    });
    const controller = new AbortController();
    fetchMe(controller.signal).then(
      (me) => setSession({ status: 'signed-in', me }),
      () => {
        if (!controller.signal.aborted) setSession({ status: 'signed-out' });
      },
    );
    return () => {
      controller.abort();
      setUnauthorizedHandler(undefined);
    };
  }, []);

  const signIn = async (username: string, password: string): Promise<void> => {
    const me = await login({ username, password });
    setSession({ status: 'signed-in', me });
  };

  /** The same person again, from the in-place dialog; the waiting requests go out once more. */
  const signInAgain = async (password: string): Promise<void> => {
    if (!reauth) return;
    const me = await login({ username: reauth.username, password });
    setSession({ status: 'signed-in', me });
    settle(true);
  };

  const signOut = async (): Promise<void> => {
    settle(false);
    try {
      await logout();
    } catch (error) {
      // The session had already ended (a 401): signed out either way.
      console.warn('sign-out request failed', error);
    }
    setSession({ status: 'signed-out' });
  };

  return { session, reauth, signIn, signInAgain, signOut };
}
