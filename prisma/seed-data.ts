import { normalizeBusinessName } from '../procedures/business-registration/names';
import type { BusinessKind, BusinessStatus, RecordStorage, Sex, StaffRole, UnitKind } from './client';

/**
 * Demo data for a self-contained engine: the unit tree, staff, population data, civil-status
 * records, business registry and vehicle registry a newcomer can try the three procedures with.
 * Pure data (no I/O); prisma/seed.ts writes it. Names, numbers and addresses are invented but have
 * the real shapes (12-digit PINs, 10-digit enterprise codes, HCMC plates).
 */

/** A calendar date, `YYYY-MM-DD` (the Date columns hold no time of day). */
export type IsoDate = string;

// ---------------------------------------------------------------------------------------------
// Units

export interface SeedUnit {
  code: string;
  name: string;
  kind: UnitKind;
  parentCode: string | null;
  email: string;
}

const MAIL_DOMAIN = 'dichvucong.example';

/**
 * HCMC after the 2025 reform: districts are gone and wards (the merged Bình Dương and Bà Rịa–Vũng
 * Tàu ones included) sit directly under the city. The traffic police division belongs to the city
 * police, so a stuck fine escalates to the police before the city.
 */
export const UNITS: readonly SeedUnit[] = [
  { code: 'HCMC', name: 'Thành phố Hồ Chí Minh', kind: 'CITY', parentCode: null, email: `tphcm@${MAIL_DOMAIN}` },
  { code: 'HCMC-DOJ', name: 'Sở Tư pháp', kind: 'DEPARTMENT', parentCode: 'HCMC', email: `so-tu-phap@${MAIL_DOMAIN}` },
  {
    code: 'HCMC-DOF',
    name: 'Sở Tài chính — Phòng Đăng ký kinh doanh',
    kind: 'DEPARTMENT',
    parentCode: 'HCMC',
    email: `dang-ky-kinh-doanh@${MAIL_DOMAIN}`,
  },
  { code: 'HCMC-CA', name: 'Công an Thành phố Hồ Chí Minh', kind: 'DEPARTMENT', parentCode: 'HCMC', email: `cong-an@${MAIL_DOMAIN}` },
  { code: 'HCMC-PC08', name: 'Phòng Cảnh sát giao thông', kind: 'DIVISION', parentCode: 'HCMC-CA', email: `csgt@${MAIL_DOMAIN}` },
  ward('W-BEN-THANH', 'Phường Bến Thành', 'ben-thanh'),
  ward('W-SAI-GON', 'Phường Sài Gòn', 'sai-gon'),
  ward('W-TAN-DINH', 'Phường Tân Định', 'tan-dinh'),
  ward('W-THU-DUC', 'Phường Thủ Đức', 'thu-duc'),
  ward('W-BINH-THANH', 'Phường Bình Thạnh', 'binh-thanh'),
  ward('W-THU-DAU-MOT', 'Phường Thủ Dầu Một', 'thu-dau-mot'),
  ward('W-VUNG-TAU', 'Phường Vũng Tàu', 'vung-tau'),
];

function ward(code: string, name: string, mailbox: string): SeedUnit {
  return { code, name, kind: 'WARD', parentCode: 'HCMC', email: `${mailbox}@${MAIL_DOMAIN}` };
}

// ---------------------------------------------------------------------------------------------
// Staff

export interface SeedStaff {
  id: string;
  fullName: string;
  email: string;
  role: StaffRole;
  unitCode: string;
}

/**
 * Ids read `role.unit` (`clerk.w-ben-thanh`) so a demo login says who it is; a second holder of the
 * same role gets a number (`officer-2.hcmc-pc08`). The mail address derives from the id, so it is
 * unique whenever the id is.
 */
function member(unitCode: string, role: StaffRole, fullName: string, seq?: number): SeedStaff {
  const id = `${role}${seq === undefined ? '' : `-${seq}`}.${unitCode.toLowerCase()}`;
  return { id, fullName, email: `${id}@${MAIL_DOMAIN}`, role, unitCode };
}

/**
 * Every unit has a clerk (human steps) and a supervisor (overdue work, escalations). Each ward's
 * officer is its police (công an phường): a traffic notice for an owner living there goes to them.
 */
