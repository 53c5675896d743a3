import { formatNumber, type Lang } from '../i18n';
import type { ReasonValues, RejectReason } from '../../shared/boundaries-schemas';

/**
 * The upload's rejections and refusals in the user's language, worded from the stable
 * reason code and its values that the server sends (server/boundaries/errors.ts,
 * feature-attributes.ts, validate.ts). The server's English message is only the fallback
 * for a code this client does not know yet.
 */

type Values = ReasonValues;

const TARGETS: Record<Lang, Record<string, string>> = {
  fa: {
    code: 'کد', name_fa: 'نام فارسی', name_en: 'نام انگلیسی', county: 'شهرستان', population: 'جمعیت',
    households: 'خانوار', deprivation: 'محرومیت', informal: 'سکونتگاه غیررسمی',
  },
  en: {
    code: 'code', name_fa: 'Persian name', name_en: 'English name', county: 'county', population: 'population',
    households: 'households', deprivation: 'deprivation', informal: 'informal settlement',
  },
};

const GEOMETRY_TYPES: Record<Lang, Record<string, string>> = {
  fa: { POINT: 'نقطه', MULTIPOINT: 'چند نقطه', LINESTRING: 'خط', MULTILINESTRING: 'چند خط', GEOMETRYCOLLECTION: 'مجموعه‌ای بی‌سطح' },
  en: { POINT: 'a point', MULTIPOINT: 'points', LINESTRING: 'a line', MULTILINESTRING: 'lines', GEOMETRYCOLLECTION: 'a collection without areas' },
};

function text(values: Values, key: string): string {
  const value = values[key];
  if (value === null || value === undefined) return '';
  return Array.isArray(value) ? value.join(', ') : String(value);
}

/** Numbers in the interface's digits; the largest 32-bit integer reads as "no upper limit". */
function number(values: Values, key: string, lang: Lang): string {
  const value = values[key];
  return typeof value === 'number' ? formatNumber(value, lang) : text(values, key);
}

/** Why a feature was rejected, as a sentence. */
export function rejectionText(reason: RejectReason, values: Values, lang: Lang): string {
  const target = TARGETS[lang][text(values, 'target')] ?? text(values, 'target');
  const field = text(values, 'field');
  const value = text(values, 'value');
  const max = values.max === 2_147_483_647 ? null : number(values, 'max', lang);
  const min = number(values, 'min', lang);
  const indexes = Array.isArray(values.indexes) ? values.indexes.map((i) => formatNumber(i + 1, lang)) : [];
  const type = GEOMETRY_TYPES[lang][text(values, 'geometry_type')] ?? text(values, 'geometry_type');
  if (lang === 'fa') {
    switch (reason) {
      case 'empty': return 'هندسه ندارد.';
      case 'not_polygon': return `${type || 'هندسهٔ آن'} است، نه چندضلعی؛ مرز باید سطح باشد.`;
      case 'collapsed': return 'پس از اصلاح هندسه چیزی از آن نماند.';
      case 'non_finite': return `مختصاتی نامعتبر دارد (${value})؛ همهٔ مختصات باید عدد باشند.`;
      case 'missing_code':
      case 'missing_name':
        return field ? `فیلد «${field}» (${target}) خالی است.` : `هیچ فیلدی به «${target}» نسبت داده نشده است؛ در تطبیق فیلدها آن را انتخاب کنید.`;
      case 'bad_value':
        if (text(values, 'target') === 'informal') return `«${value}» در فیلد «${field}» بله یا خیر نیست.`;
        return `«${value}» در فیلد «${field}» (${target}) عدد صحیح ${max ? `از ${min} تا ${max}` : `${min} یا بیشتر`} نیست.`;
      case 'duplicate_code': return `کد «${value}» روی عارضه‌های ${indexes.join('، ')} آمده است؛ کدام درست است؟`;
      case 'unknown_county': return `شهرستانی با کد یا نام «${value}» (فیلد «${field}») پیدا نشد.`;
      case 'outside_counties': return 'در هیچ شهرستانی نیست؛ فیلد شهرستان را نسبت دهید یا موقعیت را اصلاح کنید.';
    }
  }
  switch (reason) {
    case 'empty': return 'it has no geometry.';
    case 'not_polygon': return `it is ${type || 'not an area'}, not a polygon; a boundary must be an area.`;
    case 'collapsed': return 'nothing is left of it when its geometry is repaired.';
    case 'non_finite': return `it has an invalid coordinate (${value}); every coordinate must be a number.`;
    case 'missing_code':
    case 'missing_name':
      return field ? `the field "${field}" (${target}) is empty.` : `no field is mapped to ${target}; choose one in the field mapping.`;
    case 'bad_value':
      if (text(values, 'target') === 'informal') return `"${value}" in the field "${field}" is not yes or no.`;
      return `"${value}" in the field "${field}" (${target}) is not a whole number ${max ? `from ${min} to ${max}` : `of ${min} or more`}.`;
    case 'duplicate_code': return `the code "${value}" is on features ${indexes.join(', ')}; which one is right?`;
    case 'unknown_county': return `no county has the code or name "${value}" (field "${field}").`;
    case 'outside_counties': return 'it lies in no county; map a county field or correct its position.';
  }
}

