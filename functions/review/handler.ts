// /api/admin/submissions*: the editors' routes. Parse → review domain → JSON. Rendering follows through the stream.
// Also the public side of preview links (GET /api/previews/{token}), and the scheduler's ScheduledPublish event.
import { GetObjectCommand } from '@aws-sdk/client-s3';
import middy from '@middy/core';
import type {
  APIGatewayEventRequestContextJWTAuthorizer,
  APIGatewayEventRequestContextWithAuthorizer,
  APIGatewayProxyEventV2WithJWTAuthorizer,
  Context,
} from 'aws-lambda';
import { dynamoArticleStore } from '#shared/aws/article-store.ts';
import { documentClient } from '#shared/aws/dynamo-client.ts';
import { cognitoUserInfo } from '#shared/aws/editor-profiles.ts';
import { dynamoHistory } from '#shared/aws/history-store.ts';
import { dynamoPhotoPreviews } from '#shared/aws/photo-previews.ts';
import { fileKey, secretsManagerKey } from '#shared/aws/preview-key.ts';
import { eventBridgeScheduler } from '#shared/aws/publish-scheduler.ts';
import { s3Client } from '#shared/aws/s3-client.ts';
import { isMissingObject } from '#shared/aws/s3-errors.ts';
import { dynamoUploadRecords } from '#shared/aws/upload-records.ts';
import type { Article } from '#shared/domain/article.ts';
import {
  draftArticle,
  editArticle,
  restoreRevision,
  validateEdit,
  validateRestore,
} from '#shared/domain/editing.ts';
import { editSubmissionPhotos, validatePhotoEdit } from '#shared/domain/photo-edits.ts';
import { PHOTO_PREVIEW_SECONDS, previewedFile, previewRecords } from '#shared/domain/photo-previews.ts';
import {
  createPreviewLink,
  openPreviewLink,
  PREVIEW_LINK_PATH,
  type PreviewLinkDeps,
  revokePreviewLinks,
  validatePreviewLinkRequest,
} from '#shared/domain/preview-links.ts';
import {
  type Actor,
  decideSubmission,
  findSubmission,
  isArticleStatus,
  listSubmissions,
  parsePageSize,
  type ReviewDecision,
  type ReviewDeps,
  reviewLimits,
  urlOf,
  validateRejection,
} from '#shared/domain/review.ts';
import { isSignOff, parseGroups, requireEditor, type SignOff } from '#shared/domain/roles.ts';
import {
  isScheduledPublish,
  publishScheduled,
  type ScheduledOutcome,
  type ScheduledPublish,
  type SchedulingDeps,
  scheduleArticle,
  unscheduleArticle,
  validateSchedule,
} from '#shared/domain/scheduling.ts';
import { submissionLimits } from '#shared/domain/submission.ts';
import { cleanText } from '#shared/domain/text.ts';
import { resolveImages, type UploadRecord } from '#shared/domain/uploads.ts';
import { optionalEnv, requireEnv } from '#shared/env.ts';
import { cacheControl } from '#shared/headers.ts';
import {
  type ApiResult,
  handlerFor,
  header,
  json,
  jsonErrors,
  parseJsonBody,
  type RouteTable,
} from '#shared/http/api.ts';
import { badRequest, HttpError, notFound, unauthorized } from '#shared/http/errors.ts';
import { cloudFrontOnly } from '#shared/http/origin-guard.ts';
import { logger, requestLogging } from '#shared/log.ts';
import type {
  EditorProfiles,
  PhotoPreviewGrants,
  PublishScheduler,
  UploadRecordStore,
} from '#shared/ports.ts';
import { buildAssets, loadSiteAssets, type SiteAssets } from '#shared/render/assets.ts';
import { photoIds } from '#shared/render/gallery.ts';
import { LOCAL_SCHEDULER_ENV, publishScheduleSettings, SCHEDULE_ENV } from '#shared/schedule-settings.ts';
import { siteConfig } from '#shared/site-config.ts';

const config = requireEnv('ARTICLES_TABLE', 'HISTORY_TABLE', 'SITE_BUCKET');

/** The site config's sign-off, unless SIGN_OFF overrides it for this deployment; an unknown value stops start-up. */
function signOffMode(): SignOff {
  const raw = optionalEnv('SIGN_OFF');
  if (raw === undefined) return siteConfig.signOff;
  if (!isSignOff(raw)) throw new Error(`SIGN_OFF must be "single" or "two-step" (got "${raw}").`);
  return raw;
}