export const STAFF: readonly SeedStaff[] = [
  member('HCMC', 'clerk', 'Nguyễn Thị Thanh Tâm'),
  member('HCMC', 'supervisor', 'Trần Quốc Việt'),
  member('HCMC-DOJ', 'clerk', 'Lê Thị Phương Thảo'),
  member('HCMC-DOJ', 'officer', 'Bùi Văn Khánh'),
  member('HCMC-DOJ', 'supervisor', 'Phạm Minh Đức'),
  member('HCMC-DOF', 'clerk', 'Võ Thị Ngọc Ánh'),
  member('HCMC-DOF', 'clerk', 'Đinh Công Thành', 2),
  member('HCMC-DOF', 'officer', 'Hồ Thị Diễm My'),
  member('HCMC-DOF', 'supervisor', 'Lâm Quang Huy'),
  member('HCMC-CA', 'clerk', 'Tạ Thị Hoài Thương'),
  member('HCMC-CA', 'supervisor', 'Châu Văn Lực'),
  member('HCMC-PC08', 'clerk', 'Mai Thị Kiều Oanh'),
  member('HCMC-PC08', 'officer', 'Dương Văn Hải'),
  member('HCMC-PC08', 'officer', 'Kiều Minh Trí', 2),
  member('HCMC-PC08', 'supervisor', 'La Văn Thuận'),
  member('W-BEN-THANH', 'clerk', 'Trần Thị Mỹ Duyên'),
  member('W-BEN-THANH', 'officer', 'Lê Quang Vũ'),
  member('W-BEN-THANH', 'supervisor', 'Nguyễn Hữu Phước'),
  member('W-SAI-GON', 'clerk', 'Phan Thị Hồng Nhung'),
  member('W-SAI-GON', 'officer', 'Nguyễn Đức Toàn'),
  member('W-SAI-GON', 'supervisor', 'Lê Văn Trọng'),
  member('W-TAN-DINH', 'clerk', 'Huỳnh Thị Bảo Trân'),
  member('W-TAN-DINH', 'officer', 'Phạm Văn Hiếu'),
  member('W-TAN-DINH', 'supervisor', 'Cao Minh Nhật'),
  member('W-THU-DUC', 'clerk', 'Đoàn Thị Cẩm Tú'),
  member('W-THU-DUC', 'officer', 'Trần Minh Khôi'),
  member('W-THU-DUC', 'supervisor', 'Trương Công Danh'),
  member('W-BINH-THANH', 'clerk', 'Lưu Thị Thu Hà'),
  member('W-BINH-THANH', 'officer', 'Võ Thành Nam'),
  member('W-BINH-THANH', 'supervisor', 'Tô Quang Vinh'),
  member('W-THU-DAU-MOT', 'clerk', 'Quách Thị Lệ Hằng'),
  member('W-THU-DAU-MOT', 'officer', 'Đặng Quốc Bảo'),
  member('W-THU-DAU-MOT', 'supervisor', 'Văn Đình Khôi'),
  member('W-VUNG-TAU', 'clerk', 'Thái Thị Kim Yến'),
  member('W-VUNG-TAU', 'officer', 'Hà Văn Lộc'),
  member('W-VUNG-TAU', 'supervisor', 'Ông Văn Sơn'),
];

// ---------------------------------------------------------------------------------------------
// Population data

export interface SeedPerson {
  /**
   * 12 digits: province of birth registration (079 HCMC, 074 Bình Dương, 077 Bà Rịa–Vũng Tàu),
   * century-and-sex (0/1: 1900s male/female, 2/3: 2000s male/female), year of birth (2 digits),
   * then 6 random digits.
   */
  pin: string;
  fullName: string;
  dateOfBirth: IsoDate;
  sex: Sex;
  /** Children and the deceased have none: notices go to a parent or a relative. */
  email: string | null;
  phone: string | null;
  address: string;
  residenceUnitCode: string;
}

/** PINs of the people the records, businesses and vehicles below refer to. */
export const PIN = {
  // Family in Bến Thành: married 2016, two children; all records electronic.
  nguyenVanAn: '079088004127',
  tranThiBichNgoc: '079190012583',
  nguyenMinhKhang: '079219003461',
  nguyenNgocHan: '079322008815',
  // Family in Sài Gòn: the father's 1985 birth is still only in the paper books.
  leHoangPhuc: '079085006342',
  phamThiThuTrang: '079187002976',
  lePhamGiaHuy: '079214007731',
  // Elderly widow in Tân Định: her birth and marriage exist only in the paper archive.
  voThiLan: '079148000519',
  dangVanHung: '079045000284', // her husband, died 2021
  dangThiHong: '079170003308', // their daughter
  // Bình Thạnh: a child recognised by her father after birth; an elderly resident who died.
  truongThiMai: '079139000162',
  lyThiKimChi: '079195011447',
  phanQuocBao: '079092009853',
  lyBaoNgoc: '079320005126',
  // Thủ Đức: a father who recognised his son.
  hoangVanLong: '079090013370',
  hoangGiaBao: '079215004492',
  // Lost his papers, no record anywhere: the archive-search / re-registration path.
  huynhVanTam: '079050001873',
  // Vehicle owners living away from the city centre, where the cameras are.
  trinhMinhTuan: '074083002645',
  ngoThiMyLinh: '077198004731',
  // Business owners.
  doThiThanhHuong: '079179006018',
  vuDucThang: '079075008290',
} as const;

