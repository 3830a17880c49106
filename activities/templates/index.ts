import type { Prisma, PrismaClient } from '../../prisma/client';
import type { Text } from '../../procedures/document';
import { businessRegistrationCertificate } from './business-registration';
import { civilStatusExtractTemplate } from './civil-status-extract';

/**
 * Document templates an issue step names (`template`): how a document's content is made. A template
 * registered here renders content of its own (the civil-status extract reads the record it is of);
 * any other name gets the common layout: the document's title, the issuing unit and the step's
 * `fields`, evaluated over the filing, the results and the applicant as the population data knows them.
 */
export interface TemplateInput {
  prisma: PrismaClient;
  dossierId: string;
  procedure: string;
  template: string;
  title: Text;
  /** The unit that issues it (the dossier's). */
  issuedBy: string;
  /** The step's fields, evaluated. */
  fields: Record<string, unknown>;
}

export interface RenderedDocument {
  /** The document's kind as `/verify` tells it: `<procedure>/<template>` unless the template says otherwise. */
  kind: string;
  content: Prisma.InputJsonValue;
}

export type Template = (input: TemplateInput) => Promise<RenderedDocument>;

/** The common layout. */
export const commonTemplate: Template = async ({ procedure, template, title, issuedBy, fields }) => ({
  kind: `${procedure}/${template}`,
  content: { title: title.vi, titleEn: title.en, template, issuedBy, fields } as Prisma.InputJsonValue,
});

/** Templates with content of their own, by name. */
export const TEMPLATES: Readonly<Record<string, Template>> = {
  'business-registration-certificate': businessRegistrationCertificate,
  'civil-status-extract': civilStatusExtractTemplate,
};

export function templateNamed(name: string): Template {
  return TEMPLATES[name] ?? commonTemplate;
}
