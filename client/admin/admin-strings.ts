import type { Lang } from '../i18n';
import type { Role } from '../../shared/auth-schemas';

export interface AdminStrings {
  open: string;
  title: string;
  close: string;
  usersTab: string;
  auditTab: string;
  roles: Record<Role, string>;
  username: string;
  password: string;
  role: string;
  state: string;
  active: string;
  disabled: string;
  created: string;
  addUser: string;
  add: string;
  disable: string;
  enable: string;
  newPassword: string;
  setPassword: string;
  passwordHint: string;
  saved: string;
  when: string;
  who: string;
  action: string;
  entity: string;
  entityId: string;
  address: string;
  change: string;
  from: string;
  to: string;
  filter: string;
  anyEntity: string;
  noEntries: string;
  loading: string;
  failed: string;
}

export const adminStrings: Record<Lang, AdminStrings> = {
  fa: {
    open: 'مدیریت',
    title: 'مدیریت کاربران و رویدادها',
    close: 'بستن',
    usersTab: 'کاربران',
    auditTab: 'گزارش تغییرات',
    roles: { admin: 'مدیر سامانه', planner: 'برنامه‌ریز', commander: 'فرمانده', gis: 'کارشناس GIS' },
    username: 'نام کاربری',
    password: 'گذرواژه',
    role: 'نقش',
    state: 'وضعیت',
    active: 'فعال',
    disabled: 'غیرفعال',
    created: 'ایجاد',
    addUser: 'افزودن کاربر',
    add: 'افزودن',
    disable: 'غیرفعال کن',
    enable: 'فعال کن',
    newPassword: 'گذرواژهٔ تازه',
    setPassword: 'تغییر گذرواژه',
    passwordHint: 'دست‌کم ۱۰ نویسه',
    saved: 'ذخیره شد',
    when: 'زمان',
    who: 'کاربر',
    action: 'کار',
    entity: 'بخش',
    entityId: 'شناسه',
    address: 'نشانی رایانه',
    change: 'تغییر',
    from: 'از',
    to: 'تا',
    filter: 'نمایش',
    anyEntity: 'همه',
    noEntries: 'رویدادی نیست.',
    loading: 'در حال بارگیری…',
    failed: 'بارگیری نشد',
  },
  en: {
    open: 'Admin',
    title: 'Users and audit log',
    close: 'Close',
    usersTab: 'Users',
    auditTab: 'Audit log',
    roles: { admin: 'Administrator', planner: 'Planner', commander: 'Commander', gis: 'GIS staff' },
    username: 'Username',
    password: 'Password',
    role: 'Role',
    state: 'State',
    active: 'Active',
    disabled: 'Disabled',
    created: 'Created',
    addUser: 'Add a user',
    add: 'Add',
    disable: 'Disable',
    enable: 'Enable',
    newPassword: 'New password',
    setPassword: 'Set password',
    passwordHint: 'at least 10 characters',
    saved: 'Saved',
    when: 'When',
    who: 'User',
    action: 'Action',
    entity: 'Area',
    entityId: 'Id',
    address: 'Address',
    change: 'Change',
    from: 'From',
    to: 'To',
    filter: 'Show',
    anyEntity: 'All',
    noEntries: 'No entries.',
    loading: 'Loading…',
    failed: 'Could not load',
  },
};
