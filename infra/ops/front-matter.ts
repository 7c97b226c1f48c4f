// Front matter for imported Markdown: a `---` block of flat `key: value` lines, as CMS exports write them.
// Values may be quoted ('…' or "…"); numbers stay strings here and are checked by the importer.

export type FrontMatterResult =
  | { readonly ok: true; readonly data: Record<string, string>; readonly body: string }
  | { readonly ok: false; readonly error: string };

export function parseFrontMatter(text: string): FrontMatterResult {
  const source = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (!source.startsWith('---\n'))
    return { ok: false, error: 'no front matter (the file must start with a --- line)' };
  const end = source.indexOf('\n---', 4);
  if (end < 0) return { ok: false, error: 'front matter is not closed by a --- line' };
  const data: Record<string, string> = {};
  const lines = source.slice(4, end).split('\n');
  for (const [i, raw] of lines.entries()) {
    const line = raw.trimEnd();
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const match = /^([A-Za-z][\w-]*):\s*(.*)$/.exec(line);
    if (!match)
      return { ok: false, error: `front matter line ${i + 2} is not "key: value": ${line.slice(0, 60)}` };
    const [, key = '', rawValue = ''] = match;
    let value = rawValue.trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.length >= 2 && value.endsWith(quote)) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\"/g, '"').replace(/\\\\/g, '\\');
      else value = value.replace(/''/g, "'");
    } else if (quote === '"' || quote === "'") {
      return { ok: false, error: `front matter line ${i + 2}: unterminated quote` };
    }
    if (key in data) return { ok: false, error: `front matter key "${key}" appears twice` };
    data[key] = value;
  }
  const afterClose = source.indexOf('\n', end + 4);
  const body = afterClose < 0 ? '' : source.slice(afterClose + 1);
  return { ok: true, data, body: body.replace(/^\n+/, '') };
}
