import type {
  DataDrivenPropertyValueSpecification,
  ExpressionSpecification,
  FilterSpecification,
  LayerSpecification,
} from 'maplibre-gl';
import type { Lang } from '../i18n';
import { FONT_BOLD, FONT_MEDIUM } from './fonts';
import {
  COUNTY_LINE_COLOUR,
  DEPRIVATION_COLOURS,
  DEPRIVATION_LEVELS,
  NO_DATA_COLOUR,
  SELECTED_LINE_COLOUR,
} from './palette';
import {
  COUNTIES, COUNTY_LABELS, COUNTY_SOURCE_LAYER, NEIGHBOURHOOD_LABELS, NEIGHBOURHOODS, PLACES, neighbourhoodSourceLayer,
} from './sources';

export const LAYER = {
  background: 'background',
  countyFill: 'counties-fill',
  countyLine: 'counties-line',
  countyLabel: 'counties-label',
  fill: 'neighbourhoods-fill',
  line: 'neighbourhoods-line',
  selected: 'neighbourhoods-selected',
  label: 'neighbourhoods-label',
  placeDot: 'places-dot',
  seatLabel: 'places-seat-label',
  townLabel: 'places-town-label',
} as const;

/** The name in the interface language, falling back to the other (two counties have no English name). */
export function labelField(lang: Lang): DataDrivenPropertyValueSpecification<string> {
  const [first, second] = lang === 'fa' ? ['name_fa', 'name_en'] : ['name_en', 'name_fa'];
  return ['coalesce', ['get', first], ['get', second], ''];
}

/**
 * A place's name. Some towns have only GeoNames' Latin name (geodata/make-towns.ts): the Persian
 * map writes it at province scale, where it is all there is, but from city scale on names only
 * the places it can name in Persian, so the opening city view never needs the Latin font file
 * (16 KB) that nothing else on it asks for.
 */
function placeLabelField(lang: Lang): DataDrivenPropertyValueSpecification<string> {
  if (lang === 'en') return labelField(lang);
  return ['step', ['zoom'], labelField(lang), CITY_ZOOM, ['coalesce', ['get', 'name_fa'], '']] as ExpressionSpecification;
}

/** Each layer whose text follows the interface language, with its text in `lang`. */
export function labelFields(lang: Lang): Array<[string, DataDrivenPropertyValueSpecification<string>]> {
  return [
    [LAYER.countyLabel, labelField(lang)],
    [LAYER.label, labelField(lang)],
    [LAYER.seatLabel, placeLabelField(lang)],
    [LAYER.townLabel, placeLabelField(lang)],
  ];
}

/** Matches no feature when nothing is selected (ids start at 1). */
export function selectedFilter(id: number | undefined): FilterSpecification {
  return ['==', ['get', 'id'], id ?? -1];
}

const deprivationColour: ExpressionSpecification = [
  'match',
  ['get', 'deprivation'],
  ...DEPRIVATION_LEVELS.flatMap((level) => [level, DEPRIVATION_COLOURS[level]]),
  NO_DATA_COLOUR,
] as unknown as ExpressionSpecification;

/** From here on the map is a city map: neighbourhood names show, and place dots give way to them. */
const CITY_ZOOM = 10;
/**
 * Place names show from province scale down to the opening city view (zoom 11.5) and a little
 * closer; further in, the neighbourhoods' own names say where one is.
 */
const PLACES_MAXZOOM = 13;

/** The names of one kind of place (server/places/), beside its dot while there is one. */
function placeLabels(
  id: string,
  kind: 'county_seat' | 'town',
  lang: Lang,
  style: { font: string; sizes: number[]; colour: string; minzoom: number },
): LayerSpecification {
  return {
    id,
    type: 'symbol',
    source: PLACES,
    'source-layer': PLACES,
    filter: ['==', ['get', 'kind'], kind],
    minzoom: style.minzoom,
    maxzoom: PLACES_MAXZOOM,
    layout: {
      'text-field': placeLabelField(lang),
      'text-font': [style.font],
      'text-size': ['interpolate', ['linear'], ['zoom'], ...style.sizes] as ExpressionSpecification,
      'text-variable-anchor': ['top', 'bottom', 'left', 'right'],
      'text-radial-offset': 0.45,
      'text-padding': 2,
      // The places of Iran's list of cities (those with a Persian name) before villages where
      // there is room for only one name.
      'symbol-sort-key': ['case', ['has', 'name_fa'], 0, 1],
    },
    // A quiet name: dark grey on a white halo, lighter than the neighbourhood names.
    paint: { 'text-color': style.colour, 'text-halo-color': 'rgba(255,255,255,0.9)', 'text-halo-width': 1.4, 'text-halo-blur': 0.3 },
  };
}

export const BACKGROUND_COLOUR = '#e9e6df';

