// The image's HEALTHCHECK: GET /healthz on the gateway's port in this container; exit 0 on 200.
// Node is the client, so the image needs no curl. `/healthz` needs no token.
import { request } from 'node:http';

const port = 7070;
const call = request({ host: '127.0.0.1', port, path: '/healthz', timeout: 4000 }, (response) => {
  response.resume();
  process.exit(response.statusCode === 200 ? 0 : 1);
});
call.on('timeout', () => call.destroy(new Error('no answer within 4 s')));
call.on('error', (error) => {
  process.stderr.write(`healthz: ${error.message}\n`);
  process.exit(1);
});
call.end();
