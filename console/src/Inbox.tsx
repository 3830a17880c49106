import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { get, post } from './api';
import { Filters } from './Filters';
import { useI18n } from './i18n';
import { href } from './router';
import { useSession } from './session';
import type { Task } from './types';
import { UnitName } from './Unit';

// The form library (and its JSON Schema tooling) loads when a task is first opened.
const TaskForm = lazy(() => import('./TaskForm'));

type Tab = 'open' | 'claimed' | 'mine';

/** Open, claimed and the caller's own tasks of their units, by procedure and unit; claim, release, complete. */
export function Inbox() {
  const { t, name, time, problem } = useI18n();
  const { me, units, catalog } = useSession();
  const [tab, setTab] = useState<Tab>('open');
  const [procedure, setProcedure] = useState('');
  const [unitCode, setUnitCode] = useState('');
  const [tasks, setTasks] = useState<Task[] | null>(null);
  const [working, setWorking] = useState<Task | null>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  const load = useCallback(async () => {
    const query = tab === 'mine' ? { assignee: 'me' } : { status: tab };
    try {
      setTasks(await get<Task[]>('/tasks', { ...query, procedure, unitCode }));
    } catch (error) {
      setMessage({ kind: 'error', text: problem(error) });
      setTasks([]);
    }
  }, [tab, procedure, unitCode, problem]);

  useEffect(() => {
    void load();
  }, [load]);

  async function act(task: Task, action: 'claim' | 'release') {
    try {
      await post<Task>(`/tasks/${task.taskId}/${action}`);
      setMessage({ kind: 'ok', text: t(action === 'claim' ? 'task.claimed' : 'task.released', { id: task.taskId }) });
    } catch (error) {
      setMessage({ kind: 'error', text: problem(error) });
    }
    await load();
  }

  const mayComplete = (task: Task) => task.assignee === null || task.assignee === me.sub;
  return (
    <main>
      <h1>{t('inbox.title')}</h1>
      <Filters procedure={procedure} setProcedure={setProcedure} unitCode={unitCode} setUnitCode={setUnitCode} catalog={catalog} units={units} onRefresh={() => void load()}>
        <div role="tablist" aria-label={t('inbox.title')}>
          {(['open', 'claimed', 'mine'] as const).map((k) => (
            <button key={k} role="tab" aria-selected={tab === k} className={tab === k ? 'tab active' : 'tab'} onClick={() => setTab(k)}>
              {t(`inbox.${k}`)}
            </button>
          ))}
        </div>
      </Filters>
      {message && (
        <p role={message.kind === 'error' ? 'alert' : 'status'} className={message.kind === 'error' ? 'alert' : 'notice'}>
          {message.text}
        </p>
      )}
      {working && (
        <Suspense fallback={<p>{t('common.loading')}</p>}>
        <TaskForm
          task={working}
          onCancel={() => setWorking(null)}
          onDone={(text) => {
            setWorking(null);
            setMessage({ kind: 'ok', text });
            void load();
          }}
        />
        </Suspense>
      )}
      {tasks === null ? (
        <p>{t('common.loading')}</p>
      ) : tasks.length === 0 ? (
        <p className="muted">{t('inbox.empty')}</p>
      ) : (
        <table className="tasks">
          <caption>{t('inbox.count', { n: tasks.length })}</caption>
          <thead>
            <tr>
              <th>{t('task.id')}</th>
              <th>{t('task.dossier')}</th>
              <th>{t('inbox.procedure')}</th>
              <th>{t('task.step')}</th>
              <th>{t('inbox.unit')}</th>
              <th>{t('task.assignee')}</th>
              <th>{t('task.due')}</th>
              <th>{t('task.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {tasks.map((task) => (
              <tr key={task.taskId} data-task={task.taskId} className={task.overdue ? 'overdue' : undefined}>
                <td data-label={t('task.id')}>{task.taskId}</td>
                <td data-label={t('task.dossier')}>
                  <a href={href.dossier(task.dossierId)}>{task.dossierId}</a>
                </td>
                <td data-label={t('inbox.procedure')}>{name(task.procedure)}</td>
                <td data-label={t('task.step')}>{name(task.step, task.procedure)}</td>
                <td data-label={t('inbox.unit')}>
                  <UnitName code={task.unitCode} />
                </td>
                <td data-label={t('task.assignee')}>{task.assignee ?? '—'}</td>
                <td data-label={t('task.due')}>
                  {time(task.dueAt)} {task.overdue && <span className="badge late">{t('task.overdue')}</span>}
                </td>
                <td className="actions">
                  {task.status === 'open' && <button onClick={() => void act(task, 'claim')}>{t('task.claim')}</button>}
                  {task.status === 'claimed' && (task.assignee === me.sub || me.role === 'supervisor') && (
                    <button className="secondary" onClick={() => void act(task, 'release')}>
                      {t('task.release')}
                    </button>
                  )}
                  {mayComplete(task) && (
                    <button className="primary" onClick={() => setWorking(task)}>
                      {t('task.complete')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
