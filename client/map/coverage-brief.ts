import type { Map as MapLibreMap } from 'maplibre-gl';
import type { Lang } from '../i18n';
import type { CoverageLegendSpec } from './coverage-layers';

/**
 * The commander's brief: the map as it stands, with a title, the date, the headline
 * figures, the legend, a scale bar and the attribution, drawn on one canvas for a
 * meeting where nobody opens the app.
 *
 *   ┌──────────────────────────────────────────────┐
 *   │ title                                  date  │  header
 *   │ figure · figure · figure · figure · figure   │
 *   ├──────────────────────────────────────────────┤
 *   │                  the map                     │
 *   │ [legend]                       [scale bar]   │  (sides follow the language)
 *   ├──────────────────────────────────────────────┤
 *   │ © OpenStreetMap contributors · footer        │  footer
 *   └──────────────────────────────────────────────┘
 */
export interface BriefContent {
  lang: Lang;
  title: string;
  dateLine: string;
  figures: { value: string; label: string }[];
  legend: CoverageLegendSpec;
  attribution: string;
  footer: string;
  /** Words for the scale bar. */
  units: { km: string; m: string };
  formatNumber(value: number): string;
}

/** Web-mercator metres per CSS pixel at the map's centre (MapLibre's 512-pixel tiles). */
export function metresPerPixel(zoom: number, latitude: number): number {
  return (40_075_016.686 * Math.cos((latitude * Math.PI) / 180)) / (512 * 2 ** zoom);
}

/** The longest round distance (1, 2 or 5 × 10^k metres) whose bar fits in maxPixels. */
export function scaleBar(metresPerPx: number, maxPixels: number): { metres: number; pixels: number } {
  const most = metresPerPx * maxPixels;
  const power = 10 ** Math.floor(Math.log10(most));
  const metres = [5, 2, 1].map((m) => m * power).find((d) => d <= most) ?? power;
  return { metres, pixels: metres / metresPerPx };
}

// Both families of fonts.css: Latin letters from Vazirmatn's Latin files, Persian from its Arabic ones.
const FONT = "'Vazirmatn Latin', Vazirmatn, system-ui, sans-serif";

/**
 * A copy of the map's drawing buffer. Read during the `render` event, while the frame
 * just drawn is still in the buffer, so the map needs no preserveDrawingBuffer (which
 * slows every frame).
 */
function captureMap(map: MapLibreMap): Promise<HTMLCanvasElement> {
  return new Promise((resolve) => {
    map.once('render', () => {
      const source = map.getCanvas();
      const copy = document.createElement('canvas');
      copy.width = source.width;
      copy.height = source.height;
      copy.getContext('2d')!.drawImage(source, 0, 0);
      resolve(copy);
    });
    map.triggerRepaint();
  });
}

export async function composeBrief(map: MapLibreMap, content: BriefContent): Promise<HTMLCanvasElement> {
  await Promise.all([document.fonts.load(`700 20px ${FONT}`), document.fonts.load(`400 14px ${FONT}`)]);
  const shot = await captureMap(map);
  const container = map.getContainer();
  const scale = shot.width / Math.max(1, container.clientWidth);
  const width = container.clientWidth;
  const mapHeight = container.clientHeight;
  const header = 128;
  const footer = 34;

  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round((header + mapHeight + footer) * scale);
  const ctx = canvas.getContext('2d')!;
  ctx.scale(scale, scale);
  const rtl = content.lang === 'fa';
  ctx.direction = rtl ? 'rtl' : 'ltr';
  const margin = 20;
  const startX = rtl ? width - margin : margin;
  const endX = rtl ? margin : width - margin;

  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, header + mapHeight + footer);

  // Header: title and date on one line, the figures under them.
  ctx.fillStyle = '#1c1917';
  ctx.textBaseline = 'alphabetic';
  ctx.textAlign = 'start';
  ctx.font = `700 22px ${FONT}`;
  ctx.fillText(content.title, startX, 38);
  ctx.textAlign = 'end';
  ctx.font = `500 15px ${FONT}`;
  ctx.fillStyle = '#57534e';
  ctx.fillText(content.dateLine, endX, 38);

  const cell = (width - 2 * margin) / Math.max(1, content.figures.length);
  content.figures.forEach((figure, i) => {
    const x = rtl ? width - margin - i * cell : margin + i * cell;
    ctx.textAlign = 'start';
    ctx.fillStyle = '#3d3156';
    ctx.font = `700 24px ${FONT}`;
    ctx.fillText(figure.value, x, 82, cell - 8);
    ctx.fillStyle = '#57534e';
    ctx.font = `400 13px ${FONT}`;
    ctx.fillText(figure.label, x, 106, cell - 8);
  });

  ctx.drawImage(shot, 0, header, width, mapHeight);
  ctx.strokeStyle = '#e7e2da';
  ctx.strokeRect(0.5, header + 0.5, width - 1, mapHeight - 1);

  drawLegend(ctx, content, { rtl, width, top: header, bottom: header + mapHeight });
  drawScale(ctx, map, content, { rtl, width, bottom: header + mapHeight });

  ctx.textAlign = 'start';
  ctx.fillStyle = '#57534e';
  ctx.font = `400 12.5px ${FONT}`;
  // The county boundaries are OpenStreetMap data (ODbL): every export says so.
  ctx.direction = 'ltr';
  ctx.textAlign = rtl ? 'left' : 'right';
  ctx.fillText(content.attribution, rtl ? margin : width - margin, header + mapHeight + 22);
  ctx.direction = rtl ? 'rtl' : 'ltr';
  ctx.textAlign = 'start';
  ctx.fillText(content.footer, startX, header + mapHeight + 22);
  return canvas;
}

