import type {
  DataDrivenPropertyValueSpecification, ExpressionSpecification, LayerSpecification, Map as MapLibreMap,
} from 'maplibre-gl';
import { apiUrl } from '../api';
import type { Lang } from '../i18n';
import { FONT_MEDIUM } from './fonts';
import { LAYER } from './layers';

/**
 * The offline basemap the server may serve from a tile file (MAHALLENAMA_BASEMAP): land use,
 * water, streets by class, buildings at high zoom, place and street names, drawn quietly under
 * our data in the app's own Vazirmatn. Two schemas are understood, told apart by their layer
 * names: OpenMapTiles (tilemaker, planetiler, OpenMapTiles tools) and Protomaps (pmtiles builds).
 */
export const BASEMAP_SOURCE = 'basemap';

export type BasemapSchema = 'openmaptiles' | 'protomaps';

interface TileJsonLayers {
  vector_layers?: Array<{ id: string }>;
}

/** Which schema a TileJSON's layers follow, or undefined for a file we cannot style. */
export function basemapSchema(tileJson: TileJsonLayers): BasemapSchema | undefined {
  const ids = new Set((tileJson.vector_layers ?? []).map((l) => l.id));
  if (ids.has('transportation') || ids.has('water') && ids.has('place')) return 'openmaptiles';
  if (ids.has('roads') || ids.has('earth')) return 'protomaps';
  return undefined;
}

/** A name in the interface language: name:fa (or name:en), then the local name. */
function nameField(lang: Lang): DataDrivenPropertyValueSpecification<string> {
  const preferred = lang === 'fa' ? ['name:fa', 'name_fa'] : ['name:en', 'name_en', 'name:latin', 'name_int'];
  return ['coalesce', ...preferred.map((key) => ['get', key]), ['get', 'name'], ''] as unknown as DataDrivenPropertyValueSpecification<string>;
}

const WATER = '#b7d0e1';
const ROAD_CASING = '#b9ae9d';
const width = (base: number): ExpressionSpecification => ['interpolate', ['exponential', 1.6], ['zoom'], 10, base * 0.4, 14, base * 2, 18, base * 10];

interface Schema {
  water: { layer: string; filter?: ExpressionSpecification };
  landuse: Array<{ layer: string; filter: ExpressionSpecification; colour: string }>;
  roads: { layer: string; classKey: string; major: string[]; medium: string[]; minor: string[] };
  buildings: string;
  roadNames: { layer: string };
  places: { layer: string; major: ExpressionSpecification };
}

const SCHEMAS: Record<BasemapSchema, Schema> = {
  openmaptiles: {
    water: { layer: 'water' },
    landuse: [
      { layer: 'landuse', filter: ['in', ['get', 'class'], ['literal', ['residential', 'suburb', 'neighbourhood']]], colour: '#ebe6dc' },
      { layer: 'landcover', filter: ['in', ['get', 'class'], ['literal', ['grass', 'wood', 'farmland']]], colour: '#dfe8cf' },
      { layer: 'park', filter: ['all'] as unknown as ExpressionSpecification, colour: '#d7e6c4' },
    ],
    roads: { layer: 'transportation', classKey: 'class', major: ['motorway', 'trunk', 'primary'], medium: ['secondary', 'tertiary'], minor: ['minor', 'service', 'track'] },
    buildings: 'building',
    roadNames: { layer: 'transportation_name' },
    places: { layer: 'place', major: ['in', ['get', 'class'], ['literal', ['city', 'town']]] },
  },
  protomaps: {
    water: { layer: 'water' },
    landuse: [
      { layer: 'landuse', filter: ['in', ['get', 'kind'], ['literal', ['residential', 'neighbourhood']]], colour: '#ebe6dc' },
      { layer: 'landuse', filter: ['in', ['get', 'kind'], ['literal', ['park', 'grass', 'wood', 'forest', 'farmland']]], colour: '#d7e6c4' },
    ],
    roads: { layer: 'roads', classKey: 'kind', major: ['highway'], medium: ['major_road'], minor: ['minor_road', 'other'] },
    buildings: 'buildings',
    roadNames: { layer: 'roads' },
    places: { layer: 'places', major: ['in', ['get', 'kind'], ['literal', ['locality', 'region']]] },
  },
};

/**
 * The basemap's layers, bottom to top, in two parts: the ground (land use, water, buildings) goes
 * under the neighbourhood colours; streets and names go over them, so they stay readable.
 */
