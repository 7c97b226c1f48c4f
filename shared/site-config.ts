// The site's editorial configuration: ops edit this one file to rename the site, change channels or labels.
// Everything that renders or validates a channel, a label or the copyright text reads it from here.

import type { SignOff } from './domain/roles.ts';

export type Locale = 'zh-CN' | 'en';

export interface ChannelConfig {
  /** URL segment, lower-case ASCII. The full path is the parent's path plus this slug. */
  readonly slug: string;
  /** Display name per locale; zh-CN is required. */
  readonly name: { readonly 'zh-CN': string; readonly en?: string };
  readonly children?: readonly ChannelConfig[];
}

export interface SiteConfig {
  readonly name: { readonly 'zh-CN': string; readonly en: string };
  readonly description: { readonly 'zh-CN': string; readonly en: string };
  readonly defaultLocale: Locale;
  /** IANA time zone used for every date shown on the site. */
  readonly timeZone: string;
  /** Articles per channel list page. */
  readonly pageSize: number;
  /**
   * Days after its last change that a submission nobody published is deleted (DynamoDB TTL), so a flood of
   * submissions cannot grow the table forever. Published and unpublished articles never expire.
   */
  readonly retentionDays: { readonly pending: number; readonly rejected: number };
  readonly channels: readonly ChannelConfig[];
  /**
   * `single`: any editor publishes. `two-step`: an editor approves (初审) and a chief editor who did not write the
   * last edit publishes (终审). The review function's SIGN_OFF variable overrides it for one deployment or test.
   */
  readonly signOff: SignOff;
  /** Copyright notice paragraphs, shown in every article footer. */
  readonly copyright: {
    readonly title: Record<Locale, string>;
    readonly lines: Record<Locale, readonly string[]>;
  };
}

export const siteConfig: SiteConfig = {
  name: { 'zh-CN': '法治周刊新媒体', en: 'Rule of Law Weekly' },
  description: {
    'zh-CN': '法治周刊新媒体:法治新闻、聚焦、公益与评论。',
    en: 'Rule of Law Weekly: legal news, features, public welfare and opinion.',
  },
  defaultLocale: 'zh-CN',
  timeZone: 'Asia/Shanghai',
  pageSize: 20,
  retentionDays: { pending: 90, rejected: 30 },
  signOff: 'single',
  channels: [
    {
      slug: 'news',
      name: { 'zh-CN': '要闻', en: 'News' },
      children: [
        { slug: 'politics', name: { 'zh-CN': '时政', en: 'Politics' } },
        { slug: 'society', name: { 'zh-CN': '社会', en: 'Society' } },
      ],
    },
    {
      slug: 'focus',
      name: { 'zh-CN': '聚焦', en: 'Focus' },
      children: [
        { slug: 'public-welfare', name: { 'zh-CN': '公益', en: 'Public welfare' } },
        { slug: 'investigation', name: { 'zh-CN': '调查', en: 'Investigation' } },
      ],
    },
    {
      slug: 'law',
      name: { 'zh-CN': '法治', en: 'Rule of law' },
      children: [
        { slug: 'cases', name: { 'zh-CN': '案例', en: 'Cases' } },
        { slug: 'interpretation', name: { 'zh-CN': '释法', en: 'Interpretation' } },
      ],
    },
    { slug: 'opinion', name: { 'zh-CN': '评论', en: 'Opinion' } },
  ],
  copyright: {
    title: { 'zh-CN': '版权声明:', en: 'Copyright notice:' },
    lines: {
      'zh-CN': [
        '凡注明来源为“法治周刊”的所有文字、图片、音视频、美术设计和程序等作品,版权均属法治周刊所有。未经本网书面授权,不得进行一切形式的下载、转载或建立镜像。',
        '凡注明为其它来源的信息,均转载自其它媒体,转载目的在于传递更多信息,并不代表本网赞同其观点和对其真实性负责。',
      ],
      en: [
        'All text, images, audio, video, designs and programs credited to “Rule of Law Weekly” are its copyright. No download, reproduction or mirroring in any form without written permission.',
        'Material credited to other sources is reproduced to share information; it does not imply that this site endorses its views or vouches for its accuracy.',
      ],
    },
  },
};
