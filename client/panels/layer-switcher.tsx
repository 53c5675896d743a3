import { useEffect, useState } from 'preact/hooks';
import type { RefObject } from 'preact';
import type { ReferenceLayer, ReferenceLayerList } from '../../shared/layers-schemas';
import { apiUrl, request } from '../api';
import type { Lang } from '../i18n';
import type { MapController } from '../map/map-controller';
import { DEFAULT_LOOK, layerColour, SERVICE_CLASS_COLOURS } from '../map/reference-layers';
import { readUrlState, updateUrlState, type LayerLook } from '../url-state';
import { layerStrings } from './layers-strings';
import './layer-switcher.css';

interface Props {
  lang: Lang;
  controller: RefObject<MapController | null>;
}

/**
 * The reference layers GIS staff uploaded, each with a visibility switch and an opacity
 * slider. What the user changes is kept in the URL (`layers=`), so a shared link shows the
 * same layers; the map draws them through the MapController.
 */
export function LayerSwitcher({ lang, controller }: Props) {
  const t = layerStrings[lang];
  const [layers, setLayers] = useState<ReferenceLayer[]>([]);
  const [looks, setLooks] = useState<Record<string, LayerLook>>(() => readUrlState().layers ?? {});
  const [open, setOpen] = useState(false);

  useEffect(() => {
    const abort = new AbortController();
    request<ReferenceLayerList>(apiUrl('/api/layers'), { signal: abort.signal })
      .then((list) => setLayers(list.items))
      .catch((error: unknown) => {
        if (!abort.signal.aborted) console.error(error);
      });
    return () => abort.abort();
  }, []);

  useEffect(() => {
    controller.current?.setReferenceLayers(layers, looks);
  }, [layers, looks, controller.current]);

  const change = (slug: string, next: Partial<LayerLook>) => {
    const look = { ...(looks[slug] ?? DEFAULT_LOOK), ...next };
    const updated = { ...looks, [slug]: look };
    setLooks(updated);
    updateUrlState({ layers: updated });
  };

  if (!open) {
    return (
      <button type="button" class="pill-button pill-button--map layers-open" onClick={() => setOpen(true)}>
        {t.open}
      </button>
    );
  }
  return (
    <section class="map-panel layer-switcher" aria-labelledby="layer-switcher-title">
      <header class="map-panel__header">
        <h2 id="layer-switcher-title" class="layer-switcher__title">{t.title}</h2>
        <button type="button" class="pill-button" onClick={() => setOpen(false)}>{t.close}</button>
      </header>
      {layers.length === 0 && <p class="layer-switcher__empty">{t.empty}</p>}
      <ul class="layer-switcher__list">
        {layers.map((layer) => {
          const look = looks[layer.slug] ?? DEFAULT_LOOK;
          const name = lang === 'fa' ? layer.name_fa : layer.name_en;
          return (
            <li key={layer.slug} class="layer-switcher__item">
              <label class="layer-switcher__row">
                <input type="checkbox" checked={look.visible} aria-label={t.show(name)}
                  onChange={(e) => change(layer.slug, { visible: e.currentTarget.checked })} />
                <span class={`layer-switcher__swatch layer-switcher__swatch--${layer.geometry_type}`} style={{ background: layerColour(layer) }} />
                <span class="layer-switcher__name">{name}</span>
                <span class="layer-switcher__kind">{t.kinds[layer.kind]}</span>
              </label>
              <input type="range" min={0} max={100} step={5} value={look.opacity} aria-label={t.opacity(name)}
                class="layer-switcher__opacity" disabled={!look.visible}
                onInput={(e) => change(layer.slug, { opacity: Number(e.currentTarget.value) })} />
              {layer.kind === 'facilities' && (
                <ul class="layer-switcher__classes">
                  {Object.entries(SERVICE_CLASS_COLOURS).map(([serviceClass, colour]) => (
                    <li key={serviceClass}>
                      <span class="layer-switcher__dot" style={{ background: colour }} />
                      {t.classes[serviceClass as keyof typeof SERVICE_CLASS_COLOURS]}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
