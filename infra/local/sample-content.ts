// Sample content for a fresh local site: the seed article as published on the original site, plus enough
// realistic articles across channels to show list pages and pagination. Deterministic: same ids every time.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Article } from '../../shared/domain/article.ts';

export const SEED_ARTICLE_ID = '2a8c6bce1fad40bb';

interface SeedFile {
  title: string;
  channel: string;
  author: string;
  source: string;
  editor: string;
  publishedAt: string;
  views: number;
  body: string;
}

const seed = JSON.parse(
  readFileSync(new URL('./sample/seed-article.json', import.meta.url), 'utf8'),
) as SeedFile;

export interface SampleArticle {
  readonly article: Article;
  readonly views: number;
}

const idFor = (n: number) => createHash('sha256').update(`sample-${n}`).digest('hex').slice(0, 16);

const TOPICS: readonly { channel: string; titles: readonly string[]; source: string }[] = [
  {
    channel: 'focus/public-welfare',
    source: '法治周刊',
    titles: [
      '志愿者服务队走进社区开展普法宣传',
      '爱心企业捐赠防疫物资助力一线',
      '公益律师团队为农民工讨薪',
      '“法律明白人”培训覆盖全部行政村',
      '青少年法治教育基地正式揭牌',
      '助残公益项目帮助百余家庭',
      '社区调解室化解邻里纠纷',
      '环保公益诉讼守护汾河水质',
      '老年人防诈骗讲座走进养老院',
      '公益基金会设立法律援助专项',
      '大学生志愿者开展暑期支教',
      '退役军人志愿服务站挂牌成立',
      '无偿献血活动吸引市民踊跃参与',
      '残疾人就业帮扶计划启动',
      '社区食堂为独居老人送餐上门',
      '公益组织开展留守儿童心理关爱',
      '义务植树活动绿化荒山百亩',
      '慈善超市开业惠及困难群众',
      '法律援助中心推出线上预约服务',
      '儿童安全教育进校园活动举行',
      '公益讲堂聚焦家庭教育促进法',
      '爱心驿站为户外劳动者提供便利',
      '妇女儿童维权服务站实现全覆盖',
    ],
  },
  {
    channel: 'focus/investigation',
    source: '法治周刊',
    titles: ['多地整治违规收费乱象调查', '校外培训退费难问题追踪', '预付卡消费维权困境调查'],
  },
  {
    channel: 'news/politics',
    source: '新华社',
    titles: ['全省政法工作会议召开', '优化营商环境条例正式施行', '基层治理现代化建设推进会举行'],
  },
  {
    channel: 'news/society',
    source: '山西日报',
    titles: ['太原地铁二号线客流创新高', '城市更新改造老旧小区百余个', '春季校园食品安全检查启动'],
  },
  {
    channel: 'law/cases',
    source: '人民法院报',
    titles: ['一起合同纠纷案的调解始末', '网络侵权案件判决明确平台责任', '劳动争议案件中的加班费认定'],
  },
  {
    channel: 'law/interpretation',
    source: '法治周刊',
    titles: ['民法典中的居住权如何设立', '个人信息保护法十问十答'],
  },
  { channel: 'opinion', source: '', titles: ['让法治成为社会共识', '以制度创新回应民生关切'] },
];

const AUTHORS = ['王敏', '李强', '张华', '赵磊', '', '刘洋', '陈静'];
const EDITORS = ['admin', '张编辑', '李编辑'];

/** A body that exercises the renderer: paragraphs, a subheading, a quote, a list and a link. */
function sampleBody(title: string, n: number): string {
  const paragraphs = seed.body.split('\n\n').filter((p) => p && !p.startsWith('## '));
  const pick = (i: number) => paragraphs[(n * 3 + i) % paragraphs.length] ?? '';
  return [
    `${title}。${pick(0)}`,
    '## 基本情况',
    pick(1),
    `> ${pick(2).slice(0, 60)}`,
    '## 工作举措',
    '- 加强组织领导,压实工作责任;\n- 完善制度机制,强化协同配合;\n- 注重宣传引导,营造良好氛围。',
    pick(3),
    `更多信息请访问[法治周刊](https://example.org/fzzk/${n}),或拨打热线电话咨询。`,
  ].join('\n\n');
}

export function sampleArticles(): SampleArticle[] {
  const seedArticle: Article = {
    id: SEED_ARTICLE_ID,
    status: 'published',
    title: seed.title,
    body: seed.body,
    author: seed.author,
    source: seed.source,
    channel: seed.channel,
    summary: '',
    submittedAt: seed.publishedAt,
    updatedAt: seed.publishedAt,
    publishedAt: seed.publishedAt,
    editor: seed.editor,
    revision: 1,
  };
  const samples: SampleArticle[] = [{ article: seedArticle, views: seed.views }];
  let n = 0;
  for (const topic of TOPICS) {
    for (const title of topic.titles) {
      n++;
      // Spread over March and early April 2022, before the seed, at varied times of day (Asia/Shanghai).
      const day = 1 + ((n * 7) % 44);
      const published = new Date(Date.UTC(2022, 2, day, 1 + ((n * 5) % 11), (n * 13) % 60, (n * 29) % 60));
      const iso = published.toISOString().replace('.000Z', 'Z');
      samples.push({
        article: {
          id: idFor(n),
          status: 'published',
          title,
          body: sampleBody(title, n),
          author: AUTHORS[n % AUTHORS.length] ?? '',
          source: topic.source,
          channel: topic.channel,
          summary: '',
          submittedAt: iso,
          updatedAt: iso,
          publishedAt: iso,
          editor: EDITORS[n % EDITORS.length] ?? 'admin',
          revision: 1,
        },
        views: (n * 37) % 500,
      });
    }
  }
  return samples;
}
