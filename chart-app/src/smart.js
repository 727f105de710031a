// SMART App Launch (authorization code + PKCE, S256) and FHIR reads for the response chart.
// Three ways in:
//   - EHR launch: ?iss=<FHIR base>&launch=<opaque>  -> the server's .well-known/smart-configuration -> authorize -> back here
//   - standalone launch against a SMART server: ?iss=<FHIR base> (the authorization server picks the patient)
//   - testing mode, an open FHIR server that publishes no SMART configuration: ?iss=<FHIR base>&patient=<id>
// Tokens stay in this tab's sessionStorage and go only to the FHIR server (never to the CDS service).

const SESSION = 'cmlcds-chart-session';
const PENDING = 'cmlcds-chart-pending-';
const MAX_PAGES = 20;

function base64url(bytes) {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomText(bytes = 32) {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

async function challengeOf(verifier) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

function withSlash(url) {
  return url.endsWith('/') ? url : url + '/';
}

/** The server's SMART configuration, or null when it publishes none (an open test server). */
async function smartConfiguration(iss) {
  let response;
  try {
    response = await fetch(new URL('.well-known/smart-configuration', withSlash(iss)), { headers: { accept: 'application/json' } });
  } catch {
    throw new Error(`The FHIR server at ${iss} cannot be reached.`);
  }
  if (!response.ok) return null;
  const config = await response.json().catch(() => null);
  return config && config.authorization_endpoint && config.token_endpoint ? config : null;
}

/**
 * Where the chart reads from: { iss, patient, token } once launched, or null after sending the browser to the
 * authorization server (the page is left).
 */
export async function launch(location, config) {
  const params = new URLSearchParams(location.search);
  const here = location.origin + location.pathname;

  if (params.has('code') || params.has('error')) return complete(params, here);

  const iss = params.get('iss');
  if (!iss) {
    const saved = sessionStorage.getItem(SESSION);
    if (saved) return JSON.parse(saved);
    throw new Error('Open the chart from the EHR (the card\'s link), or for testing with ?iss=<FHIR base URL>&patient=<patient id>.');
  }
  if (!/^https?:\/\//.test(iss)) throw new Error('iss must be the http(s) URL of a FHIR server.');

  const smart = await smartConfiguration(iss);
  if (!smart) {
    // Testing mode: an open FHIR server without authorization (the repository's test FHIR server, a local HAPI).
    const patient = params.get('patient');
    if (!patient) throw new Error(`The FHIR server at ${iss} publishes no SMART configuration, so no launch can be completed; for an open test server add &patient=<patient id>.`);
    const session = { iss, patient, token: null, mode: 'open' };
    sessionStorage.setItem(SESSION, JSON.stringify(session));
    return session;
  }
  const methods = smart.code_challenge_methods_supported;
  if (Array.isArray(methods) && !methods.includes('S256')) throw new Error('The authorization server does not support PKCE with S256.');

  const verifier = randomText(48);
  const state = randomText(24);
  sessionStorage.setItem(PENDING + state, JSON.stringify({ iss, tokenEndpoint: smart.token_endpoint, verifier, redirectUri: here, clientId: config.clientId }));
  const authorize = new URL(smart.authorization_endpoint);
  const query = {
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: here,
    scope: config.scope,
    state,
    aud: iss,
    code_challenge: await challengeOf(verifier),
    code_challenge_method: 'S256',
  };
  if (params.get('launch')) query.launch = params.get('launch');
  for (const [k, v] of Object.entries(query)) authorize.searchParams.set(k, v);
  window.location.assign(authorize.toString());
  return null;
}

async function complete(params, here) {
  if (params.has('error')) throw new Error(`The EHR did not authorize the chart: ${params.get('error_description') || params.get('error')}.`);
  const state = params.get('state') || '';
  const pending = JSON.parse(sessionStorage.getItem(PENDING + state) || 'null');
  sessionStorage.removeItem(PENDING + state);
  if (!pending) throw new Error('This authorization answer does not match a launch of this tab (state unknown): launch the chart again.');
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    code: params.get('code'),
    redirect_uri: pending.redirectUri,
    client_id: pending.clientId,
    code_verifier: pending.verifier,
  });
  const response = await fetch(pending.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body,
  });
  const token = await response.json().catch(() => ({}));
  if (!response.ok || !token.access_token) throw new Error(`The token request was refused (${response.status}${token.error ? ': ' + token.error : ''}).`);
  if (!token.patient) throw new Error('The EHR gave no patient in context (launch/patient).');
  const session = { iss: pending.iss, patient: token.patient, token: token.access_token, mode: 'smart' };
  sessionStorage.setItem(SESSION, JSON.stringify(session));
  history.replaceState(null, '', here); // the code is spent: keep it out of the address bar and history
  return session;
}

/** GET relative to the FHIR base, as JSON; null for 404/410. */
async function getJson(session, url) {
  const headers = { accept: 'application/fhir+json' };
  if (session.token) headers.authorization = `Bearer ${session.token}`;
  const response = await fetch(url, { headers });
  if (response.status === 404 || response.status === 410) return null;
  if (!response.ok) throw new Error(`The FHIR server answered ${response.status}.`);
  return response.json();
}

function underBase(base, url) {
  return url.origin === base.origin && url.pathname.startsWith(base.pathname);
}

/** One prefetch query: a read gives the resource, a search a Bundle with every page (next links on the server only). */
async function runQuery(session, template) {
  const base = new URL(withSlash(session.iss));
  const query = template.replaceAll('{{context.patientId}}', encodeURIComponent(session.patient));
  let url = new URL(query, base);
  const first = await getJson(session, url);
  if (!first || first.resourceType !== 'Bundle') return first;
  const entries = [...(first.entry || [])];
  let page = first;
  let unread = null; // a next page not read (page cap, a link off the server, a page that failed): the data is partial
  for (let pages = 1; ; pages++) {
    const next = (page.link || []).find((l) => l.relation === 'next')?.url;
    if (!next) break;
    if (pages >= MAX_PAGES) { unread = next; break; }
    url = new URL(next, base);
    if (!underBase(base, url)) { unread = next; break; }
    const more = await getJson(session, url);
    if (!more) { unread = next; break; }
    page = more;
    entries.push(...(page.entry || []));
  }
  // Partial data keeps its next link, so the service says only part was read instead of taking it as all there is.
  const bundle = { resourceType: 'Bundle', type: 'searchset', total: entries.length, entry: entries };
  if (unread) bundle.link = [{ relation: 'next', url: unread }];
  return bundle;
}

/**
 * The prefetch the service would have asked for, read from the FHIR server with the service's own queries: a key
 * the server has nothing for is null (known empty), an optional key that fails is left out (the service notes it).
 */
export async function readPrefetch(session, queries, progress) {
  const prefetch = {};
  await Promise.all(queries.map(async (q) => {
    try {
      prefetch[q.key] = await runQuery(session, q.query);
      progress?.(q.key);
    } catch (e) {
      if (q.required) throw new Error(`Could not read ${q.key} from the FHIR server: ${e.message}`);
    }
  }));
  return prefetch;
}
