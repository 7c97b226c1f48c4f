// 定时发布: an article set to go out at a given time. The editor's request puts it in `scheduled` and asks the
// scheduler (EventBridge Scheduler in AWS, a timer in the local runtime) to send review a ScheduledPublish at that
// time. The event names the revision it was made for: any change after it (an edit, a reschedule, an unschedule)
// makes it a no-op, so an edit after scheduling can never publish the older text.

import * as v from 'valibot';
import type { PublishScheduler } from '../ports.ts';
import { check, strictObject } from '../schema.ts';
import { siteConfig } from '../site-config.ts';
import type { Article, ArticleStatus, EditorRef } from './article.ts';
import { conflict, validationFailed } from './errors.ts';
import type { ChangeRecord } from './history.ts';
import {
  type Actor,
  authorise,
  findSubmission,
  loadedRevision,
  type ReviewDeps,
  staleRevision,
  urlOf,
} from './review.ts';
import { requireEditor } from './roles.ts';
import { dateParts, displayTime } from './urls.ts';

/** What the scheduler sends review when an article's time has come. */
export interface ScheduledPublish {
  readonly command: 'publish-scheduled';
  readonly id: string;
  readonly revision: number;
}

const scheduledPublishSchema = v.object({
  command: v.literal('publish-scheduled'),
  id: v.string(),
  revision: v.number(),
});

export const isScheduledPublish = (event: unknown): event is ScheduledPublish =>
  v.is(scheduledPublishSchema, event);

export const schedulingLimits = {
  /** How far ahead an article may be scheduled. */
  maxDaysAhead: 366,
} as const;

/** The states an article may be scheduled from (a scheduled one may be rescheduled). */
const schedulableFrom: readonly ArticleStatus[] = ['pending', 'approved', 'unpublished', 'scheduled'];

/** Milliseconds east of UTC of `timeZone` at the instant `utcMs`. */
function zoneOffsetMs(utcMs: number, timeZone: string): number {
  const p = dateParts(new Date(utcMs).toISOString(), timeZone);
  const asUtc = Date.UTC(
    Number(p.year),
    Number(p.month) - 1,
    Number(p.day),
    Number(p.hour) % 24,
    Number(p.minute),
    Number(p.second),
  );
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * An ISO 8601 time; one without an offset is read in `timeZone` (the site's), as an editor in the newsroom means it.
 * Undefined when it is not a valid time.
 */
export function parseScheduleTime(raw: string, timeZone = siteConfig.timeZone): Date | undefined {
  const m = ISO_TIME.exec(raw.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s = '0', ms = '0', zone] = m;
  const fields = [y, mo, d, h, mi, s].map(Number) as [number, number, number, number, number, number];
  const [year, month, day, hour, minute, second] = fields;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59)
    return undefined;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, Number(ms.padEnd(3, '0')));
  // Day 31 of a 30-day month rolls over: refuse it rather than move the date.
  if (new Date(wall).getUTCDate() !== day) return undefined;
  if (zone) {
    if (zone === 'Z') return new Date(wall);
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offset = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
    return new Date(wall - offset);
  }
  // Local wall time: subtract the zone's offset at that moment (checked twice, for a change of offset between).
  let utc = wall - zoneOffsetMs(wall, timeZone);
  utc = wall - zoneOffsetMs(utc, timeZone);
  return new Date(utc);
}

/** EventBridge Scheduler's one-time expression, `at(yyyy-mm-ddThh:mm:ss)`, in `timeZone` (ScheduleExpressionTimezone). */
export function atExpression(at: string, timeZone = siteConfig.timeZone): string {
  const p = dateParts(at, timeZone);
  return `at(${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second})`;
}

export interface ScheduleRequest {
  /** ISO 8601 UTC, milliseconds dropped. */
  readonly at: string;
  /** The revision the editor loaded. */
  readonly revision: number;
}

const AT_REQUIRED = 'Required: an ISO 8601 time, e.g. 2026-12-01T07:00:00+08:00.';
const AT_INVALID = 'Not a valid ISO 8601 time, e.g. 2026-12-01T07:00:00+08:00.';

/** `{at, revision}`: `at` must lie in the future, and at most a year ahead; a body that is no object has neither. */
const scheduleSchema = (now: Date) =>
  v.pipe(
    v.unknown(),
    v.transform((body: unknown) =>
      typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {},
    ),
    strictObject(
      {
        at: v.pipe(
          v.string(AT_REQUIRED),
          v.rawTransform(({ dataset, addIssue, NEVER }) => {
            const at = parseScheduleTime(dataset.value);
            const ahead = at ? at.getTime() - now.getTime() : 0;
            const problem = !at
              ? AT_INVALID
              : ahead <= 0
                ? 'Must be in the future.'
                : ahead > schedulingLimits.maxDaysAhead * 86_400_000
                  ? `Must be within ${schedulingLimits.maxDaysAhead} days.`
                  : undefined;
            if (!at || problem) {
              addIssue({ message: problem ?? AT_INVALID });
              return NEVER;
            }
            at.setUTCMilliseconds(0);
            return at.toISOString();
          }),
        ),
        revision: loadedRevision,
      },
      'The request must be a JSON object.',
    ),
  );

export function validateSchedule(input: unknown, now: Date): ScheduleRequest {
  const result = check(scheduleSchema(now), input);
  if (!result.ok) throw validationFailed(result.fields);
  const { at = '', revision = 0 } = result.value;
  return { at, revision };
}

