import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { formatLocalTime } from '../../common/local-time';

/** Vietnamese by default, English by the switch; every time shown in the city's zone. */
export type Lang = 'vi' | 'en';
export const TIME_ZONE = 'Asia/Ho_Chi_Minh';

const vi = {
  'app.title': 'Bàn làm việc cán bộ',
  'app.subtitle': 'Dịch vụ công TP. Hồ Chí Minh',
  'lang.switch': 'English',
  'nav.inbox': 'Hộp việc',
  'nav.dashboard': 'Giám sát',
  'nav.signOut': 'Đăng xuất',
  'signIn.title': 'Đăng nhập',
  'signIn.demo': 'Chế độ phát triển: chọn một cán bộ mẫu',
  'signIn.unit': 'Đơn vị',
  'signIn.as': 'Đăng nhập',
  'signIn.token': 'Mã truy cập (token) do hệ thống định danh cấp',
  'signIn.tokenHint': 'Dán mã truy cập nhận từ hệ thống định danh của thành phố.',
  'signIn.useToken': 'Dùng mã này',
  'signIn.staffOnly': 'Bàn làm việc dành cho cán bộ, công chức (vai trò clerk, officer, supervisor).',
  'common.loading': 'Đang tải…',
  'common.all': 'Tất cả',
  'common.refresh': 'Làm mới',
  'common.cancel': 'Hủy',
  'common.close': 'Đóng',
  'common.none': 'Không có',
  'common.error': 'Lỗi',
  'common.done': 'Đã xong',
  'common.selected': 'Đã chọn {n}',
  'inbox.title': 'Hộp việc',
  'inbox.open': 'Chưa nhận',
  'inbox.claimed': 'Đã nhận',
  'inbox.mine': 'Của tôi',
  'inbox.procedure': 'Thủ tục',
  'inbox.unit': 'Đơn vị',
  'inbox.empty': 'Không có việc nào.',
  'inbox.count': '{n} việc',
  'task.id': 'Mã việc',
  'task.dossier': 'Hồ sơ',
  'task.step': 'Bước',
  'task.assignee': 'Người xử lý',
  'task.due': 'Hạn',
  'task.overdue': 'Quá hạn',
  'task.claim': 'Nhận việc',
  'task.release': 'Trả lại',
  'task.complete': 'Xử lý',
  'task.claimed': 'Đã nhận việc {id}',
  'task.released': 'Đã trả lại việc {id}',
  'task.completed': 'Đã hoàn thành việc {id}: hồ sơ chuyển sang “{status}”',
  'form.title': 'Xử lý việc {id}',
  'form.outcome': 'Kết quả',
  'form.note': 'Ghi chú (không bắt buộc)',
  'form.submit': 'Hoàn thành',
  'form.invalid': 'Dữ liệu chưa hợp lệ: xem các ô được đánh dấu.',
  'form.context': 'Thông tin cần biết',
  'dossier.title': 'Hồ sơ {id}',
  'dossier.status': 'Trạng thái',
  'dossier.currentStep': 'Bước hiện tại',
  'dossier.received': 'Ngày nhận',
  'dossier.due': 'Hạn giải quyết',
  'dossier.countdown': 'Thời gian làm việc còn lại',
  'dossier.closed': 'Hồ sơ đã kết thúc',
  'dossier.history': 'Quá trình xử lý',
  'dossier.documents': 'Giấy tờ đã cấp',
  'dossier.noDocument': 'Chưa cấp giấy tờ nào.',
  'dossier.verify': 'Kiểm tra tính xác thực',
  'dossier.openTasks': 'Việc đang mở',
  'dossier.awaiting': 'Đang chờ người nộp bổ sung đến {due}',
  'dossier.result': 'Kết quả',
  'dossier.back': '← Hộp việc',
  'doc.code': 'Mã xác thực',
  'doc.kind': 'Loại',
  'doc.issuedAt': 'Ngày cấp',
  'countdown.left': 'còn {t} làm việc',
  'countdown.late': 'quá hạn {t} làm việc',
  'countdown.day': '{n} ngày',
  'countdown.hour': '{n} giờ',
  'countdown.minute': '{n} phút',
  'countdown.officeHours': 'Giờ hành chính {hours}, trừ ngày nghỉ',
  'dash.title': 'Giám sát',
  'dash.overdue': 'Quá hạn',
  'dash.at-risk': 'Sắp đến hạn',
  'dash.stuck': 'Bị treo',
  'dash.reason': 'Lý do',
  'dash.empty': 'Không có hồ sơ nào.',
  'dash.reassign': 'Giao lại',
  'dash.escalate': 'Chuyển cấp trên',
  'dash.bulk': 'Thao tác hàng loạt',
  'dash.bulkCancel': 'Hủy hồ sơ',
  'dash.bulkRetry': 'Thử lại ngay',
  'dash.bulkReassign': 'Giao lại các việc',
  'dash.to': 'Giao cho',
  'dash.toPerson': 'Cán bộ',
  'dash.toUnit': 'Đơn vị',
  'dash.task': 'Việc',
  'dash.note': 'Ghi chú',
  'dash.cancelReason': 'Lý do hủy',
  'dash.apply': 'Thực hiện',
  'dash.reassigned': 'Đã giao lại việc {id}',
  'dash.escalated': 'Đã chuyển hồ sơ {id} lên cấp trên',
  'dash.bulkResult': 'Kết quả: {ok} thành công, {failed} không thực hiện được',
  'dash.noOpenTask': 'Hồ sơ không có việc đang mở.',
  'stats.title': 'Tỷ lệ giải quyết đúng hạn',
  'stats.from': 'Từ ngày',
  'stats.to': 'Đến ngày',
  'stats.unit': 'Đơn vị',
  'stats.procedure': 'Thủ tục',
  'stats.received': 'Đã nhận',
  'stats.completed': 'Đã giải quyết',
  'stats.onTime': 'Đúng hạn',
  'stats.late': 'Trễ hạn',
  'stats.open': 'Đang xử lý',
  'stats.overdue': 'Quá hạn',
  'stats.onTimeRate': 'Tỷ lệ đúng hạn',
  'stats.chart': 'Biểu đồ tỷ lệ đúng hạn theo đơn vị và thủ tục',
  'stats.unavailable': 'Chưa có số liệu.',
};
type Key = keyof typeof vi;

