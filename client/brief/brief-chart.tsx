import { formatNumber, type Lang } from '../i18n';
import { formatDay } from '../panels/commander-dates';
import { COVERED_COLOURS, UNCOVERED_COLOURS } from '../map/coverage-layers';
import { briefStrings } from './brief-strings';
import { niceCeiling, polylinePoints, type SeriesPoint } from './brief-series';

const PLOT = { width: 260, height: 90 };
/** Room left of the plot for the axis numbers, under it for the dates. */
const GUTTER = { start: 44, bottom: 18, top: 8, end: 8 };

/** A small line chart of people covered and deprived people left out, drawn as SVG (text stays text). */
export function BriefChart({ points, area, lang }: { points: readonly SeriesPoint[]; area?: string | undefined; lang: Lang }) {
  const t = briefStrings[lang];
  const top = niceCeiling(Math.max(...points.map((p) => Math.max(p.covered, p.leftOut)), 0));
  const covered = COVERED_COLOURS[4];
  const leftOut = UNCOVERED_COLOURS[4];
  const width = GUTTER.start + PLOT.width + GUTTER.end;
  const height = GUTTER.top + PLOT.height + GUTTER.bottom;
  const first = points[0];
  const last = points[points.length - 1];
  return (
    <figure class="brief-chart">
      {/* Time runs left to right in both languages, as on the slider's track. */}
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={t.overTime} dir="ltr">
        <g transform={`translate(${GUTTER.start} ${GUTTER.top})`}>
          {[0, 0.5, 1].map((f) => (
            <g key={f}>
              <line x1={0} x2={PLOT.width} y1={PLOT.height * (1 - f)} y2={PLOT.height * (1 - f)} class="brief-chart__grid" />
              <text x={-4} y={PLOT.height * (1 - f) + 3} text-anchor="end" class="brief-chart__tick">{formatNumber(top * f, lang)}</text>
            </g>
          ))}
          <polyline points={polylinePoints(points, (p) => p.leftOut, top, PLOT)} fill="none" stroke={leftOut} stroke-width={2} />
          <polyline points={polylinePoints(points, (p) => p.covered, top, PLOT)} fill="none" stroke={covered} stroke-width={2} />
          {first && <text x={0} y={PLOT.height + 13} class="brief-chart__tick">{formatDay(first.at, lang, 'month')}</text>}
          {last && <text x={PLOT.width} y={PLOT.height + 13} text-anchor="end" class="brief-chart__tick">{formatDay(last.at, lang, 'month')}</text>}
        </g>
      </svg>
      <figcaption>
        <span class="brief-key"><span class="brief-key__line" style={{ background: covered }} />{t.seriesCovered}</span>
        <span class="brief-key"><span class="brief-key__line" style={{ background: leftOut }} />{t.seriesLeftOut}</span>
        <span class="brief-chart__note">{t.overTimeNote(formatNumber(points.length, lang), area)}</span>
      </figcaption>
    </figure>
  );
}
