import { classOf } from '../../shared/classify';
import { formatNumber, type Lang } from '../i18n';

interface Props {
  lang: Lang;
  title: string;
  label: string;
  values: readonly number[];
  breaks: readonly number[];
  colours: readonly string[];
}

const BINS = 24;
const WIDTH = 260;
const HEIGHT = 76;

/**
 * The values' distribution: equal-width bins from the lowest value to the highest, each
 * bar in the colour of its class, and a tick at every class bound, so the reader sees how
 * the method cut the values. Drawn left to right (low to high) in both languages, like the
 * number line.
 */
export function Histogram({ lang, title, label, values, breaks, colours }: Props) {
  const min = breaks[0]!;
  const max = breaks[breaks.length - 1]!;
  const span = max - min || 1;
  const counts = new Array<number>(BINS).fill(0);
  for (const v of values) counts[Math.min(BINS - 1, Math.floor(((v - min) / span) * BINS))]! += 1;
  const highest = Math.max(...counts, 1);
  const barWidth = WIDTH / BINS;
  const x = (v: number) => ((v - min) / span) * WIDTH;
  return (
    <figure class="thematic__histogram">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT + 14}`} role="img" aria-label={label} dir="ltr">
        {counts.map((count, i) => {
          const centre = min + ((i + 0.5) / BINS) * span;
          const h = (count / highest) * HEIGHT;
          return (
            <rect key={i} data-count={count} x={i * barWidth + 0.5} y={HEIGHT - h} width={barWidth - 1} height={h}
              fill={colours[classOf(centre, breaks) ?? 0] ?? '#999'} stroke="#6b7280" stroke-width="0.4" />
          );
        })}
        {breaks.slice(1, -1).map((b) => (
          <line key={b} x1={x(b)} x2={x(b)} y1={0} y2={HEIGHT + 3} stroke="#111827" stroke-width="1" stroke-dasharray="2 2" />
        ))}
        <line x1={0} x2={WIDTH} y1={HEIGHT} y2={HEIGHT} stroke="#6b7280" stroke-width="1" />
        <text x={0} y={HEIGHT + 13} font-size="10" text-anchor="start">{formatNumber(min, lang, 1)}</text>
        <text x={WIDTH} y={HEIGHT + 13} font-size="10" text-anchor="end">{formatNumber(max, lang, 1)}</text>
      </svg>
    </figure>
  );
}