/** Why an upload, a commit or a restore was refused; undefined for a code this client does not know. */
export function refusalText(code: string, values: Values, lang: Lang): string | undefined {
  const v = (key: string) => text(values, key);
  const n = (key: string) => number(values, key, lang);
  const fa: Record<string, () => string> = {
    unsupported_format: () => `«${v('file')}» در قالبی نیست که این نقشه می‌خواند.`,
    wrong_format: () => `«${v('file')}» در قالبی که نامش می‌گوید نیست، یا قالبی نیست که این نقشه می‌خواند.`,
    shapefile_parts: () => 'شیپ‌فایل چند فایل است: ‎.shp، ‎.shx، ‎.dbf، ‎.prj و ‎.cpg را در یک فایل zip بگذارید و آن را بارگذاری کنید.',
    not_zip: () => `«${v('file')}» فایل zip نیست یا آسیب دیده است.`,
    zip_damaged: () => 'فایل zip خوانده نمی‌شود؛ آسیب دیده یا ناقص است.',
    zip_encrypted: () => `«${v('entry')}» در zip رمز دارد؛ zip را بدون رمز بسازید.`,
    zip_method: () => `«${v('entry')}» با روشی فشرده شده که خوانده نمی‌شود؛ zip را با فشرده‌سازی معمولی بسازید.`,
    zip_too_many_entries: () => `zip ${n('entries')} فایل دارد؛ حداکثر ${n('max_entries')} پذیرفته می‌شود.`,
    zip_too_large: () => `محتوای zip از ${n('limit_mb')} مگابایت بیشتر است.`,
    zip_bomb: () => `«${v('entry')}» از اندازه‌ای که zip برایش می‌گوید بزرگ‌تر باز می‌شود.`,
    zip_symlink: () => `«${v('entry')}» در zip پیوند نمادین است؛ پیوند پذیرفته نمی‌شود.`,
    zip_unsafe_name: () => `مسیر «${v('entry')}» در zip به بیرون از پوشهٔ آن اشاره می‌کند.`,
    zip_entry_twice: () => `«${v('entry')}» دو بار در zip آمده است.`,
    zip_several_datasets: () => `zip چند مجموعه‌داده دارد (${v('files')})؛ فقط یکی را بارگذاری کنید.`,
    zip_no_dataset: () => 'در zip فایلی نیست که این نقشه بخواند.',
    no_features: () => `«${v('file')}» هیچ لایه‌ای با عارضه ندارد.`,
    csv_no_geometry: () => 'فایل CSV هندسه ندارد: ستونی به نام WKT، geometry یا geom (با WKT) یا ستون‌های طول و عرض جغرافیایی (lon و lat) لازم است.',
    missing_crs: () => `«${v('file')}» نمی‌گوید در کدام دستگاه مختصات است و مختصاتش طول و عرض جغرافیایی نیست. آن را با فایل ‎.prj بارگذاری کنید، یا دستگاه مختصات را در «تنظیمات بیشتر» بدهید (مثلاً EPSG:32640 برای UTM ناحیهٔ ۴۰ شمالی).`,
    unknown_crs: () => `«${v('value')}» دستگاه مختصاتی نیست که شناخته شود؛ مثلاً EPSG:32640 بدهید.`,
    unknown_encoding: () => `«${v('value')}» رمزگذاری متنی نیست که این سرور بخواند؛ مثلاً CP1256 یا UTF-8 بدهید.`,
    damaged: () => `«${v('file')}» آسیب دیده است؛ همهٔ عارضه‌هایش خوانده نشد.`,
    gdal_open: () => `«${v('file')}» باز نشد؛ فایل آسیب دیده یا در قالبی دیگر است.`,
    gdal_read: () => `عارضه‌های «${v('file')}» خوانده نشد؛ فایل آسیب دیده است.`,
    layer_name: () => `نام لایهٔ «${v('value')}» با «-» شروع می‌شود؛ آن را تغییر دهید.`,
    mapping_not_object: () => 'تطبیق فیلدها درست فرستاده نشد.',
    mapping_unknown_target: () => `«${v('target')}» ویژگی این لایه نیست.`,
    mapping_not_field: () => `برای «${TARGETS.fa[v('target')] ?? v('target')}» نام یک فیلد فایل را انتخاب کنید.`,
    mapping_unknown_field: () => `فایل فیلدی به نام «${v('value')}» ندارد؛ فیلدهایش: ${v('fields') || '(هیچ)'}.`,
    invalid_option: () => `مقدار «${v('value')}» پذیرفته نیست؛ یکی از این‌ها: ${v('allowed')}.`,
    not_multipart: () => 'فایل به شکل درست فرستاده نشد.',
    one_file: () => 'دقیقاً یک فایل انتخاب کنید.',
    empty_file: () => `«${v('file')}» خالی است.`,
    file_too_large: () => `فایل از ${n('limit_mb')} مگابایت، بیشترین اندازهٔ بارگذاری، بزرگ‌تر است.`,
    archive_too_large: () => 'محتوای zip بیش از اندازه بزرگ است.',
    unsafe_archive: () => 'zip مسیری ناامن دارد.',
    unreadable_file: () => 'فایل خوانده نشد؛ آسیب دیده است.',
    stale_preview: () => 'از زمان این پیش‌نمایش، مرزها تغییر کرده‌اند؛ فایل را دوباره بارگذاری کنید.',
    staged_gone: () => 'پیش‌نمایش دیگر روی سرور نیست (سرور دوباره راه افتاده است؟)؛ فایل را دوباره بارگذاری کنید.',
    now_referenced: () => `از زمان پیش‌نمایش، رکوردهای دیگری به مرزهایی که حذف می‌شدند وابسته شده‌اند (${v('codes')})؛ فایل را دوباره بارگذاری کنید.`,
    not_preview: () => v('status') === 'committed'
      ? `این بارگذاری پیش‌تر به‌عنوان نسخهٔ ${n('version')} ثبت شده است.`
      : v('status') === 'expired'
        ? 'این پیش‌نمایش کهنه شده و دیگر نگه داشته نمی‌شود؛ فایل را دوباره بارگذاری کنید.'
        : 'این پیش‌نمایش کنار گذاشته شده است؛ فایل را دوباره بارگذاری کنید.',
    confirmation_required: () => 'پیش از ثبت، هم‌پوشانی‌ها، عارضه‌های بیرون از محدوده و شهرستان‌های یافته با املای نزدیک را بپذیرید.',
    restore_blocked: () => `نسخهٔ ${n('version')} ${n('count')} مرز ندارد که رکوردهای دیگر هنوز به آن‌ها وابسته‌اند؛ نخست آن رکوردها را جابه‌جا کنید.`,
    restore_orphans: () => `نسخهٔ ${n('version')} محله‌هایی (${v('codes')}) را در شهرستان‌هایی می‌گذارد که دیگر نیستند؛ نخست شهرستان‌ها را بازگردانید.`,
  };
  const en: Record<string, () => string> = {
    unsupported_format: () => `"${v('file')}" is not in a format this map reads.`,
    wrong_format: () => `"${v('file')}" is not in the format its name says, or not one this map reads.`,
    shapefile_parts: () => 'A shapefile is several files: put the .shp, .shx, .dbf, .prj and .cpg in one .zip and upload that.',
    not_zip: () => `"${v('file')}" is not a zip archive, or it is damaged.`,
    zip_damaged: () => 'The zip cannot be read; it is damaged or truncated.',
    zip_encrypted: () => `"${v('entry')}" is encrypted; upload a zip without a password.`,
    zip_method: () => `"${v('entry')}" uses a compression this server cannot read; re-create the zip with ordinary compression.`,
    zip_too_many_entries: () => `The zip holds ${n('entries')} files; at most ${n('max_entries')} are accepted.`,
    zip_too_large: () => `The zip expands to more than ${n('limit_mb')} MB.`,
    zip_bomb: () => `"${v('entry')}" expands beyond the size the zip declares for it.`,
    zip_symlink: () => `"${v('entry')}" is a symbolic link; links are not accepted.`,
    zip_unsafe_name: () => `The zip entry "${v('entry')}" points outside its folder.`,
    zip_entry_twice: () => `The zip holds "${v('entry')}" twice.`,
    zip_several_datasets: () => `The zip holds several datasets (${v('files')}); upload one of them.`,
    zip_no_dataset: () => 'The zip holds no file this map reads.',
    no_features: () => `"${v('file')}" holds no layers with features.`,
    csv_no_geometry: () => 'The CSV has no geometry: name a column WKT, geometry or geom (holding WKT), or give lon and lat columns.',
    missing_crs: () => `"${v('file')}" does not say which coordinate system it uses, and its coordinates are not longitude/latitude. Upload it with its .prj file, or give the coordinate system under "More settings" (e.g. EPSG:32640 for UTM zone 40N).`,
    unknown_crs: () => `"${v('value')}" is not a coordinate system this server knows; give one such as EPSG:32640.`,
    unknown_encoding: () => `"${v('value')}" is not a text encoding this server reads; use one such as CP1256 or UTF-8.`,
    damaged: () => `"${v('file')}" is damaged; not all of its features could be read.`,
    gdal_open: () => `"${v('file')}" could not be opened; it is damaged or in another format.`,
    gdal_read: () => `The features of "${v('file')}" could not be read; the file is damaged.`,
    layer_name: () => `The layer name "${v('value')}" starts with "-"; rename it.`,
    mapping_not_object: () => 'The field mapping was not sent correctly.',
    mapping_unknown_target: () => `"${v('target')}" is not an attribute of this layer.`,
    mapping_not_field: () => `Choose the name of one of the file's fields for ${TARGETS.en[v('target')] ?? v('target')}.`,
    mapping_unknown_field: () => `The file has no field "${v('value')}"; its fields are: ${v('fields') || '(none)'}.`,
    invalid_option: () => `"${v('value')}" is not accepted; use one of: ${v('allowed')}.`,
    not_multipart: () => 'The file was not sent as a form upload.',
    one_file: () => 'Choose exactly one file.',
    empty_file: () => `"${v('file')}" is empty.`,
    file_too_large: () => `The file is larger than ${n('limit_mb')} MB, the largest upload accepted.`,
    archive_too_large: () => 'The zip expands to too much.',
    unsafe_archive: () => 'The zip holds an unsafe path.',
    unreadable_file: () => 'The file could not be read; it is damaged.',
    stale_preview: () => 'The boundaries changed since this preview; upload the file again.',
    staged_gone: () => 'The preview is no longer on the server (it restarted?); upload the file again.',
    now_referenced: () => `Since the preview, other records point at boundaries it would remove (${v('codes')}); upload the file again.`,
    not_preview: () => v('status') === 'committed'
      ? `This upload was already committed as version ${n('version')}.`
      : v('status') === 'expired'
        ? 'This preview expired and is no longer kept; upload the file again.'
        : 'This preview was discarded; upload the file again.',
    confirmation_required: () => 'Before committing, accept the overlaps, the features outside the service area and the counties matched by spelling.',
    restore_blocked: () => `Version ${n('version')} lacks ${n('count')} boundaries that other records still point at; move those records first.`,
    restore_orphans: () => `Version ${n('version')} puts neighbourhoods (${v('codes')}) in counties that no longer exist; restore the counties first.`,
  };
  return (lang === 'fa' ? fa : en)[code]?.();
}

