import type { Lang } from '../i18n';
import type { CoverageMetric } from '../../shared/coverage';

/** The commander's view in both languages; Persian is the reference. */
export interface CommanderStrings {
  open: string;
  title: string;
  close: string;
  programme: string;
  mode: string;
  modes: Record<CoverageMode, string>;
  metric: string;
  metrics: Record<CoverageMetric, string>;
  units: Record<'people' | 'interventions', string>;
  date: string;
  play: string;
  pause: string;
  figures: {
    neighbourhoodsCovered: string;
    countiesReached: string;
    councilsActive: string;
    peopleCovered: string;
    deprivedLeftOut: string;
    ofTotal: (total: string) => string;
  };
  counties: string;
  countyColumns: { county: string; covered: string; population: string; deprived: string };
  sortBy: (column: string) => string;
  gaps: string;
  gapsNone: string;
  gapLine: (county: string, population: string, deprivation: string) => string;
  export: string;
  exportPng: string;
  exportPdf: string;
  exportPdfHint: string;
  exporting: string;
  exportFailed: string;
  legendCovered: string;
  legendUncovered: string;
  legendDeprivation: string;
  legendShade: string;
  legendHexSize: (size: string) => string;
  legendHeatNote: string;
  legendArea: string;
  briefTitle: (programme: string) => string;
  briefDate: (date: string) => string;
  briefFooter: string;
  loadFailed: string;
  closedOn: (date: string) => string;
  km: string;
  m: string;
}

export type CoverageMode = 'choropleth' | 'heat' | 'hex';
export const COVERAGE_MODES: readonly CoverageMode[] = ['choropleth', 'heat', 'hex'];

export const commanderStrings: Record<Lang, CommanderStrings> = {
  fa: {
    open: 'پوشش برنامه‌ها',
    title: 'نمای فرماندهی: پوشش برنامه‌ها',
    close: 'بستن نمای فرماندهی',
    programme: 'برنامه',
    mode: 'نمایش',
    modes: { choropleth: 'پوشش محله‌ها', heat: 'نقشهٔ حرارتی', hex: 'شش‌ضلعی‌ها' },
    metric: 'شاخص',
    metrics: {
      covered_population: 'جمعیت تحت پوشش',
      uncovered_deprived_population: 'جمعیت محروم بیرون از پوشش',
      interventions: 'مداخله‌های در جریان',
    },
    units: { people: 'نفر', interventions: 'مداخله' },
    date: 'تاریخ',
    play: 'پخش تغییرات پوشش در طول زمان',
    pause: 'توقف',
    figures: {
      neighbourhoodsCovered: 'محلهٔ تحت پوشش',
      countiesReached: 'شهرستان',
      councilsActive: 'شورای پیشرفت فعال',
      peopleCovered: 'نفر تحت پوشش',
      deprivedLeftOut: 'نفر محروم بیرون از پوشش',
      ofTotal: (total) => `از ${total}`,
    },
    counties: 'به تفکیک شهرستان',
    countyColumns: { county: 'شهرستان', covered: 'محله‌ها', population: 'جمعیت تحت پوشش', deprived: 'محروم بیرون از پوشش' },
    sortBy: (column) => `مرتب‌سازی بر پایهٔ ${column}`,
    gaps: 'شکاف‌ها: محله‌های محروم بیرون از پوشش',
    gapsNone: 'همهٔ محله‌های محروم زیر پوشش‌اند.',
    gapLine: (county, population, deprivation) => `${county} · ${population} نفر · محرومیت ${deprivation}`,
    export: 'گزارش',
    exportPng: 'تصویر PNG',
    exportPdf: 'گزارش چاپی (PDF)',
    exportPdfHint: 'گزارش A4 در زبانه‌ای تازه، برای چاپ یا ذخیره به PDF',
    exporting: 'در حال ساخت…',
    exportFailed: 'ساخت گزارش انجام نشد',
    legendCovered: 'تحت پوشش',
    legendUncovered: 'بیرون از پوشش',
    legendDeprivation: 'محرومیت',
    legendShade: 'رنگ تیره‌تر: محرومیت بیشتر (۱ تا ۵)',
    legendHexSize: (size) => `ضلع هر شش‌ضلعی ${size}؛ سهم هر محله به نسبت مساحت`,
    legendHeatNote: 'هر محله یک نقطه با وزن شاخص',
    legendArea: 'محدودهٔ محلات نمایشی است',
    briefTitle: (programme) => `گزارش پوشش ${programme}`,
    briefDate: (date) => `وضعیت در ${date}`,
    briefFooter: 'محله‌نما · داده‌های محله نمایشی است',
    loadFailed: 'اطلاعات پوشش بارگذاری نشد',
    closedOn: (date) => `پایان‌یافته در ${date}`,
    km: 'کیلومتر',
    m: 'متر',
  },
  en: {
    open: 'Programme coverage',
    title: "Commander's view: programme coverage",
    close: "Close the commander's view",
    programme: 'Programme',
    mode: 'Show',
    modes: { choropleth: 'Coverage', heat: 'Heatmap', hex: 'Hexagons' },
    metric: 'Metric',
    metrics: {
      covered_population: 'Covered population',
      uncovered_deprived_population: 'Deprived population not covered',
      interventions: 'Interventions under way',
    },
    units: { people: 'people', interventions: 'interventions' },
    date: 'Date',
    play: 'Replay coverage over time',
    pause: 'Pause',
    figures: {
      neighbourhoodsCovered: 'neighbourhoods covered',
      countiesReached: 'counties reached',
      councilsActive: 'progress councils active',
      peopleCovered: 'people covered',
      deprivedLeftOut: 'deprived people left out',
      ofTotal: (total) => `of ${total}`,
    },
    counties: 'By county',
    countyColumns: { county: 'County', covered: 'Neighbourhoods', population: 'People covered', deprived: 'Deprived left out' },
    sortBy: (column) => `Sort by ${column}`,
    gaps: 'Gaps: deprived neighbourhoods not covered',
    gapsNone: 'Every deprived neighbourhood is covered.',
    gapLine: (county, population, deprivation) => `${county} · ${population} people · deprivation ${deprivation}`,
    export: 'Brief',
    exportPng: 'PNG image',
    exportPdf: 'Printable brief (PDF)',
    exportPdfHint: 'An A4 brief in a new tab, to print or save as PDF',
    exporting: 'Preparing…',
    exportFailed: 'Could not make the brief',
    legendCovered: 'Covered',
    legendUncovered: 'Not covered',
    legendDeprivation: 'Deprivation',
    legendShade: 'Darker: more deprived (1 to 5)',
    legendHexSize: (size) => `Hexagon edge ${size}; each neighbourhood shared out by area`,
    legendHeatNote: 'One point per neighbourhood, weighted by the metric',
    legendArea: 'Neighbourhood boundaries are illustrative',
    briefTitle: (programme) => `Coverage brief: ${programme}`,
    briefDate: (date) => `As of ${date}`,
    briefFooter: 'Mahallenama · neighbourhood data are illustrative',
    loadFailed: 'Could not load the coverage figures',
    closedOn: (date) => `closed on ${date}`,
    km: 'km',
    m: 'm',
  },
};
