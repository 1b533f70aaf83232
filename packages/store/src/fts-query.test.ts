import { hostileSearchTexts } from '@ngb/plugin-sdk/testing/contracts';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { toFtsMatchQuery } from './fts-query';

const database = new Database(':memory:');
database.exec("CREATE VIRTUAL TABLE docs USING fts5 (text, tokenize = 'unicode61 remove_diacritics 2')");
database.prepare('INSERT INTO docs (text) VALUES (?)').run('rock and roll near the text');
const match = database.prepare('SELECT rowid FROM docs WHERE docs MATCH ?');
afterAll(() => database.close());

describe('toFtsMatchQuery', () => {
  it.each([
    ['hello', '"hello"'],
    ['Hello, World!', '"Hello" "World"'],
    ['"quoted phrase"', '"quoted" "phrase"'],
    ['rock AND roll', '"rock" "AND" "roll"'],
    ['NEAR(a b, 2)', '"NEAR" "a" "b" "2"'],
    ['text:rock', '"text" "rock"'],
    ['roc*', '"roc"'],
    ['-x +y ^z', '"x" "y" "z"'],
    ['café crème', '"café" "crème"'],
    ['naïve', '"naïve"'],
    ['数据库 搜索', '"数据库" "搜索"'],
    ['emoji \u{1F600} ok', '"emoji" "ok"'],
    ["it's", '"it" "s"'],
  ])('turns %j into %s', (text, expected) => {
    expect(toFtsMatchQuery(text)).toBe(expected);
  });

  it.each(['', '   ', '!!!', '"', '()', '*', ':', '\u{1F600}', '-- ;'])('gives undefined for %j (no words)', (text) => {
    expect(toFtsMatchQuery(text)).toBeUndefined();
  });

  it('keeps at most 32 words', () => {
    expect(toFtsMatchQuery('word '.repeat(100))?.split(' ')).toHaveLength(32);
  });

  it('decomposed accents match their composed form', () => {
    expect(toFtsMatchQuery('cafe\u0301')).toBe('"café"');
  });

  it.each(hostileSearchTexts)('makes %j safe for MATCH', (text) => {
    const query = toFtsMatchQuery(text);
    if (query === undefined) return;
    expect(() => match.all(query)).not.toThrow();
  });

  it('is needed: many of the same texts are MATCH syntax errors when passed raw', () => {
    const failingRaw = hostileSearchTexts.filter((text) => {
      try {
        match.all(text);
        return false;
      } catch {
        return true;
      }
    });
    expect(failingRaw.length).toBeGreaterThan(15);
  });
});
