import './style.css';
import { launch, readPrefetch } from './smart.js';
import { draw } from './chart.js';

const $ = (id) => document.getElementById(id);
const status = (text, error = false) => {
  $('status').textContent = text;
  $('status').classList.toggle('error', error);
};

function el(tag, text, className) {
  const e = document.createElement(tag);
  if (text != null) e.textContent = text;
  if (className) e.className = className;
  return e;
}

function patientLine(patient) {
  if (!patient || patient.resourceType !== 'Patient') return '';
  const name = patient.name?.[0];
  const text = name?.text || [...(name?.given || []), name?.family].filter(Boolean).join(' ');
  return [text, patient.birthDate ? `born ${patient.birthDate}` : null].filter(Boolean).join(', ');
}

async function evaluate(session, prefetch) {
  const response = await fetch('/chart/evaluate', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ context: { patientId: session.patient }, prefetch }),
    credentials: 'same-origin',
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(`The service could not evaluate the data: ${body.detail || body.title || response.status}`);
  return body;
}

function showEvaluation(ev) {
  const latest = $('latest-category');
  latest.replaceChildren();
  if (ev.latest) {
    latest.className = `category category-${ev.latest.category}`;
    latest.dataset.category = ev.latest.category;
    latest.append(el('strong', `${ev.latest.category[0].toUpperCase()}${ev.latest.category.slice(1)}`),
      ` by ${ev.guideline}: latest result ${ev.latest.value} on ${ev.latest.date} (${ev.latest.level}).`);
  } else {
    latest.className = 'category';
    latest.dataset.category = 'none';
    latest.textContent = ev.results.length ? `No milestone category for the latest result (${ev.guideline}); see the cards below.` : 'No BCR::ABL1 result on file.';
  }
  const cards = $('cards');
  cards.replaceChildren(...ev.cards.map((c) => {
    const li = el('li', null, `card card-${c.indicator}`);
    li.dataset.topic = c.topic;
    li.append(el('span', c.indicator, 'indicator'), ' ', c.summary);
    return li;
  }));
  $('evaluation').hidden = false;
}

function showTable(ev) {
  const rows = ev.results.map((r) => {
    const tr = el('tr', null, r.setAside ? 'set-aside' : '');
    const cells = [r.date, r.value, r.level ?? '—', r.logReduction ?? '—', r.monthsOnTki ?? '—', r.drug ? `${r.drug} (line ${r.line})` : '—',
      r.setAside ? `not used: ${r.reason}` : 'yes'];
    cells.forEach((c, i) => {
      const cell = el(i === 0 ? 'th' : 'td', String(c));
      if (i === 0) cell.scope = 'row';
      tr.append(cell);
    });
    return tr;
  });
  $('results').tBodies[0].replaceChildren(...rows);
  $('lines').replaceChildren(...ev.lines.map((l) => el('li',
    `Line ${l.number}: ${l.drug}${l.retreatment ? ', re-treatment' : ''}${l.switchReason ? `, after a switch for ${l.switchReason}` : ''}, from ${l.start}` +
    (l.end ? ` to ${l.end} (${l.ending})` : l.ending === 'lapsed' ? ' (last order ran out)' : ' (ongoing)') +
    (l.interruptions.length ? `; interrupted ${l.interruptions.map((g) => `${g.from} to ${g.to} (${g.days} days)`).join(', ')}` : ''))));
  $('mutations').replaceChildren(...(ev.mutations.length ? ev.mutations.map((m) => el('li', `${m.date}: ${m.text}`)) : [el('li', 'None on file.')]));
  $('table-section').hidden = false;
}

function showChart(ev) {
  $('chart-section').hidden = false;
  const container = $('chart');
  const render = () => draw(container, $('tooltip'), ev);
  render();
  let width = container.clientWidth;
  new ResizeObserver(() => {
    if (Math.abs(container.clientWidth - width) < 8) return;
    width = container.clientWidth;
    render();
  }).observe(container);
  $('legend').textContent = 'Filled circle: quantified result. Open circle: undetectable, drawn at its sensitivity. Cross: not used by the rules (why: in the table). ' +
    'Diamond: kinase domain mutation analysis. Bars: TKI lines; a tick ends a stopped line.' +
    (ev.milestones?.bands.length ? ` Shaded: the milestone bands of ${ev.guideline} for line ${ev.milestones.line} (${ev.milestones.drug}, from ${ev.milestones.lineStart}): green optimal, amber warning, red failure.` : '');
  $('milestone-note').textContent = ev.milestones?.note ?? '';
}

async function main() {
  $('print').addEventListener('click', () => window.print());
  try {
    const config = await (await fetch('/chart/config', { headers: { accept: 'application/json' } })).json();
    status('Connecting to the FHIR server…');
    const session = await launch(window.location, config);
    if (!session) { status('Asking the EHR for authorization…'); return; }
    status('Reading the patient\'s results from the FHIR server…');
    const prefetch = await readPrefetch(session, config.queries);
    $('patient').textContent = patientLine(prefetch.patient);
    status('Evaluating…');
    const ev = await evaluate(session, prefetch);
    showEvaluation(ev);
    showTable(ev);
    if (ev.results.length || ev.lines.length) showChart(ev);
    $('print').hidden = false;
    status(`${ev.results.length} BCR::ABL1 results; evaluated by the service on ${ev.today} (${ev.guideline}).`);
    document.body.dataset.ready = 'true';
  } catch (e) {
    status(e.message, true);
    document.body.dataset.ready = 'error';
  }
}

main();
