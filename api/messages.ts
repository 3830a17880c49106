import type { Bilingual } from '../common/bilingual';

/**
 * The API's own words to people, each in both languages, by id (`say.noTask(id)`): the problems'
 * titles and details and the field messages the handlers write. Kept together so that the two
 * languages are written, and read, side by side. Data in a message (ids, codes, amounts) is the
 * same in both; a status or a role is in words of the language (`status-words.ts`, `roleWords`).
 */
const text = (vi: string, en: string): Bilingual => ({ vi, en });

const TITLES: Record<number, Bilingual> = {
  400: text('Yêu cầu không hợp lệ', 'Bad Request'),
  401: text('Chưa xác thực', 'Unauthorized'),
  403: text('Không có quyền', 'Forbidden'),
  404: text('Không tìm thấy', 'Not Found'),
  405: text('Phương thức không được hỗ trợ', 'Method Not Allowed'),
  408: text('Hết thời gian chờ yêu cầu', 'Request Timeout'),
  409: text('Xung đột với trạng thái hiện tại', 'Conflict'),
  413: text('Nội dung quá lớn', 'Content Too Large'),
  415: text('Kiểu nội dung không được hỗ trợ', 'Unsupported Media Type'),
  422: text('Không được chấp nhận theo quy định', 'Unprocessable Content'),
  429: text('Quá nhiều yêu cầu', 'Too Many Requests'),
  500: text('Lỗi máy chủ', 'Internal Server Error'),
  503: text('Dịch vụ tạm thời không khả dụng', 'Service Unavailable'),
};

const ROLE_WORDS: Record<string, Bilingual> = {
  citizen: text('công dân', 'citizen'),
  clerk: text('cán bộ tiếp nhận', 'clerk'),
  officer: text('chuyên viên', 'officer'),
  supervisor: text('lãnh đạo đơn vị', 'supervisor'),
  inspector: text('cơ quan đăng kiểm', 'inspector'),
  system: text('hệ thống', 'system'),
  administrator: text('quản trị viên', 'administrator'),
};

/** A role in words (`clerk`: cán bộ tiếp nhận); an unknown one as it is. */
export const roleWords = (role: string): Bilingual => ROLE_WORDS[role] ?? text(role, role);
const rolesVi = (roles: readonly string[]) => roles.map((r) => roleWords(r).vi).join(', ');

/** `a, b, c` in both languages (`hoặc` / `or` before the last where it is a choice). */
const list = (items: readonly string[]) => items.join(', ');

