/** The interface's words, once per language. Persian is the default and the reference. */
export type Lang = 'fa' | 'en';

export const LANGS: readonly Lang[] = ['fa', 'en'];

export function isLang(value: unknown): value is Lang {
  return value === 'fa' || value === 'en';
}

export interface Strings {
  appName: string;
  appTagline: string;
  switchTo: string;
  switchToLabel: string;
  searchPlaceholder: string;
  searchLabel: string;
  searchNoResults: string;
  searchFailed: string;
  searchKind: { neighbourhood: string; county: string; agency: string };
  legendTitle: string;
  legendLevels: readonly [string, string, string, string, string];
  legendCounty: string;
  legendIllustrative: string;
  close: string;
  county: string;
  population: string;
  households: string;
  deprivation: string;
  deprivationOf: (level: string) => string;
  informal: string;
  margin: string;
  yes: string;
  no: string;
  code: string;
  area: string;
  areaUnit: string;
  boundaryVersion: string;
  boundaryVersionValue: (version: string, date: string) => string;
  source: string;
  illustrativeSource: string;
  loading: string;
  loadFailed: string;
  mapLoadFailed: string;
  partLoadFailed: string;
  reload: string;
  today: string;
  signInTitle: string;
  signInIntro: string;
  username: string;
  password: string;
  signIn: string;
  signingIn: string;
  signOut: string;
  signedInAs: (name: string) => string;
  wrongCredentials: string;
  tooManyAttempts: string;
  signInFailed: string;
  sessionEndedTitle: string;
  sessionEndedIntro: string;
}

export const strings: Record<Lang, Strings> = {
  fa: {
    appName: 'محله‌نما',
    appTagline: 'نقشهٔ محلات کم‌برخوردار استان کرمان',
    switchTo: 'English',
    switchToLabel: 'Switch to English',
    searchPlaceholder: 'جست‌وجوی محله، شهرستان یا دستگاه…',
    searchLabel: 'جست‌وجوی محله، شهرستان یا دستگاه به فارسی یا انگلیسی',
    searchNoResults: 'چیزی با این نام پیدا نشد',
    searchFailed: 'جست‌وجو انجام نشد',
    searchKind: { neighbourhood: 'محله', county: 'شهرستان', agency: 'دستگاه مسئول' },
    legendTitle: 'شاخص محرومیت',
    legendLevels: ['کمترین', 'کم', 'متوسط', 'زیاد', 'بیشترین'],
    legendCounty: 'مرز شهرستان',
    legendIllustrative: 'محدودهٔ محلات نمایشی است',
    close: 'بستن',
    county: 'شهرستان',
    population: 'جمعیت',
    households: 'خانوار',
    deprivation: 'محرومیت',
    deprivationOf: (level) => `${level} از ۵`,
    informal: 'سکونتگاه غیررسمی',
    margin: 'حاشیهٔ شهر',
    yes: 'بله',
    no: 'خیر',
    code: 'کد محله',
    area: 'مساحت',
    areaUnit: 'کیلومتر مربع',
    boundaryVersion: 'نسخهٔ محدوده',
    boundaryVersionValue: (version, date) => `${version} (${date})`,
    source: 'منبع',
    illustrativeSource: 'محدودهٔ نمایشی، نه نقشه‌برداری‌شده',
    loading: 'در حال بارگذاری…',
    loadFailed: 'اطلاعات محله بارگذاری نشد',
    mapLoadFailed: 'لایه‌های نقشه بارگذاری نشد',
    partLoadFailed: 'بخشی از برنامه بارگذاری نشد.',
    reload: 'بارگذاری دوبارهٔ صفحه',
    today: 'امروز',
    signInTitle: 'ورود به محله‌نما',
    signInIntro: 'برای دیدن نقشهٔ محلات وارد شوید.',
    username: 'نام کاربری',
    password: 'گذرواژه',
    signIn: 'ورود',
    signingIn: 'در حال ورود…',
    signOut: 'خروج',
    signedInAs: (name) => `کاربر: ${name}`,
    wrongCredentials: 'نام کاربری یا گذرواژه نادرست است.',
    tooManyAttempts: 'تلاش‌های ناموفق زیاد بود؛ چند دقیقه بعد دوباره امتحان کنید.',
    signInFailed: 'ورود انجام نشد؛ دوباره تلاش کنید.',
    sessionEndedTitle: 'نشست شما پایان یافته است',
    sessionEndedIntro: 'گذرواژه را دوباره وارد کنید. آنچه نوشته‌اید سر جایش می‌ماند و پس از ورود ذخیره می‌شود.',
  },
  en: {
    appName: 'Mahallenama',
    appTagline: 'Deprived neighbourhoods of Kerman province',
    switchTo: 'فارسی',
    switchToLabel: 'نمایش به فارسی',
    searchPlaceholder: 'Search neighbourhoods, counties, agencies…',
    searchLabel: 'Search neighbourhoods, counties or agencies in Persian or English',
    searchNoResults: 'Nothing found by that name',
    searchFailed: 'Search failed',
    searchKind: { neighbourhood: 'Neighbourhood', county: 'County', agency: 'Responsible agency' },
    legendTitle: 'Deprivation',
    legendLevels: ['Least', 'Low', 'Medium', 'High', 'Most'],
    legendCounty: 'County boundary',
    legendIllustrative: 'Neighbourhood boundaries are illustrative',
    close: 'Close',
    county: 'County',
    population: 'Population',
    households: 'Households',
    deprivation: 'Deprivation',
    deprivationOf: (level) => `${level} of 5`,
    informal: 'Informal settlement',
    margin: 'City margin',
    yes: 'Yes',
    no: 'No',
    code: 'Code',
    area: 'Area',
    areaUnit: 'km²',
    boundaryVersion: 'Boundary version',
    boundaryVersionValue: (version, date) => `${version} (${date})`,
    source: 'Source',
    illustrativeSource: 'illustrative boundary, not surveyed',
    loading: 'Loading…',
    loadFailed: 'Could not load the neighbourhood',
    mapLoadFailed: 'Could not load the map layers',
    partLoadFailed: 'Part of the application could not be loaded.',
    reload: 'Reload the page',
    today: 'Today',
    signInTitle: 'Sign in to Mahallenama',
    signInIntro: 'Sign in to see the neighbourhood map.',
    username: 'Username',
    password: 'Password',
    signIn: 'Sign in',
    signingIn: 'Signing in…',
    signOut: 'Sign out',
    signedInAs: (name) => `Signed in as ${name}`,
    wrongCredentials: 'The username or password is wrong.',
    tooManyAttempts: 'Too many failed attempts; wait a few minutes and try again.',
    signInFailed: 'Could not sign in; please try again.',
    sessionEndedTitle: 'Your session has ended',
    sessionEndedIntro: 'Enter your password again. What you have written stays where it is and is saved once you are signed in.',
  },
};