/**
 * The offline map's own ground: a neutral background with the province's counties a shade lighter.
 * Left out over a configured basemap, whose land it would hide.
 */
export function baseLayers(): LayerSpecification[] {
  return [
    { id: LAYER.background, type: 'background', paint: { 'background-color': BACKGROUND_COLOUR } },
    {
      id: LAYER.countyFill,
      type: 'fill',
      source: COUNTIES,
      'source-layer': COUNTY_SOURCE_LAYER,
      paint: { 'fill-color': '#f8f6f1', 'fill-opacity': 0.9 },
    },
  ];
}

/** The data layers, bottom to top. They go over the offline ground or over a configured basemap. */
export function dataLayers(lang: Lang, selected?: number): LayerSpecification[] {
  const sourceLayer = neighbourhoodSourceLayer();
  return [
    {
      id: LAYER.fill,
      type: 'fill',
      source: NEIGHBOURHOODS,
      ...sourceLayer,
      paint: {
        'fill-color': deprivationColour,
        'fill-opacity': ['case', ['boolean', ['feature-state', 'hover'], false], 0.95, 0.78],
      },
    },
    {
      id: LAYER.line,
      type: 'line',
      source: NEIGHBOURHOODS,
      ...sourceLayer,
      paint: {
        'line-color': '#ffffff',
        'line-width': ['interpolate', ['linear'], ['zoom'], 9, 0.4, 14, 1.6],
        'line-opacity': 0.9,
      },
    },
    {
      id: LAYER.countyLine,
      type: 'line',
      source: COUNTIES,
      'source-layer': COUNTY_SOURCE_LAYER,
      layout: { 'line-join': 'round' },
      paint: {
        'line-color': COUNTY_LINE_COLOUR,
        'line-width': ['interpolate', ['linear'], ['zoom'], 6, 0.8, 12, 2],
        'line-dasharray': [3, 2],
        'line-opacity': 0.8,
      },
    },
    {
      id: LAYER.selected,
      type: 'line',
      source: NEIGHBOURHOODS,
      ...sourceLayer,
      filter: selectedFilter(selected),
      layout: { 'line-join': 'round' },
      paint: { 'line-color': SELECTED_LINE_COLOUR, 'line-width': 3 },
    },
    {
      id: LAYER.countyLabel,
      type: 'symbol',
      source: COUNTIES,
      'source-layer': COUNTY_LABELS,
      maxzoom: 9,
      layout: {
        'text-field': labelField(lang),
        'text-font': [FONT_BOLD],
        'text-size': ['interpolate', ['linear'], ['zoom'], 5, 11, 9, 15],
        'text-max-width': 8,
        'text-padding': 4,
      },
      paint: {
        'text-color': '#3d3156',
        'text-halo-color': 'rgba(255,255,255,0.9)',
        'text-halo-width': 1.5,
      },
    },
    // The context layer: county seats and towns, over the areas. MapLibre places the top layer's
    // symbols first, so the order is the priority: county seats, then neighbourhood names, then
    // towns, which give way to both. Dots only while places are small.
    {
      id: LAYER.placeDot,
      type: 'circle',
      source: PLACES,
      'source-layer': PLACES,
      maxzoom: CITY_ZOOM,
      paint: {
        'circle-radius': ['match', ['get', 'kind'], 'county_seat', 3.5, 2.5],
        'circle-color': '#44403c',
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 1,
      },
    },
    placeLabels(LAYER.townLabel, 'town', lang, { font: FONT_MEDIUM, sizes: [7, 10, 11, 12.5], colour: '#57534e', minzoom: 7 }),
    {
      id: LAYER.label,
      type: 'symbol',
      source: NEIGHBOURHOODS,
      'source-layer': NEIGHBOURHOOD_LABELS,
      minzoom: 10,
      layout: {
        'text-field': labelField(lang),
        'text-font': [FONT_MEDIUM],
        'text-size': ['interpolate', ['linear'], ['zoom'], 10, 11.5, 13, 14, 16, 17],
        // Narrow two-line names and a small padding let neighbouring names fit side by side;
        // a name that still collides may move just off its point rather than vanish.
        'text-max-width': 5,
        'text-padding': 1,
        'text-variable-anchor': ['center', 'top', 'bottom', 'left', 'right'],
        'text-radial-offset': 0.3,
        // The most deprived neighbourhoods keep their labels when there is no room for all.
        'symbol-sort-key': ['-', 0, ['get', 'deprivation']],
      },
      paint: {
        'text-color': '#1c1917',
        'text-halo-color': 'rgba(255,255,255,0.92)',
        'text-halo-width': 1.6,
        'text-halo-blur': 0.3,
      },
    },
    placeLabels(LAYER.seatLabel, 'county_seat', lang, { font: FONT_BOLD, sizes: [6, 11, 10, 14, 12, 16], colour: '#292524', minzoom: 0 }),
  ];
}
