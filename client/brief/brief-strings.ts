import type { Lang } from '../i18n';

/** The printed brief's own words; figures, table columns and legend come from the commander's view. */
export interface BriefStrings {
  print: string;
  orientation: string;
  landscape: string;
  portrait: string;
  area: string;
  province: string;
  preparing: string;
  mapAlt: (area: string) => string;
  north: string;
  scale: string;
  overTime: string;
  /** area: the county's name; absent for the province. */
  overTimeNote: (samples: string, area?: string) => string;
  seriesCovered: string;
  seriesLeftOut: string;
  topGaps: string;
  countyTable: string;
  made: (date: string) => string;
  attribution: string;
  failed: string;
  errors: Record<BriefErrorCode, string>;
}

export type BriefErrorCode = 'programme' | 'coverage' | 'counties' | 'map' | 'map-timeout';

export const briefStrings: Record<Lang, BriefStrings> = {
  fa: {
    print: 'چاپ یا ذخیره به PDF',
    orientation: 'جهت برگه',
    landscape: 'افقی',
    portrait: 'عمودی',
    area: 'محدوده',
    province: 'استان کرمان',
    preparing: 'در حال آماده‌سازی گزارش…',
    mapAlt: (area) => `نقشهٔ پوشش محله‌ها در ${area}`,
    north: 'ش',
    scale: 'مقیاس',
    overTime: 'پوشش در طول زمان',
    overTimeNote: (samples, area) => `${samples} نمونه از آغاز برنامه تا تاریخ گزارش، ${area ?? 'کل استان'}`,
    seriesCovered: 'نفر تحت پوشش',
    seriesLeftOut: 'نفر محروم بیرون از پوشش',
    topGaps: 'بزرگ‌ترین شکاف‌ها: محله‌های محروم بیرون از پوشش',
    countyTable: 'پوشش به تفکیک شهرستان',
    made: (date) => `ساخته‌شده در محله‌نما، ${date}`,
    attribution: 'مرز شهرستان‌ها: © مشارکت‌کنندگان OpenStreetMap (ODbL) · نام مکان‌ها: GeoNames (CC BY 4.0)',
    failed: 'گزارش ساخته نشد',
    errors: {
      programme: 'این برنامه پیدا نشد؛ از نمای فرماندهی دوباره گزارش بگیرید.',
      coverage: 'اطلاعات پوشش از سرور نرسید؛ اتصال را بررسی کنید و صفحه را دوباره باز کنید.',
      counties: 'مرز شهرستان‌ها از سرور نرسید؛ نقشه را نمی‌توان قاب گرفت.',
      map: 'نقشه بارگذاری نشد (کاشی‌های نقشه از سرور نرسید).',
      'map-timeout': 'نقشه به‌موقع بارگذاری نشد؛ صفحه را دوباره باز کنید.',
    },
  },
  en: {
    print: 'Print or save as PDF',
    orientation: 'Page',
    landscape: 'Landscape',
    portrait: 'Portrait',
    area: 'Area',
    province: 'Kerman province',
    preparing: 'Preparing the brief…',
    mapAlt: (area) => `Map of neighbourhood coverage in ${area}`,
    north: 'N',
    scale: 'Scale',
    overTime: 'Coverage over time',
    overTimeNote: (samples, area) => `${samples} samples from the programme's start to the brief's date, ${area ?? 'whole province'}`,
    seriesCovered: 'people covered',
    seriesLeftOut: 'deprived people left out',
    topGaps: 'Largest gaps: deprived neighbourhoods not covered',
    countyTable: 'Coverage by county',
    made: (date) => `Made with Mahallenama on ${date}`,
    attribution: 'County boundaries © OpenStreetMap contributors (ODbL) · place names GeoNames (CC BY 4.0)',
    failed: 'The brief could not be made',
    errors: {
      programme: 'This programme was not found; open the brief again from the commander’s view.',
      coverage: 'The coverage figures did not arrive from the server; check the connection and reload the page.',
      counties: 'The county boundaries did not arrive from the server, so the map cannot be framed.',
      map: 'The map did not load (its tiles did not arrive from the server).',
      'map-timeout': 'The map did not finish loading in time; reload the page.',
    },
  },
};

/** A failure the brief explains to the reader, by code. */
export class BriefError extends Error {
  constructor(readonly code: BriefErrorCode, options?: { cause?: unknown }) {
    super(`brief: ${code}`, options);
    this.name = 'BriefError';
  }
}
