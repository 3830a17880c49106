import { useI18n } from './i18n';
import { followLink, href } from './router';
import { fieldLabel, fieldsOf, formSchema } from './schema-form';
import { useSession } from './session';
import type { CatalogEntry } from './types';

/** The procedures a citizen files online, with what each asks for, where and how long it takes. */
export function Catalog() {
  const { t } = useI18n();
  const { catalog } = useSession();
  const offered = catalog.filter((p) => p.openedBy === 'citizen' && p.filing);
  return (
    <main>
      <h1>{t('catalog.title')}</h1>
      <p>{t('catalog.intro')}</p>
      <ul className="cards">
        {offered.map((entry) => (
          <ProcedureCard key={entry.id} entry={entry} />
        ))}
      </ul>
    </main>
  );
}

function ProcedureCard({ entry }: { entry: CatalogEntry }) {
  const { t, lang } = useI18n();
  const fields = fieldsOf(formSchema(entry.filing));
  const titleId = `procedure-${entry.id}`;
  const named = (list: typeof fields) => list.map((f) => fieldLabel(entry, lang, f.key, f.schema)).join('; ');
  const required = fields.filter((f) => f.required);
  const optional = fields.filter((f) => !f.required);
  return (
    <li className="card procedure" data-procedure={entry.id}>
      <h2 id={titleId}>{entry.title[lang]}</h2>
      <dl>
        <dt>{t('catalog.deadline')}</dt>
        <dd data-field="deadline">{t(`deadline.${entry.deadline.mode}`, { n: entry.deadline.days })}</dd>
        <dt>{t('catalog.filedAt')}</dt>
        <dd>{entry.filedAt.length > 0 ? entry.filedAt.map((k) => kindName(t, k)).join(', ') : t('catalog.anyUnit')}</dd>
        {entry.legalBasis && (
          <>
            <dt>{t('catalog.legalBasis')}</dt>
            <dd>{entry.legalBasis[lang]}</dd>
          </>
        )}
        {required.length > 0 && (
          <>
            <dt>{t('catalog.needs')}</dt>
            <dd>{named(required)}</dd>
          </>
        )}
        {optional.length > 0 && (
          <>
            <dt>{t('catalog.optional')}</dt>
            <dd>{named(optional)}</dd>
          </>
        )}
      </dl>
      <p>
        <a className="button" href={href.file(entry.id)} onClick={followLink} aria-describedby={titleId}>
          {t('catalog.file')}
        </a>
      </p>
    </li>
  );
}

type Translate = ReturnType<typeof useI18n>['t'];

/** A kind of unit in words (`WARD`: ward or commune). */
export function kindName(t: Translate, kind: string): string {
  switch (kind) {
    case 'CITY':
    case 'DEPARTMENT':
    case 'DIVISION':
    case 'DISTRICT':
    case 'WARD':
      return t(`kind.${kind}`);
    default:
      return kind;
  }
}