const CITY = 'Thành phố Hồ Chí Minh';

export const PERSONS: readonly SeedPerson[] = [
  {
    pin: PIN.nguyenVanAn,
    fullName: 'Nguyễn Văn An',
    dateOfBirth: '1988-03-14',
    sex: 'MALE',
    email: 'nguyen.van.an@example.com',
    phone: '0903124578',
    address: `45 Lê Thánh Tôn, Phường Bến Thành, ${CITY}`,
    residenceUnitCode: 'W-BEN-THANH',
  },
  {
    pin: PIN.tranThiBichNgoc,
    fullName: 'Trần Thị Bích Ngọc',
    dateOfBirth: '1990-07-22',
    sex: 'FEMALE',
    email: 'tran.bich.ngoc@example.com',
    phone: '0938451206',
    address: `45 Lê Thánh Tôn, Phường Bến Thành, ${CITY}`,
    residenceUnitCode: 'W-BEN-THANH',
  },
  {
    pin: PIN.nguyenMinhKhang,
    fullName: 'Nguyễn Minh Khang',
    dateOfBirth: '2019-05-10',
    sex: 'MALE',
    email: null,
    phone: null,
    address: `45 Lê Thánh Tôn, Phường Bến Thành, ${CITY}`,
    residenceUnitCode: 'W-BEN-THANH',
  },
  {
    pin: PIN.nguyenNgocHan,
    fullName: 'Nguyễn Ngọc Hân',
    dateOfBirth: '2022-11-02',
    sex: 'FEMALE',
    email: null,
    phone: null,
    address: `45 Lê Thánh Tôn, Phường Bến Thành, ${CITY}`,
    residenceUnitCode: 'W-BEN-THANH',
  },
  {
    pin: PIN.leHoangPhuc,
    fullName: 'Lê Hoàng Phúc',
    dateOfBirth: '1985-01-30',
    sex: 'MALE',
    email: 'le.hoang.phuc@example.com',
    phone: '0909337281',
    address: `18 Nguyễn Huệ, Phường Sài Gòn, ${CITY}`,
    residenceUnitCode: 'W-SAI-GON',
  },
  {
    pin: PIN.phamThiThuTrang,
    fullName: 'Phạm Thị Thu Trang',
    dateOfBirth: '1987-09-18',
    sex: 'FEMALE',
    email: 'pham.thu.trang@example.com',
    phone: '0918662047',
    address: `18 Nguyễn Huệ, Phường Sài Gòn, ${CITY}`,
    residenceUnitCode: 'W-SAI-GON',
  },
  {
    pin: PIN.lePhamGiaHuy,
    fullName: 'Lê Phạm Gia Huy',
    dateOfBirth: '2014-06-25',
    sex: 'MALE',
    email: null,
    phone: null,
    address: `18 Nguyễn Huệ, Phường Sài Gòn, ${CITY}`,
    residenceUnitCode: 'W-SAI-GON',
  },
  {
    pin: PIN.voThiLan,
    fullName: 'Võ Thị Lan',
    dateOfBirth: '1948-02-05',
    sex: 'FEMALE',
    email: 'vo.thi.lan@example.com',
    phone: '0283820145',
    address: `102 Hai Bà Trưng, Phường Tân Định, ${CITY}`,
    residenceUnitCode: 'W-TAN-DINH',
  },
  {
    pin: PIN.dangVanHung,
    fullName: 'Đặng Văn Hùng',
    dateOfBirth: '1945-09-12',
    sex: 'MALE',
    email: null,
    phone: null,
    address: `102 Hai Bà Trưng, Phường Tân Định, ${CITY}`,
    residenceUnitCode: 'W-TAN-DINH',
  },
  {
    pin: PIN.dangThiHong,
    fullName: 'Đặng Thị Hồng',
    dateOfBirth: '1970-04-03',
    sex: 'FEMALE',
    email: 'dang.thi.hong@example.com',
    phone: '0912508834',
    address: `102 Hai Bà Trưng, Phường Tân Định, ${CITY}`,
    residenceUnitCode: 'W-TAN-DINH',
  },
  {
    pin: PIN.truongThiMai,
    fullName: 'Trương Thị Mai',
    dateOfBirth: '1939-12-01',
    sex: 'FEMALE',
    email: null,
    phone: null,
    address: `27 Bạch Đằng, Phường Bình Thạnh, ${CITY}`,
    residenceUnitCode: 'W-BINH-THANH',
  },
  {
    pin: PIN.lyThiKimChi,
    fullName: 'Lý Thị Kim Chi',
    dateOfBirth: '1995-10-09',
    sex: 'FEMALE',
    email: 'ly.kim.chi@example.com',
    phone: '0977140392',
    address: `27 Bạch Đằng, Phường Bình Thạnh, ${CITY}`,
    residenceUnitCode: 'W-BINH-THANH',
  },
  {
    pin: PIN.phanQuocBao,
    fullName: 'Phan Quốc Bảo',
    dateOfBirth: '1992-02-17',
    sex: 'MALE',
    email: 'phan.quoc.bao@example.com',
    phone: '0985203317',
    address: `310 Xô Viết Nghệ Tĩnh, Phường Bình Thạnh, ${CITY}`,
    residenceUnitCode: 'W-BINH-THANH',
  },
  {
    pin: PIN.lyBaoNgoc,
    fullName: 'Lý Bảo Ngọc',
    dateOfBirth: '2020-04-18',
    sex: 'FEMALE',
    email: null,
    phone: null,
    address: `27 Bạch Đằng, Phường Bình Thạnh, ${CITY}`,
    residenceUnitCode: 'W-BINH-THANH',
  },
  {
    pin: PIN.hoangVanLong,
    fullName: 'Hoàng Văn Long',
    dateOfBirth: '1990-08-08',
    sex: 'MALE',
    email: 'hoang.van.long@example.com',
    phone: '0966785120',
    address: `9 Võ Văn Ngân, Phường Thủ Đức, ${CITY}`,
    residenceUnitCode: 'W-THU-DUC',
  },
  {
    pin: PIN.hoangGiaBao,
    fullName: 'Hoàng Gia Bảo',
    dateOfBirth: '2015-03-21',
    sex: 'MALE',
    email: null,
    phone: null,
    address: `9 Võ Văn Ngân, Phường Thủ Đức, ${CITY}`,
    residenceUnitCode: 'W-THU-DUC',
  },
  {
    pin: PIN.huynhVanTam,
    fullName: 'Huỳnh Văn Tám',
    dateOfBirth: '1950-06-15',
    sex: 'MALE',
    email: 'huynh.van.tam@example.com',
    phone: '0283512876',
    address: `54 Nơ Trang Long, Phường Bình Thạnh, ${CITY}`,
    residenceUnitCode: 'W-BINH-THANH',
  },
  {
    pin: PIN.trinhMinhTuan,
    fullName: 'Trịnh Minh Tuấn',
    dateOfBirth: '1983-11-11',
    sex: 'MALE',
    email: 'trinh.minh.tuan@example.com',
    phone: '0907915364',
    address: `210 Đại lộ Bình Dương, Phường Thủ Dầu Một, ${CITY}`,
    residenceUnitCode: 'W-THU-DAU-MOT',
  },
  {
    pin: PIN.ngoThiMyLinh,
    fullName: 'Ngô Thị Mỹ Linh',
    dateOfBirth: '1998-07-07',
    sex: 'FEMALE',
    email: 'ngo.my.linh@example.com',
    phone: '0933276418',
    address: `66 Thùy Vân, Phường Vũng Tàu, ${CITY}`,
    residenceUnitCode: 'W-VUNG-TAU',
  },
  {
    pin: PIN.doThiThanhHuong,
    fullName: 'Đỗ Thị Thanh Hương',
    dateOfBirth: '1979-05-27',
    sex: 'FEMALE',
    email: 'do.thanh.huong@example.com',
    phone: '0913847025',
    address: `7 Trần Quang Khải, Phường Tân Định, ${CITY}`,
    residenceUnitCode: 'W-TAN-DINH',
  },
  {
    pin: PIN.vuDucThang,
    fullName: 'Vũ Đức Thắng',
    dateOfBirth: '1975-12-24',
    sex: 'MALE',
    email: 'vu.duc.thang@example.com',
    phone: '0908624713',
    address: `88 Kha Vạn Cân, Phường Thủ Đức, ${CITY}`,
    residenceUnitCode: 'W-THU-DUC',
  },
];

