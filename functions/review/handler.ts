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
import { dynamoPhotoPreviews, type PhotoPreviewGrants } from '#shared/aws/photo-previews.ts';
import { fileKey, secretsManagerKey } from '#shared/aws/preview-key.ts';
import { eventBridgeScheduler } from '#shared/aws/publish-scheduler.ts';
import { s3Client } from '#shared/aws/s3-client.ts';
import { isMissingObject } from '#shared/aws/s3-errors.ts';
import { dynamoUploadRecords } from '#shared/aws/upload-records.ts';
import {
  draftArticle,
  editArticle,
  restoreRevision,
  validateEdit,
  validateRestore,
} from '#shared/domain/editing.ts';
import { editSubmissionPhotos, validatePhotoEdit } from '#shared/domain/photo-edits.ts';
import {
  PHOTO_PREVIEW_PATH,
  PHOTO_PREVIEW_SECONDS,
  previewedFile,
  previewRecords,
} from '#shared/domain/photo-previews.ts';
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
import { resolveImages } from '#shared/domain/uploads.ts';
import { optionalEnv, requireEnv } from '#shared/env.ts';
import { cacheControl } from '#shared/headers.ts';
import { type ApiResult, header, json, jsonErrors, parseJsonBody } from '#shared/http/api.ts';
import { badRequest, HttpError, notFound, unauthorized } from '#shared/http/errors.ts';
import { cloudFrontOnly } from '#shared/http/origin-guard.ts';
import { logger } from '#shared/log.ts';
import type { EditorProfiles, PublishScheduler, UploadRecordStore } from '#shared/ports.ts';
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
      logger.error('editor profile unavailable', { error, requestId: event.requestContext.requestId });
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

const decisions: Record<string, (event: APIGatewayProxyEventV2WithJWTAuthorizer) => ReviewDecision> = {
  'POST /api/admin/submissions/{id}/publish': () => ({ kind: 'publish' }),
  'POST /api/admin/submissions/{id}/approve': () => ({ kind: 'approve' }),
  'POST /api/admin/submissions/{id}/unpublish': () => ({ kind: 'unpublish' }),
  'POST /api/admin/submissions/{id}/reject': (event) => {
    const result = validateRejection(parseJsonBody(event, REJECTION_BODY_BYTES));
    if (!result.ok)
      throw new HttpError(400, 'validation_failed', 'A rejection needs a reason.', result.fields);
    return { kind: 'reject', reason: result.reason };
  },
};

