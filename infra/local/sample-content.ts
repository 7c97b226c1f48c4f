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

/**
 * Articles with their own bodies, so that the legal and news vocabulary readers search for (民法典, 劳动争议,
 * 信访, 核酸检测 …) has real answers beyond the seed; test/fixtures/search-queries.json is labelled against them.
 */
const OWN_BODIES: readonly { channel: string; source: string; title: string; body: string }[] = [
  {
    channel: 'law/interpretation',
    source: '法治周刊',
    title: '民法典婚姻家庭编司法解释要点解读',
    body: '民法典施行以来，婚姻家庭纠纷的审理规则更加清晰。\n\n## 离婚冷静期\n\n协议离婚设立三十日离婚冷静期，冷静期内任何一方不愿离婚的，可以撤回离婚登记申请。\n\n## 夫妻共同债务\n\n夫妻一方超出家庭日常生活需要所负的债务，债权人能够证明用于夫妻共同生活的，才属于夫妻共同债务。\n\n法官提醒，彩礼返还、抚养费标准等问题，应当结合当地经济水平具体认定。',
  },
  {
    channel: 'law/cases',
    source: '人民法院报',
    title: '劳动争议仲裁开通快速通道',
    body: '劳动人事争议仲裁院近日开通劳动争议快速处理通道，对拖欠农民工工资、工伤待遇等案件优先受理。\n\n## 调解优先\n\n仲裁员先行调解，调解不成的，十五日内开庭审理。今年以来，仲裁院共受理劳动争议案件八百余件，调解结案率超过六成。\n\n律师提示，劳动者主张经济补偿金，应当注意一年的仲裁时效。',
  },
  {
    channel: 'news/society',
    source: '山西日报',
    title: '信访事项网上办理平台上线',
    body: '省信访局建设的网上信访平台正式上线，群众可以通过手机提交信访事项，查询办理进度。\n\n## 件件有回音\n\n平台对信访事项实行登记、交办、督办、回访全流程管理，办理期限届满前自动提醒。\n\n信访部门负责人表示，将坚持和发展新时代“枫桥经验”，把矛盾纠纷化解在基层。',
  },
  {
    channel: 'news/society',
    source: '山西日报',
    title: '隔离酒店管理规范发布',
    body: '市疫情防控指挥部发布集中隔离酒店管理规范，对隔离房间设置、医学观察和垃圾处理提出要求。\n\n## 每日核酸检测\n\n隔离人员每日接受核酸检测，工作人员实行闭环管理。隔离酒店须划分污染区、缓冲区和清洁区。\n\n规范要求，隔离期满且核酸检测结果均为阴性的，方可解除隔离。',
  },
  {
    channel: 'news/politics',
    source: '新华社',
    title: '党员干部下沉社区参与疫情防控',
    body: '全市三千余名党员干部下沉社区，协助开展核酸检测、人员排查和物资配送。\n\n## 网格化管理\n\n党员干部与社区网格员结对，分包楼栋，挨家挨户登记信息。\n\n市委组织部表示，将把党员干部在疫情防控一线的表现作为考核的重要依据。',
  },
  {
    channel: 'law/cases',
    source: '人民法院报',
    title: '电信网络诈骗犯罪典型案例发布',
    body: '省高级人民法院发布十起电信网络诈骗犯罪典型案例，涉及刷单返利、冒充客服和虚假投资理财。\n\n## 帮信罪\n\n出租、出售银行卡和电话卡，为电信网络诈骗提供帮助的，可能构成帮助信息网络犯罪活动罪，即“帮信罪”。\n\n法官提醒，不要轻信陌生来电，切勿向陌生账户转账。',
  },
  {
    channel: 'law/interpretation',
    source: '法治周刊',
    title: '未成年人保护法实施中的家庭监护责任',
    body: '修订后的未成年人保护法明确了父母或者其他监护人的监护职责。\n\n## 强制亲职教育\n\n对于未依法履行监护职责的父母，人民法院可以责令其接受家庭教育指导。\n\n专家认为，家庭、学校、社会、网络、政府、司法六大保护协同发力，才能为未成年人健康成长保驾护航。',
  },
  {
    channel: 'focus/public-welfare',
    source: '法治周刊',
    title: '检察公益诉讼守护黄河生态',
    body: '沿黄各级检察院办理黄河流域生态环境和资源保护公益诉讼案件三百余件。\n\n## 非法采砂\n\n针对河道非法采砂、违规排污等问题，检察机关发出诉前检察建议，督促行政机关依法履职。\n\n环保志愿者表示，检察公益诉讼让黄河水更清了。',
  },
  {
    channel: 'news/politics',
    source: '新华社',
    title: '扫黑除恶斗争常态化推进',
    body: '全省政法机关推进扫黑除恶斗争常态化，依法严惩黑恶势力犯罪和“保护伞”。\n\n## 行业整治\n\n围绕工程建设、交通运输和自然资源等重点行业开展整治，清理行业乱象。\n\n政法委负责人表示，要把扫黑除恶同基层治理结合起来，巩固斗争成果。',
  },
  {
    channel: 'opinion',
    source: '',
    title: '让每一起信访诉求都有着落',
    body: '信访是群众表达诉求的重要渠道。对待信访群众，要多一些耐心，少一些推诿。\n\n依法分类处理信访诉求，涉法涉诉的导入司法程序，属于行政争议的通过行政复议解决。\n\n只有把群众的合理诉求解决好，才能真正实现案结事了、息诉罢访。',
  },
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
  for (const own of OWN_BODIES) {
    n++;
    // April 2022, the days before the seed, and one in 2021 so that the year filter has two years.
    const published =
      n % 5 === 0
        ? new Date(Date.UTC(2021, 10, 1 + (n % 28), 2 + (n % 9), (n * 11) % 60, 0))
        : new Date(Date.UTC(2022, 3, 1 + (n % 13), 1 + ((n * 5) % 11), (n * 13) % 60, (n * 29) % 60));
    const iso = published.toISOString().replace('.000Z', 'Z');
    samples.push({
      article: {
        id: idFor(n),
        status: 'published',
        title: own.title,
        body: own.body,
        author: AUTHORS[n % AUTHORS.length] ?? '',
        source: own.source,
        channel: own.channel,
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
  return samples;
}