const en: Record<Key, string> = {
  'app.title': 'Staff console',
  'app.subtitle': 'Ho Chi Minh City public services',
  'lang.switch': 'Tiếng Việt',
  'nav.inbox': 'Inbox',
  'nav.dashboard': 'Supervision',
  'nav.signOut': 'Sign out',
  'signIn.title': 'Sign in',
  'signIn.demo': 'Dev mode: pick a demo staff member',
  'signIn.unit': 'Unit',
  'signIn.as': 'Sign in',
  'signIn.token': 'Access token from the identity provider',
  'signIn.tokenHint': "Paste the access token the city's identity provider gave you.",
  'signIn.useToken': 'Use this token',
  'signIn.staffOnly': 'The console is for staff (roles clerk, officer, supervisor).',
  'common.loading': 'Loading…',
  'common.all': 'All',
  'common.refresh': 'Refresh',
  'common.cancel': 'Cancel',
  'common.close': 'Close',
  'common.none': 'None',
  'common.error': 'Error',
  'common.done': 'Done',
  'common.selected': '{n} selected',
  'inbox.title': 'Inbox',
  'inbox.open': 'Open',
  'inbox.claimed': 'Claimed',
  'inbox.mine': 'Mine',
  'inbox.procedure': 'Procedure',
  'inbox.unit': 'Unit',
  'inbox.empty': 'No tasks.',
  'inbox.count': '{n} tasks',
  'task.id': 'Task',
  'task.dossier': 'Dossier',
  'task.step': 'Step',
  'task.assignee': 'Assignee',
  'task.due': 'Due',
  'task.overdue': 'Overdue',
  'task.claim': 'Claim',
  'task.release': 'Release',
  'task.complete': 'Complete',
  'task.claimed': 'Claimed task {id}',
  'task.released': 'Released task {id}',
  'task.completed': 'Completed task {id}: the dossier is now “{status}”',
  'form.title': 'Complete task {id}',
  'form.outcome': 'Outcome',
  'form.note': 'Note (optional)',
  'form.submit': 'Complete',
  'form.invalid': 'Some entries are invalid: see the marked fields.',
  'form.context': 'What to know',
  'dossier.title': 'Dossier {id}',
  'dossier.status': 'Status',
  'dossier.currentStep': 'Current step',
  'dossier.received': 'Received',
  'dossier.due': 'Due',
  'dossier.countdown': 'Working time left',
  'dossier.closed': 'The dossier is closed',
  'dossier.history': 'History',
  'dossier.documents': 'Issued documents',
  'dossier.noDocument': 'No document issued yet.',
  'dossier.verify': 'Verify',
  'dossier.openTasks': 'Open tasks',
  'dossier.awaiting': 'Waiting for the applicant’s supplement until {due}',
  'dossier.result': 'Result',
  'dossier.back': '← Inbox',
  'doc.code': 'Verification code',
  'doc.kind': 'Kind',
  'doc.issuedAt': 'Issued',
  'countdown.left': '{t} of working time left',
  'countdown.late': '{t} of working time late',
  'countdown.day': '{n} d',
  'countdown.hour': '{n} h',
  'countdown.minute': '{n} min',
  'countdown.officeHours': 'Office hours {hours}, working days only',
  'dash.title': 'Supervision',
  'dash.overdue': 'Overdue',
  'dash.at-risk': 'At risk',
  'dash.stuck': 'Stuck',
  'dash.reason': 'Reason',
  'dash.empty': 'No dossiers.',
  'dash.reassign': 'Reassign',
  'dash.escalate': 'Escalate',
  'dash.bulk': 'Bulk actions',
  'dash.bulkCancel': 'Cancel dossiers',
  'dash.bulkRetry': 'Retry now',
  'dash.bulkReassign': 'Reassign their tasks',
  'dash.to': 'Assign to',
  'dash.toPerson': 'Person',
  'dash.toUnit': 'Unit',
  'dash.task': 'Task',
  'dash.note': 'Note',
  'dash.cancelReason': 'Reason for cancelling',
  'dash.apply': 'Apply',
  'dash.reassigned': 'Task {id} reassigned',
  'dash.escalated': 'Dossier {id} escalated',
  'dash.bulkResult': 'Result: {ok} done, {failed} not done',
  'dash.noOpenTask': 'The dossier has no open task.',
  'stats.title': 'On-time rate',
  'stats.from': 'From',
  'stats.to': 'To',
  'stats.unit': 'Unit',
  'stats.procedure': 'Procedure',
  'stats.received': 'Received',
  'stats.completed': 'Completed',
  'stats.onTime': 'On time',
  'stats.late': 'Late',
  'stats.open': 'Open',
  'stats.overdue': 'Overdue',
  'stats.onTimeRate': 'On-time rate',
  'stats.chart': 'On-time rate per unit and procedure',
  'stats.unavailable': 'No figures yet.',
};

