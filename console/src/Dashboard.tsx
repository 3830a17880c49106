import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { get, post } from './api';
import { useI18n } from './i18n';
import { href } from './router';
import { useSession } from './session';
import { Filters } from './Filters';
import { StatsChart } from './StatsChart';
import type { BulkResult, Stats, SupervisedDossier, SupervisionState } from './supervision-types';
import type { Dossier, Staff } from './types';
import { UnitName, useUnitName } from './Unit';

const STATES: readonly SupervisionState[] = ['overdue', 'at-risk', 'stuck'];
const FIGURES = ['received', 'completed', 'onTime', 'late', 'open', 'overdue'] as const;

type Message = { kind: 'ok' | 'error'; text: string };
type Dialog = { kind: 'reassign'; dossier: SupervisedDossier } | { kind: 'escalate'; dossier: SupervisedDossier } | null;

/** Supervisors: what is overdue, at risk or stuck and why; the on-time rate; reassign, escalate, bulk actions. */
export default function Dashboard() {
  const { t, problem } = useI18n();
  const { catalog, units } = useSession();
  const [procedure, setProcedure] = useState('');
  const [unitCode, setUnitCode] = useState('');
  const [lists, setLists] = useState<Record<SupervisionState, SupervisedDossier[]> | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [dialog, setDialog] = useState<Dialog>(null);
  const [message, setMessage] = useState<Message | null>(null);
  const [staff, setStaff] = useState<Staff[]>([]);

  const load = useCallback(async () => {
    try {
      const answers = await Promise.all(STATES.map((state) => get<SupervisedDossier[]>('/supervision/dossiers', { state, procedure, unitCode })));
      setLists({ overdue: answers[0] ?? [], 'at-risk': answers[1] ?? [], stuck: answers[2] ?? [] });
    } catch (error) {
      setMessage({ kind: 'error', text: problem(error) });
    }
  }, [procedure, unitCode, problem]);

  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    get<Staff[]>('/staff').then(setStaff, () => setStaff([]));
  }, []);

  const done = (text: string) => {
    setDialog(null);
    setMessage({ kind: 'ok', text });
    void load();
  };
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <main className="dashboard">
      <h1>{t('dash.title')}</h1>
      <Filters procedure={procedure} setProcedure={setProcedure} unitCode={unitCode} setUnitCode={setUnitCode} catalog={catalog} units={units} onRefresh={() => void load()} />
      {message && (
        <p role={message.kind === 'error' ? 'alert' : 'status'} className={message.kind === 'error' ? 'alert' : 'notice'}>
          {message.text}
        </p>
      )}
      {dialog?.kind === 'reassign' && <ReassignDialog dossier={dialog.dossier} staff={staff} onClose={() => setDialog(null)} onDone={done} />}
      {dialog?.kind === 'escalate' && <EscalateDialog dossier={dialog.dossier} onClose={() => setDialog(null)} onDone={done} />}
      <BulkBar selected={[...selected]} staff={staff} onDone={(text) => { setSelected(new Set()); done(text); }} onError={(text) => setMessage({ kind: 'error', text })} />
      <div className="lists">
        {STATES.map((state) => (
          <SupervisionList key={state} state={state} items={lists?.[state]} selected={selected} toggle={toggle} open={setDialog} />
        ))}
      </div>
      <StatsPanel procedure={procedure} unitCode={unitCode} />
    </main>
  );
}

