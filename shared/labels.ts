// Every piece of interface text, per locale. Templates never hard-code a label.
import type { Locale } from './site-config.ts';

export interface Labels {
  readonly home: string;
  readonly submit: string;
  readonly publishedAt: string;
  readonly source: string;
  readonly author: string;
  readonly views: string;
  readonly editor: string;
  readonly articleSource: string;
  readonly gallery: string;
  /** Gallery full-size view: `{n}` of `{total}`, the links around it. */
  readonly photoOf: string;
  readonly photoPrevious: string;
  readonly photoNext: string;
  readonly photoClose: string;
  readonly photoOriginal: string;
  readonly previous: string;
  readonly next: string;
  readonly none: string;
  readonly breadcrumb: string;
  readonly latest: string;
  readonly more: string;
  readonly page: string;
  readonly newerPage: string;
  readonly olderPage: string;
  /** A numbered archive page of before (`/focus/page/3.html`) sends readers on: “moved to <link>”. */
  readonly movedTo: string;
  readonly notFoundTitle: string;
  readonly notFoundBody: string;
  readonly feed: string;
  readonly skipToContent: string;
  /** 点击排行: the most-read box on home and channel pages, its two windows, and its empty state. */
  readonly hot: string;
  readonly hot24h: string;
  readonly hot7d: string;
  readonly hotEmpty: string;
  readonly editorDesk: string;
  /** 更新时间: when a published article's text last changed. */
  readonly modifiedAt: string;
  /** 更正: the box of public corrections on an article page. */
  readonly correction: string;
  /** 站内搜索: the header box, the /search/ page, its filters and the states its script shows. */
  readonly search: string;
  readonly searchTitle: string;
  readonly searchPlaceholder: string;
  readonly searchChannel: string;
  readonly searchYear: string;
  readonly searchAll: string;
  /** The year filter's default: only the newest parts of the index (shared/search/split-index.ts, SEARCH_RECENT_PARTS). */
  readonly searchRecent: string;
  /** The year filter's `all`: every part. */
  readonly searchAllYears: string;
  /** `{n}` results for `{q}`. */
  readonly searchFound: string;
  readonly searchNone: string;
  /** The same, when only the recent parts were searched and older ones exist. */
  readonly searchFoundRecent: string;
  readonly searchNoneRecent: string;
  /** The control that searches the older parts too. */
  readonly searchOlder: string;
  readonly searchPrompt: string;
  readonly searchLoading: string;
  readonly searchMore: string;
  readonly searchFailed: string;
  readonly searchNeedsScript: string;
}

export const labels: Record<Locale, Labels> = {
  'zh-CN': {
    home: '首页',
    submit: '投稿',
    publishedAt: '发布时间',
    source: '来源',
    author: '作者',
    views: '点击量',
    editor: '责任编辑',
    articleSource: '文章来源',
    gallery: '高清组图',
    photoOf: '第 {n} 张,共 {total} 张',
    photoPrevious: '上一张',
    photoNext: '下一张',
    photoClose: '返回组图',
    photoOriginal: '查看原图',
    previous: '上一篇',
    next: '下一篇',
    none: '没有了',
    breadcrumb: '当前位置',
    latest: '最新文章',
    more: '更多',
    page: '第 {n} 页',
    newerPage: '较新',
    olderPage: '较早',
    movedTo: '本页已移至:',
    notFoundTitle: '页面不存在',
    notFoundBody: '您访问的页面不存在或已被删除。',
    feed: '订阅',
    skipToContent: '跳到正文',
    hot: '点击排行',
    hot24h: '24 小时',
    hot7d: '7 天',
    hotEmpty: '暂无',
    editorDesk: '编辑台',
    modifiedAt: '更新时间',
    correction: '更正',
    search: '搜索',
    searchTitle: '站内搜索',
    searchPlaceholder: '搜索文章',
    searchChannel: '栏目',
    searchYear: '年份',
    searchAll: '全部',
    searchRecent: '最近的文章',
    searchAllYears: '全部年份',
    searchFound: '找到 {n} 篇与“{q}”相关的文章',
    searchNone: '没有找到与“{q}”相关的文章。',
    searchFoundRecent: '在最近的文章中找到 {n} 篇与“{q}”相关的文章',
    searchNoneRecent: '最近的文章中没有与“{q}”相关的文章。',
    searchOlder: '搜索更早的文章',
    searchPrompt: '请输入要搜索的词语。',
    searchLoading: '正在搜索…',
    searchMore: '显示更多结果',
    searchFailed: '搜索暂时不可用，请稍后再试。',
    searchNeedsScript: '站内搜索需要启用 JavaScript。',
  },
  en: {
    home: 'Home',
    submit: 'Submit',
    publishedAt: 'Published',
    source: 'Source',
    author: 'Author',
    views: 'Views',
    editor: 'Editor',
    articleSource: 'Source',
    gallery: 'Photo gallery',
    photoOf: 'Photo {n} of {total}',
    photoPrevious: 'Previous photo',
    photoNext: 'Next photo',
    photoClose: 'Back to the gallery',
    photoOriginal: 'Full size',
    previous: 'Previous',
    next: 'Next',
    none: 'None',
    breadcrumb: 'You are here',
    latest: 'Latest',
    more: 'More',
    page: 'Page {n}',
    newerPage: 'Newer',
    olderPage: 'Older',
    movedTo: 'This page has moved to: ',
    notFoundTitle: 'Page not found',
    notFoundBody: 'The page you asked for does not exist or has been removed.',
    feed: 'Feed',
    skipToContent: 'Skip to content',
    hot: 'Most read',
    hot24h: '24 hours',
    hot7d: '7 days',
    hotEmpty: 'Nothing yet',
    editorDesk: 'Editor desk',
    modifiedAt: 'Updated',
    correction: 'Correction',
    search: 'Search',
    searchTitle: 'Search this site',
    searchPlaceholder: 'Search articles',
    searchChannel: 'Channel',
    searchYear: 'Year',
    searchAll: 'All',
    searchRecent: 'Recent articles',
    searchAllYears: 'All years',
    searchFound: '{n} articles found for “{q}”',
    searchNone: 'No articles found for “{q}”.',
    searchFoundRecent: '{n} recent articles found for “{q}”',
    searchNoneRecent: 'No recent articles found for “{q}”.',
    searchOlder: 'Search older articles',
    searchPrompt: 'Type the words to search for.',
    searchLoading: 'Searching…',
    searchMore: 'Show more results',
    searchFailed: 'Search is unavailable right now; please try again later.',
    searchNeedsScript: 'Search needs JavaScript.',
  },
};