/** Names the API gives as ids (procedures, steps, outcomes, statuses, fields), in Vietnamese. */
/** Names of the shared lifecycle (statuses, history events, roles, task states) in Vietnamese; each procedure's own come with the catalog (`GET /procedures`). */
const SHARED_VI_NAMES: Record<string, string> = {
  received: 'Đã tiếp nhận',
  'awaiting-supplement': 'Chờ bổ sung',
  'awaiting-response': 'Chờ phản hồi',
  'task-opened': 'Mở việc',
  'reminder-sent': 'Đã nhắc hạn',
  escalated: 'Đã chuyển cấp trên',
  'escalated-by-hand': 'Chuyển cấp trên (thủ công)',
  reassigned: 'Đã giao lại',
  refused: 'Từ chối',
  cancelled: 'Đã hủy',
  lapsed: 'Quá hạn bổ sung',
  closed: 'Kết thúc',
  open: 'Chưa nhận',
  claimed: 'Đã nhận',
  done: 'Đã xong',
  clerk: 'Chuyên viên',
  officer: 'Cán bộ',
  supervisor: 'Lãnh đạo',
  reason: 'Lý do',
  items: 'Nội dung cần bổ sung',
  field: 'Trường',
  problem: 'Vấn đề',
  details: 'Chi tiết',
  item: 'Mục',
};

