import type { Lang } from '../i18n';
import type { MappingTarget, RejectReason } from '../../shared/boundaries-schemas';

/** The words of the boundary upload wizard and the boundary history. Persian is the reference. */
export interface UploadStrings {
  open: string;
  title: string;
  close: string;
  tabUpload: string;
  tabHistory: string;
  layer: string;
  layers: { neighbourhoods: string; counties: string };
  mode: string;
  modes: { merge: string; replace: string };
  modeHelp: { merge: string; replace: string };
  file: string;
  fileHelp: string;
  sourceSrs: string;
  sourceSrsHelp: string;
  encoding: string;
  advanced: string;
  read: string;
  reading: string;
  supported: string;
  fileSummary: (format: string, crs: string, count: string) => string;
  mappingTitle: string;
  mappingHelp: string;
  notMapped: string;
  applyMapping: string;
  targets: Record<MappingTarget, string>;
  reportTitle: string;
  accepted: (accepted: string, total: string) => string;
  repaired: string;
  rejected: string;
  reasons: Record<RejectReason, string>;
  countyMatches: string;
  countyMatch: (written: string, county: string) => string;
  nothingAccepted: (total: string) => string;
  byReason: string;
  confirmTitle: string;
  confirmOverlaps: (n: string) => string;
  confirmOutside: (n: string) => string;
  confirmCountyMatches: (n: string) => string;
  confirmCheck: string;
  outside: string;
  outsidePct: (pct: string) => string;
  duplicates: string;
  overlaps: string;
  gaps: string;
  blockers: string;
  blockerRefs: (refs: string) => string;
  defaults: string;
  nothingToReport: string;
  diffTitle: string;
  changes: { added: string; changed: string; removed: string; unchanged: string };
  blocked: string;
  shapeChange: (pct: string) => string;
  attributeChange: (field: string, from: string, to: string) => string;
  feature: (index: string) => string;
  area: (m2: string) => string;
  commit: string;
  committing: string;
  discard: string;
  committed: (version: string) => string;
  discarded: string;
  uploadAnother: string;
  confirmReplace: (removed: string) => string;
  replaceYes: string;
  historyTitle: string;
  current: string;
  version: (n: string) => string;
  seed: string;
  restoredFrom: (n: string) => string;
  counts: (features: string, added: string, changed: string, removed: string) => string;
  restore: string;
  confirmRestore: (n: string) => string;
  cancel: string;
  restored: (n: string, from: string) => string;
  failed: string;
  stale: string;
}

