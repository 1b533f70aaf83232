import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const Database = createRequire(import.meta.resolve('@ngb/store'))('better-sqlite3');
const probe = new Database(':memory:');
const proto = Object.getPrototypeOf(probe.prepare('select 1'));
const stats = new Map();
for (const method of ['run', 'get', 'all', 'iterate']) {
  const original = proto[method];
  proto[method] = function (...args) {
    const t = performance.now();
    try {
      return original.apply(this, args);
    } finally {
      const key = `${method} ${this.source.replace(/\s+/g, ' ').slice(0, 140)}`;
      const s = stats.get(key) ?? { n: 0, ms: 0 };
      s.n++;
      s.ms += performance.now() - t;
      stats.set(key, s);
    }
  };
}
const execOriginal = Database.prototype.exec;
Database.prototype.exec = function (sql) {
  const t = performance.now();
  try {
    return execOriginal.call(this, sql);
  } finally {
    const key = `exec ${sql.replace(/\s+/g, ' ').slice(0, 100)}`;
    const s = stats.get(key) ?? { n: 0, ms: 0 };
    s.n++;
    s.ms += performance.now() - t;
    stats.set(key, s);
  }
};
process.on('exit', () => {
  for (const [k, v] of [...stats].sort((a, b) => b[1].ms - a[1].ms).slice(0, 30))
    console.log(v.ms.toFixed(0).padStart(6), String(v.n).padStart(6), k);
});
await import('./_ovh.mjs');
