import type { ComponentType, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { strings, type Lang } from './i18n';

export interface LazyComponent<P> {
  (props: P): JSX.Element | null;
  /** Starts fetching the chunk without rendering it (say while the user types the password). */
  prefetch(): void;
  /** Settles when the chunk is loaded; rejects if it could not be (a later render tries again). */
  load(): Promise<ComponentType<P>>;
}

interface Options<P> {
  /** What shows while the chunk is on its way; nothing by default. */
  pending?: (props: P) => JSX.Element | null;
}

/**
 * A component whose code lives in its own chunk, fetched the first time it renders (or earlier
 * through prefetch). Vite turns each dynamic `import()` into a separate file, so the sign-in page
 * never downloads the map and a planner never downloads the upload wizard. Preact's own lazy and
 * Suspense live in preact/compat; this is the little we need, plus prefetching and a visible error
 * when a chunk cannot be fetched (the link dropped, or a new release replaced the hashed files).
 */
export function lazyComponent<P extends { lang: Lang }>(
  importer: () => Promise<ComponentType<P>>,
  options: Options<P> = {},
): LazyComponent<P> {
  let loaded: ComponentType<P> | undefined;
  let loading: Promise<ComponentType<P>> | undefined;

  const load = (): Promise<ComponentType<P>> => {
    loading ??= importer().then(
      (component) => (loaded = component),
      (error: unknown) => {
        loading = undefined; // so that the next render asks again
        throw error;
      },
    );
    return loading;
  };

  const prefetch = (): void => {
    // Only a head start: if it fails, the render that needs the chunk fetches it again and says so.
    load().catch((error: unknown) => console.warn('prefetch failed', error));
  };

  function Lazy(props: P): JSX.Element | null {
    const [, setReady] = useState(false);
    const [failed, setFailed] = useState(false);

    useEffect(() => {
      if (loaded) return;
      let live = true;
      load().then(
        () => live && setReady(true),
        (error: unknown) => {
          console.error(error);
          if (live) setFailed(true);
        },
      );
      return () => {
        live = false;
      };
    }, []);

    if (loaded) {
      const Loaded = loaded;
      return <Loaded {...props} />;
    }
    if (failed) return <PartLoadFailed lang={props.lang} />;
    return options.pending ? options.pending(props) : null;
  }

  return Object.assign(Lazy, { prefetch, load });
}

function PartLoadFailed({ lang }: { lang: Lang }) {
  const t = strings[lang];
  return (
    <p class="part-load-failed" role="alert">
      {t.partLoadFailed}{' '}
      <button type="button" onClick={() => window.location.reload()}>
        {t.reload}
      </button>
    </p>
  );
}
