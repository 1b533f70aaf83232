// Compares two V8 heap snapshots (the memory soak writes them with NGB_SOAK_SNAPSHOT_DIR set):
// `node scripts/heap-diff.mjs before.heapsnapshot after.heapsnapshot [top]` prints the constructors
// whose live object count and self size grew the most between the two.
import { readFileSync } from 'node:fs';

function countByConstructor(file) {
  const snapshot = JSON.parse(readFileSync(file, 'utf8'));
  const { node_fields: fields, node_types: types } = snapshot.snapshot.meta;
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const typeNames = types[typeAt];
  const counts = new Map();
  for (let offset = 0; offset < snapshot.nodes.length; offset += width) {
    const type = typeNames[snapshot.nodes[offset + typeAt]];
    const name = type === 'object' || type === 'closure' ? snapshot.strings[snapshot.nodes[offset + nameAt]] : `(${type})`;
    const entry = counts.get(name) ?? { count: 0, bytes: 0 };
    entry.count += 1;
    entry.bytes += snapshot.nodes[offset + sizeAt];
    counts.set(name, entry);
  }
  return counts;
}

const [beforeFile, afterFile, topText = '25'] = process.argv.slice(2);
if (!beforeFile || !afterFile) {
  console.error('usage: node scripts/heap-diff.mjs <before.heapsnapshot> <after.heapsnapshot> [top]');
  process.exit(1);
}
const before = countByConstructor(beforeFile);
const after = countByConstructor(afterFile);
const rows = [...after].map(([name, entry]) => {
  const old = before.get(name) ?? { count: 0, bytes: 0 };
  return { name, count: entry.count - old.count, bytes: entry.bytes - old.bytes, now: entry.count };
});
rows.sort((left, right) => right.bytes - left.bytes);
console.log('bytes grown  objects grown  objects now  constructor');
for (const row of rows.slice(0, Number(topText)))
  console.log(
    `${String(row.bytes).padStart(11)}  ${String(row.count).padStart(13)}  ${String(row.now).padStart(11)}  ${row.name}`,
  );