// ---------------------------------------------------------------------------------------------
// Civil-status records

/** What the extract prints, per kind. Dates are `YYYY-MM-DD`; a blank on the form is null. */
export type BirthDetails = {
  childName: string;
  dateOfBirth: IsoDate;
  placeOfBirth: string;
  fatherName: string | null;
  motherName: string | null;
};
export type MarriageDetails = { husbandName: string; wifeName: string; registeredOn: IsoDate };
export type DeathDetails = { deceasedName: string; dateOfDeath: IsoDate; placeOfDeath: string };
export type RecognitionDetails = { parentName: string; parentRole: 'FATHER' | 'MOTHER'; childName: string };

interface SeedRecordBase {
  id: string;
  registrationUnitCode: string;
  registeredOn: IsoDate;
  storage: RecordStorage;
  /** Set for PAPER_ARCHIVE records whose book and page are known (the shorter archive deadline). */
  bookNumber: string | null;
  pageNumber: number | null;
  subjectPin: string | null;
  partyPins: readonly string[];
}

export type SeedCivilStatusRecord =
  | (SeedRecordBase & { kind: 'BIRTH'; details: BirthDetails })
  | (SeedRecordBase & { kind: 'MARRIAGE'; details: MarriageDetails })
  | (SeedRecordBase & { kind: 'DEATH'; details: DeathDetails })
  | (SeedRecordBase & { kind: 'PARENT_CHILD_RECOGNITION'; details: RecognitionDetails });

