import type { Lang } from '../i18n';

export interface TokensStrings {
  open: string;
  title: string;
  intro: string;
  close: string;
  name: string;
  created: string;
  lastUsed: string;
  never: string;
  revoke: string;
  revokeConfirm(name: string): string;
  revokeYes: string;
  cancel: string;
  revoked: string;
  none: string;
  add: string;
  namePlaceholder: string;
  create: string;
  shownOnce: string;
  copy: string;
  loading: string;
}

export const tokensStrings: Record<Lang, TokensStrings> = {
  fa: {
    open: 'کلیدهای دسترسی',
    title: 'کلیدهای دسترسی (API) شما',
    intro: 'برنامه‌ها و نرم‌افزارهای GIS (مانند QGIS) با این کلیدها به‌جای شما به نقشه وصل می‌شوند. کلیدی را که دیگر به کار نمی‌آید یا ممکن است دیگری دیده باشد باطل کنید. با تغییر گذرواژه همهٔ کلیدها باطل می‌شوند.',
    close: 'بستن',
    name: 'نام',
    created: 'ساخته‌شده',
    lastUsed: 'آخرین استفاده',
    never: 'هرگز',
    revoke: 'باطل کن',
    revokeConfirm: (name) => `کلید «${name}» باطل شود؟ برنامه‌ای که با آن کار می‌کند دیگر وصل نمی‌شود.`,
    revokeYes: 'بله، باطل شود',
    cancel: 'انصراف',
    revoked: 'کلید باطل شد.',
    none: 'هنوز کلیدی نساخته‌اید.',
    add: 'کلید تازه',
    namePlaceholder: 'مثلاً QGIS رایانهٔ دفتر',
    create: 'بساز',
    shownOnce: 'این کلید فقط همین یک بار نشان داده می‌شود؛ اکنون رونوشت بگیرید:',
    copy: 'رونوشت',
    loading: 'در حال بارگیری…',
  },
  en: {
    open: 'API tokens',
    title: 'Your API tokens',
    intro: 'Scripts and desktop GIS (such as QGIS) use these tokens to reach the map as you. Revoke a token you no longer use or someone else may have seen. Changing your password revokes them all.',
    close: 'Close',
    name: 'Name',
    created: 'Created',
    lastUsed: 'Last used',
    never: 'never',
    revoke: 'Revoke',
    revokeConfirm: (name) => `Revoke the token “${name}”? Whatever uses it will stop working.`,
    revokeYes: 'Yes, revoke',
    cancel: 'Cancel',
    revoked: 'Token revoked.',
    none: 'You have no tokens yet.',
    add: 'New token',
    namePlaceholder: 'e.g. QGIS on the office PC',
    create: 'Create',
    shownOnce: 'This token is shown this once only; copy it now:',
    copy: 'Copy',
    loading: 'Loading…',
  },
};
