// Least privilege, asserted: every function's IAM actions and resources, listed exactly, read from the synthesised
// template (a grant added anywhere shows up here as a diff); and no secret in the code or the synthesised templates.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '#infra/bin/app.ts';
import { templateApp } from '../support/synth.ts';

type Json = unknown;
let templates: { data: Template; site: Template; dataJson: string; siteJson: string };

beforeAll(() => {
  const app = templateApp();
  const built = buildApp(app);
  const data = Template.fromStack(built.data);
  const site = Template.fromStack(built.site);
  templates = {
    data,
    site,
    dataJson: JSON.stringify(data.toJSON()),
    siteJson: JSON.stringify(site.toJSON()),
  };
  expect(Stack.of(built.site).stackName).toContain('test');
});

/** A resource reference as a person reads it: logical ids without their hash suffix, intrinsic functions spelled out. */
function readable(value: Json): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(readable).join(',');
  const o = value as Record<string, Json>;
  const strip = (id: string) => id.replace(/[0-9A-F]{8}$/, '');
  if ('Fn::GetAtt' in o) {
    const [id, attr] = o['Fn::GetAtt'] as [string, string];
    return `${strip(id)}.${attr}`;
  }
  if ('Ref' in o) {
    // The Data stack's values, read through SSM parameters: `/newsroom/test/data/Articles.Arn` → `Data:Articles.Arn`.
    const parameter =
      /^SsmParameterValuenewsroom[a-z0-9]+?data(Articles|Counters|History|Site|Uploads|Logs|Editors)(StreamArn|Arn|Name|RegionalDomainName|LoginDomain)[0-9A-F]{32}Parameter$/.exec(
        String(o.Ref),
      );
    if (parameter) return `Data:${parameter[1]}.${parameter[2]}`;
    return `{${strip(String(o.Ref))}}`;
  }
  if ('Fn::Join' in o) {
    const [sep, parts] = o['Fn::Join'] as [string, Json[]];
    return parts.map(readable).join(sep);
  }
  if ('Fn::ImportValue' in o) {
    // The data stack's exports: `Newsroom-test-Data:ExportsOutputFnGetAttArticles47CFF050Arn` → `Data:Articles.Arn`.
    const name = readable(o['Fn::ImportValue']);
    const match = /^[^:]+-Data:ExportsOutputFnGetAtt(.+?)[0-9A-F]{8}((?:Stream)?Arn)(?:[0-9A-F]{8})?$/.exec(
      name,
    );
    return match ? `Data:${match[1]}.${match[2]}` : `import(${name})`;
  }
  if ('Fn::Select' in o) {
    const [i, list] = o['Fn::Select'] as [number, Json];
    return `select(${i},${readable(list)})`;
  }
  if ('Fn::Split' in o) {
    const [sep, s] = o['Fn::Split'] as [string, Json];
    return `split(${sep},${readable(s)})`;
  }
  return JSON.stringify(o);
}

interface Grant {
  readonly actions: string[];
  readonly resources: string[];
  readonly condition?: Json;
}

/** function logical id (hash stripped) → its role's statements, normalised and sorted. */
function grantsByFunction(template: Template): Record<string, Grant[]> {
  const functions = template.findResources('AWS::Lambda::Function');
  const policies = Object.values(template.findResources('AWS::IAM::Policy'));
  const out: Record<string, Grant[]> = {};
  for (const [id, fn] of Object.entries(functions)) {
    const role = (fn.Properties.Role as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt']?.[0];
    const statements = policies
      .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === role))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Record<string, Json>[]);
    out[id.replace(/[0-9A-F]{8}$/, '')] = statements
      .map((s) => {
        expect(s.Effect).toBe('Allow');
        const actions = ([] as Json[]).concat(s.Action).map(String).sort();
        const resources = ([] as Json[]).concat(s.Resource).map(readable).sort();
        return { actions, resources, ...(s.Condition ? { condition: s.Condition } : {}) };
      })
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  }
  return out;
}

const logs = (fn: string): Grant => ({
  actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
  resources: [`${fn}Logs.Arn`],
});
const sortGrants = (grants: Grant[]) =>
  [...grants].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

const failedInvocations: Grant = {
  actions: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
  resources: ['AlarmsFailedInvocations.Arn'],
};

