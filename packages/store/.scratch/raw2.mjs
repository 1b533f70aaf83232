import Database from 'better-sqlite3';
function trial(label, { fts = true, ckpt = 1000, batch = 64, sync = 'NORMAL' } = {}) {
  const db = new Database(`/tmp/ngbs/raw2-${Math.random()}.db`);
  db.pragma('journal_mode = WAL'); db.pragma(`synchronous = ${sync}`); db.pragma(`wal_autocheckpoint = ${ckpt}`);
  db.exec(`CREATE TABLE messages (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, chat_id TEXT NOT NULL, pid TEXT NOT NULL, text TEXT NOT NULL, ts INTEGER, UNIQUE(chat_id, pid));
  CREATE INDEX m_ct ON messages(chat_id, ts);
  CREATE TABLE inbox (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, message_id TEXT, processed INTEGER);`);
  if (fts) db.exec(`CREATE VIRTUAL TABLE messages_fts USING fts5 (text, content = 'messages', content_rowid = 'seq');
  CREATE TRIGGER mi AFTER INSERT ON messages BEGIN INSERT INTO messages_fts (rowid, text) VALUES (new.seq, new.text); END;`);
  const ins = db.prepare('INSERT INTO messages (id, chat_id, pid, text, ts) VALUES (?, ?, ?, ?, ?) RETURNING *');
  const inb = db.prepare('INSERT INTO inbox (id, message_id) VALUES (?, ?) RETURNING *');
  const n = 20000;
  const t = performance.now();
  let commitTime = 0;
  for (let i = 0; i < n; i += batch) {
    db.exec('BEGIN IMMEDIATE');
    for (let j = i; j < i + batch && j < n; j++) { const r = ins.all(crypto.randomUUID(), 'c', 'a' + j, 'message number ' + j + ' about things', j); inb.all(crypto.randomUUID(), r[0].id); }
    const c = performance.now(); db.exec('COMMIT'); commitTime += performance.now() - c;
  }
  const total = performance.now() - t;
  console.log(label, Math.round(n / (total / 1000)), '/s; commit share', (commitTime / total * 100).toFixed(0) + '%');
}
trial('default b64');
trial('no fts b64', { fts: false });
trial('ckpt 10000 b64', { ckpt: 10000 });
trial('sync OFF b64', { sync: 'OFF' });
trial('default b1', { batch: 1 });
trial('default b8', { batch: 8 });
trial('default b512', { batch: 512 });
