import { useEffect, useState } from 'preact/hooks';
import { fetchNeighbourhood, type NeighbourhoodDetail } from './api';

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

/** The selected neighbourhood's full record, fetched when the selection changes. */
export function useNeighbourhood(id: number | undefined): { detail: NeighbourhoodDetail | null; status: LoadStatus } {
  const [detail, setDetail] = useState<NeighbourhoodDetail | null>(null);
  const [status, setStatus] = useState<LoadStatus>('idle');

  useEffect(() => {
    if (id === undefined) {
      setDetail(null);
      setStatus('idle');
      return;
    }
    const controller = new AbortController();
    setStatus('loading');
    fetchNeighbourhood(id, controller.signal).then(
      (feature) => {
        setDetail(feature);
        setStatus('ready');
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        console.error(error);
        setDetail(null);
        setStatus('error');
      },
    );
    return () => controller.abort();
  }, [id]);

  // A record for another id is stale: the new one is on its way.
  return { detail: detail && detail.properties.id === id ? detail : null, status };
}