const general = {
  title: (status: number): Bilingual => TITLES[status] ?? text('Lỗi', 'Error'),
  tokenRequired: text('Cần có mã truy cập (bearer token) hợp lệ', 'A valid bearer token is required'),
  noSuchResource: text('Không tìm thấy tài nguyên', 'No such resource'),
  noRoute: (method: string, path: string) => text(`Không có đường dẫn ${method} ${path}`, `No route for ${method} ${path}`),
  methodNotAllowed: (method: string, path: string, allow: string) =>
    text(`${path} không nhận phương thức ${method}; các phương thức được nhận: ${allow}`, `${method} is not allowed on ${path}; it takes ${allow}`),
  requestInvalid: text('Yêu cầu không hợp lệ', 'The request is invalid'),
  invalidFields: (count: number) => text(`Yêu cầu có ${count} trường không hợp lệ`, `The request has ${count} invalid field(s)`),
  unknownField: text('trường không được chấp nhận', 'unknown field'),
  tooDeep: (max: number) => text(`Nội dung yêu cầu lồng sâu quá ${max} cấp`, `The request body nests deeper than ${max} levels`),
  tooDeepField: (max: number) => text(`lồng quá ${max} cấp đối tượng và mảng`, `nests deeper than ${max} levels of objects and arrays`),
  bodyTooLarge: (limit: number | undefined) =>
    text(`Nội dung yêu cầu lớn hơn ${limit ?? 'giới hạn'} byte`, `The request body is larger than ${limit ?? 'the limit of'} bytes`),
  malformedJson: text('Nội dung yêu cầu không phải JSON hợp lệ', 'The request body is not valid JSON'),
  malformedJsonField: text('JSON sai cú pháp', 'malformed JSON'),
  unsupportedEncoding: text('Máy chủ không hỗ trợ cách mã hóa (Content-Encoding) hoặc bộ ký tự của nội dung', 'The Content-Encoding or charset is not supported'),
  unreadableBody: text('Không đọc được trọn vẹn nội dung yêu cầu', 'The request body could not be read'),
  undecodableBody: (why: string) =>
    text('Không giải mã được nội dung yêu cầu theo Content-Encoding đã khai báo', `The request body could not be decoded as its Content-Encoding says: ${why}`),
  undecodableBodyField: text('không khớp với Content-Encoding', 'does not match its Content-Encoding'),
  internal: text('Máy chủ không thể hoàn tất yêu cầu; lỗi đã được ghi lại.', 'The server could not complete the request; it has been logged.'),
  tooManyRequests: (limit: number, what: Bilingual, retryAfter: number) =>
    text(`Quá ${limit} ${what.vi} mỗi phút; thử lại sau ${retryAfter} giây`, `More than ${limit} ${what.en} a minute; retry in ${retryAfter} s`),
  limitFilings: text('lần nộp hồ sơ của mỗi công dân', 'filings per citizen'),
  limitVerifications: text('lần tra cứu văn bản của mỗi máy khách', 'document verifications per client'),
  limitDevTokens: text('mã truy cập thử nghiệm của mỗi máy khách', 'dev tokens per client'),
  idempotencyKeyInvalid: text('Tiêu đề Idempotency-Key không hợp lệ', 'Invalid Idempotency-Key header'),
  idempotencyKeyField: text('phải gồm 1-200 ký tự ASCII nhìn thấy được', 'must be 1-200 visible ASCII characters'),
  idempotencyKeyReused: text('Idempotency-Key này đã được dùng cho một yêu cầu khác', 'This Idempotency-Key was already used with a different request'),
};

const tokens = {
  tokenExpired: text('Mã truy cập đã hết hạn', 'The bearer token has expired'),
  tokenWithoutExpiry: text('Mã truy cập không có thời hạn (claim exp); mọi mã truy cập đều phải có hạn', 'The bearer token has no expiry (exp claim); every token must expire'),
  tokenLacksClaim: (claim: string) => text(`Mã truy cập thiếu claim ${claim}`, `The bearer token lacks the ${claim} claim`),
  tokenClaimUnacceptable: (claim: string) => text(`Claim ${claim} của mã truy cập không được chấp nhận`, `The bearer token's ${claim} claim is not acceptable`),
  tokenInvalid: text('Mã truy cập không hợp lệ', 'The bearer token is invalid'),
  tokenFromFuture: text(
    'Mã truy cập được cấp vào một thời điểm trong tương lai (iat); hãy kiểm tra đồng hồ của nơi cấp',
    "The bearer token was issued in the future (iat); check the issuer's clock",
  ),
  tokenLivesTooLong: (hours: number) =>
    text(`Mã truy cập có hiệu lực dài hơn ${hours} giờ cho phép giữa iat (hoặc hiện tại) và exp`, `The bearer token lives longer than the ${hours} hours allowed between iat (or now) and exp`),
  tokenClaimsInvalid: (issues: readonly Bilingual[]) =>
    text(`Các claim của mã truy cập không hợp lệ: ${issues.map((i) => i.vi).join('; ')}`, `The bearer token's claims are invalid: ${issues.map((i) => i.en).join('; ')}`),
  roleNotAllowed: (roles: readonly string[], role: string) =>
    text(`Thao tác này dành cho ${rolesVi(roles)}; người gọi có vai trò ${roleWords(role).vi}`, `This action is for ${roles.join(', ')}; the caller is a ${role}`),
  unitNotOfSystem: (unit: string | undefined) =>
    text(`Đơn vị ${unit} trong mã truy cập không phải là đơn vị của hệ thống`, `The token's unit ${unit} is not a unit of this system`),
  unitOutsideUnits: (unit: string) => text(`Đơn vị ${unit} nằm ngoài các đơn vị của người gọi`, `Unit ${unit} is outside the caller's units`),
  unitOutsideSubtree: (unit: string) => text(`Đơn vị ${unit} nằm ngoài phạm vi quản lý của người gọi`, `Unit ${unit} is outside the caller's subtree`),
};