/** The review function's own ARN, the scheduler's target: known from the first invocation's context. */
let ownArn = '';

/**
 * EventBridge Scheduler in AWS (the stack sets SCHEDULE_*). Locally (PUBLISH_SCHEDULER=local) the runtime arms its
 * timers from the Articles table itself (infra/local/publish-timers.ts), so there is nothing to tell it.
 */
function publishScheduler(): PublishScheduler {
  if (optionalEnv(LOCAL_SCHEDULER_ENV) === 'local')
    return { set: async () => undefined, cancel: async () => undefined };
  const env = requireEnv(...Object.values(SCHEDULE_ENV));
  return eventBridgeScheduler({
    group: env.SCHEDULE_GROUP,
    roleArn: env.SCHEDULER_ROLE_ARN,
    dlqArn: env.SCHEDULE_DLQ_ARN,
    functionArn: () => ownArn,
    timeZone: env.SCHEDULE_TIME_ZONE,
    retryAttempts: Number(env.SCHEDULE_RETRY_ATTEMPTS) || publishScheduleSettings.retryAttempts,
    maximumEventAgeSeconds:
      Number(env.SCHEDULE_MAX_EVENT_AGE_SECONDS) || publishScheduleSettings.maximumEventAgeSeconds,
  });
}

/** Secrets Manager in AWS (PREVIEW_KEY_SECRET_ARN); a file under DATA_DIR locally (PREVIEW_KEY_FILE). */
function previewKey(): () => Promise<Buffer> {
  const secret = optionalEnv('PREVIEW_KEY_SECRET_ARN');
  if (secret) return secretsManagerKey(secret);
  const file = optionalEnv('PREVIEW_KEY_FILE');
  if (file) return fileKey(file);
  throw new Error(
    'Missing required environment variable: PREVIEW_KEY_SECRET_ARN (or PREVIEW_KEY_FILE locally)',
  );
}

export type ReviewHandlerDeps = ReviewDeps & SchedulingDeps & PreviewLinkDeps;

const deps: ReviewHandlerDeps = {
  store: dynamoArticleStore(documentClient, config.ARTICLES_TABLE, config.HISTORY_TABLE),
  history: dynamoHistory(documentClient, config.HISTORY_TABLE),
  now: () => new Date(),
  signOff: signOffMode(),
  scheduler: publishScheduler(),
  previewKey: previewKey(),
};
/** The submission's photos as processing left them: ready, rejected with a reason, or still processing. */
const uploadRecords: UploadRecordStore = dynamoUploadRecords(documentClient, config.ARTICLES_TABLE);

/** Photos that are not public yet, as the preview shows them (shared/domain/photo-previews.ts). */
export interface PreviewPhotoDeps {
  readonly grants: PhotoPreviewGrants;
  /** The private copy's bytes and type, or undefined when it is not there. */
  readonly read: (key: string) => Promise<{ bytes: Uint8Array; contentType: string } | undefined>;
}

const previewPhotoDeps: PreviewPhotoDeps = {
  grants: dynamoPhotoPreviews(documentClient, config.ARTICLES_TABLE),
  async read(key) {
    try {
      const object = await s3Client.send(new GetObjectCommand({ Bucket: config.SITE_BUCKET, Key: key }));
      return {
        bytes: (await object.Body?.transformToByteArray()) ?? new Uint8Array(),
        contentType: object.ContentType ?? 'application/octet-stream',
      };
    } catch (error) {
      if (isMissingObject(error)) return undefined;
      throw error;
    }
  },
};

/**
 * `GET /api/photo-previews/{token}/{upload}/{file}`: one file of a photo that is not public yet, for the preview
 * that holds the grant. Anything else is the same 404, so a token cannot be told apart from a wrong upload.
 */
export async function servePreviewPhoto(
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  photo: PreviewPhotoDeps = previewPhotoDeps,
  now: Date = new Date(),
): Promise<ApiResult> {
  const { token = '', upload = '', file = '' } = event.pathParameters ?? {};
  const key = previewedFile(token, upload, file);
  if (!key || !(await photo.grants.allows(token, upload, now))) throw notFound('The photo');
  const found = await photo.read(key);
  if (!found) throw notFound('The photo');
  return {
    statusCode: 200,
    headers: { 'content-type': found.contentType, 'cache-control': cacheControl.noStore },
    body: Buffer.from(found.bytes).toString('base64'),
    isBase64Encoded: true,
  };
}

