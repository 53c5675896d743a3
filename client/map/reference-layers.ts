import type { ExpressionSpecification, LayerSpecification, Map as MapLibreMap } from 'maplibre-gl';
import type { ReferenceLayer, ServiceClass } from '../../shared/layers-schemas';
import type { Lang } from '../i18n';
import type { LayerLook } from '../url-state';
import { FONT_MEDIUM } from './fonts';
import { LAYER, labelField } from './layers';
import { tileJsonUrl } from './sources';

/**
 * Reference layers uploaded by GIS staff (GET /api/layers), each a vector tile source at
 * /tiles/{slug}, drawn with a default style by kind and geometry: facilities as dots in the
 * colour of their service class, streets as white lines with a grey casing, land use as a
 * soft green fill, anything else in slate. They sit above the neighbourhood fills and below
 * the names. The user's visibility and opacity (layer switcher, URL) apply on top.
 */

/** One colour per service class, clear of the deprivation scale's yellows, oranges and reds. */
export const SERVICE_CLASS_COLOURS: Record<ServiceClass, string> = {
  educational: '#1d4ed8',
  social: '#be185d',
  civil_environmental: '#15803d',
  economic: '#6d28d9',
};
const NO_CLASS_COLOUR = '#475569';
const STREET_CASING = '#a8a29e';
const LAND_USE_COLOUR = '#86a86b';
const OTHER_COLOUR = '#0e7490';

export const DEFAULT_LOOK: LayerLook = { visible: true, opacity: 100 };

const sourceId = (slug: string) => `ref-${slug}`;

const classColour: ExpressionSpecification = [
  'match', ['get', 'service_class'],
  ...Object.entries(SERVICE_CLASS_COLOURS).flat(),
  NO_CLASS_COLOUR,
] as unknown as ExpressionSpecification;

/** The swatch colour of a layer in the switcher. */
export function layerColour(layer: Pick<ReferenceLayer, 'kind' | 'geometry_type'>): string {
  if (layer.kind === 'facilities') return SERVICE_CLASS_COLOURS.educational;
  if (layer.kind === 'streets') return STREET_CASING;
  if (layer.kind === 'land_use') return LAND_USE_COLOUR;
  return OTHER_COLOUR;
}

type PaintProperty = Parameters<MapLibreMap['setPaintProperty']>[1];

/** Each style layer with the paint property its opacity goes to and the opacity at 100 %. */
interface StyledLayer {
  spec: LayerSpecification;
  opacity: { property: PaintProperty; full: number }[];
}

export function referenceStyleLayers(layer: ReferenceLayer, lang: Lang): StyledLayer[] {
  const source = sourceId(layer.slug);
  const base = { source, 'source-layer': layer.slug };
  const id = (part: string) => `ref-${layer.slug}-${part}`;
  if (layer.geometry_type === 'point') {
    const colour = layer.kind === 'facilities' ? classColour : OTHER_COLOUR;
    return [
      {
        spec: {
          id: id('point'), type: 'circle', ...base,
          paint: {
            'circle-color': colour,
            'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 2.5, 13, 5, 17, 8],
            'circle-stroke-color': '#ffffff',
            'circle-stroke-width': ['interpolate', ['linear'], ['zoom'], 8, 0.5, 13, 1.5],
          },
        } as LayerSpecification,
        opacity: [{ property: 'circle-opacity', full: 1 }, { property: 'circle-stroke-opacity', full: 1 }],
      },
      {
        spec: {
          id: id('label'), type: 'symbol', ...base, minzoom: 14,
          layout: {
            'text-field': labelField(lang), 'text-font': [FONT_MEDIUM], 'text-size': 11.5,
            'text-offset': [0, 1.1], 'text-anchor': 'top', 'text-optional': true,
          },
          paint: { 'text-color': '#1f2937', 'text-halo-color': '#ffffff', 'text-halo-width': 1.4 },
        } as LayerSpecification,
        opacity: [{ property: 'text-opacity', full: 1 }],
      },
    ];
  }
  if (layer.geometry_type === 'line') {
    const isStreet = layer.kind === 'streets';
    const width = (scale: number) => ['interpolate', ['exponential', 1.6], ['zoom'], 10, 0.6 * scale, 14, 2.5 * scale, 18, 14 * scale];
    const lines: StyledLayer[] = [];
    if (isStreet) {
      lines.push({
        spec: { id: id('casing'), type: 'line', ...base, layout: { 'line-cap': 'round', 'line-join': 'round' },
          paint: { 'line-color': STREET_CASING, 'line-width': width(1.5) } } as LayerSpecification,
        opacity: [{ property: 'line-opacity', full: 1 }],
      });
    }
    lines.push({
      spec: { id: id('line'), type: 'line', ...base, layout: { 'line-cap': 'round', 'line-join': 'round' },
        paint: { 'line-color': isStreet ? '#ffffff' : OTHER_COLOUR, 'line-width': width(isStreet ? 1 : 0.6) } } as LayerSpecification,
      opacity: [{ property: 'line-opacity', full: 1 }],
    });
    if (isStreet) {
      lines.push({
        spec: { id: id('label'), type: 'symbol', ...base, minzoom: 14,
          layout: { 'symbol-placement': 'line', 'text-field': labelField(lang), 'text-font': [FONT_MEDIUM], 'text-size': 11 },
          paint: { 'text-color': '#44403c', 'text-halo-color': '#ffffff', 'text-halo-width': 1.2 } } as LayerSpecification,
        opacity: [{ property: 'text-opacity', full: 1 }],
      });
    }
    return lines;
  }
  const colour = layer.kind === 'land_use' ? LAND_USE_COLOUR : OTHER_COLOUR;
  return [
    {
      spec: { id: id('fill'), type: 'fill', ...base, paint: { 'fill-color': colour } } as LayerSpecification,
      opacity: [{ property: 'fill-opacity', full: 0.35 }],
    },
    {
      spec: { id: id('outline'), type: 'line', ...base, paint: { 'line-color': colour, 'line-width': 1 } } as LayerSpecification,
      opacity: [{ property: 'line-opacity', full: 0.8 }],
    },
  ];
}

/**
 * Puts every layer on the map (once) and gives each its look. Layers go below the
 * neighbourhood names, so names stay readable over streets and dots.
 */
export function syncReferenceLayers(map: MapLibreMap, layers: ReferenceLayer[], looks: Record<string, LayerLook>, lang: Lang): void {
  const beforeId = map.getLayer(LAYER.label) ? LAYER.label : undefined;
  for (const layer of layers) {
    const source = sourceId(layer.slug);
    if (!map.getSource(source)) map.addSource(source, { type: 'vector', url: tileJsonUrl(layer.slug), promoteId: 'id' });
    const look = looks[layer.slug] ?? DEFAULT_LOOK;
    for (const { spec, opacity } of referenceStyleLayers(layer, lang)) {
      if (!map.getLayer(spec.id)) map.addLayer(spec, beforeId);
      map.setLayoutProperty(spec.id, 'visibility', look.visible ? 'visible' : 'none');
      for (const { property, full } of opacity) {
        map.setPaintProperty(spec.id, property, (full * look.opacity) / 100);
      }
    }
  }
}

/** Names follow the interface language. */
export function setReferenceLabelLang(map: MapLibreMap, layers: ReferenceLayer[], lang: Lang): void {
  for (const layer of layers) {
    const id = `ref-${layer.slug}-label`;
    if (map.getLayer(id)) map.setLayoutProperty(id, 'text-field', labelField(lang));
  }
}
