import type { PrismaClient } from '../prisma/client';
import { formatCalendarDate, formatLocalTime } from './local-time';

/**
 * What the person deciding a task sees, as labelled fields in both languages (the console picks
 * one): the filing's fields, earlier results and registry views a step of a procedure published as
 * data `shows`, or what a procedure written as code builds in its own folder (its module's
 * `taskShown`). Computed by the API for one task at a time (`GET /tasks/{taskId}`), from the task's
 * context, the dossier's row and the registries: never an identification number in full. Here: the
 * shapes and helpers every builder shares, knowing no procedure.
 */
export interface Words {
  vi: string;
  en: string;
}
export interface ShownLine {
  key: string;
  label: Words;
  text: Words;
}
export interface ShownImage {
  /** The image through the API, for those entitled to the task; null when the source gave no address. */
  href: string | null;
  sha256: string;
}
export interface ShownField {
  key: string;
  label: Words;
  text?: Words;
  /** Several things of one kind (founders, name conflicts, the record's entries): each a list of lines. */
  items?: ShownLine[][];
  images?: ShownImage[];
}

/** The task as the builders read it. */
export interface ShownTask {
  taskId: string;
  dossierId: string;
  procedure: string;
  step: string;
  context: Record<string, unknown> | null;
}

export const same = (text: string): Words => ({ vi: text, en: text });
export const words = (vi: string, en: string): Words => ({ vi, en });

/** All but the last 4 digits hidden: enough to tell two people apart, not to act as them. */
export function maskPin(pin: string): string {
  return `${'•'.repeat(Math.max(0, pin.length - 4))}${pin.slice(-4)}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const YES_NO = { true: words('Có', 'Yes'), false: words('Không', 'No') };

/** A plain value as people read it: dates day first, instants in the city's time, yes/no. */
export function plainText(value: unknown): Words {
  if (typeof value === 'boolean') return YES_NO[String(value) as 'true' | 'false'];
  if (typeof value === 'string') {
    if (ISO_DATE.test(value)) return same(formatCalendarDate(value));
    if (ISO_INSTANT.test(value)) return same(formatLocalTime(value));
    return same(value);
  }
  if (typeof value === 'number') return same(new Intl.NumberFormat('vi-VN').format(value));
  if (Array.isArray(value)) return joined(value.map(plainText), '; ');
  if (isRecord(value)) return joined(Object.values(value).map(plainText), ', ');
  return same('—');
}

export function joined(parts: Words[], separator: string): Words {
  return { vi: parts.map((p) => p.vi).join(separator), en: parts.map((p) => p.en).join(separator) };
}

/** `19.000.000 ₫`: dots between thousands, the đồng sign after. */
export const amountText = (amount: number | bigint | string): Words => same(`${String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, '.')} ₫`);

/** A calendar date of the database (a `Date` at midnight UTC) as people read it: `14/03/1988`. */
export const dateText = (date: Date): Words => same(formatCalendarDate(date.toISOString().slice(0, 10)));

/**
 * Lookups the builders share within one request: each unit, person and registry row read once.
 * Reads are by primary key; a missing row gives null (the caller shows what it has).
 */
export class ShownLookups {
  private units?: Promise<Map<string, string>>;
  private lines?: Promise<Map<string, string>>;
  private readonly persons = new Map<string, Promise<{ fullName: string; dateOfBirth: Date } | null>>();

  constructor(readonly prisma: PrismaClient) {}

  /** The unit's name, its code in brackets; the code alone when unknown. */
  async unitText(code: string): Promise<Words> {
    this.units ??= this.prisma.unit.findMany({ select: { code: true, name: true } }).then((rows) => new Map(rows.map((u) => [u.code, u.name])));
    const name = (await this.units).get(code);
    return same(name ? `${name} (${code})` : code);
  }

  person(pin: string) {
    let found = this.persons.get(pin);
    if (!found) {
      found = this.prisma.person.findUnique({ where: { pin }, select: { fullName: true, dateOfBirth: true } });
      this.persons.set(pin, found);
    }
    return found;
  }

  async businessLineText(code: string): Promise<Words> {
    this.lines ??= this.prisma.businessLine.findMany({ select: { code: true, name: true } }).then((rows) => new Map(rows.map((l) => [l.code, l.name])));
    const name = (await this.lines).get(code);
    return same(name ? `${code} – ${name}` : code);
  }

  /** A person by name and masked number, as the population data knows them. */
  async personText(pin: string): Promise<Words> {
    const person = await this.person(pin);
    return same(person ? `${person.fullName} (${maskPin(pin)})` : maskPin(pin));
  }
}

/**
 * What a procedure written as code shows the person deciding one of its tasks (its module's
 * `taskShown`), read from its own rows; null when it has nothing to add (the task's context is shown).
 */
export type TaskShownBuilder = (task: ShownTask, lookups: ShownLookups) => Promise<ShownField[] | null>;