const dossiers = {
  noDossier: (id: string) => text(`Không có hồ sơ ${id}`, `No dossier ${id}`),
  noDocument: (id: string) => text(`Chưa có văn bản nào được cấp cho hồ sơ ${id}`, `No document has been issued for dossier ${id}`),
  dossierAlready: (id: string, status: Bilingual, statusId: string) =>
    text(`Hồ sơ ${id} đã ở trạng thái “${status.vi}”`, `Dossier ${id} is already ${statusId}`),
  unknownRegistryEntries: text('Yêu cầu nêu những mục không có trong danh mục', 'The request names unknown registry entries'),
  noUnit: (code: string) => text(`không có đơn vị ${code}`, `no unit ${code}`),
  noUnitDetail: (code: string) => text(`Không có đơn vị ${code}`, `No unit ${code}`),
  noSuchUnit: (code: string) => text(`không có đơn vị ${code}`, `no such unit ${code}`),
  noSuchWard: (code: string) => text(`không có phường, xã ${code}`, `no such ward ${code}`),
  noSuchBusinessLine: (code: string) => text(`không có ngành nghề kinh doanh (mã VSIC) ${code}`, `no such line of business (VSIC code) ${code}`),
  onlyFilerMayCancel: (id: string) => text(`Chỉ công dân đã nộp hồ sơ ${id} mới được hủy hồ sơ`, `Only the citizen who filed dossier ${id} may cancel it`),
  onlyFilerMayAnswer: (id: string) => text(`Chỉ công dân đã nộp hồ sơ ${id} mới được trả lời cho hồ sơ`, `Only the citizen who filed dossier ${id} may answer for it`),
  takesNoSupplement: (id: string, procedure: string) =>
    text(`Hồ sơ ${id} (${procedure}) không có bước bổ sung hồ sơ`, `Dossier ${id} (${procedure}) is not waiting for a supplement`),
  notWaitingForSupplement: (id: string) => text(`Hồ sơ ${id} không ở bước chờ bổ sung`, `Dossier ${id} is not waiting for a supplement`),
  supplementInvalid: text('Phần bổ sung không hợp lệ', 'The supplement is invalid'),
  supplementUnknownEntries: text('Phần bổ sung nêu những mục không có trong danh mục', 'The supplement names unknown registry entries'),
};

const ACTION_VI: Record<string, string> = { claim: 'nhận', complete: 'hoàn thành', release: 'trả lại' };

