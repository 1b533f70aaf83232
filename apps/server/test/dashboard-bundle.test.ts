import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureDashboardBuilt, webBuild } from './browser-harness';

const limitBytes = 150 * 1024;

beforeAll(async () => {
  await ensureDashboardBuilt();
}, 120_000);

describe('dashboard bundle', () => {
  it('ships at most 150 KB of JavaScript and CSS, gzipped, and loads nothing from elsewhere', () => {
    const assets = readdirSync(`${webBuild}/assets`).filter((name) => /\.(js|css)$/.test(name));
    expect(assets.some((name) => name.endsWith('.js'))).toBe(true);
    expect(assets.some((name) => name.endsWith('.css'))).toBe(true);
    const gzipped = assets.reduce(
      (total, name) => total + gzipSync(readFileSync(`${webBuild}/assets/${name}`), { level: 9 }).length,
      0,
    );
    console.log(`dashboard bundle: ${(gzipped / 1024).toFixed(1)} KB gzipped in ${assets.length} files`);
    expect(gzipped).toBeLessThanOrEqual(limitBytes);
    for (const page of ['index.html', 'chat.html']) {
      const html = readFileSync(`${webBuild}/${page}`, 'utf8');
      expect(html, page).not.toMatch(/(src|href)="(https?:)?\/\//);
      // Only external module scripts: the Content-Security-Policy allows no inline script.
      expect(html.match(/<script[^>]*>[^<]+<\/script>/), page).toBeNull();
    }
  });
});
