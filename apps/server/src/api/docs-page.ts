import type { JsonSchema } from '@valibot/to-json-schema';
import type { OpenApiDocument, OpenApiOperation } from './openapi-document';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** Inline code in the document's prose (`like this`), escaped. */
function prose(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

function typeOf(schema: JsonSchema): string {
  if (typeof schema !== 'object' || schema === null) return 'any';
  const record = schema as Record<string, unknown>;
  if (typeof record.$ref === 'string') return record.$ref.split('/').at(-1) ?? 'object';
  if (Array.isArray(record.enum)) return record.enum.map((value) => JSON.stringify(value)).join(' | ');
  if ('const' in record) return JSON.stringify(record.const);
  if (Array.isArray(record.anyOf)) return record.anyOf.map((item) => typeOf(item as JsonSchema)).join(' | ');
  if (record.type === 'array') return `${typeOf((record.items ?? {}) as JsonSchema)}[]`;
  if (Array.isArray(record.type)) return record.type.join(' | ');
  if (typeof record.type === 'string') return record.type;
  return 'any';
}

function renderSchema(schema: JsonSchema, depth = 0): string {
  if (typeof schema !== 'object' || schema === null || depth > 6) return '';
  const record = schema as Record<string, unknown>;
  const target = record.type === 'array' && typeof record.items === 'object' ? (record.items as Record<string, unknown>) : record;
  const anyOf = Array.isArray(target.anyOf) ? (target.anyOf as Record<string, unknown>[]) : [];
  const objectSchema = target.properties ? target : anyOf.find((item) => item.properties);
  const properties = objectSchema?.properties as Record<string, JsonSchema> | undefined;
  if (!properties) return '';
  const required = new Set((objectSchema?.required as string[] | undefined) ?? []);
  const rows = Object.entries(properties).map(([name, property]) => {
    const described = property as Record<string, unknown>;
    const note = typeof described.description === 'string' ? ` <span class="note">${prose(described.description)}</span>` : '';
    return `<li><code>${escapeHtml(name)}</code>${required.has(name) ? '' : '<span class="optional">?</span>'}: <span class="type">${escapeHtml(typeOf(property))}</span>${note}${renderSchema(property, depth + 1)}</li>`;
  });
  return `<ul class="schema">${rows.join('')}</ul>`;
}

function parameterNotes(parameter: OpenApiOperation['parameters'][number]): string {
  const fallback = (parameter.schema as { default?: unknown }).default;
  const notes = [parameter.description ? prose(parameter.description) : ''];
  if (fallback !== undefined) notes.push(`Default <code>${escapeHtml(String(fallback))}</code>.`);
  return notes.filter((note) => note !== '').join(' ');
}

function renderOperation(method: string, path: string, operation: OpenApiOperation): string {
  const parameters = operation.parameters.length
    ? `<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>type</th><th>notes</th></tr>${operation.parameters
        .map(
          (parameter) =>
            `<tr><td><code>${escapeHtml(parameter.name)}</code>${parameter.required ? '' : '<span class="optional">?</span>'}</td><td>${parameter.in}</td><td class="type">${escapeHtml(typeOf(parameter.schema))}</td><td>${parameterNotes(parameter)}</td></tr>`,
        )
        .join('')}</table>`
    : '';
  const bodySchema = operation.requestBody?.content['application/json'].schema;
  const body = bodySchema ? `<h4>Body <span class="type">application/json</span></h4>${renderSchema(bodySchema)}` : '';
  const responses = Object.entries(operation.responses)
    .map(([status, response]) => {
      const schema = response.content?.['application/json'].schema;
      const shape = schema && !status.startsWith('4') && !status.startsWith('5') ? renderSchema(schema) : '';
      return `<li><span class="status s${status[0]}">${status}</span> ${prose(response.description)}${shape}</li>`;
    })
    .join('');
  const id = escapeHtml(operation.operationId);
  return `<section class="operation" id="${id}"><h3><span class="method ${method}">${method.toUpperCase()}</span> <a href="#${id}"><code>${escapeHtml(path)}</code></a></h3><p>${prose(operation.summary)}</p>${operation.description ? `<p class="description">${prose(operation.description)}</p>` : ''}${parameters}${body}<h4>Responses</h4><ul class="responses">${responses}</ul></section>`;
}

const style = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header{background:#1d2330;color:#fff;padding:24px 32px}header h1{margin:0 0 4px;font-size:22px}header p{margin:0;opacity:.8;max-width:900px}
nav{position:sticky;top:0;background:#fff;border-bottom:1px solid #e1e4ea;padding:8px 32px;display:flex;flex-wrap:wrap;gap:12px}
nav a{color:#3056d3;text-decoration:none;font-weight:600}main{padding:8px 32px 48px;max-width:1100px}
h2{margin:32px 0 4px;text-transform:capitalize}h2+p{margin:0 0 12px;color:#566}
.operation{background:#fff;border:1px solid #e1e4ea;border-radius:8px;padding:4px 18px 12px;margin:12px 0}
.operation h3{font-size:16px;margin:12px 0 4px}.operation h3 a{color:inherit;text-decoration:none}
.method{display:inline-block;min-width:56px;text-align:center;border-radius:4px;color:#fff;font-size:12px;padding:2px 6px;margin-right:6px}
.get{background:#2f7d4f}.post{background:#3056d3}.patch{background:#a86b00}.delete{background:#b3261e}
h4{margin:12px 0 4px;font-size:13px;text-transform:uppercase;letter-spacing:.04em;color:#566}
table{border-collapse:collapse;width:100%;font-size:14px}td,th{border-top:1px solid #eef0f3;padding:4px 8px;text-align:left;vertical-align:top}
code{font:13px ui-monospace,SFMono-Regular,Menlo,monospace;background:#f0f2f5;border-radius:3px;padding:0 3px}
.type{color:#6b3fa0;font-family:ui-monospace,monospace;font-size:13px}.optional{color:#999}.note{color:#566}
ul.schema{list-style:none;padding-left:16px;margin:2px 0;border-left:2px solid #eef0f3}ul.responses{padding-left:18px}
header code{background:#2c3445;color:#fff}
.status{font-weight:700;font-family:ui-monospace,monospace}.s2{color:#2f7d4f}.s4{color:#b3261e}.s5{color:#a86b00}
`;

/** A self-contained HTML page (no script, no external asset) showing the document, by resource. */
function renderDocsPage(document: OpenApiDocument): string {
  const byTag = new Map<string, string[]>();
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const tag = operation.tags[0] ?? 'other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), renderOperation(method, path, operation)]);
    }
  }
  const sections = document.tags
    .filter((tag) => byTag.has(tag.name))
    .map(
      (tag) =>
        `<h2 id="tag-${escapeHtml(tag.name)}">${escapeHtml(tag.name)}</h2><p>${prose(tag.description)}</p>${(byTag.get(tag.name) ?? []).join('')}`,
    )
    .join('');
  const nav = document.tags.map((tag) => `<a href="#tag-${escapeHtml(tag.name)}">${escapeHtml(tag.name)}</a>`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(document.info.title)}</title><style>${style}</style></head><body><header><h1>${escapeHtml(document.info.title)} <small>${escapeHtml(document.info.version)}</small></h1><p>${prose(document.info.description)} The machine-readable document: <a style="color:#9db4ff" href="/api/openapi.json">/api/openapi.json</a>.</p></header><nav>${nav}</nav><main>${sections}</main></body></html>`;
}

/** The docs page as a response that may load nothing from anywhere (its style is inline). */
export function docsResponse(document: OpenApiDocument): Response {
  return new Response(renderDocsPage(document), {
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'",
      'x-content-type-options': 'nosniff',
    },
  });
}
