import type { Category, InterventionStatus, NetworkKind, ProblemStatus } from '../../shared/method-schemas';
import type { Lang } from './strings';
import { formatDate } from './format';

/** The words of the programme's method (problems, interventions, networks, stages), once per language. */
export interface MethodStrings {
  method: string;
  methodOpen: string;
  overlay: string;
  overlayNone: string;
  overlayProblems: string;
  overlayStages: string;
  showInterventions: string;
  filters: string;
  allCategories: string;
  allStatuses: string;
  openStatuses: string;
  allAgencies: string;
  category: string;
  status: string;
  agency: string;
  categories: Record<Category, string>;
  statuses: Record<ProblemStatus, string>;
  interventionStatuses: Record<InterventionStatus, string>;
  kinds: Record<NetworkKind, string>;
  stageNames: readonly [string, string, string, string];
  stageShort: readonly [string, string, string, string];
  problemsLegend: string;
  problemsLegendNote: string;
  stagesLegend: string;
  interventionsLegend: string;
  exports: string;
  exportProblems: string;
  exportInterventions: string;
  exportNote: string;
  stageTable: string;
  stageTableNote: string;
  neighbourhood: string;
  county: string;
  stage: string;
  problemsCount: string;
  moving: string;
  networksCount: string;
  showAllStages: string;
  close: string;
  // panel
  stages: string;
  stage1: string;
  stage1Detail: (problems: string) => string;
  reviewedBy: string;
  notReviewed: string;
  markReviewed: string;
  unmarkReviewed: string;
  reviewNeedsProblems: string;
  stage2: string;
  stage2Detail: (moving: string, total: string, percent: string) => string;
  stage2None: string;
  stage3: string;
  stage3Detail: (networks: string, members: string) => string;
  /** A stage the neighbourhood has reached but not finished (follow-up goes on while networks form). */
  stageUnderWay: string;
  stageDone: string;
  problems: string;
  noProblems: string;
  addProblem: string;
  responsible: string;
  noAgency: string;
  newAgency: string;
  agencyNameFa: string;
  agencyNameEn: string;
  addAgency: string;
  due: string;
  overdue: string;
  severity: string;
  severityOf: (n: string) => string;
  blockedBecause: string;
  history: string;
  historyEmpty: string;
  created: string;
  by: (name: string) => string;
  changed: (field: string, from: string, to: string) => string;
  fieldNames: Record<string, string>;
  update: string;
  newStatus: string;
  keepStatus: string;
  note: string;
  notePlaceholder: string;
  noteNeeded: string;
  blockedReason: string;
  save: string;
  saving: string;
  cancel: string;
  /** Asked before saving a due date that has already passed. */
  pastDue: (date: string) => string;
  saveAnyway: string;
  goBack: string;
  edit: string;
  /** Deleting a record entered by mistake. */
  remove: string;
  removeConfirm: string;
  removeYes: string;
  title: string;
  description: string;
  dueDate: string;
  answeredBy: string;
  interventions: string;
  noInterventions: string;
  addIntervention: string;
  lead: string;
  partners: string;
  commitment: string;
  progress: string;
  budget: string;
  rials: string;
  beneficiaries: string;
  dates: string;
  startDate: string;
  endDate: string;
  problemsAnswered: string;
  addPartner: string;
  removePartner: string;
  interventionStatus: string;
  networks: string;
  noNetworks: string;
  addNetwork: string;
  networkKind: string;
  networkName: string;
  members: string;
  since: string;
  active: string;
  inactive: string;
  deactivate: string;
  reactivate: string;
  refused: string;
  allowedNext: (list: string) => string;
  readOnly: string;
  illustrative: string;
  /** How the seed's illustrative history names its author. */
  seedUser: string;
}

