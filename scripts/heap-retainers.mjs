// Why objects stay alive: `node scripts/heap-retainers.mjs <file.heapsnapshot> <constructor> [count]`
// prints, for `count` (default 3) of the largest objects whose constructor (or, for strings, whose
// text start) is `<constructor>`, the shortest chain of references that holds it from the GC roots,
// and the count of such objects grouped by the chain's last six steps — what heap-diff.mjs names,
// this says who keeps.
import { readFileSync } from 'node:fs';

const [file, wanted, countText = '3'] = process.argv.slice(2);
if (!file || !wanted) {
  console.error('usage: node scripts/heap-retainers.mjs <file.heapsnapshot> <constructor> [count]');
  process.exit(1);
}
const snapshot = JSON.parse(readFileSync(file, 'utf8'));
const { node_fields: nodeFields, node_types: nodeTypes, edge_fields: edgeFields, edge_types: edgeTypes } = snapshot.snapshot.meta;
const { nodes, edges, strings } = snapshot;
const nodeWidth = nodeFields.length;
const edgeWidth = edgeFields.length;
const nodeCount = nodes.length / nodeWidth;
const at = (name) => nodeFields.indexOf(name);
const typeAt = at('type');
const nameAt = at('name');
const sizeAt = at('self_size');
const edgeCountAt = at('edge_count');
const edgeTypeAt = edgeFields.indexOf('type');
const edgeNameAt = edgeFields.indexOf('name_or_index');
const edgeToAt = edgeFields.indexOf('to_node');
const nodeTypeNames = nodeTypes[typeAt];
const edgeTypeNames = edgeTypes[edgeTypeAt];

const typeOf = (node) => nodeTypeNames[nodes[node * nodeWidth + typeAt]];
const nameOf = (node) => strings[nodes[node * nodeWidth + nameAt]];
const label = (node) => {
  const type = typeOf(node);
  const name = nameOf(node);
  if (type === 'string' || type === 'concatenated string' || type === 'sliced string')
    return `"${name.slice(0, 40).replace(/\n/g, '\\n')}"`;
  return type === 'object' || type === 'closure' ? name : `(${type}) ${name.slice(0, 40)}`;
};

// The first edge of each node; edges of node n are firstEdge[n] .. firstEdge[n + 1].
const firstEdge = new Uint32Array(nodeCount + 1);
for (let node = 0, edge = 0; node < nodeCount; node += 1) {
  firstEdge[node] = edge;
  edge += nodes[node * nodeWidth + edgeCountAt] * edgeWidth;
  firstEdge[node + 1] = edge;
}

// Breadth first from the root (node 0), skipping weak edges: the first parent found is on a shortest path.
const parent = new Int32Array(nodeCount).fill(-1);
const parentEdge = new Int32Array(nodeCount).fill(-1);
parent[0] = 0;
const queue = new Uint32Array(nodeCount);
let head = 0;
let tail = 0;
queue[tail++] = 0;
while (head < tail) {
  const node = queue[head++];
  for (let edge = firstEdge[node]; edge < firstEdge[node + 1]; edge += edgeWidth) {
    if (edgeTypeNames[edges[edge + edgeTypeAt]] === 'weak') continue;
    const to = edges[edge + edgeToAt] / nodeWidth;
    if (parent[to] !== -1) continue;
    parent[to] = node;
    parentEdge[to] = edge;
    queue[tail++] = to;
  }
}

const edgeLabel = (edge) => {
  const type = edgeTypeNames[edges[edge + edgeTypeAt]];
  const name = edges[edge + edgeNameAt];
  return type === 'element' || type === 'hidden' ? `[${name}]` : `.${strings[name]}`;
};
// Grouped by shape: element indexes and string contents differ between objects held the same way.
const shapeOf = (node) => (typeOf(node) === 'object' || typeOf(node) === 'closure' ? nameOf(node) : `(${typeOf(node)})`);
const pathTo = (node, shape = false) => {
  const steps = [];
  for (let current = node; current !== 0 && parent[current] !== -1; current = parent[current]) {
    const edge = edgeLabel(parentEdge[current]);
    steps.unshift(shape ? `${/^\[\d+\]$/.test(edge) ? '[n]' : edge} -> ${shapeOf(current)}` : `${edge} -> ${label(current)}`);
    if (steps.length > 40) break;
  }
  return steps;
};

const matches = [];
for (let node = 0; node < nodeCount; node += 1) {
  const name = nameOf(node);
  const type = typeOf(node);
  const isString = type === 'string' || type === 'concatenated string' || type === 'sliced string';
  if ((isString && name.startsWith(wanted)) || (!isString && name === wanted)) matches.push(node);
}
const reachable = matches.filter((node) => parent[node] !== -1);
console.log(`${matches.length} objects named ${wanted}, ${reachable.length} reachable`);
const groups = new Map();
for (const node of reachable) {
  const key = pathTo(node, true).slice(-6).join('\n    ');
  groups.set(key, (groups.get(key) ?? 0) + 1);
}
for (const [key, count] of [...groups].sort((left, right) => right[1] - left[1]).slice(0, 8))
  console.log(`\n${count} held by ...\n    ${key}`);
reachable.sort((left, right) => nodes[right * nodeWidth + sizeAt] - nodes[left * nodeWidth + sizeAt]);
for (const node of reachable.slice(0, Number(countText))) {
  console.log(`\n${label(node)} (${nodes[node * nodeWidth + sizeAt]} bytes), from the roots:`);
  for (const step of pathTo(node)) console.log(`  ${step}`);
}