/**
 * The preview links the same hashed CSS as the published page when the bundle carries site-assets/; without it the
 * preview still shows the article, unstyled. Read on the first preview, not at cold start.
 */
let previewAssets: SiteAssets | undefined;
const assetsForPreview = (): SiteAssets => {
  if (!previewAssets) {
    try {
      previewAssets = loadSiteAssets();
    } catch (error) {
      logger.warn('site-assets not found; previews are unstyled', { error });
      previewAssets = buildAssets([]);
    }
  }
  return previewAssets;
};

/** Access tokens (what the desk sends) carry `username`; ID tokens and the local gateway's claims `cognito:username`. */
const NAME_CLAIMS = ['cognito:username', 'username'] as const;
const REJECTION_BODY_BYTES = 8 * 1024;
/** An edit carries a whole article: the submission's own limit. */
const EDIT_BODY_BYTES = submissionLimits.requestBytes;
const RESTORE_BODY_BYTES = 1024;
const SCHEDULE_BODY_BYTES = 1024;
/** 20 photos with 300-character captions, with room to spare. */
const PHOTO_EDIT_BODY_BYTES = 32 * 1024;

type JwtContext = APIGatewayEventRequestContextWithAuthorizer<APIGatewayEventRequestContextJWTAuthorizer>;

/** In AWS the managed login's userInfo gives an access token's `preferred_username`; locally the claims carry it. */
const loginUrl = optionalEnv('EDITOR_LOGIN_DOMAIN');
const profiles: EditorProfiles | undefined = loginUrl ? cognitoUserInfo(loginUrl) : undefined;

const usableName = (value: unknown): string | undefined => {
  if (typeof value !== 'string') return undefined;
  const name = cleanText(value, { multiline: false });
  return name && [...name].length <= reviewLimits.editorName ? name : undefined;
};

const bearerToken = (event: APIGatewayProxyEventV2WithJWTAuthorizer): string | undefined =>
  /^Bearer\s+(\S+)$/i.exec(header(event, 'authorization') ?? '')?.[1];

/**
 * The editor's name, the 责任编辑 on pages: `preferred_username`, set by an administrator only. An ID token (and the
 * local gateway) carries it as a claim; the desk's access token does not, so it is read from the managed login's
 * userInfo with that token. Without one, the account's user name. The authorizer already refuses requests without a
 * valid token; checking again here means a route wired without it still answers 401.
 */
export async function editorName(
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  lookup: EditorProfiles | undefined = profiles,
): Promise<string> {
  const claims = (event.requestContext as Partial<JwtContext>).authorizer?.jwt?.claims;
  const claimed = usableName(claims?.preferred_username);
  if (claimed) return claimed;
  const token = bearerToken(event);
  if (lookup && claims?.token_use === 'access' && typeof claims.sub === 'string' && token) {
    let looked: string | undefined;
    try {
      looked = await lookup.displayName(token, claims.sub);
    } catch (error) {
      // A wrong name on a published page is worse than a retry.
      logger.error('editor profile unavailable', { error });
      throw new HttpError(503, 'profile_unavailable', 'Your editor profile could not be read; try again.');
    }
    const name = usableName(looked);
    if (name) return name;
  }
  for (const claim of NAME_CLAIMS) {
    const name = usableName(claims?.[claim]);
    if (name) return name;
  }
  throw unauthorized();
}

/**
 * The editor behind the request: the name (see editorName), the Cognito `sub` that identifies the account whatever
 * its name, and its groups (`cognito:groups`). No sub is 401; no desk group is 403 (roles.ts).
 */
export async function actorOf(
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  lookup: EditorProfiles | undefined = profiles,
): Promise<Actor> {
  const claims = (event.requestContext as Partial<JwtContext>).authorizer?.jwt?.claims;
  const sub = claims?.sub;
  if (typeof sub !== 'string' || sub.trim() === '' || sub.length > 128) throw unauthorized();
  const groups = parseGroups(claims?.['cognito:groups']);
  requireEditor(groups);
  return { name: await editorName(event, lookup), sub, groups };
}