/** Where an article goes back to when it leaves the schedule (unscheduled, or edited): the state it came from. */
export function unscheduledStatus(article: Pick<Article, 'approvedBy' | 'publishedAt'>): ArticleStatus {
  if (article.approvedBy) return 'approved';
  return article.publishedAt ? 'unpublished' : 'pending';
}

export interface SchedulingDeps extends ReviewDeps {
  readonly scheduler: PublishScheduler;
}

export interface ScheduleOutcome {
  readonly id: string;
  readonly status: ArticleStatus;
  readonly revision: number;
  readonly at?: string;
}

/**
 * Schedules (or reschedules) an article. Scheduling is a publishing decision: the same people may take it as may
 * publish (two-step sign-off: a chief editor, after 初审). The schedule is created before the article changes: should
 * the write then lose a race, the schedule carries a revision that never comes to be, and fires as a no-op.
 */
export async function scheduleArticle(
  id: string,
  request: ScheduleRequest,
  actor: Actor,
  deps: SchedulingDeps,
): Promise<ScheduleOutcome> {
  const current = await findSubmission(id, deps.store);
  if (current.revision !== request.revision) throw staleRevision(current, request.revision);
  authorise(current, { kind: 'publish' }, actor, deps.signOff);
  if (!schedulableFrom.includes(current.status))
    throw conflict(`Cannot schedule an article that is ${current.status}.`);
  const editor: EditorRef = { name: actor.name, sub: actor.sub };
  const now = deps.now().toISOString();
  const next: Article = {
    ...current,
    status: 'scheduled',
    scheduledAt: request.at,
    scheduledBy: editor,
    revision: current.revision + 1,
    updatedAt: now,
    updatedBy: editor,
  };
  await deps.scheduler.set({ command: 'publish-scheduled', id, revision: next.revision }, request.at);
  const record: ChangeRecord = {
    audit: { action: 'schedule', editor, at: now, revision: next.revision, note: displayTime(request.at) },
  };
  const written = await deps.store.transition(
    next,
    { status: current.status, revision: current.revision },
    record,
  );
  if (!written) throw conflict('Another editor changed this submission at the same time; reload it.');
  return { id, status: 'scheduled', revision: next.revision, at: request.at };
}

/** Takes an article off the schedule; it goes back to the state it was scheduled from. */
export async function unscheduleArticle(
  id: string,
  actor: Actor,
  deps: SchedulingDeps,
): Promise<ScheduleOutcome> {
  const current = await findSubmission(id, deps.store);
  requireEditor(actor.groups);
  if (current.status !== 'scheduled')
    throw conflict(`Cannot unschedule an article that is ${current.status}.`);
  const editor: EditorRef = { name: actor.name, sub: actor.sub };
  const now = deps.now().toISOString();
  const { scheduledAt: _at, scheduledBy: _by, ...rest } = current;
  const next: Article = {
    ...rest,
    status: unscheduledStatus(current),
    revision: current.revision + 1,
    updatedAt: now,
    updatedBy: editor,
  };
  const record: ChangeRecord = { audit: { action: 'unschedule', editor, at: now, revision: next.revision } };
  const written = await deps.store.transition(
    next,
    { status: current.status, revision: current.revision },
    record,
  );
  if (!written) throw conflict('Another editor changed this submission at the same time; reload it.');
  // The revision has moved on, so a schedule that survives this (a failed delete) fires as a no-op.
  await deps.scheduler.cancel(id);
  return { id, status: next.status, revision: next.revision };
}

export type ScheduledOutcome =
  | { readonly published: true; readonly id: string; readonly revision: number; readonly url: string }
  | { readonly published: false; readonly id: string; readonly reason: string };

/** A schedule fired a little early by the clock of whoever fired it is still on time. */
const EARLY_TOLERANCE_MS = 1000;

/**
 * What the scheduler's event does: publishes the article if it is still scheduled at the event's revision and its
 * time has come. The page's publish time is the scheduled time (a republish keeps the first), and its 责任编辑 the
 * editor who scheduled it. Anything else is a no-op with a reason, never an error: a retry could not change it.
 */
export async function publishScheduled(job: ScheduledPublish, deps: ReviewDeps): Promise<ScheduledOutcome> {
  const { id } = job;
  const current = await deps.store.get(id);
  if (!current) return { published: false, id, reason: 'no such article' };
  if (current.status !== 'scheduled' || !current.scheduledAt || !current.scheduledBy)
    return { published: false, id, reason: `the article is ${current.status}` };
  if (current.revision !== job.revision)
    return {
      published: false,
      id,
      reason: `stale: revision ${job.revision}, article at ${current.revision}`,
    };
  const now = deps.now();
  if (Date.parse(current.scheduledAt) - now.getTime() > EARLY_TOLERANCE_MS)
    return { published: false, id, reason: `not due until ${current.scheduledAt}` };
  const editor = current.scheduledBy;
  const { scheduledAt, scheduledBy: _by, ...rest } = current;
  const next: Article = {
    ...rest,
    status: 'published',
    editor: editor.name,
    editorSub: editor.sub,
    publishedAt: current.publishedAt ?? scheduledAt,
    revision: current.revision + 1,
    updatedAt: now.toISOString(),
    updatedBy: editor,
  };
  const record: ChangeRecord = {
    audit: { action: 'publish', editor, at: now.toISOString(), revision: next.revision, note: '定时发布' },
  };
  const written = await deps.store.transition(
    next,
    { status: 'scheduled', revision: current.revision },
    record,
  );
  if (!written) return { published: false, id, reason: 'changed while publishing' };
  return { published: true, id, revision: next.revision, url: urlOf(next) ?? '' };
}
