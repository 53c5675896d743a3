import { useEffect, useMemo, useState } from 'preact/hooks';
import { applyDocumentLang, strings, type Lang } from './i18n';
import { lazyComponent } from './lazy-component';
import { SignIn } from './panels/sign-in';
import { SignInAgain } from './panels/sign-in-again';
import { readUrlState, updateUrlState } from './url-state';
import { useSession } from './use-session';

// The signed-in app (map, panels, MapLibre and its styles) is a chunk of its own: the sign-in page
// is what a county office on a slow link waits for first, and it needs none of it.
const MapScreen = lazyComponent(() => import('./app').then((module) => module.MapScreen), {
  pending: () => <div class="app app--checking" aria-busy="true" />,
});
// The printable brief (`?brief=1`, opened by the commander's view in a tab of its own) takes the
// map screen's place. It is reached through the map's chunk, whose MapLibre it needs anyway: a
// chunk of its own imported from here would split the modules it shares with the map screen into
// yet another chunk, which every map screen would then fetch.
const BriefScreen = lazyComponent(() => import('./app').then((module) => module.BriefScreen));

export function Root() {
  const initial = useMemo(readUrlState, []);
  const [lang, setLang] = useState<Lang>(initial.lang ?? 'fa');
  const [brief] = useState(() => new URLSearchParams(window.location.search).has('brief'));
  const { session, reauth, signIn, signInAgain, signOut } = useSession();
  const toggleLang = () => setLang((current) => (current === 'fa' ? 'en' : 'fa'));

  useEffect(() => {
    applyDocumentLang(lang);
    document.title = `${strings[lang].appName} · ${strings[lang].appTagline}`;
    updateUrlState({ lang });
  }, [lang]);

  useEffect(() => {
    // Someone edits the address bar, or follows a link to another spot on this page.
    const onHashChange = () => {
      const next = readUrlState().lang;
      if (next) setLang(next);
    };
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);

  if (session.status === 'checking') return <div class="app app--checking" aria-busy="true" />;
  if (session.status === 'signed-out') {
    return <SignIn lang={lang} onToggleLang={toggleLang} onSignIn={signIn} onTyping={MapScreen.prefetch} />;
  }
  return (
    <>
      {brief
        ? <BriefScreen lang={lang} />
        : <MapScreen lang={lang} me={session.me} initial={initial} onToggleLang={toggleLang} onSignOut={signOut} />}
      {reauth && <SignInAgain lang={lang} username={reauth.username} onSignIn={signInAgain} onSignOut={signOut} />}
    </>
  );
}