interface I18n {
  lang: Lang;
  setLang(lang: Lang): void;
  t(key: Key, params?: Record<string, string | number>): string;
  /** A procedure, step, outcome, status or field id as a person reads it. */
  name(id: string, fallback?: string): string;
  /** The procedures' own names, from their definitions (the catalog the console loads at sign-in). */
  learnNames(labels: ReadonlyArray<Record<Lang, Record<string, string>>>): void;
  time(iso: string): string;
  date(iso: string): string;
  workingTime(minutes: number, perDay: number): string;
  /** A reason in words from the API, with its UTC instants shown in the city's local time. */
  localize(text: string): string;
  percent(rate: number | null): string;
}

const I18nContext = createContext<I18n | null>(null);
const LANG_KEY = 'console.lang';
const ISO_INSTANT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})/g;

function fill(text: string, params: Record<string, string | number> = {}): string {
  return text.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? `{${k}}`));
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() => (localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'vi'));
  const [procedureNames, setProcedureNames] = useState<Record<Lang, Record<string, string>>>({ vi: {}, en: {} });
  const learnNames = useCallback((labels: ReadonlyArray<Record<Lang, Record<string, string>>>) => {
    const merged = (lang: Lang): Record<string, string> => Object.fromEntries(labels.flatMap((l) => Object.entries(l[lang])));
    setProcedureNames({ vi: merged('vi'), en: merged('en') });
  }, []);
  const value = useMemo<I18n>(() => {
    const dict = lang === 'vi' ? vi : en;
    const locale = lang === 'vi' ? 'vi-VN' : 'en-GB';
    const dateFormat = new Intl.DateTimeFormat(locale, { timeZone: TIME_ZONE, day: '2-digit', month: '2-digit', year: 'numeric' });
    const t: I18n['t'] = (key, params) => fill(dict[key], params);
    // Day first, then the time, in either language and whatever the browser's zone: 30/11/2026 17:00.
    const time = formatLocalTime;
    return {
      lang,
      setLang(next) {
        localStorage.setItem(LANG_KEY, next);
        document.documentElement.lang = next;
        setLangState(next);
      },
      t,
      name: (id, fallback) => procedureNames[lang][id] ?? (lang === 'vi' ? SHARED_VI_NAMES[id] : undefined) ?? fallback ?? id,
      learnNames,
      time,
      date: (iso) => dateFormat.format(new Date(iso)),
      workingTime(minutes, perDay) {
        const abs = Math.abs(minutes);
        const days = Math.floor(abs / perDay);
        const hours = Math.floor((abs % perDay) / 60);
        const mins = abs % 60;
        const parts = [
          days > 0 ? t('countdown.day', { n: days }) : '',
          hours > 0 ? t('countdown.hour', { n: hours }) : '',
          mins > 0 || (days === 0 && hours === 0) ? t('countdown.minute', { n: mins }) : '',
        ].filter(Boolean);
        return t(minutes >= 0 ? 'countdown.left' : 'countdown.late', { t: parts.join(' ') });
      },
      localize: (text) => text.replace(ISO_INSTANT, (iso) => time(iso)),
      percent: (rate) => (rate === null ? '—' : new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(rate)),
    };
  }, [lang, procedureNames, learnNames]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n outside I18nProvider');
  return i18n;
}
