import type { Lang } from '../i18n';
import type { ReferenceKind, ServiceClass } from '../../shared/layers-schemas';

/** The words of the layer switcher and the access block. Persian is the reference. */
export interface LayerStrings {
  open: string;
  title: string;
  close: string;
  empty: string;
  show: (name: string) => string;
  opacity: (name: string) => string;
  kinds: Record<ReferenceKind, string>;
  classes: Record<ServiceClass, string>;
  accessTitle: string;
  accessHelp: string;
  inside: string;
  within500: string;
  within1000: string;
  nearest: string;
  residentsPer: string;
  openProblems: string;
  none: string;
  metres: (value: string) => string;
  kilometres: (value: string) => string;
}

export const layerStrings: Record<Lang, LayerStrings> = {
  fa: {
    open: 'لایه‌ها',
    title: 'لایه‌های مرجع',
    close: 'بستن',
    empty: 'هنوز لایه‌ای بارگذاری نشده است.',
    show: (name) => `نمایش ${name}`,
    opacity: (name) => `شفافیت ${name}`,
    kinds: { streets: 'معابر', facilities: 'خدمات', land_use: 'کاربری زمین', other: 'دیگر' },
    classes: { educational: 'آموزشی', social: 'اجتماعی', civil_environmental: 'عمرانی و محیطی', economic: 'اقتصادی' },
    accessTitle: 'دسترسی به خدمات',
    accessHelp: 'شمار مراکز در محله و تا ۵۰۰ متر و ۱ کیلومتری آن، فاصله از مرکز محله تا نزدیک‌ترین مرکز، و ساکنان به ازای هر مرکز تا ۱ کیلومتر.',
    inside: 'در محله',
    within500: 'تا ۵۰۰ م',
    within1000: 'تا ۱ کم',
    nearest: 'نزدیک‌ترین',
    residentsPer: 'ساکن هر مرکز',
    openProblems: 'مسئله باز',
    none: '—',
    metres: (v) => `${v} م`,
    kilometres: (v) => `${v} کم`,
  },
  en: {
    open: 'Layers',
    title: 'Reference layers',
    close: 'Close',
    empty: 'No layer has been uploaded yet.',
    show: (name) => `Show ${name}`,
    opacity: (name) => `Opacity of ${name}`,
    kinds: { streets: 'Streets', facilities: 'Facilities', land_use: 'Land use', other: 'Other' },
    classes: { educational: 'Educational', social: 'Social', civil_environmental: 'Civil works & environment', economic: 'Economic' },
    accessTitle: 'Access to services',
    accessHelp: 'Facilities inside the neighbourhood, within 500 m and 1 km of it, distance from its interior point to the nearest, and residents per facility within 1 km.',
    inside: 'Inside',
    within500: '≤ 500 m',
    within1000: '≤ 1 km',
    nearest: 'Nearest',
    residentsPer: 'Residents / facility',
    openProblems: 'Open problems',
    none: '—',
    metres: (v) => `${v} m`,
    kilometres: (v) => `${v} km`,
  },
};