function SupervisionList(props: {
  state: SupervisionState;
  items: SupervisedDossier[] | undefined;
  selected: Set<string>;
  toggle(id: string): void;
  open(dialog: Dialog): void;
}) {
  const { t, name, time, localize } = useI18n();
  const { state, items } = props;
  return (
    <section className={`card list ${state}`} aria-labelledby={`list-${state}`} data-list={state}>
      <h2 id={`list-${state}`}>
        {t(`dash.${state}`)} <span className="count">{items?.length ?? '…'}</span>
      </h2>
      {items === undefined ? (
        <p>{t('common.loading')}</p>
      ) : items.length === 0 ? (
        <p className="muted">{t('dash.empty')}</p>
      ) : (
        <ul>
          {items.map((d) => (
            <li key={d.dossierId} data-dossier={d.dossierId}>
              <label className="pick">
                <input type="checkbox" checked={props.selected.has(d.dossierId)} onChange={() => props.toggle(d.dossierId)} aria-label={d.dossierId} />
              </label>
              <div className="item">
                <div>
                  <a href={href.dossier(d.dossierId)}>{d.dossierId}</a> · {name(d.procedure)} · <UnitName code={d.unitCode} /> · {name(d.status, d.procedure)} · {t('task.due')} {time(d.dueAt)}
                </div>
                <div className="reason">
                  <span className="muted">{t('dash.reason')}:</span> {localize(d.reason)}
                </div>
                <div className="actions">
                  <button className="secondary" onClick={() => props.open({ kind: 'reassign', dossier: d })}>
                    {t('dash.reassign')}
                  </button>
                  <button className="secondary" onClick={() => props.open({ kind: 'escalate', dossier: d })}>
                    {t('dash.escalate')}
                  </button>
                </div>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Whom to give a task to: a person of the caller's subtree, or a unit (its inbox). */
function AssigneePicker({ staff, value, onChange }: { staff: Staff[]; value: string; onChange(v: string): void }) {
  const { t, name } = useI18n();
  const { units } = useSession();
  const unitName = useUnitName();
  return (
    <label>
      {t('dash.to')}{' '}
      <select name="assignTo" value={value} onChange={(e) => onChange(e.target.value)} required>
        <option value="" />
        <optgroup label={t('dash.toPerson')}>
          {staff.map((s) => (
            <option key={s.id} value={`person:${s.id}`}>
              {s.fullName} · {name(s.role)} · {unitName(s.unitCode)}
            </option>
          ))}
        </optgroup>
        <optgroup label={t('dash.toUnit')}>
          {units.map((u) => (
            <option key={u.code} value={`unit:${u.code}`}>
              {u.name} ({u.code})
            </option>
          ))}
        </optgroup>
      </select>
    </label>
  );
}

function assignment(value: string): { assignee?: string; unitCode?: string } {
  if (value.startsWith('person:')) return { assignee: value.slice('person:'.length) };
  if (value.startsWith('unit:')) return { unitCode: value.slice('unit:'.length) };
  return {};
}

function ReassignDialog({ dossier, staff, onClose, onDone }: { dossier: SupervisedDossier; staff: Staff[]; onClose(): void; onDone(text: string): void }) {
  const { t, name, time, problem } = useI18n();
  const unitName = useUnitName();
  const [tasks, setTasks] = useState<Dossier['openTasks'] | null>(null);
  const [taskId, setTaskId] = useState('');
  const [to, setTo] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    get<Dossier>(`/dossiers/${dossier.dossierId}`).then(
      (d) => {
        setTasks(d.openTasks);
        setTaskId(d.openTasks[0]?.taskId ?? '');
      },
      (e: unknown) => setError(problem(e)),
    );
  }, [dossier.dossierId, problem]);
  async function submit(event: FormEvent) {
    event.preventDefault();
    try {
      await post(`/supervision/tasks/${taskId}/reassign`, assignment(to));
      onDone(t('dash.reassigned', { id: taskId }));
    } catch (e) {
      setError(problem(e));
    }
  }
  return (
    <form className="card dialog" role="dialog" aria-labelledby="reassign-title" onSubmit={(e) => void submit(e)}>
      <h2 id="reassign-title">
        {t('dash.reassign')} · {dossier.dossierId}
      </h2>
      {error && <p role="alert" className="alert">{error}</p>}
      {tasks === null ? (
        <p>{t('common.loading')}</p>
      ) : tasks.length === 0 ? (
        <p className="muted">{t('dash.noOpenTask')}</p>
      ) : (
        <>
          <label>
            {t('dash.task')}{' '}
            <select name="taskId" value={taskId} onChange={(e) => setTaskId(e.target.value)}>
              {tasks.map((task) => (
                <option key={task.taskId} value={task.taskId}>
                  {task.taskId} · {name(task.step, dossier.procedure)} · {unitName(task.unitCode)} · {time(task.dueAt)}
                </option>
              ))}
            </select>
          </label>
          <AssigneePicker staff={staff} value={to} onChange={setTo} />
          <button type="submit" className="primary" disabled={!to || !taskId}>
            {t('dash.apply')}
          </button>
        </>
      )}
      <button type="button" className="secondary" onClick={onClose}>
        {t('common.close')}
      </button>
    </form>
  );
}

function EscalateDialog({ dossier, onClose, onDone }: { dossier: SupervisedDossier; onClose(): void; onDone(text: string): void }) {
  const { t, problem } = useI18n();
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  async function submit(event: FormEvent) {
    event.preventDefault();
    try {
      await post(`/supervision/dossiers/${dossier.dossierId}/escalate`, { note }, { idempotencyKey: crypto.randomUUID() });
      onDone(t('dash.escalated', { id: dossier.dossierId }));
    } catch (e) {
      setError(problem(e));
    }
  }
  return (
    <form className="card dialog" role="dialog" aria-labelledby="escalate-title" onSubmit={(e) => void submit(e)}>
      <h2 id="escalate-title">
        {t('dash.escalate')} · {dossier.dossierId}
      </h2>
      {error && <p role="alert" className="alert">{error}</p>}
      <label>
        {t('dash.note')}
        <textarea name="note" rows={3} value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
      <button type="submit" className="primary">
        {t('dash.apply')}
      </button>
      <button type="button" className="secondary" onClick={onClose}>
        {t('common.close')}
      </button>
    </form>
  );
}

/** Up to 500 selected dossiers at once: cancel with a reason, retry now, or reassign their open tasks. */
function BulkBar({ selected, staff, onDone, onError }: { selected: string[]; staff: Staff[]; onDone(text: string): void; onError(text: string): void }) {
  const { t, problem } = useI18n();
  const [action, setAction] = useState<'cancel' | 'retry' | 'reassign'>('retry');
  const [reason, setReason] = useState('');
  const [to, setTo] = useState('');
  if (selected.length === 0) return null;
  async function submit(event: FormEvent) {
    event.preventDefault();
    try {
      let items: string[] = selected;
      if (action === 'reassign') {
        const dossiers = await Promise.all(selected.map((id) => get<Dossier>(`/dossiers/${id}`)));
        items = dossiers.flatMap((d) => d.openTasks.map((task) => task.taskId));
      }
      const body = { action, items, ...(action === 'cancel' ? { reason } : {}), ...(action === 'reassign' ? assignment(to) : {}) };
      const answer = await post<BulkResult>('/supervision/bulk', body, { idempotencyKey: crypto.randomUUID() });
      const failures = answer.results.filter((r) => !r.ok).map((r) => `${r.item}: ${r.detail}`);
      onDone([t('dash.bulkResult', { ok: answer.succeeded, failed: answer.failed }), ...failures].join(' — '));
    } catch (e) {
      onError(problem(e));
    }
  }
  return (
    <form className="card bulk" aria-label={t('dash.bulk')} onSubmit={(e) => void submit(e)}>
      <strong>{t('dash.bulk')}</strong> <span>{t('common.selected', { n: selected.length })}</span>
      <select name="bulkAction" value={action} onChange={(e) => setAction(e.target.value === 'cancel' ? 'cancel' : e.target.value === 'reassign' ? 'reassign' : 'retry')}>
        <option value="retry">{t('dash.bulkRetry')}</option>
        <option value="cancel">{t('dash.bulkCancel')}</option>
        <option value="reassign">{t('dash.bulkReassign')}</option>
      </select>
      {action === 'cancel' && (
        <label>
          {t('dash.cancelReason')} <input name="reason" value={reason} onChange={(e) => setReason(e.target.value)} />
        </label>
      )}
      {action === 'reassign' && <AssigneePicker staff={staff} value={to} onChange={setTo} />}
      <button type="submit" className="primary">
        {t('dash.apply')}
      </button>
    </form>
  );
}

function StatsPanel({ procedure, unitCode }: { procedure: string; unitCode: string }) {
  const { t, name, percent, date, problem } = useI18n();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [stats, setStats] = useState<Stats | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    get<Stats>('/supervision/stats', { procedure, unitCode, from, to }).then(
      (s) => {
        setStats(s);
        setError(null);
      },
      (e: unknown) => setError(problem(e)),
    );
  }, [procedure, unitCode, from, to, problem]);
  return (
    <section className="card stats" aria-labelledby="stats-title">
      <h2 id="stats-title">{t('stats.title')}</h2>
      <div className="toolbar">
        <label>
          {t('stats.from')} <input type="date" name="from" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          {t('stats.to')} <input type="date" name="to" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        {stats?.from && stats.to && (
          <span className="muted">
            {date(stats.from)} – {date(stats.to)}
          </span>
        )}
      </div>
      {error && <p role="alert" className="alert">{error}</p>}
      {stats && stats.rows.length === 0 && <p className="muted">{t('stats.unavailable')}</p>}
      {stats && stats.rows.length > 0 && (
        <div className="stats-body">
          <StatsChart rows={stats.rows} />
          {/* Scrolls inside its own region on a phone; focusable, so the keyboard scrolls it too. */}
          <div className="table-scroll" role="region" aria-label={t('stats.title')} tabIndex={0}>
          <table className="figures" aria-label={t('stats.chart')}>
            <thead>
              <tr>
                <th>{t('stats.unit')}</th>
                <th>{t('stats.procedure')}</th>
                {FIGURES.map((f) => (
                  <th key={f}>{t(`stats.${f}`)}</th>
                ))}
                <th>{t('stats.onTimeRate')}</th>
              </tr>
            </thead>
            <tbody>
              {stats.rows.map((r) => (
                <tr key={`${r.unitCode}|${r.procedure}`} data-row={`${r.unitCode}|${r.procedure}`}>
                  <th scope="row" style={{ paddingLeft: `${0.5 + r.depth}rem` }}>
                    {r.unitName}
                    <small className="code"> {r.unitCode}</small>
                  </th>
                  <td>{name(r.procedure)}</td>
                  {FIGURES.map((f) => (
                    <td key={f} data-figure={f}>
                      {r[f]}
                    </td>
                  ))}
                  <td data-figure="onTimeRate" data-value={r.onTimeRate ?? ''}>
                    {percent(r.onTimeRate)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          </div>
        </div>
      )}
    </section>
  );
}