export function basemapLayers(schema: BasemapSchema, lang: Lang): { ground: LayerSpecification[]; over: LayerSpecification[] } {
  const s = SCHEMAS[schema];
  const source = { source: BASEMAP_SOURCE };
  const roadClass = (classes: string[]): ExpressionSpecification => ['in', ['get', s.roads.classKey], ['literal', classes]];
  const road = (id: string, classes: string[], colour: string, base: number, minzoom: number): LayerSpecification => ({
    id: `basemap-road-${id}`, type: 'line', ...source, 'source-layer': s.roads.layer, minzoom, filter: roadClass(classes),
    layout: { 'line-join': 'round', 'line-cap': 'round' },
    paint: { 'line-color': colour, 'line-width': width(base) },
  });
  const ground: LayerSpecification[] = [
    ...s.landuse.map((l, i): LayerSpecification => ({
      id: `basemap-landuse-${i}`, type: 'fill', ...source, 'source-layer': l.layer, filter: l.filter,
      paint: { 'fill-color': l.colour, 'fill-opacity': 0.8 },
    })),
    { id: 'basemap-water', type: 'fill', ...source, 'source-layer': s.water.layer, paint: { 'fill-color': WATER } },
    { id: 'basemap-building', type: 'fill', ...source, 'source-layer': s.buildings, minzoom: 14, paint: { 'fill-color': '#ddd5c8', 'fill-outline-color': '#cbc2b3' } },
  ];
  const over: LayerSpecification[] = [
    {
      id: 'basemap-road-casing', type: 'line', ...source, 'source-layer': s.roads.layer, minzoom: 11, filter: roadClass([...s.roads.major, ...s.roads.medium]),
      layout: { 'line-join': 'round', 'line-cap': 'round' }, paint: { 'line-color': ROAD_CASING, 'line-gap-width': width(1.2) },
    },
    road('minor', s.roads.minor, 'rgba(255,255,255,0.85)', 0.6, 13),
    road('medium', s.roads.medium, '#ffffff', 1, 10),
    road('major', s.roads.major, '#fff4dc', 1.4, 7),
    {
      id: 'basemap-road-name', type: 'symbol', ...source, 'source-layer': s.roadNames.layer, minzoom: 13,
      layout: { 'symbol-placement': 'line', 'text-field': nameField(lang), 'text-font': [FONT_MEDIUM], 'text-size': 11.5 },
      paint: { 'text-color': '#6b6358', 'text-halo-color': '#ffffff', 'text-halo-width': 1.4 },
    },
    {
      id: 'basemap-place', type: 'symbol', ...source, 'source-layer': s.places.layer,
      layout: {
        'text-field': nameField(lang), 'text-font': [FONT_MEDIUM],
        'text-size': ['case', s.places.major, 15, 12], 'text-max-width': 8,
      },
      paint: { 'text-color': '#5a5247', 'text-halo-color': 'rgba(255,255,255,0.9)', 'text-halo-width': 1.5 },
    },
  ];
  return { ground, over };
}

/** Names on the basemap follow the interface language. */
export function setBasemapLanguage(map: MapLibreMap, lang: Lang): void {
  for (const id of ['basemap-road-name', 'basemap-place']) {
    if (map.getLayer(id)) map.setLayoutProperty(id, 'text-field', nameField(lang));
  }
}

/**
 * Adds the server's basemap under the data layers when the server has one; resolves to whether
 * it did. With a basemap under them the neighbourhoods turn translucent as one zooms in, so the
 * streets show through.
 */
export async function addServerBasemap(map: MapLibreMap, lang: Lang, signal: AbortSignal): Promise<boolean> {
  const url = apiUrl('/tiles/basemap.json');
  const response = await fetch(url, { signal, credentials: 'same-origin' });
  if (response.status === 404) return false;
  if (!response.ok) throw new Error(`basemap: ${response.status} ${response.statusText}`);
  const schema = basemapSchema((await response.json()) as TileJsonLayers);
  if (!schema) {
    console.warn('basemap: the tile file follows neither the OpenMapTiles nor the Protomaps schema; not drawn');
    return false;
  }
  const add = () => {
    if (map.getSource(BASEMAP_SOURCE)) return;
    map.addSource(BASEMAP_SOURCE, { type: 'vector', url });
    const { ground, over } = basemapLayers(schema, lang);
    for (const layer of ground) map.addLayer(layer, LAYER.fill);
    for (const layer of over) map.addLayer(layer, LAYER.line);
    const hover = (on: number, off: number) => ['case', ['boolean', ['feature-state', 'hover'], false], on, off] as ExpressionSpecification;
    map.setPaintProperty(LAYER.fill, 'fill-opacity', ['interpolate', ['linear'], ['zoom'], 11, hover(0.85, 0.65), 14, hover(0.5, 0.3), 16, hover(0.4, 0.2)]);
  };
  if (map.isStyleLoaded()) add();
  else map.once('load', add);
  return true;
}
