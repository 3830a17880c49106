import type { Bilingual } from './bilingual';

/**
 * The systems behind the engine's calls, as supervision names them when a call keeps failing
 * ("Đang chờ Cơ sở dữ liệu quốc gia về dân cư…" / "Waiting on the population data…"). The English
 * words are the ones the API has always given (clients and suites read them); the Vietnamese are the
 * systems' usual names. Pure data: the activities, the procedures' modules and the adapters' specs
 * share it.
 */
export const SYSTEM_NAMES = {
  engineDatabase: { vi: 'cơ sở dữ liệu của hệ thống', en: "the engine's database" },
  mail: { vi: 'thư điện tử (SMTP)', en: 'mail (SMTP)' },
  population: { vi: 'Cơ sở dữ liệu quốc gia về dân cư', en: 'the population data' },
  civilStatus: { vi: 'Cơ sở dữ liệu hộ tịch điện tử', en: 'the civil-status registry' },
  businessRegistry: { vi: 'Hệ thống thông tin quốc gia về đăng ký doanh nghiệp', en: 'the business registry' },
  registries: { vi: 'các cơ sở dữ liệu (dân cư, hộ tịch)', en: 'the registries (population data, civil-status registry)' },
  documentIssuing: { vi: 'hệ thống cấp văn bản', en: 'document issuing' },
  vehicleRegistry: { vi: 'cơ sở dữ liệu đăng ký xe', en: 'the vehicle registry' },
  vehicleAndPopulation: { vi: 'cơ sở dữ liệu đăng ký xe và Cơ sở dữ liệu quốc gia về dân cư', en: 'the vehicle registry and the population data' },
  payment: { vi: 'hệ thống thanh toán', en: 'the payment system' },
} as const satisfies Record<string, Bilingual>;

/** A call no list names: by what it calls (an activity, an adapter). */
export function systemBehind(call: string): Bilingual {
  return { vi: `hệ thống mà ${call} gọi tới`, en: `the system behind ${call}` };
}
