import { useEffect, useState } from 'preact/hooks';
import { fetchMe, login, logout, setUnauthorizedHandler, type Me } from './api';

export type Session = { status: 'checking' } | { status: 'signed-out' } | { status: 'signed-in'; me: Me };

/**
 * Who is signed in. Every /api and /tiles address needs a session, so the map waits for one;
 * any 401 later (the session expired) sends the user back to the sign-in form.
 */
export function useSession() {
  const [session, setSession] = useState<Session>({ status: 'checking' });

  useEffect(() => {
    setUnauthorizedHandler(() => setSession({ status: 'signed-out' }));
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

  const signOut = async (): Promise<void> => {
    try {
      await logout();
    } finally {
      setSession({ status: 'signed-out' });
    }
  };

  return { session, signIn, signOut };
}
