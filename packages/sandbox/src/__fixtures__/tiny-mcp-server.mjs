// A tiny stdio MCP server for tests: newline-delimited JSON-RPC, no SDK. It answers `initialize`,
// `tools/list` and `tools/call`; its behaviour is chosen by its arguments:
//   (none)              answers normally
//   --silent            reads its input and never answers
//   --exit-at-start     writes a line to stderr and exits with code 2
//   --huge-description  lists `add` with a 1 MB description and an oversized input schema
import process from 'node:process';

const mode = process.argv[2] ?? '';
if (mode === '--exit-at-start') {
  process.stderr.write('tiny: cannot open its database\n');
  process.exit(2);
}

const tools = [
  {
    name: 'add',
    description: mode === '--huge-description' ? 'A'.repeat(1024 * 1024) : 'Adds two numbers.',
    inputSchema:
      mode === '--huge-description'
        ? { type: 'object', properties: Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`p${i}`, { type: 'number' }])) }
        : { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
  },
  { name: 'fail', description: 'Always fails.', inputSchema: { type: 'object' } },
  { name: 'die', description: 'Exits while it is being called.', inputSchema: { type: 'object' } },
  { name: 'picture', description: 'Returns an image and a long text.', inputSchema: { type: 'object' } },
  { name: 'whoami', description: 'Says where it runs.', inputSchema: { type: 'object' } },
  { name: 'dotted.name', description: 'A name providers refuse.', inputSchema: { type: 'object' } },
  { name: 'hang', description: 'Never answers.', inputSchema: { type: 'object' } },
];

const send = (message) => process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);

function call(name, args) {
  switch (name) {
    case 'add':
      return { content: [{ type: 'text', text: `sum: ${Number(args.a) + Number(args.b)}` }] };
    case 'fail':
      return { content: [{ type: 'text', text: 'tiny refuses: the answer is no' }], isError: true };
    case 'die':
      process.stderr.write('tiny: dying on purpose\n');
      process.exit(3);
      break;
    case 'picture':
      return {
        content: [
          { type: 'image', data: Buffer.alloc(300_000, 1).toString('base64'), mimeType: 'image/png' },
          { type: 'text', text: 'x'.repeat(500_000) },
        ],
      };
    case 'whoami':
      return {
        content: [
          {
            type: 'text',
            text: JSON.stringify({ cwd: process.cwd(), pid: process.pid, uid: process.getuid?.(), mode: process.env.TINY_MODE ?? null }),
          },
        ],
      };
    case 'dotted.name':
      return { content: [{ type: 'text', text: 'dotted answered' }] };
    case 'hang':
      return null;
    default:
      return undefined;
  }
}

let buffered = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buffered += chunk;
  for (let newline = buffered.indexOf('\n'); newline !== -1; newline = buffered.indexOf('\n')) {
    const line = buffered.slice(0, newline);
    buffered = buffered.slice(newline + 1);
    if (line.trim() === '' || mode === '--silent') continue;
    const message = JSON.parse(line);
    if (message.id === undefined) continue; // a notification
    if (message.method === 'initialize') {
      send({
        id: message.id,
        result: {
          protocolVersion: message.params.protocolVersion,
          capabilities: { tools: {} },
          serverInfo: { name: 'tiny', version: '1.0.0' },
        },
      });
    } else if (message.method === 'tools/list') {
      send({ id: message.id, result: { tools } });
    } else if (message.method === 'tools/call') {
      const result = call(message.params.name, message.params.arguments ?? {});
      if (result === null) continue;
      if (result) send({ id: message.id, result });
      else send({ id: message.id, error: { code: -32602, message: `unknown tool ${message.params.name}` } });
    } else {
      send({ id: message.id, error: { code: -32601, message: `no method ${message.method}` } });
    }
  }
});
process.stdin.on('end', () => process.exit(0));
