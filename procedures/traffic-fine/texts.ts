import type { Bilingual } from '../../common/bilingual';
import { formatCalendarDate, formatLocalTime } from '../../common/local-time';
import { formatVnd } from '../../common/money';

/**
 * What a traffic case writes for people, in both languages: the owner's mails (the owner never filed,
 * so the notification activity picks their language) and the case's history notes. Amounts as
 * `19.000.000 ₫`, moments `dd/mm/yyyy HH:mm`, the violation by its name. Pure: the workflow composes them.
 */

type Mail = { subject: Bilingual; text: Bilingual };

export const ownerMails = {
  notice(p: { dossierId: string; violation: Bilingual; capturedAt: string; fine: number; noticeCode: string; verifyUrl: string; dueAt: string; answerUrl: string }): Mail {
    const fine = formatVnd(p.fine);
    const captured = formatLocalTime(p.capturedAt);
    const due = formatLocalTime(p.dueAt);
    return {
      subject: { vi: `Thông báo vi phạm giao thông ${p.dossierId}: ${fine}`, en: `Traffic violation notice ${p.dossierId}: ${fine}` },
      text: {
        vi:
          `Phương tiện của bạn bị ghi nhận vi phạm lúc ${captured}: ${p.violation.vi}.\n` +
          `Mức phạt: ${fine}. Mã xác thực thông báo ${p.noticeCode}: ${p.verifyUrl}\n` +
          `Vui lòng trả lời trước ${due} tại ${p.answerUrl}: chấp nhận, khiếu nại hoặc nộp phạt. Nếu không trả lời đúng hạn, ` +
          'phương tiện sẽ bị công khai trên trang của Cảnh sát giao thông và thông báo đến cơ quan đăng kiểm.',
        en:
          `A traffic violation by your vehicle was recorded on ${captured}: ${p.violation.en}.\n` +
          `Fine: ${fine}. Notice verification code ${p.noticeCode}: ${p.verifyUrl}\n` +
          `Please answer by ${due} at ${p.answerUrl}: accept, dispute or pay. Without an answer by then the vehicle is ` +
          'published on the traffic police site and flagged to the vehicle-inspection authority.',
      },
    };
  },
  reminder(dossierId: string, dueAt: string, answerUrl: string): Mail {
    const due = formatLocalTime(dueAt);
    return {
      subject: { vi: `Nhắc nhở: thông báo vi phạm giao thông ${dossierId}`, en: `Reminder: traffic violation notice ${dossierId}` },
      text: { vi: `Vui lòng trả lời trước ${due} tại ${answerUrl}.`, en: `Please answer by ${due} at ${answerUrl}.` },
    };
  },
  disputeUpheld(dossierId: string, balance: number, dueAt: string, answerUrl: string): Mail {
    const amount = formatVnd(balance);
    const due = formatLocalTime(dueAt);
    return {
      subject: { vi: `Vi phạm giao thông ${dossierId}: khiếu nại không được chấp nhận`, en: `Traffic violation ${dossierId}: your dispute was not accepted` },
      text: {
        vi: `Cảnh sát giao thông giữ nguyên vi phạm. Vui lòng nộp ${amount} trước ${due} tại ${answerUrl}.`,
        en: `The traffic police upheld the violation. Please pay ${amount} by ${due} at ${answerUrl}.`,
      },
    };
  },
  published(dossierId: string, why: Bilingual, balance: number, answerUrl: string): Mail {
    const amount = formatVnd(balance);
    return {
      subject: { vi: `Vi phạm giao thông ${dossierId}: phương tiện bị công khai và thông báo đăng kiểm`, en: `Traffic violation ${dossierId}: vehicle published and flagged for inspection` },
      text: {
        vi: `${why.vi}. Phương tiện đã bị công khai và sẽ không được đăng kiểm cho đến khi nộp ${amount} tại ${answerUrl}.`,
        en: `${why.en}. The vehicle is published and will fail inspection until ${amount} is paid at ${answerUrl}.`,
      },
    };
  },
  paid(dossierId: string, amount: number): Mail {
    return {
      subject: { vi: `Vi phạm giao thông ${dossierId}: đã nộp phạt, kết thúc vụ việc`, en: `Traffic violation ${dossierId}: paid, case closed` },
      text: { vi: `Chúng tôi đã nhận ${formatVnd(amount)}. Vụ việc đã kết thúc.`, en: `We received ${formatVnd(amount)}. The case is closed.` },
    };
  },
  dismissed(dossierId: string, reason: string): Mail {
    return {
      subject: { vi: `Vi phạm giao thông ${dossierId}: hủy bỏ vụ việc`, en: `Traffic violation ${dossierId}: case dismissed` },
      text: { vi: `Cảnh sát giao thông đã hủy bỏ vụ việc: ${reason}. Bạn không phải nộp phạt.`, en: `The traffic police dismissed the case: ${reason}. Nothing is to be paid.` },
    };
  },
};

