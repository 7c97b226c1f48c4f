// Shareable preview links (预览链接): a signed, expiring URL that shows an article's current text to someone without
// an account (a lawyer, a source). A link names the saved text revision it was made for, so it is dead once a newer
// revision is saved; an editor can also withdraw every link of an article at once. Nothing per link is stored.
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as v from 'valibot';
import type { ArticleStore, HistoryReader } from '../ports.ts';
import { check, strictObject } from '../schema.ts';
import type { Article } from './article.ts';
import { isArticleId } from './article.ts';
import { conflict, DomainError, validationFailed } from './errors.ts';
import type { ChangeRecord } from './history.ts';
import { type Actor, findSubmission } from './review.ts';
import { requireEditor } from './roles.ts';

export const PREVIEW_LINK_PATH = '/api/previews/';

export const previewLinkSettings = {
  /** How long a link lives unless the editor asks for less. */
  defaultHours: 24,
  maxHours: 24 * 7,
} as const;

export interface PreviewLinkDeps {
  readonly store: ArticleStore;
  readonly history: HistoryReader;
  readonly now: () => Date;
  /** The signing key: Secrets Manager in AWS, a file under DATA_DIR locally (shared/aws/preview-key.ts). */
  readonly previewKey: () => Promise<Buffer>;
}

interface LinkClaims {
  /** Article id. */
  readonly i: string;
  /** The saved text revision the link shows. */
  readonly r: number;
  /** Expiry, epoch seconds. */
  readonly e: number;
  /** Issued, epoch milliseconds (compared with the article's revocation time). */
  readonly t: number;
}

/** What a signed payload must hold; anything else is a dead link. */
const claimsSchema = v.object({
  i: v.pipe(v.string(), v.check(isArticleId)),
  r: v.number(),
  e: v.number(),
  t: v.number(),
});

const sign = (key: Buffer, payload: string) => createHmac('sha256', key).update(payload).digest('base64url');

/** The text revision a link is bound to: the newest saved copy (0 for an article from before history). */
async function textRevision(id: string, history: HistoryReader): Promise<number> {
  return (await history.revisions(id)).at(-1)?.revision ?? 0;
}

const HOURS = `Must be a whole number of hours from 1 to ${previewLinkSettings.maxHours}.`;

/** `{hours?}`, or no body at all: 1 to maxHours, default 24. */
const previewLinkSchema = v.pipe(
  v.nullish(
    strictObject(
      {
        hours: v.optional(
          v.pipe(
            v.number(HOURS),
            v.integer(HOURS),
            v.minValue(1, HOURS),
            v.maxValue(previewLinkSettings.maxHours, HOURS),
          ),
          previewLinkSettings.defaultHours,
        ),
      },
      'Must be a JSON object or empty.',
    ),
  ),
  v.transform((body) => body?.hours ?? previewLinkSettings.defaultHours),
);

/** How many hours the link is to live. */
export function validatePreviewLinkRequest(input: unknown): number {
  const result = check(previewLinkSchema, input);
  if (!result.ok) throw validationFailed(result.fields, 'The preview link request has invalid fields.');
  return result.value;
}

export async function createPreviewLink(
  id: string,
  hours: number,
  actor: Actor,
  deps: PreviewLinkDeps,
): Promise<{ token: string; expiresAt: string; revision: number }> {
  requireEditor(actor.groups);
  await findSubmission(id, deps.store);
  const now = deps.now().getTime();
  const claims: LinkClaims = {
    i: id,
    r: await textRevision(id, deps.history),
    e: Math.floor(now / 1000) + hours * 3600,
    t: now,
  };
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const token = `${payload}.${sign(await deps.previewKey(), payload)}`;
  return { token, expiresAt: new Date(claims.e * 1000).toISOString(), revision: claims.r };
}

/** Every failure is the same answer: a link says nothing about why it no longer works. */
export const deadLink = () =>
  new DomainError('not_found', 'preview_unavailable', 'This preview link has expired or was withdrawn.');

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{1,400}\.[A-Za-z0-9_-]{43}$/;

function readClaims(token: string, key: Buffer): LinkClaims | undefined {
  if (!TOKEN_PATTERN.test(token)) return undefined;
  const [payload = '', signature = ''] = token.split('.');
  const expected = Buffer.from(sign(key, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  try {
    const claims = v.safeParse(claimsSchema, JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
    if (claims.success) return claims.output;
  } catch {
    // a signed payload that does not parse cannot happen; treated as dead all the same
  }
  return undefined;
}

/** The article a link shows, if the link is genuine, unexpired, not withdrawn, and its text is still the newest. */
export async function openPreviewLink(token: string, deps: PreviewLinkDeps): Promise<Article> {
  const claims = readClaims(token, await deps.previewKey());
  const now = deps.now().getTime();
  if (!claims || claims.e * 1000 <= now) throw deadLink();
  const [article, revision] = await Promise.all([
    deps.store.get(claims.i),
    textRevision(claims.i, deps.history),
  ]);
  if (!article || article.status === 'rejected') throw deadLink();
  if (article.previewsRevokedAt && claims.t <= Date.parse(article.previewsRevokedAt)) throw deadLink();
  if (revision !== claims.r) throw deadLink();
  return article;
}

/** Withdraws every link of an article issued until now: a change of its own, with an audit entry. */
export async function revokePreviewLinks(
  id: string,
  actor: Actor,
  deps: PreviewLinkDeps,
): Promise<{ id: string; revision: number; previewsRevokedAt: string }> {
  requireEditor(actor.groups);
  const current = await findSubmission(id, deps.store);
  const editor = { name: actor.name, sub: actor.sub };
  const now = deps.now().toISOString();
  const next: Article = {
    ...current,
    previewsRevokedAt: now,
    revision: current.revision + 1,
    updatedAt: now,
    updatedBy: editor,
  };
  const record: ChangeRecord = {
    audit: { action: 'revoke-previews', editor, at: now, revision: next.revision },
  };
  const written = await deps.store.transition(
    next,
    { status: current.status, revision: current.revision },
    record,
  );
  if (!written) throw conflict('Another editor changed this submission at the same time; reload it.');
  return { id, revision: next.revision, previewsRevokedAt: now };
}