const ELECTRONIC = { storage: 'ELECTRONIC', bookNumber: null, pageNumber: null } as const;

function paperArchive(bookNumber: string, pageNumber: number) {
  return { storage: 'PAPER_ARCHIVE', bookNumber, pageNumber } as const;
}

export const CIVIL_STATUS_RECORDS: readonly SeedCivilStatusRecord[] = [
  // --- BIRTH
  {
    id: 'HT-BIRTH-2019-000123',
    kind: 'BIRTH',
    registrationUnitCode: 'W-BEN-THANH',
    registeredOn: '2019-05-24',
    ...ELECTRONIC,
    subjectPin: PIN.nguyenMinhKhang,
    partyPins: [PIN.nguyenMinhKhang, PIN.nguyenVanAn, PIN.tranThiBichNgoc],
    details: {
      childName: 'Nguyễn Minh Khang',
      dateOfBirth: '2019-05-10',
      placeOfBirth: 'Bệnh viện Từ Dũ, Thành phố Hồ Chí Minh',
      fatherName: 'Nguyễn Văn An',
      motherName: 'Trần Thị Bích Ngọc',
    },
  },
  {
    id: 'HT-BIRTH-2022-004517',
    kind: 'BIRTH',
    registrationUnitCode: 'W-BEN-THANH',
    registeredOn: '2022-11-15',
    ...ELECTRONIC,
    subjectPin: PIN.nguyenNgocHan,
    partyPins: [PIN.nguyenNgocHan, PIN.nguyenVanAn, PIN.tranThiBichNgoc],
    details: {
      childName: 'Nguyễn Ngọc Hân',
      dateOfBirth: '2022-11-02',
      placeOfBirth: 'Bệnh viện Hùng Vương, Thành phố Hồ Chí Minh',
      fatherName: 'Nguyễn Văn An',
      motherName: 'Trần Thị Bích Ngọc',
    },
  },
  {
    id: 'HT-BIRTH-2014-001092',
    kind: 'BIRTH',
    registrationUnitCode: 'W-SAI-GON',
    registeredOn: '2014-07-08',
    ...ELECTRONIC,
    subjectPin: PIN.lePhamGiaHuy,
    partyPins: [PIN.lePhamGiaHuy, PIN.leHoangPhuc, PIN.phamThiThuTrang],
    details: {
      childName: 'Lê Phạm Gia Huy',
      dateOfBirth: '2014-06-25',
      placeOfBirth: 'Bệnh viện Từ Dũ, Thành phố Hồ Chí Minh',
      fatherName: 'Lê Hoàng Phúc',
      motherName: 'Phạm Thị Thu Trang',
    },
  },
  {
    // Registered by the mother alone; the father recognised the child later (see below).
    id: 'HT-BIRTH-2020-002208',
    kind: 'BIRTH',
    registrationUnitCode: 'W-BINH-THANH',
    registeredOn: '2020-05-04',
    ...ELECTRONIC,
    subjectPin: PIN.lyBaoNgoc,
    partyPins: [PIN.lyBaoNgoc, PIN.lyThiKimChi],
    details: {
      childName: 'Lý Bảo Ngọc',
      dateOfBirth: '2020-04-18',
      placeOfBirth: 'Bệnh viện Nhân dân Gia Định, Thành phố Hồ Chí Minh',
      fatherName: null,
      motherName: 'Lý Thị Kim Chi',
    },
  },
  {
    // Known book and page: the short archive search.
    id: 'HT-BIRTH-1985-000587',
    kind: 'BIRTH',
    registrationUnitCode: 'W-TAN-DINH',
    registeredOn: '1985-02-11',
    ...paperArchive('KS-1985/04', 112),
    subjectPin: PIN.leHoangPhuc,
    partyPins: [PIN.leHoangPhuc],
    details: {
      childName: 'Lê Hoàng Phúc',
      dateOfBirth: '1985-01-30',
      placeOfBirth: 'Bệnh viện Từ Dũ, Thành phố Hồ Chí Minh',
      fatherName: 'Lê Văn Sáu',
      motherName: 'Nguyễn Thị Bảy',
    },
  },
  {
    id: 'HT-BIRTH-1948-000031',
    kind: 'BIRTH',
    registrationUnitCode: 'W-SAI-GON',
    registeredOn: '1948-02-20',
    ...paperArchive('KS-1948/01', 31),
    subjectPin: PIN.voThiLan,
    partyPins: [PIN.voThiLan],
    details: {
      childName: 'Võ Thị Lan',
      dateOfBirth: '1948-02-05',
      placeOfBirth: 'Sài Gòn',
      fatherName: 'Võ Văn Lộc',
      motherName: 'Trần Thị Sen',
    },
  },
  // --- MARRIAGE (no subject: both spouses are parties alike)
  {
    id: 'HT-MARRIAGE-2016-000842',
    kind: 'MARRIAGE',
    registrationUnitCode: 'W-BEN-THANH',
    registeredOn: '2016-10-21',
    ...ELECTRONIC,
    subjectPin: null,
    partyPins: [PIN.nguyenVanAn, PIN.tranThiBichNgoc],
    details: { husbandName: 'Nguyễn Văn An', wifeName: 'Trần Thị Bích Ngọc', registeredOn: '2016-10-21' },
  },
  {
    id: 'HT-MARRIAGE-2012-001375',
    kind: 'MARRIAGE',
    registrationUnitCode: 'W-SAI-GON',
    registeredOn: '2012-12-07',
    ...ELECTRONIC,
    subjectPin: null,
    partyPins: [PIN.leHoangPhuc, PIN.phamThiThuTrang],
    details: { husbandName: 'Lê Hoàng Phúc', wifeName: 'Phạm Thị Thu Trang', registeredOn: '2012-12-07' },
  },
  {
    id: 'HT-MARRIAGE-1968-000017',
    kind: 'MARRIAGE',
    registrationUnitCode: 'W-TAN-DINH',
    registeredOn: '1968-03-16',
    ...paperArchive('KH-1968/03', 47),
    subjectPin: null,
    partyPins: [PIN.dangVanHung, PIN.voThiLan],
    details: { husbandName: 'Đặng Văn Hùng', wifeName: 'Võ Thị Lan', registeredOn: '1968-03-16' },
  },
  // --- DEATH
  {
    id: 'HT-DEATH-2021-003390',
    kind: 'DEATH',
    registrationUnitCode: 'W-TAN-DINH',
    registeredOn: '2021-08-18',
    ...ELECTRONIC,
    subjectPin: PIN.dangVanHung,
    partyPins: [PIN.dangVanHung],
    details: { deceasedName: 'Đặng Văn Hùng', dateOfDeath: '2021-08-15', placeOfDeath: 'Bệnh viện Chợ Rẫy, Thành phố Hồ Chí Minh' },
  },
  {
    id: 'HT-DEATH-2023-000765',
    kind: 'DEATH',
    registrationUnitCode: 'W-BINH-THANH',
    registeredOn: '2023-01-27',
    ...ELECTRONIC,
    subjectPin: PIN.truongThiMai,
    partyPins: [PIN.truongThiMai],
    details: { deceasedName: 'Trương Thị Mai', dateOfDeath: '2023-01-20', placeOfDeath: `27 Bạch Đằng, Phường Bình Thạnh, ${CITY}` },
  },
  // --- PARENT_CHILD_RECOGNITION
  {
    id: 'HT-RECOGNITION-2023-000412',
    kind: 'PARENT_CHILD_RECOGNITION',
    registrationUnitCode: 'W-BINH-THANH',
    registeredOn: '2023-06-12',
    ...ELECTRONIC,
    subjectPin: PIN.lyBaoNgoc,
    partyPins: [PIN.lyBaoNgoc, PIN.phanQuocBao],
    details: { parentName: 'Phan Quốc Bảo', parentRole: 'FATHER', childName: 'Lý Bảo Ngọc' },
  },
  {
    id: 'HT-RECOGNITION-2024-000958',
    kind: 'PARENT_CHILD_RECOGNITION',
    registrationUnitCode: 'W-THU-DUC',
    registeredOn: '2024-09-05',
    ...ELECTRONIC,
    subjectPin: PIN.hoangGiaBao,
    partyPins: [PIN.hoangGiaBao, PIN.hoangVanLong],
    details: { parentName: 'Hoàng Văn Long', parentRole: 'FATHER', childName: 'Hoàng Gia Bảo' },
  },
];