export const methodStrings: Record<Lang, MethodStrings> = {
  fa: {
    method: 'مسائل و اقدامات',
    methodOpen: 'مسائل و اقدامات',
    overlay: 'رنگ محلات',
    overlayNone: 'محرومیت',
    overlayProblems: 'مسائل باز',
    overlayStages: 'مرحلهٔ کار',
    showInterventions: 'نمایش اقدامات روی نقشه',
    filters: 'پالایه‌ها',
    allCategories: 'همهٔ حوزه‌ها',
    allStatuses: 'همهٔ وضعیت‌ها',
    openStatuses: 'همهٔ مسائل باز',
    allAgencies: 'همهٔ دستگاه‌ها',
    category: 'حوزه',
    status: 'وضعیت',
    agency: 'دستگاه',
    categories: { educational: 'آموزشی', social: 'اجتماعی', civil_environmental: 'عمرانی و محیطی', economic: 'اقتصادی' },
    statuses: { identified: 'شناسایی‌شده', assigned: 'واگذارشده', in_progress: 'در حال اقدام', resolved: 'حل‌شده', blocked: 'متوقف' },
    interventionStatuses: { planned: 'برنامه‌ریزی‌شده', active: 'در حال اجرا', done: 'انجام‌شده' },
    kinds: { teenagers: 'نوجوانان', teachers: 'معلمان', shopkeepers: 'کسبه', women: 'زنان', elders: 'ریش‌سفیدان', other: 'دیگر' },
    stageNames: ['آغاز نشده', 'مسئله‌شناسی', 'اقدام و پیگیری', 'توانمندسازی و شبکه‌ها'],
    stageShort: ['۰', '۱', '۲', '۳'],
    problemsLegend: 'تعداد مسائل (با پالایه‌ها)',
    problemsLegendNote: 'محلات بدون مسئلهٔ ثبت‌شده بی‌رنگ‌اند',
    stagesLegend: 'مرحلهٔ محله در روش کار',
    interventionsLegend: 'اقدامات',
    exports: 'خروجی با همین پالایه‌ها',
    exportProblems: 'مسائل',
    exportInterventions: 'اقدامات',
    exportNote: 'محدودهٔ محلات نمایشی است؛ © مشارکت‌کنندگان OpenStreetMap',
    stageTable: 'جدول مراحل استان',
    stageTableNote: 'محلات به ترتیب مرحله؛ برای دیدن هر محله روی آن بزنید.',
    neighbourhood: 'محله',
    county: 'شهرستان',
    stage: 'مرحله',
    problemsCount: 'مسائل',
    moving: 'در جریان',
    networksCount: 'شبکه‌ها',
    showAllStages: 'نمایش محلات آغازنشده',
    close: 'بستن',
    stages: 'سه مرحلهٔ روش کار',
    stage1: '۱. مسئله‌شناسی',
    stage1Detail: (n) => `${n} مسئله ثبت شده`,
    reviewedBy: 'بازبینی شد:',
    notReviewed: 'هنوز بازبینی نشده',
    markReviewed: 'ثبت بازبینی مسئله‌شناسی',
    unmarkReviewed: 'لغو بازبینی',
    reviewNeedsProblems: 'پیش از بازبینی، مسائل محله را ثبت کنید.',
    stage2: '۲. اقدام و پیگیری',
    stage2Detail: (moving, total, percent) => `${moving} از ${total} مسئله متولی دارد و در جریان است (${percent})`,
    stage2None: 'مسئله‌ای ثبت نشده',
    stage3: '۳. شبکه‌های امید',
    stage3Detail: (networks, members) => `${networks} شبکهٔ فعال با ${members} عضو`,
    stageUnderWay: 'در جریان',
    stageDone: 'انجام شد',
    problems: 'مسائل محله',
    noProblems: 'مسئله‌ای ثبت نشده است.',
    addProblem: 'ثبت مسئلهٔ تازه',
    responsible: 'متولی',
    noAgency: 'بی‌متولی',
    newAgency: '+ دستگاه تازه',
    agencyNameFa: 'نام دستگاه',
    agencyNameEn: 'نام انگلیسی دستگاه',
    addAgency: 'افزودن دستگاه',
    due: 'مهلت',
    overdue: 'گذشته از مهلت',
    severity: 'شدت',
    severityOf: (n) => `شدت ${n} از ۵`,
    blockedBecause: 'علت توقف',
    history: 'پیگیری‌ها',
    historyEmpty: 'پیگیری‌ای ثبت نشده',
    created: 'ثبت شد',
    by: (name) => `به دست ${name}`,
    changed: (field, from, to) => `${field}: ${from} ← ${to}`,
    fieldNames: {
      status: 'وضعیت', agency_id: 'متولی', due_date: 'مهلت', blocked_reason: 'علت توقف', title: 'عنوان',
      description: 'شرح', severity: 'شدت', category: 'حوزه',
    },
    update: 'به‌روزرسانی',
    newStatus: 'وضعیت تازه',
    keepStatus: 'بدون تغییر',
    note: 'یادداشت پیگیری',
    notePlaceholder: 'چه شد؟ چرا؟ (در سابقه می‌ماند)',
    noteNeeded: 'برای تغییر متولی یا بازگشایی، علت را بنویسید.',
    blockedReason: 'علت توقف',
    save: 'ذخیره',
    saving: 'در حال ذخیره…',
    cancel: 'انصراف',
    pastDue: (date) => `مهلت ${date} گذشته است و مسئله از همین حالا «دیرکرد» می‌شود. با همین مهلت ذخیره شود؟`,
    saveAnyway: 'بله، ذخیره شود',
    goBack: 'بازگشت به فرم',
    edit: 'ویرایش',
    remove: 'حذف',
    removeConfirm: 'حذف شود؟ در گزارش تغییرات می‌ماند.',
    removeYes: 'بله، حذف شود',
    title: 'عنوان',
    description: 'شرح',
    dueDate: 'مهلت',
    answeredBy: 'پاسخ در اقدام',
    interventions: 'اقدامات',
    noInterventions: 'اقدامی ثبت نشده است.',
    addIntervention: 'ثبت اقدام تازه',
    lead: 'دستگاه پیشرو',
    partners: 'دستگاه‌های همکار',
    commitment: 'تعهد',
    progress: 'پیشرفت',
    budget: 'اعتبار',
    rials: 'ریال',
    beneficiaries: 'بهره‌مندان',
    dates: 'زمان',
    startDate: 'آغاز',
    endDate: 'پایان',
    problemsAnswered: 'مسائلی که پاسخ می‌دهد',
    addPartner: 'افزودن همکار',
    removePartner: 'حذف همکار',
    interventionStatus: 'وضعیت اقدام',
    networks: 'شبکه‌های محلی',
    noNetworks: 'شبکه‌ای ثبت نشده است.',
    addNetwork: 'ثبت شبکهٔ تازه',
    networkKind: 'گروه',
    networkName: 'نام شبکه',
    members: 'اعضا',
    since: 'از',
    active: 'فعال',
    inactive: 'غیرفعال',
    deactivate: 'غیرفعال شود',
    reactivate: 'دوباره فعال شود',
    refused: 'پذیرفته نشد',
    allowedNext: (list) => `گام‌های مجاز: ${list}`,
    readOnly: 'فقط برنامه‌ریزان و مدیران می‌توانند این بخش را تغییر دهند.',
    illustrative: 'نمونهٔ نمایشی',
    seedUser: 'دادهٔ نمایشی',
  },
  en: {
    method: 'Problems and action',
    methodOpen: 'Problems and action',
    overlay: 'Colour neighbourhoods by',
    overlayNone: 'Deprivation',
    overlayProblems: 'Open problems',
    overlayStages: 'Method stage',
    showInterventions: 'Show interventions on the map',
    filters: 'Filters',
    allCategories: 'All categories',
    allStatuses: 'All statuses',
    openStatuses: 'All open problems',
    allAgencies: 'All agencies',
    category: 'Category',
    status: 'Status',
    agency: 'Agency',
    categories: { educational: 'Educational', social: 'Social', civil_environmental: 'Civil works & environment', economic: 'Economic' },
    statuses: { identified: 'Identified', assigned: 'Assigned', in_progress: 'In progress', resolved: 'Resolved', blocked: 'Blocked' },
    interventionStatuses: { planned: 'Planned', active: 'Active', done: 'Done' },
    kinds: { teenagers: 'Teenagers', teachers: 'Teachers', shopkeepers: 'Shopkeepers', women: 'Women', elders: 'Elders', other: 'Other' },
    stageNames: ['Not started', 'Problem identification', 'Action and follow-up', 'Empowerment and networks'],
    stageShort: ['0', '1', '2', '3'],
    problemsLegend: 'Problems (with the filters)',
    problemsLegendNote: 'Neighbourhoods without recorded problems stay blank',
    stagesLegend: "Neighbourhood's stage in the method",
    interventionsLegend: 'Interventions',
    exports: 'Export with these filters',
    exportProblems: 'Problems',
    exportInterventions: 'Interventions',
    exportNote: 'Neighbourhood boundaries are illustrative; © OpenStreetMap contributors',
    stageTable: 'Province stage table',
    stageTableNote: 'Neighbourhoods by stage; pick one to open it.',
    neighbourhood: 'Neighbourhood',
    county: 'County',
    stage: 'Stage',
    problemsCount: 'Problems',
    moving: 'Moving',
    networksCount: 'Networks',
    showAllStages: 'Show neighbourhoods not started',
    close: 'Close',
    stages: 'The three stages',
    stage1: '1. Problem identification',
    stage1Detail: (n) => `${n} problems recorded`,
    reviewedBy: 'Reviewed by',
    notReviewed: 'Not reviewed yet',
    markReviewed: 'Mark identification reviewed',
    unmarkReviewed: 'Withdraw review',
    reviewNeedsProblems: 'Record the neighbourhood’s problems before reviewing.',
    stage2: '2. Action and follow-up',
    stage2Detail: (moving, total, percent) => `${moving} of ${total} problems have an agency and are moving (${percent})`,
    stage2None: 'No problems recorded',
    stage3: '3. Networks of hope',
    stage3Detail: (networks, members) => `${networks} active networks, ${members} members`,
    stageUnderWay: 'under way',
    stageDone: 'done',
    problems: 'Problems',
    noProblems: 'No problems recorded.',
    addProblem: 'Record a problem',
    responsible: 'Responsible',
    noAgency: 'No agency',
    newAgency: '+ New agency',
    agencyNameFa: 'Name in Persian',
    agencyNameEn: 'Name in English',
    addAgency: 'Add agency',
    due: 'Due',
    overdue: 'Overdue',
    severity: 'Severity',
    severityOf: (n) => `severity ${n} of 5`,
    blockedBecause: 'Blocked because',
    history: 'Follow-up',
    historyEmpty: 'No follow-up yet',
    created: 'Recorded',
    by: (name) => `by ${name}`,
    changed: (field, from, to) => `${field}: ${from} → ${to}`,
    fieldNames: {
      status: 'Status', agency_id: 'Agency', due_date: 'Due', blocked_reason: 'Blocked because', title: 'Title',
      description: 'Description', severity: 'Severity', category: 'Category',
    },
    update: 'Update',
    newStatus: 'New status',
    keepStatus: 'No change',
    note: 'Follow-up note',
    notePlaceholder: 'What happened, and why (kept in the history)',
    noteNeeded: 'Say why when moving to another agency or reopening.',
    blockedReason: 'Blocked because',
    save: 'Save',
    saving: 'Saving…',
    cancel: 'Cancel',
    pastDue: (date) => `The due date ${date} has already passed, so the problem will be overdue at once. Save with this date?`,
    saveAnyway: 'Yes, save',
    goBack: 'Back to the form',
    edit: 'Edit',
    remove: 'Delete',
    removeConfirm: 'Delete it? The audit log keeps it.',
    removeYes: 'Yes, delete',
    title: 'Title',
    description: 'Description',
    dueDate: 'Due date',
    answeredBy: 'Answered by',
    interventions: 'Interventions',
    noInterventions: 'No interventions recorded.',
    addIntervention: 'Record an intervention',
    lead: 'Lead agency',
    partners: 'Partner agencies',
    commitment: 'Commitment',
    progress: 'Progress',
    budget: 'Budget',
    rials: 'rials',
    beneficiaries: 'Beneficiaries',
    dates: 'Dates',
    startDate: 'Start',
    endDate: 'End',
    problemsAnswered: 'Problems it answers',
    addPartner: 'Add a partner',
    removePartner: 'Remove partner',
    interventionStatus: 'Intervention status',
    networks: 'Local networks',
    noNetworks: 'No networks recorded.',
    addNetwork: 'Record a network',
    networkKind: 'Group',
    networkName: 'Network name',
    members: 'Members',
    since: 'Since',
    active: 'Active',
    inactive: 'Inactive',
    deactivate: 'Mark inactive',
    reactivate: 'Mark active',
    refused: 'Not accepted',
    allowedNext: (list) => `Allowed next steps: ${list}`,
    readOnly: 'Only planners and admins can change this.',
    illustrative: 'illustrative example',
    seedUser: 'illustrative seed',
  },
};

const percentFormats: Partial<Record<Lang, Intl.NumberFormat>> = {};

/** A share 0…1 as a percentage in the language's digits and sign: ۶۰٪ / 60%. */
export function formatPercent(share: number, lang: Lang): string {
  percentFormats[lang] ??= new Intl.NumberFormat(lang === 'fa' ? 'fa-IR' : 'en-GB', { style: 'percent', maximumFractionDigits: 0 });
  return percentFormats[lang].format(share);
}

/** A username as the method's lists show it; the seed's illustrative history says so. */
export function authorName(username: string | null, strings: MethodStrings): string {
  return username === 'seed' ? strings.seedUser : (username ?? '—');
}

/**
 * A calendar day ('YYYY-MM-DD') in the language's calendar. Read at noon, so no time zone
 * west or east of the browser's moves it to the day before or after.
 */
export function formatDay(day: string, lang: Lang): string {
  return formatDate(/^\d{4}-\d{2}-\d{2}$/.test(day) ? new Date(`${day}T12:00:00`) : day, lang);
}
