// The 常用语 page's draft: what it would save, and what it says is wrong before anything is sent,
// the same things the server refuses (tests/integration/server/phrases.test.ts).
import { describe, expect, it } from 'vitest';
import { draftOf, hasProblems, isChanged, phrasesOf, problemsOf } from '../../../client/src/lib/phrase-edit';
import { parsePhrases } from '../../../server/county/phrases';

describe('the 常用语 draft', () => {
  it('saves the kinds on their own words, trimmed, and leaves the built-in ones out', () => {
    const d = draftOf({ return: ['非本镇辖区'] });
    expect(d.return).toEqual({ own: true, words: ['非本镇辖区'] });
    expect(d.escalate).toEqual({ own: false, words: [] });
    d.escalate = { own: true, words: ['  请今日内到场 '] };
    d.return.own = false; // back to the built-in words: the list is kept only to switch back
    expect(phrasesOf(d)).toEqual({ escalate: ['请今日内到场'] });
  });

  it('tells a change from the words saved, not from spaces or a list only kept to switch back', () => {
    const saved = { return: ['非本镇辖区'] };
    const d = draftOf(saved);
    expect(isChanged(d, saved)).toBe(false);
    d.return.words[0] = ' 非本镇辖区 ';
    expect(isChanged(d, saved)).toBe(false);
    d.return.words.push('请核实');
    expect(isChanged(d, saved)).toBe(true);
    d.return.words.pop();
    d.escalate.words = ['请今日内到场'];
    expect(isChanged(d, saved)).toBe(false);
    d.return.own = false;
    expect(isChanged(d, saved)).toBe(true);
  });

  it('finds what the server would refuse: blank, too long, the same twice, none or more than eight', () => {
    const d = draftOf({});
    d.return = { own: true, words: ['请核实', '', '整'.repeat(501), ' 请核实\u3000'] };
    d.reject = { own: true, words: [] };
    d.escalate = { own: true, words: Array.from({ length: 9 }, (_, i) => `理由${i}`) };
    d.verify_fail = { own: false, words: [''] }; // on the built-in words: not checked
    const p = problemsOf(d);
    expect(p.return).toEqual({ words: { 1: 'required', 2: 'tooLong', 3: 'duplicate' } });
    expect(p.reject).toEqual({ words: {}, list: 'empty' });
    expect(p.escalate).toEqual({ words: {}, list: 'tooMany' });
    expect(p.verify_fail).toEqual({ words: {} });
    expect(hasProblems(p)).toBe(true);
    // Each of those, alone, the server refuses too.
    for (const words of [
      ['请核实', ''],
      ['整'.repeat(501)],
      ['请核实', ' 请核实\u3000'],
      [],
      d.escalate.words,
    ])
      expect(() => parsePhrases({ return: words }, 'x'), JSON.stringify(words).slice(0, 40)).toThrow();

    const ok = draftOf({ return: ['请核实', '非本镇辖区'] });
    expect(hasProblems(problemsOf(ok))).toBe(false);
    expect(parsePhrases(phrasesOf(ok), 'x')).toEqual(phrasesOf(ok));
  });
});