/** The article as a preview link shows it; `X-Robots-Tag` keeps it out of search engines, `no-store` out of caches. */
async function sharedPreview(
  token: string,
  injected: ReviewHandlerDeps,
  photos: UploadRecordStore,
): Promise<ApiResult> {
  const article = await openPreviewLink(token, injected);
  const context = { siteUrl: optionalEnv('SITE_URL') ?? '', assets: assetsForPreview() };
  const records = article.images?.length ? await photos.getMany(photoIds(article.images)) : undefined;
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

export async function reviewSubmissions(
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  given: ReviewDeps & Partial<ReviewHandlerDeps> = deps,
  photos: UploadRecordStore = uploadRecords,
  previews: PreviewPhotoDeps = previewPhotoDeps,
): Promise<ApiResult> {
  // Tests inject the review ports; the scheduler and the preview key default to this module's.
  const injected: ReviewHandlerDeps = { scheduler: deps.scheduler, previewKey: deps.previewKey, ...given };
  if (event.routeKey === 'GET /api/previews/{token}')
    return sharedPreview(event.pathParameters?.token ?? '', injected, photos);
  if (event.routeKey === `GET ${PHOTO_PREVIEW_PATH}/{token}/{upload}/{file}`)
    return servePreviewPhoto(event, previews, injected.now());

  const actor = await actorOf(event);
  const editor = actor.name;
  const id = event.pathParameters?.id ?? '';

  if (event.routeKey === 'GET /api/admin/submissions') {
    const status = event.queryStringParameters?.status ?? 'pending';
    if (!isArticleStatus(status))
      throw badRequest(`Unknown status "${status}".`, { status: 'Unknown status.' });
    const limit = parsePageSize(event.queryStringParameters?.limit);
    const next = event.queryStringParameters?.next;
    return json(200, await listSubmissions(status, { limit, next }, injected.store));
  }

  if (event.routeKey === 'GET /api/admin/submissions/{id}') {
    const article = await findSubmission(id, injected.store);
    const url = urlOf(article);
    // Each photo comes back with its processing state, so the editor sees which were rejected and why.
    const images = article.images?.length
      ? { images: resolveImages(article.images, await photos.getMany(photoIds(article.images))) }
      : {};
    return json(200, { ...article, ...images, ...(url ? { url } : {}) });
  }

  if (event.routeKey === 'GET /api/admin/session') {
    // What the desk adapts to: who is signed in, their groups, and whether 初审 exists (two-step sign-off).
    return json(200, {
      editor: { name: actor.name, sub: actor.sub },
      groups: actor.groups,
      signOff: injected.signOff,
    });
  }

  if (
    event.routeKey === 'GET /api/admin/submissions/{id}/preview' ||
    event.routeKey === 'POST /api/admin/submissions/{id}/preview'
  ) {
    const saved = await findSubmission(id, injected.store);
    const now = injected.now().toISOString();
    // POST carries the edit form's unsaved fields: the desk's live preview while the editor types.
    const article =
      event.routeKey === 'POST /api/admin/submissions/{id}/preview'
        ? draftArticle(saved, parseJsonBody(event, EDIT_BODY_BYTES), now)
        : saved;
    const context = { siteUrl: optionalEnv('SITE_URL') ?? '', assets: assetsForPreview() };
    const found = article.images?.length ? await photos.getMany(photoIds(article.images)) : undefined;
    // Photos are private until the article is published: the preview names them through a grant of an hour.
    const ready = [...(found?.values() ?? [])].flatMap((r) => (r.state === 'ready' ? [r.uploadId] : []));
    const records =
      found && ready.length > 0
        ? previewRecords(
            found,
            await previews.grants.grant(
              ready,
              new Date(injected.now().getTime() + PHOTO_PREVIEW_SECONDS * 1000),
            ),
          )
        : found;
    // The renderer (markdown-it and the page templates) runs its module init on the first preview, not at every
    // cold start. esbuild still inlines it into the one-file bundle, so V8 parses it at init: 5-15 ms (see README).
    const { renderPreview } = await import('#shared/pages/preview.ts');
    const html = renderPreview(context, article, { editor, now }, records);
    return {
      statusCode: 200,
      headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': cacheControl.noStore },
      body: html,
    };
  }

  if (event.routeKey === 'PUT /api/admin/submissions/{id}') {
    const request = validateEdit(parseJsonBody(event, EDIT_BODY_BYTES));
    const outcome = await editArticle(id, request, actor, injected);
    logger.info('article edited', {
      requestId: event.requestContext.requestId,
      id,
      revision: outcome.revision,
      correction: Boolean(request.correction),
      editor: actor.sub,
    });
    return json(200, outcome);
  }

  if (event.routeKey === 'POST /api/admin/submissions/{id}/restore') {
    const request = validateRestore(parseJsonBody(event, RESTORE_BODY_BYTES));
    const outcome = await restoreRevision(id, request, actor, injected);
    logger.info('revision restored', {
      requestId: event.requestContext.requestId,
      id,
      from: request.from,
      revision: outcome.revision,
      editor: actor.sub,
    });
    return json(200, { id: outcome.id, revision: outcome.revision });
  }

  if (event.routeKey === 'GET /api/admin/submissions/{id}/revisions') {
    await findSubmission(id, injected.store);
    return json(200, { items: await injected.history.revisions(id) });
  }

  if (event.routeKey === 'GET /api/admin/submissions/{id}/revisions/{n}') {
    await findSubmission(id, injected.store);
    const saved = await injected.history.revision(id, revisionNumber(event.pathParameters?.n));
    if (!saved) throw notFound('The revision');
    const { text, ...about } = saved;
    return json(200, { id, ...about, ...text });
  }

  if (event.routeKey === 'GET /api/admin/submissions/{id}/history') {
    await findSubmission(id, injected.store);
    return json(200, { items: await injected.history.entries(id) });
  }

  if (event.routeKey === 'PUT /api/admin/submissions/{id}/images') {
    const images = validatePhotoEdit(parseJsonBody(event, PHOTO_EDIT_BODY_BYTES));
    const outcome = await editSubmissionPhotos(id, images, actor, injected);
    logger.info('photos edited', {
      requestId: event.requestContext.requestId,
      id,
      photos: images.length,
      editor,
    });
    return json(200, outcome);
  }

  if (event.routeKey === 'POST /api/admin/submissions/{id}/schedule') {
    const request = validateSchedule(parseJsonBody(event, SCHEDULE_BODY_BYTES), injected.now());
    const outcome = await scheduleArticle(id, request, actor, injected);
    logger.info('publish scheduled', {
      requestId: event.requestContext.requestId,
      id,
      at: request.at,
      editor,
    });
    return json(200, outcome);
  }

  if (event.routeKey === 'POST /api/admin/submissions/{id}/unschedule') {
    const outcome = await unscheduleArticle(id, actor, injected);
    logger.info('publish unscheduled', { requestId: event.requestContext.requestId, id, editor });
    return json(200, outcome);
  }

  if (event.routeKey === 'POST /api/admin/submissions/{id}/preview-link') {
    const hours = validatePreviewLinkRequest(
      event.body ? parseJsonBody(event, SCHEDULE_BODY_BYTES) : undefined,
    );
    const link = await createPreviewLink(id, hours, actor, injected);
    const url = `${optionalEnv('SITE_URL') ?? ''}${PREVIEW_LINK_PATH}${link.token}`;
    logger.info('preview link created', { requestId: event.requestContext.requestId, id, hours, editor });
    return json(201, { url, expiresAt: link.expiresAt, revision: link.revision });
  }

  if (event.routeKey === 'DELETE /api/admin/submissions/{id}/preview-links') {
    const outcome = await revokePreviewLinks(id, actor, injected);
    logger.info('preview links withdrawn', { requestId: event.requestContext.requestId, id, editor });
    return json(200, outcome);
  }

  const decisionFor = decisions[event.routeKey];
  if (!decisionFor) throw notFound('The route');
  const decision = decisionFor(event);
  const outcome = await decideSubmission(id, decision, actor, injected);
  logger.info('submission decided', {
    requestId: event.requestContext.requestId,
    id,
    decision: decision.kind,
    editor,
  });
  return json(200, outcome);
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

export function handler(event: ScheduledPublish, context: Context): Promise<ScheduledOutcome>;
export function handler(event: APIGatewayProxyEventV2WithJWTAuthorizer, context: Context): Promise<ApiResult>;
export function handler(
  event: ScheduledPublish | APIGatewayProxyEventV2WithJWTAuthorizer,
  context: Context,
): Promise<ScheduledOutcome | ApiResult> {
  ownArn ||= context.invokedFunctionArn;
  if (isScheduledPublish(event)) return publishOnTime(event);
  return httpHandler(event, context);
}
