import type { PrismaClient } from '../prisma/client';
import { DEFAULT_LANGUAGE, isLanguage, type Language } from './bilingual';

/**
 * The language a citizen reads, as they chose it (`PUT /api/v1/me/language`), else Vietnamese. For
 * mail to a citizen who told no language with a request of their own: a traffic fine's vehicle
 * owner, say. (One who filed is written to in the language they filed in.)
 */
export async function languageOfCitizen(prisma: Pick<PrismaClient, 'citizenPreference'>, pin: string): Promise<Language> {
  const preference = await prisma.citizenPreference.findUnique({ where: { pin }, select: { language: true } });
  return isLanguage(preference?.language) ? preference.language : DEFAULT_LANGUAGE;
}

/** Keeps a citizen's choice of language. */
export async function setLanguageOfCitizen(prisma: Pick<PrismaClient, 'citizenPreference'>, pin: string, language: Language): Promise<void> {
  await prisma.citizenPreference.upsert({ where: { pin }, create: { pin, language }, update: { language } });
}