/** Every function's grants, exactly. A change here is a change to what a compromised function could do. */
const expectedGrants: Record<string, Grant[]> = {
  // submit creates pending articles and reads one back for idempotent retries; it cannot publish or delete. It puts
  // the submission's first audit entry and saved copy, and can do nothing else to History.
  SubmitFn: [
    { actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], resources: ['Data:Articles.Arn'] },
    { actions: ['dynamodb:PutItem'], resources: ['Data:History.Arn'] },
    logs('Submit'),
  ],
  // review changes state with a conditional UpdateItem and lists queues through byStatus; no Put, no Delete. On
  // History it appends (PutItem) and reads; it can neither update nor delete an entry.
  // 定时发布: it creates, replaces and deletes the publish-<id> schedules of its own group, and hands Scheduler the
  // schedules' role only; it reads the preview-link signing key.
  ReviewFn: [
    { actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], resources: ['Data:Articles.Arn'] },
    { actions: ['dynamodb:Query'], resources: ['Data:Articles.Arn/index/byStatus'] },
    { actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'], resources: ['Data:History.Arn'] },
    // The preview's photos before they are public: their private copies, nothing else of the bucket.
    { actions: ['s3:GetObject'], resources: ['Data:Site.Arn/_state/photos/*'] },
    {
      actions: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule', 'scheduler:UpdateSchedule'],
      resources: [
        'arn:{AWS::Partition}:scheduler:{AWS::Region}:{AWS::AccountId}:schedule/{PublishSchedulesGroup}/publish-*',
      ],
    },
    {
      actions: ['iam:PassRole'],
      resources: ['PublishSchedulesSchedulerRole.Arn'],
      condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
    },
    {
      actions: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
      resources: ['{PublishSchedulesPreviewKey}'],
    },
    logs('Review'),
  ],
  // views adds to counters (UpdateItem, also inside its one-item transactions: TransactWriteItems has no IAM action
  // of its own); on Articles it may read id and status only (never a body or contact).
  ViewsFn: [
    {
      actions: ['dynamodb:BatchGetItem', 'dynamodb:UpdateItem'],
      resources: ['Data:Counters.Arn'],
    },
    {
      actions: ['dynamodb:GetItem'],
      resources: ['Data:Articles.Arn'],
      condition: {
        'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['id', 'status'] },
        StringEqualsIfExists: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' },
      },
    },
    logs('Views'),
  ],
  // uploads only signs POSTs into the quarantine prefix.
  PhotosUploadsFn: [
    { actions: ['s3:PutObject'], resources: ['Data:Uploads.Arn/uploads/quarantine/*'] },
    logs('PhotosUploads'),
  ],
  // images reads quarantine, writes processed sizes under media/, and reads and writes upload# items only.
  PhotosImagesFn: [
    {
      actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
      resources: ['Data:Articles.Arn'],
      condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['upload#*'] } },
    },
    { actions: ['s3:GetObject'], resources: ['Data:Uploads.Arn/uploads/quarantine/*'] },
    // Processed photos go to private state; only render makes them public (media/), with their article.
    { actions: ['s3:PutObject'], resources: ['Data:Site.Arn/_state/photos/*'] },
    logs('PhotosImages'),
    // A photo whose processing failed every retry is kept in the failed-invocations queue.
    failedInvocations,
  ],
  // CDK's own handler that installs the uploads bucket's notification.
  BucketNotificationsHandler050a0587b7544547bf325f094a3db834: [
    { actions: ['s3:GetBucketNotification'], resources: ['Data:Uploads.Arn'] },
    { actions: ['s3:PutBucketNotification'], resources: ['Data:Uploads.Arn'] },
  ],
  // render reads articles, counts and the hot-list buckets, writes pages, invalidates this distribution, and
  // dead-letters to its DLQ.
  RenderFn: [
    {
      actions: ['cloudfront:CreateInvalidation'],
      resources: ['arn:{AWS::Partition}:cloudfront::{AWS::AccountId}:distribution/{CdnDistribution}'],
    },
    { actions: ['dynamodb:BatchGetItem', 'dynamodb:GetItem'], resources: ['Data:Articles.Arn'] },
    // Counts only: Scan reads every article's total at once for a site-wide render.
    { actions: ['dynamodb:BatchGetItem', 'dynamodb:Scan'], resources: ['Data:Counters.Arn'] },
    // 点击排行: the daily view buckets only (their partition keys start with `hot#`).
    {
      actions: ['dynamodb:Query'],
      resources: ['Data:Counters.Arn'],
      condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['hot#*'] } },
    },
    {
      actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
      resources: ['Data:Articles.StreamArn'],
    },
    // The event source mapping's ListStreams has no resource-level permissions in IAM.
    { actions: ['dynamodb:ListStreams'], resources: ['*'] },
    { actions: ['dynamodb:Query'], resources: ['Data:Articles.Arn/index/byChannel'] },
    // The list counters (list#<path>), recounted by a rebuild: no article item.
    {
      actions: ['dynamodb:UpdateItem'],
      resources: ['Data:Articles.Arn'],
      condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['list#*'] } },
    },
    logs('Render'),
    { actions: ['s3:DeleteObject', 's3:GetObject', 's3:PutObject'], resources: ['Data:Site.Arn/*'] },
    // A render of many pages compares against one listing instead of a HEAD per page.
    { actions: ['s3:ListBucket'], resources: ['Data:Site.Arn'] },
    {
      actions: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
      resources: ['AlarmsRenderDlq.Arn'],
    },
    failedInvocations,
  ],
  // CDK's function behind the deploy-time rebuild trigger: it may start a rebuild run, nothing else.
  AWS679f53fac002430cb0da5b7982bd2287: [
    { actions: ['states:StartExecution'], resources: ['{RebuildFanOutStateMachine}'] },
  ],
  // search reads every published article and render's change mark, and writes only the index and its own state.
  SearchFn: [
    {
      actions: ['cloudfront:CreateInvalidation'],
      resources: ['arn:{AWS::Partition}:cloudfront::{AWS::AccountId}:distribution/{CdnDistribution}'],
    },
    { actions: ['dynamodb:BatchGetItem', 'dynamodb:GetItem'], resources: ['Data:Articles.Arn'] },
    { actions: ['dynamodb:Query'], resources: ['Data:Articles.Arn/index/byChannel'] },
    logs('Search'),
    {
      actions: ['s3:DeleteObject', 's3:PutObject'],
      resources: ['Data:Site.Arn/_state/search-index.json', 'Data:Site.Arn/pagefind/*'],
    },
    {
      actions: ['s3:GetObject'],
      resources: [
        'Data:Site.Arn/_state/search-changed.json',
        'Data:Site.Arn/_state/search-index.json',
        'Data:Site.Arn/pagefind/*',
      ],
    },
    // A HEAD of a key not yet written answers 404 (not 403) only with ListBucket.
    { actions: ['s3:ListBucket'], resources: ['Data:Site.Arn'] },
  ],
};