// ---------------------------------------------------------------------------------------------
// Business registry

// The key under which business names conflict (what `normalizedName` holds); re-exported for the
// seed's tests.
export { normalizeBusinessName };

export interface SeedBusiness {
  /** 10 digits. Enterprises carry their HCMC tax code (03…); household businesses a 41… number. */
  enterpriseCode: string;
  name: string;
  normalizedName: string;
  kind: BusinessKind;
  address: string;
  legalRepresentativePin: string;
  /** The business registration office for enterprises, the ward for household businesses. */
  registrationUnitCode: string;
  registeredOn: IsoDate;
  status: BusinessStatus;
}

function business(entry: Omit<SeedBusiness, 'normalizedName'>): SeedBusiness {
  return { ...entry, normalizedName: normalizeBusinessName(entry.name) };
}

export const BUSINESSES: readonly SeedBusiness[] = [
  business({
    enterpriseCode: '0312458796',
    name: 'Công ty TNHH Thương mại Dịch vụ An Phát',
    kind: 'ENTERPRISE',
    address: `120 Lê Lợi, Phường Bến Thành, ${CITY}`,
    legalRepresentativePin: PIN.nguyenVanAn,
    registrationUnitCode: 'HCMC-DOF',
    registeredOn: '2015-08-17',
    status: 'ACTIVE',
  }),
  business({
    enterpriseCode: '0315672014',
    name: 'Công ty Cổ phần Công nghệ Sài Gòn Xanh',
    kind: 'ENTERPRISE',
    address: `88 Kha Vạn Cân, Phường Thủ Đức, ${CITY}`,
    legalRepresentativePin: PIN.vuDucThang,
    registrationUnitCode: 'HCMC-DOF',
    registeredOn: '2019-03-04',
    status: 'ACTIVE',
  }),
  business({
    enterpriseCode: '0317893405',
    name: 'Công ty TNHH Vận tải Minh Tuấn',
    kind: 'ENTERPRISE',
    address: `210 Đại lộ Bình Dương, Phường Thủ Dầu Một, ${CITY}`,
    legalRepresentativePin: PIN.trinhMinhTuan,
    registrationUnitCode: 'HCMC-DOF',
    registeredOn: '2021-11-22',
    status: 'ACTIVE',
  }),
  business({
    // Dissolved: the name check ignores it (a dissolved enterprise's name may be taken again), yet
    // the registry's unique normalizedName still holds its key.
    enterpriseCode: '0309981237',
    name: 'Công ty TNHH Đầu tư Hoàng Phúc',
    kind: 'ENTERPRISE',
    address: `18 Nguyễn Huệ, Phường Sài Gòn, ${CITY}`,
    legalRepresentativePin: PIN.leHoangPhuc,
    registrationUnitCode: 'HCMC-DOF',
    registeredOn: '2010-05-12',
    status: 'DISSOLVED',
  }),
  business({
    enterpriseCode: '4180012536',
    name: 'Hộ kinh doanh Phở Thanh Hương',
    kind: 'HOUSEHOLD_BUSINESS',
    address: `7 Trần Quang Khải, Phường Tân Định, ${CITY}`,
    legalRepresentativePin: PIN.doThiThanhHuong,
    registrationUnitCode: 'W-TAN-DINH',
    registeredOn: '2017-01-09',
    status: 'ACTIVE',
  }),
  business({
    enterpriseCode: '4180027719',
    name: 'Hộ kinh doanh Bánh mì Hoàng Long',
    kind: 'HOUSEHOLD_BUSINESS',
    address: `9 Võ Văn Ngân, Phường Thủ Đức, ${CITY}`,
    legalRepresentativePin: PIN.hoangVanLong,
    registrationUnitCode: 'W-THU-DUC',
    registeredOn: '2020-09-28',
    status: 'ACTIVE',
  }),
  business({
    enterpriseCode: '4180031148',
    name: 'Hộ kinh doanh Cà phê Kim Chi',
    kind: 'HOUSEHOLD_BUSINESS',
    address: `27 Bạch Đằng, Phường Bình Thạnh, ${CITY}`,
    legalRepresentativePin: PIN.lyThiKimChi,
    registrationUnitCode: 'W-BINH-THANH',
    registeredOn: '2022-04-15',
    status: 'SUSPENDED',
  }),
  business({
    // Name-check demo: "Công ty TNHH Phở Hòa", "PHO HOA 2", "Hộ kinh doanh Phở Hoà" all conflict with it.
    enterpriseCode: '4180042207',
    name: 'Hộ kinh doanh Phở Hòa',
    kind: 'HOUSEHOLD_BUSINESS',
    address: `15 Tôn Thất Thiệp, Phường Sài Gòn, ${CITY}`,
    legalRepresentativePin: PIN.phamThiThuTrang,
    registrationUnitCode: 'W-SAI-GON',
    registeredOn: '2018-06-05',
    status: 'ACTIVE',
  }),
  business({
    // Name-check demo: "Công ty Cổ phần Nhà hàng Sen Vàng" and "Nha hang Sen Vang 2" conflict with it.
    enterpriseCode: '0316240583',
    name: 'Công ty TNHH Nhà hàng Sen Vàng',
    kind: 'ENTERPRISE',
    address: `32 Đồng Khởi, Phường Sài Gòn, ${CITY}`,
    legalRepresentativePin: PIN.tranThiBichNgoc,
    registrationUnitCode: 'HCMC-DOF',
    registeredOn: '2020-07-14',
    status: 'ACTIVE',
  }),
];