const revisionNumber = (raw: string | undefined): number => {
  const n = Number(raw);
  if (!raw || !/^[1-9][0-9]{0,9}$/.test(raw) || !Number.isSafeInteger(n)) throw notFound('The revision');
  return n;
};

/** The article as a preview link shows it; `X-Robots-Tag` keeps it out of search engines, `no-store` out of caches. */
async function sharedPreview(
  token: string,
  injected: ReviewHandlerDeps,
  photos: UploadRecordStore,
  previews: PreviewPhotoDeps,
): Promise<ApiResult> {
  const article = await openPreviewLink(token, injected);
  const context = { siteUrl: optionalEnv('SITE_URL') ?? '', assets: assetsForPreview() };
  const records = await photosForPreview(article, photos, previews, injected.now());
  const { renderPreview } = await import('#shared/pages/preview.ts');
  const as = {
    editor: article.scheduledBy?.name ?? article.editor ?? article.updatedBy?.name ?? '',
    now: article.scheduledAt ?? injected.now().toISOString(),
  };
  return {
    statusCode: 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': cacheControl.noStore,
      'x-robots-tag': 'noindex, nofollow',
      'referrer-policy': 'no-referrer',
    },
    body: renderPreview(context, article, as, records),
  };
}

/** What every review route is given: the request, the ports, and the submission id of the path ('' without one). */
export interface ReviewCall {
  readonly event: APIGatewayProxyEventV2WithJWTAuthorizer;
  readonly deps: ReviewHandlerDeps;
  readonly photos: UploadRecordStore;
  readonly previews: PreviewPhotoDeps;
  readonly id: string;
}

/** A desk route's call: the editor behind the request as well (actorOf: 401 without one, 403 outside the groups). */
export interface DeskCall extends ReviewCall {
  readonly actor: Actor;
}

/** A change an editor made: logged by ids and the editor's account, never by the text, then answered as JSON. */
function changed(
  call: DeskCall,
  message: string,
  outcome: object,
  fields: Record<string, unknown> = {},
  status = 200,
): ApiResult {
  logger.info(message, { id: call.id, ...fields, editor: call.actor.sub });
  return json(status, outcome);
}

/** Publish, approve, unpublish and reject: one state-machine decision each (shared/domain/review.ts). */
async function decided(call: DeskCall, decision: ReviewDecision): Promise<ApiResult> {
  const outcome = await decideSubmission(call.id, decision, call.actor, call.deps);
  return changed(call, 'submission decided', outcome, { decision: decision.kind });
}

/**
 * The article's photos as a preview shows them. Photos are private until the article is published, so the desk's
 * preview and a shared preview link both name them through a grant of an hour (shared/domain/photo-previews.ts).
 */
async function photosForPreview(
  article: Article,
  photos: UploadRecordStore,
  previews: PreviewPhotoDeps,
  now: Date,
): Promise<ReadonlyMap<string, UploadRecord> | undefined> {
  const found = article.images?.length ? await photos.getMany(photoIds(article.images)) : undefined;
  const ready = [...(found?.values() ?? [])].flatMap((r) => (r.state === 'ready' ? [r.uploadId] : []));
  if (!found || ready.length === 0) return found;
  const expires = new Date(now.getTime() + PHOTO_PREVIEW_SECONDS * 1000);
  return previewRecords(found, await previews.grants.grant(ready, expires));
}

/** GET shows the saved article; POST the edit form's unsaved fields, the desk's live preview while the editor types. */
async function preview(call: DeskCall, draft: boolean): Promise<ApiResult> {
  const { deps: injected, photos, previews } = call;
  const saved = await findSubmission(call.id, injected.store);
  const now = injected.now().toISOString();
  const article = draft ? draftArticle(saved, parseJsonBody(call.event, EDIT_BODY_BYTES), now) : saved;
  const context = { siteUrl: optionalEnv('SITE_URL') ?? '', assets: assetsForPreview() };
  const records = await photosForPreview(article, photos, previews, injected.now());
  // The renderer (markdown-it and the page templates) runs its module init on the first preview, not at every
  // cold start. esbuild still inlines it into the one-file bundle, so V8 parses it at init: 5-15 ms (see README).
  const { renderPreview } = await import('#shared/pages/preview.ts');
  const html = renderPreview(context, article, { editor: call.actor.name, now }, records);
  return {
    statusCode: 200,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': cacheControl.noStore },
    body: html,
  };
}