const tasks = {
  noTask: (id: string) => text(`Không có công việc ${id}`, `No task ${id}`),
  taskAtOtherUnit: (id: string, unit: string) =>
    text(`Công việc ${id} thuộc đơn vị ${unit}, ngoài các đơn vị của người gọi`, `Task ${id} is at unit ${unit}, outside the caller's units`),
  taskOutsideSubtree: (id: string, unit: string) =>
    text(`Công việc ${id} thuộc đơn vị ${unit}, ngoài phạm vi quản lý của người gọi`, `Task ${id} is at unit ${unit}, outside the caller's subtree`),
  taskAlready: (id: string, status: Bilingual, statusId: string) =>
    text(`Công việc ${id} đã ở trạng thái “${status.vi}”`, `Task ${id} is already ${statusId}`),
  taskBecameMeanwhile: (id: string, status: Bilingual, statusId: string) =>
    text(`Công việc ${id} vừa chuyển sang trạng thái “${status.vi}”`, `Task ${id} was ${statusId} meanwhile`),
  taskOfUnknownStep: (id: string, procedure: string, step: string) =>
    text(`Công việc ${id} thuộc một bước mà phiên bản này không biết (${procedure}/${step})`, `Task ${id} belongs to a step this version does not know (${procedure}/${step})`),
  taskForRoles: (id: string, where: string, allowed: readonly string[], action: string, role: string) =>
    text(
      `Việc ${ACTION_VI[action] ?? action} công việc ${id} (${where}) dành cho ${rolesVi(allowed)}; vai trò của người gọi là ${roleWords(role).vi}`,
      `Task ${id} (${where}) is for ${allowed.map((r) => `${r}s`).join(' or ')} to ${action}; the caller's role is ${role}`,
    ),
  taskClaimedMeanwhile: (id: string) => text(`Công việc ${id} vừa được người khác nhận`, `Task ${id} was claimed by someone else`),
  taskClaimedBySomeoneElse: (id: string) => text(`Công việc ${id} đang do người khác nhận`, `Task ${id} is claimed by someone else`),
  taskNotClaimed: (id: string) => text(`Công việc ${id} chưa được ai nhận`, `Task ${id} is not claimed`),
  taskClaimedBy: (id: string, assignee: string) => text(`Công việc ${id} đang do ${assignee} nhận`, `Task ${id} is claimed by ${assignee}`),
  unknownOutcome: text('Kết quả không có trong bước này', 'Unknown outcome'),
  outcomeOneOf: (outcomes: readonly string[]) => text(`phải là một trong: ${list(outcomes)}`, `must be one of ${list(outcomes)}`),
  outcomeDataInvalid: (outcome: string) => text(`Dữ liệu của kết quả ${outcome} không hợp lệ`, `The data of outcome ${outcome} is invalid`),
};

const supervision = {
  nothingToReassign: text('Không có nơi để chuyển công việc đến', 'Nothing to reassign to'),
  reassignmentUnknown: text('Yêu cầu chuyển giao nêu những mục không có hoặc không khớp nhau', 'The reassignment names unknown or mismatching entries'),
  noActiveStaff: (id: string) => text(`không có cán bộ đang làm việc ${id}`, `no active staff member ${id}`),
  staffOfOtherUnit: (staffUnit: string, unit: string) => text(`là cán bộ của ${staffUnit}, không phải của ${unit}`, `is staff of ${staffUnit}, not of ${unit}`),
  noUnitAbove: (id: string, unit: string) =>
    text(`Hồ sơ ${id} đang được xử lý tại ${unit}, đơn vị không có cấp trên`, `Dossier ${id} is handled at ${unit}, which has no unit above it`),
  dossierOutsideSubtree: (id: string, unit: string) =>
    text(`Hồ sơ ${id} do ${unit} tiếp nhận, ngoài phạm vi quản lý của người gọi`, `Dossier ${id} was received by ${unit}, outside the caller's subtree`),
  notWaitingOnFailingCall: (id: string) =>
    text(`Hồ sơ ${id} không chờ một lệnh gọi hệ thống đang lỗi`, `Dossier ${id} is not waiting on a failing system call`),
  noLongerWaitingOnFailingCall: (id: string) =>
    text(`Hồ sơ ${id} không còn chờ một lệnh gọi hệ thống đang lỗi`, `Dossier ${id} is no longer waiting on a failing system call`),
  noUnitTree: text('Chưa cấu hình cây đơn vị', 'No unit tree is configured'),
  windowEmpty: text('Khoảng thời gian trống', 'The window is empty'),
  mustBeAfterFrom: text('phải sau from', 'must be after from'),
  itemFailed: text('Máy chủ không thể xử lý mục này', 'The server could not act on this item'),
};