const fa: UploadStrings = {
  open: 'بارگذاری مرزها',
  title: 'مرزهای محلات و شهرستان‌ها',
  close: 'بستن',
  tabUpload: 'بارگذاری فایل',
  tabHistory: 'تاریخچه',
  layer: 'لایه',
  layers: { neighbourhoods: 'محله‌ها', counties: 'شهرستان‌ها' },
  mode: 'شیوهٔ ادغام',
  modes: { merge: 'افزودن و اصلاح', replace: 'جایگزینی کامل' },
  modeHelp: {
    merge: 'مرزهای فایل افزوده یا اصلاح می‌شوند؛ چیزی حذف نمی‌شود.',
    replace: 'فایل همهٔ لایه است: آنچه در فایل نیست حذف می‌شود، مگر مرزهایی که مسئله، مداخله یا پوشش به آن‌ها وابسته است.',
  },
  file: 'فایل',
  fileHelp: 'شیپ‌فایل (zip)، ژئوپکیج، KML/KMZ، ژئوجیسون، FlatGeobuf، GML یا CSV با ستون WKT',
  sourceSrs: 'دستگاه مختصات فایل',
  sourceSrsHelp: 'فقط اگر فایل آن را نمی‌گوید، مثلاً EPSG:32640 برای UTM ناحیهٔ ۴۰ شمالی',
  encoding: 'رمزگذاری متن',
  advanced: 'تنظیمات بیشتر',
  read: 'خواندن فایل',
  reading: 'در حال خواندن…',
  supported: 'قالب‌هایی که خوانده می‌شوند:',
  fileSummary: (format, crs, count) => `${format} · ${crs} · ${count} عارضه`,
  mappingTitle: 'تطبیق فیلدها',
  mappingHelp: 'هر ویژگی محله در کدام فیلد فایل است؟ حدس زده شده؛ در صورت نیاز اصلاح کنید.',
  notMapped: '—',
  applyMapping: 'اعمال تطبیق',
  targets: {
    code: 'کد', name_fa: 'نام فارسی', name_en: 'نام انگلیسی', county: 'شهرستان', population: 'جمعیت',
    households: 'خانوار', deprivation: 'محرومیت', informal: 'سکونتگاه غیررسمی',
  },
  reportTitle: 'گزارش بررسی',
  accepted: (accepted, total) => `${accepted} از ${total} عارضه پذیرفته شد`,
  repaired: 'هندسه‌های اصلاح‌شده',
  rejected: 'عارضه‌های ردشده',
  reasons: {
    empty: 'بدون هندسه', not_polygon: 'چندضلعی نیست', collapsed: 'پس از اصلاح چیزی نماند', missing_code: 'بدون کد',
    missing_name: 'بدون نام', bad_value: 'مقدار نادرست', duplicate_code: 'کد تکراری', unknown_county: 'شهرستان ناشناخته',
    outside_counties: 'بیرون از همهٔ شهرستان‌ها', non_finite: 'مختصات نامعتبر',
  },
  countyMatches: 'شهرستان‌های یافته با املای نزدیک',
  countyMatch: (written, county) => `«${written}» ← ${county} (یافته با املای نزدیک)`,
  nothingAccepted: (total) => `هیچ‌یک از ${total} عارضه پذیرفته نشد. دلیل‌ها:`,
  byReason: 'دلیل‌ها',
  confirmTitle: 'پیش از ثبت بپذیرید',
  confirmOverlaps: (n) => `${n} هم‌پوشانی`,
  confirmOutside: (n) => `${n} عارضهٔ بیرون از محدودهٔ خدمت`,
  confirmCountyMatches: (n) => `${n} شهرستان یافته با املای نزدیک`,
  confirmCheck: 'این‌ها را در گزارش دیده‌ام و با همین‌ها ثبت می‌کنم.',
  outside: 'بیرون از محدودهٔ خدمت',
  outsidePct: (pct) => `${pct}٪ بیرون`,
  duplicates: 'کدهای تکراری',
  overlaps: 'هم‌پوشانی‌ها',
  gaps: 'شکاف‌های درون شهرستان',
  blockers: 'حذف‌نشدنی (وابستگی دارند)',
  blockerRefs: (refs) => `وابسته: ${refs}`,
  defaults: 'مقادیر پیش‌فرض برای محله‌های تازه',
  nothingToReport: 'مشکلی یافت نشد.',
  diffTitle: 'تغییرات',
  changes: { added: 'افزوده', changed: 'تغییریافته', removed: 'حذف‌شده', unchanged: 'بدون تغییر' },
  blocked: 'ماندگار به‌سبب وابستگی',
  shapeChange: (pct) => `تغییر شکل ${pct}٪ مساحت`,
  attributeChange: (field, from, to) => `${field}: ${from} ← ${to}`,
  feature: (index) => `عارضهٔ ${index}`,
  area: (m2) => `${m2} مترمربع`,
  commit: 'ثبت نسخهٔ تازه',
  committing: 'در حال ثبت…',
  discard: 'کنار گذاشتن',
  committed: (version) => `ثبت شد: نسخهٔ ${version}`,
  discarded: 'پیش‌نمایش کنار گذاشته شد.',
  uploadAnother: 'بارگذاری فایل دیگر',
  confirmReplace: (removed) => `${removed} مرز حذف می‌شود. ادامه می‌دهید؟`,
  replaceYes: 'بله، ثبت شود',
  historyTitle: 'نسخه‌های مرزها',
  current: 'نسخهٔ جاری',
  version: (n) => `نسخهٔ ${n}`,
  seed: 'دادهٔ اولیه',
  restoredFrom: (n) => `بازگردانی نسخهٔ ${n}`,
  counts: (features, added, changed, removed) => `${features} مرز · ${added} افزوده · ${changed} تغییر · ${removed} حذف`,
  restore: 'بازگرداندن',
  confirmRestore: (n) => `لایه دقیقاً همانند نسخهٔ ${n} شود؟ این کار خود نسخه‌ای تازه است و بازگشت‌پذیر.`,
  cancel: 'انصراف',
  restored: (n, from) => `نسخهٔ ${n} ساخته شد، برابر نسخهٔ ${from}.`,
  failed: 'انجام نشد',
  stale: 'از زمان این پیش‌نمایش، مرزها تغییر کرده‌اند؛ فایل را دوباره بارگذاری کنید.',
};