/** A refusal this client has no words for: what the HTTP status means, in the user's language. */
export function refusalByStatus(status: number, lang: Lang): string {
  const fa: Record<number, string> = {
    400: 'درخواست درست نبود.', 401: 'نشست شما پایان یافته است؛ دوباره وارد شوید.', 403: 'اجازهٔ این کار را ندارید.',
    404: 'پیدا نشد.', 409: 'با وضع کنونی داده‌ها نمی‌خواند.', 413: 'فایل بیش از اندازه بزرگ است.',
    415: 'قالب فایل پذیرفته نیست.', 422: 'فایل خوانده نشد.', 429: 'درخواست‌ها بیش از اندازه است؛ کمی بعد دوباره بکوشید.',
  };
  const en: Record<number, string> = {
    400: 'The request was not right.', 401: 'Your session ended; sign in again.', 403: 'You may not do this.',
    404: 'Not found.', 409: 'It does not fit the data as they are now.', 413: 'The file is too large.',
    415: 'The file format is not accepted.', 422: 'The file could not be read.', 429: 'Too many requests; try again shortly.',
  };
  const table = lang === 'fa' ? fa : en;
  return table[status] ?? (lang === 'fa' ? 'خطای سرور؛ دوباره بکوشید یا به مدیر سامانه خبر دهید.' : 'Server error; try again or tell the administrator.');
}