const definitions = {
  definitionProblems: (count: number) => text(`Bản định nghĩa có ${count} lỗi`, `The definition has ${count} problem(s)`),
  writtenAsCode: (id: string) =>
    text(`Thủ tục ${id} được viết bằng mã nguồn: hãy công bố bản định nghĩa dưới một mã khác`, `Procedure ${id} is written as code: publish a definition under another id`),
  codePrefixTaken: (prefix: string, holder: string) =>
    text(`Mã hồ sơ bắt đầu bằng ${prefix} thuộc về ${holder}: hãy chọn codePrefix khác`, `Dossier codes starting ${prefix} belong to ${holder}: choose another codePrefix`),
  noDefinitionVersion: (version: number, id: string) =>
    text(`Không có phiên bản ${version} của định nghĩa thủ tục ${id}`, `No version ${version} of procedure definition ${id}`),
  codecExpected: text('Cần có {payloads: [{metadata, data}]}', 'Expected {payloads: [{metadata, data}]}'),
  codecFailed: (direction: string, why: string) =>
    text(`Không thể ${direction === 'encode' ? 'mã hóa' : 'giải mã'} dữ liệu: ${why}`, `The payloads could not be ${direction}d: ${why}`),
};

const traffic = {
  paymentNeedsKey: text('Thanh toán cần có tiêu đề Idempotency-Key', 'A payment needs an Idempotency-Key header'),
  paymentKeyField: text('bắt buộc khi thanh toán: 1-200 ký tự ASCII nhìn thấy được', 'required for a payment: 1-200 visible ASCII characters'),
  evidenceUnknown: text(
    'Chứng cứ nêu những mục không có trong danh mục hoặc một thời điểm không thể có',
    'The evidence names unknown registry entries or an impossible time',
  ),
  takesNoResponse: (id: string, procedure: string) =>
    text(`Hồ sơ ${id} (${procedure}) không có bước trả lời thông báo vi phạm`, `Dossier ${id} (${procedure}) is not waiting for a respond`),
  notWaitingForResponse: (id: string, status: Bilingual, statusId: string) =>
    text(`Hồ sơ ${id} không ở bước chờ trả lời (“${status.vi}”)`, `Dossier ${id} is not waiting for a response (${statusId})`),
  amountMustBeBalance: (balance: number) =>
    text(`Số tiền phải bằng toàn bộ số tiền phạt còn phải nộp: ${formatAmount(balance)}`, `The amount must be the whole balance of the fine: ${balance} VND`),
};

const engine = {
  engineDidNotTake: text('Hệ thống xử lý chưa nhận yêu cầu; vui lòng thử lại sau ít phút', 'The engine did not take the request; try again shortly'),
  dossierAlreadyClosed: text('Hồ sơ đã kết thúc', 'The dossier is already closed'),
  workflowRestarted: text(
    'Quy trình của hồ sơ vừa khởi động lại trong khi nhận yêu cầu; vui lòng thử lại sau ít phút',
    "The dossier's workflow restarted while taking the request; try again shortly",
  ),
  closedBeforeCarriedOut: text('Hồ sơ đã kết thúc trước khi yêu cầu được thực hiện', 'The dossier closed before the request was carried out'),
  databaseUnavailable: text('Cơ sở dữ liệu tạm thời không khả dụng; vui lòng thử lại sau ít phút', 'The database is unavailable; try again shortly'),
  workflowWedged: text(
    'Quy trình của hồ sơ tạm thời không nhận yêu cầu: hệ thống liên tục gặp lỗi khi chạy quy trình này (mục giám sát liệt kê hồ sơ là bị treo)',
    "The dossier's workflow cannot take requests now: the engine keeps failing to run it (supervision lists it as stuck)",
  ),
  temporalUnavailable: text(
    'Hệ thống điều phối quy trình (Temporal) không khả dụng hoặc không trả lời kịp; vui lòng thử lại sau ít phút',
    'Temporal is unavailable or did not answer in time; try again shortly',
  ),
};

const me = {
  languageForCitizens: text('Chỉ công dân mới có ngôn ngữ ưa dùng', 'Only citizens have a preferred language'),
};

/** `19.000.000 ₫`: dots between thousands, the đồng sign after. */
export function formatAmount(amount: number): string {
  return `${String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, '.')} ₫`;
}

export const say = { ...general, ...tokens, ...dossiers, ...tasks, ...supervision, ...definitions, ...traffic, ...engine, ...me };
