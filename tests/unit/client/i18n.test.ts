// The two languages of the UI say the same things: every message in Chinese has its English, and
// the other way round, with the same placeholders ({n}, {name}, …); and every key a page names is one.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import zhCN from '../../../client/src/i18n/zh-CN';
import en from '../../../client/src/i18n/en';

function messages(o: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof o === 'string') out.set(prefix, o);
  else if (o && typeof o === 'object')
    for (const [k, v] of Object.entries(o))
      for (const [kk, vv] of messages(v, prefix ? `${prefix}.${k}` : k)) out.set(kk, vv);
  return out;
}
/** The names a message takes, each once: a language may name a thing once where another repeats it. */
const placeholders = (m: string) => [...new Set([...m.matchAll(/\{(\w+)\}/g)].map((x) => x[1]))].sort();

describe('UI messages', () => {
  const zh = messages(zhCN);
  const english = messages(en);

  it('have the same keys in zh-CN and en', () => {
    expect([...english.keys()].filter((k) => !zh.has(k))).toEqual([]);
    expect([...zh.keys()].filter((k) => !english.has(k))).toEqual([]);
  });

  it('take the same placeholders in both', () => {
    const differ = [...zh]
      .filter(([k, m]) => english.has(k) && placeholders(m).join() !== placeholders(english.get(k)!).join())
      .map(([k]) => k);
    expect(differ).toEqual([]);
  });
});

// Every key the pages name literally (t('…'), te('…'), $t('…')) is a message: a missing one shows
// its key ("desk.form.cancel") on the page, in both languages alike, which the test above misses.
describe('the keys the pages use', () => {
  const zh = messages(zhCN);
  const root = path.resolve(import.meta.dirname, '../../../client/src');
  const files = fs
    .readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(vue|ts)$/.test(f) && !f.includes('i18n'));

  it('are all messages', () => {
    const used = new Map<string, string>();
    for (const f of files) {
      const text = fs.readFileSync(path.join(root, f), 'utf8');
      for (const m of text.matchAll(/(?<![\w.])\$?te?\(\s*'([a-zA-Z][\w-]*(?:\.[\w-]+)+)'/g))
        used.set(m[1]!, f);
    }
    expect(used.size).toBeGreaterThan(100);
    expect([...used].filter(([k]) => !zh.has(k)).map(([k, f]) => `${k} (${f})`)).toEqual([]);
  });
});
