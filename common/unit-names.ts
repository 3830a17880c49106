import type { PrismaClient } from '../prisma/client';

/**
 * Units by their names in what people read. The engine writes notes and mails with unit codes
 * (`W-BEN-THANH`): the workflow holds no names, and a name may change. Where the text leaves for a
 * reader (a mail going out, a history line shown), each code of a known unit becomes its name
 * ("Phường Bến Thành"); other words stay as they are (a dossier id is no unit code).
 */
// Upper-case words, hyphenated or not: `W-BEN-THANH`, `HCMC-PC08`, the city's own `HCMC`.
const CODE_LIKE = /\b[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+\b|\b[A-Z][A-Z0-9]{2,}\b/g;

/** The unit-code-looking words of some texts (candidates to look up). */
export function codesIn(texts: ReadonlyArray<string | null | undefined>): string[] {
  return [...new Set(texts.flatMap((text) => text?.match(CODE_LIKE) ?? []))];
}

export function withUnitNames(text: string, names: ReadonlyMap<string, string>): string {
  return text.replace(CODE_LIKE, (word) => names.get(word) ?? word);
}

/** The names of the units some texts mention, by code: one query, none when no word looks like a code. */
export async function unitNamesIn(prisma: Pick<PrismaClient, 'unit'>, texts: ReadonlyArray<string | null | undefined>): Promise<Map<string, string>> {
  const codes = codesIn(texts);
  if (codes.length === 0) return new Map();
  const units = await prisma.unit.findMany({ where: { code: { in: codes } }, select: { code: true, name: true } });
  return new Map(units.map((u) => [u.code, u.name]));
}