describe('least privilege', () => {
  it('gives each function exactly the IAM actions and resources it needs', () => {
    const actual = grantsByFunction(templates.site);
    const expected = Object.fromEntries(Object.entries(expectedGrants).map(([k, v]) => [k, sortGrants(v)]));
    expect(actual).toEqual(expected);
  });

  it('has no function in the data stack, and allows no wildcard action anywhere', () => {
    expect(grantsByFunction(templates.data)).toEqual({});
    // Every Allow statement in every policy (IAM and resource policies); Deny statements such as the TLS-only
    // bucket rule may say s3:*.
    const allows: Record<string, Json>[] = [];
    const walk = (node: Json): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        const o = node as Record<string, Json>;
        if (o.Effect === 'Allow' && 'Action' in o) allows.push(o);
        Object.values(o).forEach(walk);
      }
    };
    walk(templates.data.toJSON());
    walk(templates.site.toJSON());
    expect(allows.length).toBeGreaterThan(10);
    const wildcards = allows
      .flatMap((st) => ([] as Json[]).concat(st.Action).map(String))
      .filter((a) => a.includes('*'));
    expect(wildcards).toEqual([]);
  });
});

describe('the audit trail and saved revisions', () => {
  /** Actions that could change or remove an item that exists, or write around the conditional put. */
  const REWRITES = [
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:BatchWriteItem',
    'dynamodb:PartiQLUpdate',
    'dynamodb:PartiQLDelete',
    'dynamodb:PartiQLInsert',
    'dynamodb:ImportTable',
    'dynamodb:RestoreTableFromBackup',
    'dynamodb:DeleteTable',
    'dynamodb:UpdateTable',
  ];

  it('lets no function update or delete an audit entry or a saved revision', () => {
    const onHistory = Object.entries(grantsByFunction(templates.site)).flatMap(([fn, grants]) =>
      grants
        .filter((g) => g.resources.some((r) => r.startsWith('Data:History')))
        .map((g) => ({ fn, actions: g.actions })),
    );
    expect(onHistory.map((g) => g.fn).sort()).toEqual(['ReviewFn', 'SubmitFn']);
    for (const grant of onHistory)
      expect(grant.actions.filter((a) => REWRITES.includes(a) || a.includes('*'))).toEqual([]);
    // Nor through another resource that names the table: no grant anywhere covers History with a rewrite.
    expect(templates.siteJson).not.toMatch(/"dynamodb:\*"/);
  });

  it('keeps History out of the render stream: the table has no stream, and is retained with PITR', () => {
    const tables = templates.data.findResources('AWS::DynamoDB::Table');
    const history = Object.entries(tables).find(([id]) => id.startsWith('History'));
    expect(history).toBeDefined();
    const props = history?.[1].Properties;
    expect(props.StreamSpecification).toBeUndefined();
    expect(props.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(history?.[1].DeletionPolicy).toBe('Retain');
  });
});

describe('honest names', () => {
  it('does not let the app client write preferred_username, the name printed as 责任编辑', () => {
    const clients = Object.values(templates.site.findResources('AWS::Cognito::UserPoolClient'));
    expect(clients).toHaveLength(1);
    const write = clients[0]?.Properties.WriteAttributes as string[] | undefined;
    // An absent or empty list means every standard attribute is writable, so the list must be there and lack it.
    expect(write?.length).toBeGreaterThan(0);
    expect(write).not.toContain('preferred_username');
    expect(write).not.toContain('name');
  });

  it('creates the editors and chief-editors groups in the user pool', () => {
    const groups = Object.values(templates.data.findResources('AWS::Cognito::UserPoolGroup')).map(
      (g) => g.Properties.GroupName,
    );
    expect(groups.sort()).toEqual(['chief-editors', 'editors']);
  });
});

/** Patterns of credentials that must never be committed or synthesised. */
const SECRET_PATTERNS: [string, RegExp][] = [
  ['AWS access key id', /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/],
  ['AWS secret access key', /aws_?secret_?access_?key["'\s:=]+[A-Za-z0-9/+=]{40}/i],
  ['private key', /-----BEGIN (?:RSA |EC |OPENSSH |DSA |ENCRYPTED )?PRIVATE KEY-----/],
  ['GitHub token', /\bgh[pousr]_[A-Za-z0-9]{36,}\b/],
  ['npm token', /\bnpm_[A-Za-z0-9]{36}\b/],
  ['Slack token', /\bxox[abposr]-[A-Za-z0-9-]{10,}/],
  ['password assignment', /\b(?:password|passwd|secret)["']?\s*[:=]\s*["'][^"'\s]{8,}["']/i],
];

/** Our own source and config: everything tracked outside dependencies, data and generated output. */
function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (['node_modules', '.git', 'cdk.out', '.data', 'screenshots', 'coverage'].includes(name)) continue;
    const file = path.join(dir, name);
    const stat = statSync(file);
    if (stat.isDirectory()) sourceFiles(file, out);
    else if (/\.(ts|js|mjs|json|md|sh|ya?ml)$/.test(name) && stat.size < 2_000_000) out.push(file);
  }
  return out;
}

describe('no secrets', () => {
  it('synthesises templates without credentials in them', () => {
    for (const [name, pattern] of SECRET_PATTERNS) {
      expect(templates.siteJson, name).not.toMatch(pattern);
      expect(templates.dataJson, name).not.toMatch(pattern);
    }
  });

  it('keeps credentials out of the code, config and docs', () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const files = sourceFiles(root).filter((f) => !f.endsWith('package-lock.json'));
    expect(files.length).toBeGreaterThan(50);
    const found: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const [name, pattern] of SECRET_PATTERNS) {
        // This file spells the patterns out.
        if (file === import.meta.filename) continue;
        if (pattern.test(text)) found.push(`${path.relative(root, file)}: ${name}`);
      }
    }
    expect(found).toEqual([]);
  });
});
