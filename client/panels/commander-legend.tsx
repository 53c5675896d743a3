import { formatNumber, type Lang } from '../i18n';
import { METRIC_UNITS, type CoverageMetric } from '../../shared/coverage';
import {
  COVERED_COLOURS, METRIC_COLOURS, UNCOVERED_COLOURS, classBreaks, type CoverageLegendSpec,
} from '../map/coverage-layers';
import { commanderStrings, type CoverageMode } from './commander-strings';

export interface LegendInput {
  lang: Lang;
  mode: CoverageMode;
  metric: CoverageMetric;
  programmeName: string;
  /** The largest weight of the heat data or value of the hexagons; null before they load. */
  max: number | null;
  /** Hexagon edge in metres. */
  hexSize: number | null;
}

/** A distance in the language's words: ۵ کیلومتر, 250 m. */
export function formatDistance(metres: number, lang: Lang): string {
  const t = commanderStrings[lang];
  return metres >= 1000 ? `${formatNumber(metres / 1000, lang, 1)} ${t.km}` : `${formatNumber(metres, lang)} ${t.m}`;
}

/** What the legend says, once: the panel draws it as HTML and the brief on its canvas. */
export function coverageLegend({ lang, mode, metric, programmeName, max, hexSize }: LegendInput): CoverageLegendSpec {
  const t = commanderStrings[lang];
  const n = (value: number) => formatNumber(value, lang);
  if (mode === 'choropleth') {
    const shades = (colours: readonly string[]) =>
      colours.map((colour, i) => ({ colour, label: `${t.legendDeprivation} ${n(i + 1)}` }));
    return {
      title: `${t.modes.choropleth}: ${programmeName}`,
      columns: [
        { heading: t.legendCovered, entries: shades(COVERED_COLOURS) },
        { heading: t.legendUncovered, entries: shades(UNCOVERED_COLOURS) },
      ],
      notes: [t.legendShade, t.legendArea],
    };
  }
  const unit = t.units[METRIC_UNITS[metric]];
  const colours = METRIC_COLOURS[metric];
  const title = `${t.metrics[metric]} (${unit})`;
  if (mode === 'heat') {
    const entries = colours.map((colour) => ({ colour, label: '' }));
    entries[0]!.label = lang === 'fa' ? 'کم' : 'low';
    entries[4]!.label = max === null ? (lang === 'fa' ? 'زیاد' : 'high')
      : `${lang === 'fa' ? 'زیاد؛ بیشینه' : 'high; at most'} ${n(max)} ${unit}`;
    return { title, columns: [{ heading: '', entries }], notes: [t.legendHeatNote, programmeName] };
  }
  const breaks = classBreaks(max ?? 0);
  const entries = colours.map((colour, i) => {
    const low = i === 0 ? 0 : breaks[i - 1]!;
    const label = i === colours.length - 1 ? `≥ ${n(low)}` : `${n(low)} – ${n(breaks[i]!)}`;
    return { colour, label: `${label} ${unit}` };
  });
  return {
    title,
    columns: [{ heading: '', entries }],
    notes: [...(hexSize ? [t.legendHexSize(formatDistance(hexSize, lang))] : []), programmeName],
  };
}

export function CommanderLegend({ spec }: { spec: CoverageLegendSpec }) {
  return (
    <section class="commander-legend" aria-labelledby="commander-legend-title">
      <h2 class="commander-legend__title" id="commander-legend-title">{spec.title}</h2>
      <div class="commander-legend__columns">
        {spec.columns.map((column, c) => (
          <div key={c} class="commander-legend__column">
            {column.heading && <h3 class="commander-legend__heading">{column.heading}</h3>}
            <ol class="commander-legend__entries">
              {column.entries.map((entry, i) => (
                <li key={i} class="commander-legend__entry">
                  <span class="commander-legend__swatch" style={{ background: entry.colour }} />
                  <span>{entry.label}</span>
                </li>
              ))}
            </ol>
          </div>
        ))}
      </div>
      {spec.notes.map((note) => (
        <p key={note} class="commander-legend__note">{note}</p>
      ))}
    </section>
  );
}