export const caseNotes = {
  received(violationCode: string, capturedAt: string, wardCode: string, noticeDueAt: string): Bilingual {
    const captured = formatLocalTime(capturedAt);
    const due = formatLocalTime(noticeDueAt);
    return {
      vi: `Vi phạm ${violationCode} ghi nhận lúc ${captured} tại ${wardCode}; hạn gửi thông báo ${due}`,
      en: `${violationCode} captured ${captured} at ${wardCode}; the notice is due ${due}`,
    };
  },
  noticeIssued(noticeCode: string, violation: Bilingual, fine: number, lateAfter: string | undefined): Bilingual {
    const late = lateAfter ? formatLocalTime(lateAfter) : undefined;
    return {
      vi: `Thông báo mã xác thực ${noticeCode}: ${violation.vi}, mức phạt ${formatVnd(fine)}${late ? `; gửi sau hạn ${late}` : ''}`,
      en: `Notice with verification code ${noticeCode}: ${violation.en}, fine ${formatVnd(fine)}${late ? `; issued after its deadline ${late}` : ''}`,
    };
  },
  ownerMissing(unregistered: boolean): Bilingual {
    return unregistered
      ? { vi: 'Phương tiện không có trong cơ sở dữ liệu đăng ký xe', en: 'The vehicle is not in the vehicle registry' }
      : { vi: 'Chủ xe không có trong cơ sở dữ liệu dân cư', en: 'The owner is not in the population data' };
  },
  ownerFound(residenceUnitCode: string | undefined): Bilingual {
    return residenceUnitCode
      ? { vi: `Chủ xe cư trú tại ${residenceUnitCode}`, en: `The owner lives under ${residenceUnitCode}` }
      : { vi: 'Chủ xe có trong cơ sở dữ liệu dân cư', en: 'The owner is in the population data' };
  },
  accepted(payBy: string): Bilingual {
    const date = formatCalendarDate(payBy);
    return { vi: `Chủ xe chấp nhận mức phạt và sẽ nộp trước ngày ${date}`, en: `The owner accepts the fine and will pay by ${date}` };
  },
  /** Why the vehicle is published: a promise not kept, or no answer by the deadline. */
  unanswered(promisedBy: string | undefined, missed: string): Bilingual {
    if (promisedBy) {
      const date = formatCalendarDate(promisedBy);
      return { vi: `Khoản tiền phạt hẹn nộp ngày ${date} chưa được nộp`, en: `The payment promised for ${date} was not made` };
    }
    const due = formatLocalTime(missed);
    return { vi: `Thông báo không được trả lời trước ${due}`, en: `The notice was not answered by ${due}` };
  },
  published(why: Bilingual): Bilingual {
    return { vi: `${why.vi}: phương tiện bị đưa vào danh sách công khai của Cảnh sát giao thông`, en: `${why.en}: the vehicle is on the traffic police's public list` };
  },
  flagged: { vi: 'Đã thông báo cơ quan đăng kiểm: phương tiện không được đăng kiểm cho đến khi nộp phạt xong', en: 'Flagged to the vehicle-inspection authority: the vehicle fails inspection until the fine is settled' },
  unpublished: { vi: 'Phương tiện đã được gỡ khỏi danh sách công khai của Cảnh sát giao thông', en: "The vehicle is off the traffic police's public list" },
  flagLifted(stillFlagged: boolean): Bilingual {
    return stillFlagged
      ? { vi: 'Vụ việc này không còn cảnh báo phương tiện (một vụ việc khác chưa giải quyết vẫn cảnh báo)', en: 'This case no longer flags the vehicle (another unsettled case still does)' }
      : { vi: 'Đã gỡ cảnh báo đăng kiểm', en: 'The inspection flag is lifted' };
  },
  paid(amount: number, paymentId: string): Bilingual {
    return { vi: `Đã nộp ${formatVnd(amount)} (giao dịch ${paymentId})`, en: `Paid ${formatVnd(amount)} (payment ${paymentId})` };
  },
  closed: { vi: 'Đã nộp phạt: kết thúc vụ việc', en: 'The fine is paid: case closed' },
};

/** What the owner is asked, as the dossier shows it while it waits (the portal's reader: Vietnamese). */
export const ownerAsked = {
  firstAnswer: (balance: number) => `chấp nhận (kèm ngày sẽ nộp), khiếu nại (kèm lý do) hoặc nộp ${formatVnd(balance)}`,
  promised: (balance: number, payBy: string) => `nộp ${formatVnd(balance)} trước ngày ${formatCalendarDate(payBy)}, như đã hẹn`,
  pay: (balance: number) => `nộp ${formatVnd(balance)}`,
};
