import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@ngb/plugin-sdk';
import type { LlmRecordedRequest, LlmScriptStep } from '@ngb/plugin-sdk/testing';
import {
  anthropicErrorBody,
  anthropicMalformedFrame,
  type ParsedWireRequest,
  parseAnthropicRequest,
  renderAnthropicMessage,
  renderAnthropicStream,
} from './anthropic-wire';
import { parseJson } from './json-values';
import { planReply } from './llm-reply-plan';
import { sleep, writeJson, writeJsonReply, writeStream } from './llm-response-writer';
import { replyByRules } from './llm-rules';
import { modelsListBody, scriptErrorHeaders, scriptErrorMessage } from './llm-server-responses';
import {
  openAIErrorBody,
  openAIMalformedFrame,
  parseOpenAIRequest,
  renderOpenAICompletion,
  renderOpenAIStream,
  wantsOpenAIUsage,
} from './openai-wire';

/** Which wire format a request used. */
export type FakeLlmApi = 'anthropic' | 'openai';

/** A model request the fake server received: the contract's view plus the raw HTTP facts. */
export interface FakeLlmRequest extends LlmRecordedRequest {
  api: FakeLlmApi;
  path: string;
  /** Request headers, lower-cased names. */
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body (undefined when it was not JSON). */
  body: unknown;
  /** The credential the client sent (`x-api-key` or the Bearer token), if any. */
  apiKey: string | undefined;
  /** The HTTP status the server answered with. */
  status: number;
}

/** Options of {@link createFakeLlmServer}. */
export interface FakeLlmServerOptions {
  /** Steps answered in order; each model request consumes one. */
  script?: LlmScriptStep[];
  /**
   * Model ids the server knows; any other gets a 404 naming it.
   * @default ['fake-model']
   */
  models?: string[];
  /** Accept every model id. @default false */
  acceptAnyModel?: boolean;
  /** When set, requests must carry it (`x-api-key` or `Authorization: Bearer`), else 401. */
  apiKey?: string;
  /**
   * What answers once the script is used up: the rule-based model (`run: <cmd>` → bash tool call,
   * tool results → a quote, else an echo), or a 500 naming the problem.
   * @default 'rules'
   */
  whenScriptEmpty?: 'rules' | 'error';
  /** @default '127.0.0.1' */
  host?: string;
  /** @default 0 (an ephemeral port) */
  port?: number;
  /** Gets one line per request. @default silentLogger */
  logger?: Logger;
}

/** A running scripted model server speaking the Anthropic Messages and OpenAI Chat Completions APIs. */
export interface FakeLlmServer {
  /** `http://host:port`; Anthropic clients use it as `baseURL`, OpenAI clients `${url}/v1` (or `url`). */
  readonly url: string;
  readonly port: number;
  /** Replaces the pending steps and forgets the recorded requests. */
  script(steps: LlmScriptStep[]): void;
  /** Appends steps to the pending ones. */
  enqueue(...steps: LlmScriptStep[]): void;
  /** How many scripted steps are still pending. */
  pending(): number;
  /** Model requests received since the last {@link script} call, oldest first. */
  requests(): FakeLlmRequest[];
  /** Stops listening and drops open connections (stalled streams included). */
  close(): Promise<void>;
}

// Not the SDK's silentLogger: a type-only import of @ngb/plugin-sdk lets the CLI run from sources.
const quietLogger: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => quietLogger };

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function credentialOf(request: IncomingMessage): string | undefined {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string') return header;
  const authorization = request.headers.authorization;
  return authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length) : undefined;
}