function drawLegend(ctx: CanvasRenderingContext2D, content: BriefContent, box: { rtl: boolean; width: number; top: number; bottom: number }): void {
  const { legend } = content;
  const rowHeight = 19;
  const columnWidth = legend.columns.length > 1 ? 128 : 210;
  const rows = Math.max(...legend.columns.map((c) => c.entries.length + (c.heading ? 1 : 0)));
  const width = Math.max(columnWidth * legend.columns.length + 24, 230);
  const height = 34 + rows * rowHeight + legend.notes.length * 17 + 10;
  // The legend sits at the bottom on the inline-end side, as in the app.
  const left = box.rtl ? 12 : box.width - width - 12;
  const top = box.bottom - height - 12;
  ctx.fillStyle = 'rgba(255,255,255,0.94)';
  ctx.strokeStyle = '#d6d3d1';
  ctx.beginPath();
  ctx.roundRect(left, top, width, height, 8);
  ctx.fill();
  ctx.stroke();

  const start = box.rtl ? left + width - 12 : left + 12;
  const dir = box.rtl ? -1 : 1;
  ctx.textAlign = 'start';
  ctx.fillStyle = '#1c1917';
  ctx.font = `700 14px ${FONT}`;
  ctx.fillText(legend.title, start, top + 22, width - 24);
  legend.columns.forEach((column, c) => {
    let y = top + 34;
    const x = start + dir * c * columnWidth;
    if (column.heading) {
      ctx.fillStyle = '#1c1917';
      ctx.font = `500 12.5px ${FONT}`;
      ctx.fillText(column.heading, x, y + 13);
      y += rowHeight;
    }
    for (const entry of column.entries) {
      ctx.fillStyle = entry.colour;
      const swatchX = box.rtl ? x - 20 : x;
      ctx.fillRect(swatchX, y + 3, 20, 12);
      ctx.strokeStyle = 'rgba(0,0,0,0.15)';
      ctx.strokeRect(swatchX + 0.5, y + 3.5, 19, 11);
      ctx.fillStyle = '#292524';
      ctx.font = `400 12px ${FONT}`;
      ctx.fillText(entry.label, x + dir * 26, y + 13, columnWidth - 30);
      y += rowHeight;
    }
  });
  let y = top + 34 + rows * rowHeight + 12;
  ctx.fillStyle = '#78716c';
  ctx.font = `400 11.5px ${FONT}`;
  for (const note of legend.notes) {
    ctx.fillText(note, start, y, width - 24);
    y += 17;
  }
}

function drawScale(ctx: CanvasRenderingContext2D, map: MapLibreMap, content: BriefContent, box: { rtl: boolean; width: number; bottom: number }): void {
  const { lat } = map.getCenter();
  const { metres, pixels } = scaleBar(metresPerPixel(map.getZoom(), lat), 140);
  const label = metres >= 1000 ? `${content.formatNumber(metres / 1000)} ${content.units.km}` : `${content.formatNumber(metres)} ${content.units.m}`;
  // Opposite the legend: bottom inline-start.
  const right = box.rtl ? box.width - 16 : 16 + pixels;
  const left = right - pixels;
  const y = box.bottom - 18;
  ctx.fillStyle = 'rgba(255,255,255,0.9)';
  ctx.fillRect(left - 8, y - 24, pixels + 16, 34);
  ctx.strokeStyle = '#1c1917';
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.moveTo(left, y - 6);
  ctx.lineTo(left, y);
  ctx.lineTo(right, y);
  ctx.lineTo(right, y - 6);
  ctx.stroke();
  ctx.lineWidth = 1;
  ctx.fillStyle = '#1c1917';
  ctx.font = `500 12px ${FONT}`;
  ctx.textAlign = 'center';
  ctx.fillText(label, (left + right) / 2, y - 9);
}

export function canvasBlob(canvas: HTMLCanvasElement, type: 'image/png' | 'image/jpeg', quality?: number): Promise<Blob> {
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error(`the browser could not encode ${type}`))), type, quality),
  );
}

/** Hands a file to the browser's download machinery. */
export function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the URL; it can go once the click is handled.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