/** Routes anyone may call: a preview link's page, and the photos a preview shows (each carries its own grant). */
export const publicRoutes: RouteTable<'review', ReviewCall, 'public'> = {
  'GET /api/previews/{token}': (call) =>
    sharedPreview(call.event.pathParameters?.token ?? '', call.deps, call.photos, call.previews),
  'GET /api/photo-previews/{token}/{upload}/{file}': (call) =>
    servePreviewPhoto(call.event, call.previews, call.deps.now()),
};

/** The desk's routes, one entry per editor route of shared/routes.ts (test/unit/route-tables.test.ts). */
export const deskRoutes: RouteTable<'review', DeskCall, 'editor'> = {
  // What the desk adapts to: who is signed in, their groups, and whether 初审 exists (two-step sign-off).
  'GET /api/admin/session': async ({ actor, deps }) =>
    json(200, { editor: { name: actor.name, sub: actor.sub }, groups: actor.groups, signOff: deps.signOff }),

  'GET /api/admin/submissions': async ({ event, deps }) => {
    const status = event.queryStringParameters?.status ?? 'pending';
    if (!isArticleStatus(status))
      throw badRequest(`Unknown status "${status}".`, { status: 'Unknown status.' });
    const limit = parsePageSize(event.queryStringParameters?.limit);
    const next = event.queryStringParameters?.next;
    return json(200, await listSubmissions(status, { limit, next }, deps.store));
  },

  'GET /api/admin/submissions/{id}': async ({ id, deps, photos }) => {
    const article = await findSubmission(id, deps.store);
    const url = urlOf(article);
    // Each photo comes back with its processing state, so the editor sees which were rejected and why.
    const images = article.images?.length
      ? { images: resolveImages(article.images, await photos.getMany(photoIds(article.images))) }
      : {};
    return json(200, { ...article, ...images, ...(url ? { url } : {}) });
  },

  'GET /api/admin/submissions/{id}/preview': (call) => preview(call, false),
  'POST /api/admin/submissions/{id}/preview': (call) => preview(call, true),

  'POST /api/admin/submissions/{id}/publish': (call) => decided(call, { kind: 'publish' }),
  'POST /api/admin/submissions/{id}/approve': (call) => decided(call, { kind: 'approve' }),
  'POST /api/admin/submissions/{id}/unpublish': (call) => decided(call, { kind: 'unpublish' }),
  'POST /api/admin/submissions/{id}/reject': (call) =>
    decided(call, {
      kind: 'reject',
      reason: validateRejection(parseJsonBody(call.event, REJECTION_BODY_BYTES)),
    }),

  'PUT /api/admin/submissions/{id}': async (call) => {
    const request = validateEdit(parseJsonBody(call.event, EDIT_BODY_BYTES));
    const outcome = await editArticle(call.id, request, call.actor, call.deps);
    return changed(call, 'article edited', outcome, {
      revision: outcome.revision,
      correction: Boolean(request.correction),
    });
  },

  'POST /api/admin/submissions/{id}/restore': async (call) => {
    const request = validateRestore(parseJsonBody(call.event, RESTORE_BODY_BYTES));
    const { id, revision } = await restoreRevision(call.id, request, call.actor, call.deps);
    return changed(call, 'revision restored', { id, revision }, { from: request.from, revision });
  },

  'GET /api/admin/submissions/{id}/revisions': async ({ id, deps }) => {
    await findSubmission(id, deps.store);
    return json(200, { items: await deps.history.revisions(id) });
  },

  'GET /api/admin/submissions/{id}/revisions/{n}': async ({ id, deps, event }) => {
    await findSubmission(id, deps.store);
    const saved = await deps.history.revision(id, revisionNumber(event.pathParameters?.n));
    if (!saved) throw notFound('The revision');
    const { text, ...about } = saved;
    return json(200, { id, ...about, ...text });
  },

  'GET /api/admin/submissions/{id}/history': async ({ id, deps }) => {
    await findSubmission(id, deps.store);
    return json(200, { items: await deps.history.entries(id) });
  },

  'PUT /api/admin/submissions/{id}/images': async (call) => {
    const images = validatePhotoEdit(parseJsonBody(call.event, PHOTO_EDIT_BODY_BYTES));
    const outcome = await editSubmissionPhotos(call.id, images, call.actor, call.deps);
    return changed(call, 'photos edited', outcome, { photos: images.length });
  },

  'POST /api/admin/submissions/{id}/schedule': async (call) => {
    const request = validateSchedule(parseJsonBody(call.event, SCHEDULE_BODY_BYTES), call.deps.now());
    const outcome = await scheduleArticle(call.id, request, call.actor, call.deps);
    return changed(call, 'publish scheduled', outcome, { at: request.at });
  },

  'POST /api/admin/submissions/{id}/unschedule': async (call) =>
    changed(call, 'publish unscheduled', await unscheduleArticle(call.id, call.actor, call.deps)),

  'POST /api/admin/submissions/{id}/preview-link': async (call) => {
    const { event } = call;
    const hours = validatePreviewLinkRequest(
      event.body ? parseJsonBody(event, SCHEDULE_BODY_BYTES) : undefined,
    );
    const link = await createPreviewLink(call.id, hours, call.actor, call.deps);
    const url = `${optionalEnv('SITE_URL') ?? ''}${PREVIEW_LINK_PATH}${link.token}`;
    const answer = { url, expiresAt: link.expiresAt, revision: link.revision };
    return changed(call, 'preview link created', answer, { hours }, 201);
  },

  'DELETE /api/admin/submissions/{id}/preview-links': async (call) =>
    changed(call, 'preview links withdrawn', await revokePreviewLinks(call.id, call.actor, call.deps)),
};