/** Starts a scripted model server on loopback; resolves once it listens. */
export async function createFakeLlmServer(options: FakeLlmServerOptions = {}): Promise<FakeLlmServer> {
  const models = options.models ?? ['fake-model'];
  const logger = options.logger ?? quietLogger;
  let steps: LlmScriptStep[] = [...(options.script ?? [])];
  let recorded: FakeLlmRequest[] = [];
  let counter = 0;
  const next = () => ++counter;

  async function answerModelRequest(api: FakeLlmApi, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const receivedAt = Date.now();
    const text = await readBody(request);
    const parsedBody = parseJson(text);
    const parsed: ParsedWireRequest =
      parsedBody === undefined
        ? { invalid: 'request body is not valid JSON' }
        : api === 'anthropic'
          ? parseAnthropicRequest(parsedBody.value)
          : parseOpenAIRequest(parsedBody.value);
    const apiKey = credentialOf(request);
    const errorBody = (status: number, message: string, code: string | null = null) =>
      api === 'anthropic' ? anthropicErrorBody(status, message) : openAIErrorBody(status, message, code);
    const requestId: Record<string, string> = { [api === 'anthropic' ? 'request-id' : 'x-request-id']: `req_fake_${next()}` };
    const record = (status: number): void => {
      if ('invalid' in parsed) return;
      recorded.push({
        ...parsed.request,
        receivedAt,
        api,
        path: request.url ?? '',
        headers: { ...request.headers },
        body: parsedBody?.value,
        apiKey,
        status,
      });
      logger.info(`${request.method} ${request.url} model=${parsed.request.model} stream=${parsed.request.stream} → ${status}`);
    };

    if (options.apiKey !== undefined && apiKey !== options.apiKey) {
      record(401);
      writeJson(response, 401, errorBody(401, 'invalid x-api-key', 'invalid_api_key'), requestId);
      return;
    }
    if ('invalid' in parsed) {
      logger.warn(`${request.method} ${request.url} → 400 (${parsed.invalid})`);
      writeJson(response, 400, errorBody(400, parsed.invalid), requestId);
      return;
    }
    const { model } = parsed.request;
    if (options.acceptAnyModel !== true && !models.includes(model)) {
      record(404);
      const message =
        api === 'anthropic' ? `model: ${model}` : `The model \`${model}\` does not exist or you do not have access to it.`;
      writeJson(response, 404, errorBody(404, message, 'model_not_found'), requestId);
      return;
    }

    const step =
      steps.shift() ?? (options.whenScriptEmpty === 'error' ? undefined : replyByRules({ ...parsed.request, receivedAt }));
    if (step === undefined) {
      record(500);
      writeJson(response, 500, errorBody(500, 'the fake LLM script is used up'), requestId);
      return;
    }
    await sleep(step.firstByteDelayMs ?? 0);
    if (step.type === 'error') {
      record(step.status);
      const headers = { ...requestId, ...scriptErrorHeaders(step) };
      writeJson(response, step.status, errorBody(step.status, step.message ?? scriptErrorMessage(step.status)), headers);
      return;
    }
    record(200);
    const idPrefix = api === 'anthropic' ? 'toolu_fake_' : 'call_fake_';
    const plan = planReply(step, { ...parsed.request, receivedAt }, () => `${idPrefix}${next()}`);
    const id = api === 'anthropic' ? `msg_fake_${next()}` : `chatcmpl-fake-${next()}`;
    const created = Math.floor(receivedAt / 1000);
    if (!parsed.request.stream) {
      const body =
        api === 'anthropic' ? renderAnthropicMessage(plan, id, model) : renderOpenAICompletion(plan, id, model, created);
      writeJsonReply(response, body, plan.fault, requestId);
      return;
    }
    const rendered =
      api === 'anthropic'
        ? renderAnthropicStream(plan, id, model)
        : renderOpenAIStream(plan, id, model, created, wantsOpenAIUsage(parsedBody?.value));
    await writeStream(response, {
      ...rendered,
      malformedFrame: api === 'anthropic' ? anthropicMalformedFrame : openAIMalformedFrame,
      chunkDelayMs: plan.chunkDelayMs,
      fault: plan.fault,
      headers: requestId,
    });
  }

  function route(request: IncomingMessage, response: ServerResponse): Promise<void> | void {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (request.method === 'POST' && path === '/v1/messages') return answerModelRequest('anthropic', request, response);
    if (request.method === 'POST' && (path === '/v1/chat/completions' || path === '/chat/completions')) {
      return answerModelRequest('openai', request, response);
    }
    if (request.method === 'GET' && (path === '/v1/models' || path === '/models')) {
      writeJson(response, 200, modelsListBody(models));
      return;
    }
    const modelMatch = /^\/(?:v1\/)?models\/([^/]+)$/.exec(path);
    if (request.method === 'GET' && modelMatch?.[1] !== undefined) {
      const id = decodeURIComponent(modelMatch[1]);
      const entry = modelsListBody(models).data.find((model) => model.id === id);
      if (entry !== undefined) writeJson(response, 200, entry);
      else writeJson(response, 404, { type: 'error', error: { type: 'not_found_error', message: `model: ${id}` } });
      return;
    }
    writeJson(response, 404, { error: { type: 'not_found', message: `no route for ${request.method} ${path}` } });
  }

  const server = createServer((request, response) => {
    Promise.resolve(route(request, response)).catch((error: unknown) => {
      logger.error('fake LLM server failed to answer', { error });
      if (!response.headersSent) writeJson(response, 500, { error: { message: String(error) } });
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;

  return {
    url: `http://${host}:${port}`,
    port,
    script: (newSteps) => {
      steps = [...newSteps];
      recorded = [];
    },
    enqueue: (...more) => {
      steps.push(...more);
    },
    pending: () => steps.length,
    requests: () => recorded.map((entry) => ({ ...entry })),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}
