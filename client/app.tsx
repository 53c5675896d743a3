import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Me, NeighbourhoodProperties } from './api';
import type { SearchItem } from '../shared/search-schemas';
import { strings, type Lang } from './i18n';
import { DEFAULT_VIEW, MapController } from './map/map-controller';
import { Header } from './panels/header';
import { Legend } from './panels/legend';
import { ProblemsControl } from './panels/problems-control';
import { showAgencyProblems } from './panels/problems-url';
import { NeighbourhoodPanel } from './panels/neighbourhood-panel';
import { SearchBox } from './panels/search-box';
import { LayerSwitcher } from './panels/layer-switcher';
import { AccessBlock } from './panels/access-block';
import { readUrlState, updateUrlState, type UrlState } from './url-state';
import { useNeighbourhood } from './use-neighbourhood';
import { AdminPanel, LazyCommanderView, LazyProblemsSection, LazyThematicView, LazyUploadWizard, TokensPanel } from './panels/lazy-panels';
import './app.css';

export { BriefScreen } from './panels/lazy-panels';

interface MapScreenProps {
  lang: Lang;
  me: Me;
  /** The URL as the page opened with it (or as it was when the user signed in). */
  initial: UrlState;
  onToggleLang(): void;
  onSignOut(): void;
}

export function MapScreen({ lang, me, initial, onToggleLang, onSignOut }: MapScreenProps) {
  const [selectedId, setSelectedId] = useState<number | undefined>(initial.neighbourhood);
  const [summary, setSummary] = useState<NeighbourhoodProperties | null>(null);
  const [dataError, setDataError] = useState(false);
  const { detail, status } = useNeighbourhood(selectedId);
  const today = useMemo(() => new Date(), []);
  const [adminOpen, setAdminOpen] = useState(false);
  const [tokensOpen, setTokensOpen] = useState(false);

  const mapContainer = useRef<HTMLDivElement>(null);
  const controller = useRef<MapController | null>(null);
  // A shared link with a neighbourhood but no map position should still show the neighbourhood.
  const flyWhenLoaded = useRef(initial.neighbourhood !== undefined && !initial.view);

  useEffect(() => {
    const view = readUrlState().view ?? DEFAULT_VIEW;
    const map = new MapController({
      container: mapContainer.current!,
      view,
      lang,
      selected: selectedId,
      onSelect: (properties) => {
        setSummary(properties);
        setSelectedId(properties?.id);
      },
      onViewChange: (next) => updateUrlState({ view: next }),
      onDataError: (message) => {
        console.error(message);
        setDataError(true);
      },
    });
    controller.current = map;
    updateUrlState({ view });

    const onHashChange = () => {
      const state = readUrlState();
      if (state.view) map.jumpTo(state.view);
      setSelectedId(state.neighbourhood);
      flyWhenLoaded.current = state.neighbourhood !== undefined && !state.view;
    };
    window.addEventListener('hashchange', onHashChange);
    return () => {
      window.removeEventListener('hashchange', onHashChange);
      map.destroy();
      controller.current = null;
    };
  }, []);

  useEffect(() => controller.current?.setLang(lang), [lang]);

  useEffect(() => {
    controller.current?.setSelected(selectedId);
    updateUrlState({ neighbourhood: selectedId });
  }, [selectedId]);

  useEffect(() => {
    if (detail && flyWhenLoaded.current) {
      flyWhenLoaded.current = false;
      controller.current?.flyToFeature(detail);
    }
  }, [detail]);

  const onPick = (item: SearchItem) => {
    if (item.kind === 'agency') {
      showAgencyProblems(item.id);
      return;
    }
    if (item.kind === 'neighbourhood') {
      setSummary(null);
      setSelectedId(item.id);
    }
    if (item.bbox) controller.current?.flyToBbox(item.bbox);
  };

  return (
    <div class="app">
      <Header
        lang={lang}
        today={today}
        username={me.username}
        role={me.role}
        onOpenAdmin={me.role === 'admin' ? () => setAdminOpen(true) : undefined}
        onOpenTokens={() => setTokensOpen(true)}
        onToggleLang={onToggleLang}
        onSignOut={onSignOut}
      >
        <SearchBox lang={lang} onPick={onPick} />
      </Header>
      <main class="map-area">
        <div class="map" ref={mapContainer} />
        {selectedId !== undefined && (
          <NeighbourhoodPanel
            lang={lang}
            summary={summary?.id === selectedId ? summary : null}
            detail={detail?.properties ?? null}
            status={status}
            onClose={() => setSelectedId(undefined)}
          >
            {detail && <AccessBlock lang={lang} detail={detail.properties} />}
            {detail && (
              <LazyProblemsSection
                lang={lang}
                neighbourhoodId={detail.properties.id}
                method={detail.properties.method}
                canWrite={me.role === 'admin' || me.role === 'planner'}
              />
            )}
          </NeighbourhoodPanel>
        )}
        <Legend lang={lang} />
        <LayerSwitcher lang={lang} controller={controller} />
        <LazyThematicView
          lang={lang}
          controller={controller}
          canWrite={me.role === 'admin' || me.role === 'planner' || me.role === 'gis'}
          onOpenNeighbourhood={(id) => {
            flyWhenLoaded.current = true;
            setSelectedId(id);
          }}
        />
        <LazyCommanderView lang={lang} role={me.role} controller={controller} onSelectNeighbourhood={setSelectedId} />
        <ProblemsControl
          lang={lang}
          controller={controller}
          onOpenNeighbourhood={(id) => {
            flyWhenLoaded.current = true;
            setSelectedId(id);
          }}
        />
        {(me.role === 'gis' || me.role === 'admin') && <LazyUploadWizard lang={lang} controller={controller} />}
        {adminOpen && <AdminPanel lang={lang} onClose={() => setAdminOpen(false)} />}
        {tokensOpen && <TokensPanel lang={lang} onClose={() => setTokensOpen(false)} />}
        {dataError && (
          <p class="map-error" role="alert">
            {strings[lang].mapLoadFailed}
          </p>
        )}
      </main>
    </div>
  );
}