const en: UploadStrings = {
  open: 'Upload boundaries',
  title: 'Neighbourhood and county boundaries',
  close: 'Close',
  tabUpload: 'Upload a file',
  tabHistory: 'History',
  layer: 'Layer',
  layers: { neighbourhoods: 'Neighbourhoods', counties: 'Counties' },
  mode: 'Mode',
  modes: { merge: 'Add and change', replace: 'Replace the layer' },
  modeHelp: {
    merge: 'Boundaries in the file are added or changed; nothing is removed.',
    replace: 'The file is the whole layer: what it lacks is removed, except boundaries that problems, interventions or coverage point at.',
  },
  file: 'File',
  fileHelp: 'Shapefile (zip), GeoPackage, KML/KMZ, GeoJSON, FlatGeobuf, GML, or CSV with a WKT column',
  sourceSrs: "File's coordinate system",
  sourceSrsHelp: 'Only when the file does not say, e.g. EPSG:32640 for UTM zone 40N',
  encoding: 'Text encoding',
  advanced: 'More settings',
  read: 'Read the file',
  reading: 'Reading…',
  supported: 'Formats this map reads:',
  fileSummary: (format, crs, count) => `${format} · ${crs} · ${count} features`,
  mappingTitle: 'Field mapping',
  mappingHelp: 'Which field of the file holds each attribute? Guessed from the names; correct it if needed.',
  notMapped: '—',
  applyMapping: 'Apply the mapping',
  targets: {
    code: 'Code', name_fa: 'Persian name', name_en: 'English name', county: 'County', population: 'Population',
    households: 'Households', deprivation: 'Deprivation', informal: 'Informal settlement',
  },
  reportTitle: 'Validation report',
  accepted: (accepted, total) => `${accepted} of ${total} features accepted`,
  repaired: 'Repaired geometries',
  rejected: 'Rejected features',
  reasons: {
    empty: 'no geometry', not_polygon: 'not a polygon', collapsed: 'nothing left after repair', missing_code: 'no code',
    missing_name: 'no name', bad_value: 'bad value', duplicate_code: 'duplicate code', unknown_county: 'unknown county',
    outside_counties: 'in no county', non_finite: 'invalid coordinate',
  },
  countyMatches: 'Counties matched by spelling',
  countyMatch: (written, county) => `"${written}" → ${county} (matched by spelling)`,
  nothingAccepted: (total) => `None of the ${total} features was accepted. The reasons:`,
  byReason: 'Reasons',
  confirmTitle: 'Accept before committing',
  confirmOverlaps: (n) => `${n} overlaps`,
  confirmOutside: (n) => `${n} features outside the service area`,
  confirmCountyMatches: (n) => `${n} counties matched by spelling`,
  confirmCheck: 'I have looked at these in the report and commit with them.',
  outside: 'Outside the service area',
  outsidePct: (pct) => `${pct}% outside`,
  duplicates: 'Duplicate codes',
  overlaps: 'Overlaps',
  gaps: 'Gaps inside a county',
  blockers: 'Kept (other records point at them)',
  blockerRefs: (refs) => `referenced by ${refs}`,
  defaults: 'Defaults for new neighbourhoods',
  nothingToReport: 'No problems found.',
  diffTitle: 'Changes',
  changes: { added: 'added', changed: 'changed', removed: 'removed', unchanged: 'unchanged' },
  blocked: 'kept: referenced',
  shapeChange: (pct) => `shape changed by ${pct}% of its area`,
  attributeChange: (field, from, to) => `${field}: ${from} → ${to}`,
  feature: (index) => `feature ${index}`,
  area: (m2) => `${m2} m²`,
  commit: 'Commit a new version',
  committing: 'Committing…',
  discard: 'Discard',
  committed: (version) => `Committed as version ${version}`,
  discarded: 'The preview was discarded.',
  uploadAnother: 'Upload another file',
  confirmReplace: (removed) => `${removed} boundaries will be removed. Go on?`,
  replaceYes: 'Yes, commit',
  historyTitle: 'Boundary versions',
  current: 'current',
  version: (n) => `Version ${n}`,
  seed: 'initial data',
  restoredFrom: (n) => `restore of version ${n}`,
  counts: (features, added, changed, removed) => `${features} boundaries · ${added} added · ${changed} changed · ${removed} removed`,
  restore: 'Restore',
  confirmRestore: (n) => `Make the layer exactly as it was at version ${n}? This is a new version itself, and can be undone.`,
  cancel: 'Cancel',
  restored: (n, from) => `Version ${n} made, equal to version ${from}.`,
  failed: 'Failed',
  stale: 'The boundaries changed since this preview; upload the file again.',
};

export const uploadStrings: Record<Lang, UploadStrings> = { fa, en };