// ---------------------------------------------------------------------------------------------
// Vehicle registry

export type VehicleType = 'CAR' | 'MOTORCYCLE' | 'TRUCK';

export interface SeedVehicle {
  /** As printed on the plate: 51F-123.45 (car), 59X3-456.78 (motorcycle); 61/72 are Bình Dương and Vũng Tàu plates. */
  plateNumber: string;
  ownerPin: string;
  vehicleType: VehicleType;
  brand: string;
  color: string;
  registeredOn: IsoDate;
}

export const VEHICLES: readonly SeedVehicle[] = [
  { plateNumber: '51F-123.45', ownerPin: PIN.nguyenVanAn, vehicleType: 'CAR', brand: 'Toyota Vios', color: 'Trắng', registeredOn: '2018-04-02' },
  { plateNumber: '59X3-456.78', ownerPin: PIN.tranThiBichNgoc, vehicleType: 'MOTORCYCLE', brand: 'Honda Air Blade', color: 'Đỏ', registeredOn: '2017-09-15' },
  { plateNumber: '51H-246.80', ownerPin: PIN.leHoangPhuc, vehicleType: 'CAR', brand: 'VinFast VF 8', color: 'Xanh dương', registeredOn: '2023-02-20' },
  { plateNumber: '51K-678.90', ownerPin: PIN.vuDucThang, vehicleType: 'CAR', brand: 'Mazda CX-5', color: 'Đỏ', registeredOn: '2021-06-11' },
  { plateNumber: '59C1-789.01', ownerPin: PIN.phanQuocBao, vehicleType: 'MOTORCYCLE', brand: 'Yamaha Exciter', color: 'Xanh', registeredOn: '2019-12-03' },
  { plateNumber: '59T2-135.79', ownerPin: PIN.lyThiKimChi, vehicleType: 'MOTORCYCLE', brand: 'Honda Vision', color: 'Trắng', registeredOn: '2020-08-19' },
  { plateNumber: '59P1-987.65', ownerPin: PIN.hoangVanLong, vehicleType: 'MOTORCYCLE', brand: 'Honda Wave Alpha', color: 'Đen', registeredOn: '2016-03-28' },
  // Owners living far from the city-centre cameras: the notice also goes to their own ward's police.
  { plateNumber: '61C-234.56', ownerPin: PIN.trinhMinhTuan, vehicleType: 'TRUCK', brand: 'Hyundai Mighty', color: 'Xanh', registeredOn: '2022-01-10' },
  { plateNumber: '72A-112.23', ownerPin: PIN.ngoThiMyLinh, vehicleType: 'CAR', brand: 'Kia Morning', color: 'Bạc', registeredOn: '2022-10-05' },
];
