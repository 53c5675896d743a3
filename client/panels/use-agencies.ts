import { useEffect, useState } from 'preact/hooks';
import { loadAgencies, onAgenciesChanged, type Agency } from '../method-api';
import type { Lang } from '../i18n';

/** The agencies (fetched once per page, again when one is added), and a name lookup in the interface language. */
export function useAgencies(lang: Lang): { agencies: Agency[]; agencyName(id: number | null): string | null } {
  const [agencies, setAgencies] = useState<Agency[]>([]);
  useEffect(() => {
    let live = true;
    loadAgencies().then((items) => live && setAgencies(items), (error: unknown) => console.error(error));
    const unsubscribe = onAgenciesChanged(setAgencies);
    return () => {
      live = false;
      unsubscribe();
    };
  }, []);
  const agencyName = (id: number | null) => {
    if (id === null) return null;
    const agency = agencies.find((a) => a.id === id);
    return agency ? (lang === 'fa' ? agency.name_fa : agency.name_en) : `#${id}`;
  };
  return { agencies, agencyName };
}
