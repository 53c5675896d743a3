import { useEffect, useState } from 'preact/hooks';
import { fetchNeighbourhood } from '../api';
import type { Lang } from '../i18n';
import { methodStrings } from '../i18n/method-strings';
import { methodChanged, type NeighbourhoodMethod } from '../method-api';
import { ProblemsStageTracker } from './problems-stage-tracker';
import { ProblemList } from './problems-list';
import { InterventionList } from './problems-interventions';
import { NetworkList } from './problems-networks';
import { useAgencies } from './use-agencies';

interface Props {
  lang: Lang;
  neighbourhoodId: number;
  /** From GET /api/neighbourhoods/:id, as the base panel loaded it. */
  method: NeighbourhoodMethod;
  canWrite: boolean;
}

/**
 * The programme's method in the neighbourhood panel: where the neighbourhood stands in the
 * three stages, its problems with their follow-up, its interventions and its networks, with
 * forms for planners. After each change it reloads the neighbourhood and tells the map.
 */
export function ProblemsSection({ lang, neighbourhoodId, method: loaded, canWrite }: Props) {
  const t = methodStrings[lang];
  const [method, setMethod] = useState(loaded);
  const { agencies, agencyName } = useAgencies(lang);
  useEffect(() => setMethod(loaded), [loaded]);

  const reload = async () => {
    const detail = await fetchNeighbourhood(neighbourhoodId);
    if (detail.properties.id === neighbourhoodId) setMethod(detail.properties.method);
    methodChanged();
  };

  const ctx = { lang, t, neighbourhoodId, canWrite, agencies, agencyName, reload };
  return (
    <div class="method-section">
      <ProblemsStageTracker {...ctx} stage={method.stage} />
      <ProblemList {...ctx} problems={method.problems.items} interventions={method.interventions} />
      <InterventionList {...ctx} interventions={method.interventions} problems={method.problems.items} />
      <NetworkList {...ctx} networks={method.networks} />
      {!canWrite && <p class="method-note">{t.readOnly}</p>}
    </div>
  );
}
