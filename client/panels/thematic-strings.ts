import type { Lang } from '../i18n';
import type { ClassMethod } from '../../shared/classify';

/** The words of the thematic map. Persian is the reference. */
export interface ThematicStrings {
  open: string;
  title: string;
  close: string;
  indicator: string;
  off: string;
  groups: { builtin: string; imported: string; composite: string };
  method: string;
  methods: Record<ClassMethod, string>;
  classes: string;
  breaks: string;
  breaksHelp: string;
  noValue: string;
  neighbourhoods: (count: string) => string;
  histogram: string;
  histogramLabel: (name: string) => string;
  top: string;
  loading: string;
  failed: string;
  noValues: string;
  composite: {
    title: string;
    name: string;
    slug: string;
    slugHelp: string;
    weight: (name: string) => string;
    weightHelp: string;
    save: string;
    saved: (name: string) => string;
    fewParts: string;
    remove: string;
  };
  import: {
    title: string;
    file: string;
    name: string;
    slug: string;
    unit: string;
    send: string;
    matched: (matched: string, rows: string) => string;
    column: (column: string, values: string) => string;
    nonNumeric: (rows: string) => string;
    unknown: (rows: string) => string;
    duplicates: (codes: string) => string;
    missing: (rows: string) => string;
    undecodable: (rows: string) => string;
    without: (count: string) => string;
    commit: string;
    discard: string;
    committed: (version: string) => string;
  };
}

export const thematicStrings: Record<Lang, ThematicStrings> = {
  fa: {
    open: 'نقشهٔ موضوعی',
    title: 'نقشهٔ موضوعی',
    close: 'بستن',
    indicator: 'شاخص',
    off: 'بدون نقشهٔ موضوعی',
    groups: { builtin: 'شاخص‌های برنامه', imported: 'جدول‌های واردشده', composite: 'شاخص‌های ترکیبی' },
    method: 'روش طبقه‌بندی',
    methods: { quantiles: 'چندک (تعداد برابر)', equal: 'فاصله‌های برابر', ckmeans: 'شکست‌های طبیعی (جنکس)', manual: 'مرزهای دستی' },
    classes: 'شمار طبقه‌ها',
    breaks: 'مرزها',
    breaksHelp: 'عددها را با ویرگول یا فاصله جدا کنید، مثلاً ۱۰۰۰، ۵۰۰۰',
    noValue: 'بدون مقدار',
    neighbourhoods: (count) => `${count} محله`,
    histogram: 'توزیع مقدارها',
    histogramLabel: (name) => `نمودار توزیع ${name}`,
    top: 'بیشترین مقدارها',
    loading: 'در حال بارگیری…',
    failed: 'مقدارهای این شاخص دریافت نشد. دوباره بکوشید.',
    noValues: 'هیچ محله‌ای برای این شاخص مقدار ندارد.',
    composite: {
      title: 'شاخص ترکیبی تازه',
      name: 'نام شاخص',
      slug: 'نام لاتین',
      slugHelp: 'حروف کوچک لاتین، رقم و _ ، مثلاً need_index',
      weight: (name) => `وزن ${name}`,
      weightHelp: 'وزن منفی یعنی مقدار کمتر بدتر است (مثلاً فاصله تا خدمات).',
      save: 'ساختن و نمایش',
      saved: (name) => `«${name}» ساخته شد.`,
      fewParts: 'دست‌کم دو شاخص با وزن غیرصفر برگزینید.',
      remove: 'حذف این شاخص ترکیبی',
    },
    import: {
      title: 'وارد کردن جدول شاخص',
      file: 'پرونده (CSV یا XLSX، با ستون کد محله)',
      name: 'نام شاخص',
      slug: 'نام لاتین',
      unit: 'واحد',
      send: 'بارگذاری و پیش‌نمایش',
      matched: (matched, rows) => `${matched} ردیف از ${rows} ردیف با کد یک محله جور شد.`,
      column: (column, values) => `ستون «${column}»: ${values} مقدار`,
      nonNumeric: (rows) => `نه عدد در ردیف‌های ${rows}`,
      unknown: (rows) => `کد ناشناخته در ردیف‌های ${rows}`,
      duplicates: (codes) => `کد تکراری (وارد نمی‌شود): ${codes}`,
      missing: (rows) => `بدون کد در ردیف‌های ${rows}`,
      undecodable: (rows) => `نویسه‌های ناخوانا (رمزگذاری نادرست) در ردیف‌های ${rows}`,
      without: (count) => `${count} محله در جدول نیست و بی‌مقدار می‌ماند.`,
      commit: 'ثبت نسخهٔ تازه',
      discard: 'کنار گذاشتن',
      committed: (version) => `ثبت شد: نسخهٔ ${version}.`,
    },
  },
  en: {
    open: 'Thematic map',
    title: 'Thematic map',
    close: 'Close',
    indicator: 'Indicator',
    off: 'No thematic map',
    groups: { builtin: 'Programme indicators', imported: 'Imported tables', composite: 'Composite indices' },
    method: 'Classification',
    methods: { quantiles: 'Quantiles (equal counts)', equal: 'Equal intervals', ckmeans: 'Natural breaks (Jenks)', manual: 'Manual breaks' },
    classes: 'Classes',
    breaks: 'Breaks',
    breaksHelp: 'Numbers separated by commas or spaces, e.g. 1000, 5000',
    noValue: 'No value',
    neighbourhoods: (count) => `${count} neighbourhoods`,
    histogram: 'Distribution of values',
    histogramLabel: (name) => `Histogram of ${name}`,
    top: 'Highest values',
    loading: 'Loading…',
    failed: 'The values of this indicator could not be fetched. Try again.',
    noValues: 'No neighbourhood has a value for this indicator.',
    composite: {
      title: 'New composite index',
      name: 'Name',
      slug: 'Latin name',
      slugHelp: 'lower-case Latin letters, digits and _, e.g. need_index',
      weight: (name) => `Weight of ${name}`,
      weightHelp: 'A negative weight means lower is worse (e.g. distance to services).',
      save: 'Create and show',
      saved: (name) => `“${name}” created.`,
      fewParts: 'Choose at least two indicators with a non-zero weight.',
      remove: 'Delete this composite index',
    },
    import: {
      title: 'Import an indicator table',
      file: 'File (CSV or XLSX, with a neighbourhood code column)',
      name: 'Name (Persian)',
      slug: 'Latin name',
      unit: 'Unit',
      send: 'Upload and preview',
      matched: (matched, rows) => `${matched} of ${rows} rows matched a neighbourhood's code.`,
      column: (column, values) => `Column “${column}”: ${values} values`,
      nonNumeric: (rows) => `not a number in rows ${rows}`,
      unknown: (rows) => `unknown code in rows ${rows}`,
      duplicates: (codes) => `repeated codes (not imported): ${codes}`,
      missing: (rows) => `no code in rows ${rows}`,
      undecodable: (rows) => `unreadable characters (wrong encoding) in rows ${rows}`,
      without: (count) => `${count} neighbourhoods are not in the table and have no value.`,
      commit: 'Commit as a new version',
      discard: 'Discard',
      committed: (version) => `Committed: version ${version}.`,
    },
  },
};