export async function reviewSubmissions(
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  given: ReviewDeps & Partial<ReviewHandlerDeps> = deps,
  photos: UploadRecordStore = uploadRecords,
  previews: PreviewPhotoDeps = previewPhotoDeps,
): Promise<ApiResult> {
  // Tests inject the review ports; the scheduler and the preview key default to this module's.
  const injected: ReviewHandlerDeps = { scheduler: deps.scheduler, previewKey: deps.previewKey, ...given };
  const call: ReviewCall = { event, deps: injected, photos, previews, id: event.pathParameters?.id ?? '' };
  if (Object.hasOwn(publicRoutes, event.routeKey)) return handlerFor(publicRoutes, event.routeKey)(call);
  // Every other route is the desk's: who is asking is settled before which route it is.
  const actor = await actorOf(event);
  return handlerFor(deskRoutes, event.routeKey)({ ...call, actor });
}

const httpHandler = middy<APIGatewayProxyEventV2WithJWTAuthorizer, ApiResult>()
  .handler((event) => reviewSubmissions(event))
  .use(cloudFrontOnly())
  .use(jsonErrors());

/**
 * The scheduler's event: publish if still due. A no-op is logged, never thrown (a retry could not change it); a
 * failure to write is thrown, so the scheduler retries and in the end dead-letters it.
 */
export async function publishOnTime(
  job: ScheduledPublish,
  injected: ReviewDeps = deps,
): Promise<ScheduledOutcome> {
  const outcome = await publishScheduled(job, injected);
  if (outcome.published) logger.info('scheduled publish done', { id: job.id, revision: outcome.revision });
  else
    logger.warn('scheduled publish skipped', { id: job.id, revision: job.revision, reason: outcome.reason });
  return outcome;
}

/** Both kinds of event, with the request id on every log line of the invocation. */
const entry = middy<
  ScheduledPublish | APIGatewayProxyEventV2WithJWTAuthorizer,
  ScheduledOutcome | ApiResult
>()
  .use(requestLogging())
  .handler((event, context) =>
    isScheduledPublish(event) ? publishOnTime(event) : httpHandler(event, context),
  );

export function handler(event: ScheduledPublish, context: Context): Promise<ScheduledOutcome>;
export function handler(event: APIGatewayProxyEventV2WithJWTAuthorizer, context: Context): Promise<ApiResult>;
export function handler(
  event: ScheduledPublish | APIGatewayProxyEventV2WithJWTAuthorizer,
  context: Context,
): Promise<ScheduledOutcome | ApiResult> {
  ownArn ||= context.invokedFunctionArn;
  return entry(event, context);
}
