// Draws the evaluation the service returned (POST /chart/evaluate) as SVG with d3. Nothing clinical is decided here:
// levels, categories, bands, months and what was set aside all come from the service.
import { select } from 'd3-selection';
import { scaleLog, scaleUtc } from 'd3-scale';
import { axisBottom, axisLeft } from 'd3-axis';

const FLOOR = 0.0001; // one decade below MR5 (0.001%)
const DRAWN_LEVELS = ['MMR', 'MR4', 'MR4.5'];
const DAY = 86400000;

const day = (iso) => new Date(iso + 'T00:00:00Z');

function percentText(p) {
  return p >= 1 ? `${p}%` : `${Number(p.toPrecision(3))}%`;
}

/** What hover and focus say about one result: date, value, level, months on TKI (and why it was set aside). */
export function describe(r) {
  const parts = [r.date, r.value];
  if (r.level) parts.push(r.level === 'none' ? 'no response level (> 10%)' : r.level);
  parts.push(r.monthsOnTki == null ? 'off TKI' : `${r.monthsOnTki} months on ${r.drug}`);
  if (r.setAside) parts.push(`not used: ${r.reason}`);
  return parts.join(' · ');
}

export function draw(container, tooltip, ev) {
  container.replaceChildren();
  const width = Math.max(280, container.clientWidth || 720);
  const narrow = width < 520;
  const margin = { top: 26, right: narrow ? 8 : 96, bottom: 28, left: narrow ? 52 : 64 };
  const plotHeight = narrow ? 240 : 320;
  const laneHeight = 22;
  const lineLanes = 1;
  const height = margin.top + plotHeight + margin.bottom + laneHeight * (lineLanes + 1) + 8;

  // From the first result (or the current line's start, if earlier): a line that began years before is cut at the left edge.
  const current = ev.lines.length ? day(ev.lines[ev.lines.length - 1].start) : null;
  const firsts = [...ev.results.map((r) => day(r.date)), ...ev.mutations.map((m) => day(m.date))];
  if (current) firsts.push(current);
  if (!firsts.length) firsts.push(...ev.lines.map((l) => day(l.start)));
  const dates = [...firsts, ...ev.lines.map((l) => day(l.end ?? l.start)), day(ev.today)];
  const minDate = new Date(Math.min(...firsts, day(ev.today)) - 30 * DAY);
  const maxDate = new Date(Math.max(...dates) + 30 * DAY);
  const top = Math.max(100, ...ev.results.filter((r) => r.percent != null).map((r) => r.percent));

  const x = scaleUtc().domain([minDate, maxDate]).range([margin.left, width - margin.right]);
  const y = scaleLog().domain([FLOOR, top]).range([margin.top + plotHeight, margin.top]).clamp(true);

  const svg = select(container).append('svg')
    .attr('id', 'chart-svg')
    .attr('width', width).attr('height', height)
    .attr('viewBox', `0 0 ${width} ${height}`)
    .attr('role', 'group')
    .attr('aria-labelledby', 'chart-svg-title chart-svg-desc');
  svg.append('title').attr('id', 'chart-svg-title').text('BCR::ABL1 %IS over time, log scale');
  svg.append('desc').attr('id', 'chart-svg-desc')
    .text(`${ev.results.filter((r) => !r.setAside).length} results used, ${ev.results.filter((r) => r.setAside).length} set aside, ${ev.lines.length} TKI lines; the same values are in the results table.`);

  // Milestone bands of the guideline in force on the current line (service: §3 rows at their days).
  const bands = svg.append('g').attr('class', 'bands');
  for (const b of ev.milestones?.bands ?? []) {
    const x0 = x(day(b.from));
    const x1 = x(Math.min(day(b.to), maxDate));
    const y0 = y(b.atMost ?? top);
    const y1 = y(b.above ?? FLOOR);
    bands.append('rect')
      .attr('class', `band band-${b.category}`)
      .attr('data-milestone', b.milestone).attr('data-category', b.category)
      .attr('x', x0).attr('width', Math.max(0, x1 - x0)).attr('y', y0).attr('height', Math.max(0, y1 - y0))
      .append('title').text(`${ev.guideline}: ${b.text}`);
  }

  // Axes.
  const decades = [];
  for (let p = FLOOR; p <= top * 1.0001; p *= 10) decades.push(Number(p.toPrecision(1)));
  svg.append('g').attr('class', 'axis axis-y').attr('transform', `translate(${margin.left},0)`)
    .call(axisLeft(y).tickValues(decades).tickFormat(percentText))
    .attr('aria-hidden', 'true');
  svg.append('g').attr('class', 'axis axis-x').attr('transform', `translate(0,${margin.top + plotHeight})`)
    .call(axisBottom(x).ticks(narrow ? 4 : 8))
    .attr('aria-hidden', 'true');
  svg.append('text').attr('class', 'axis-label').attr('x', 4).attr('y', 14).text('%IS (log)');

  // Response-level lines: MMR, MR4, MR4.5.
  const levels = svg.append('g').attr('class', 'levels');
  for (const level of ev.levels.filter((l) => DRAWN_LEVELS.includes(l.label))) {
    levels.append('line').attr('class', 'level-line').attr('data-level', level.label)
      .attr('x1', margin.left).attr('x2', width - margin.right).attr('y1', y(level.percent)).attr('y2', y(level.percent));
    levels.append('text').attr('class', 'level-label')
      .attr('x', narrow ? width - margin.right - 2 : width - margin.right + 4).attr('y', y(level.percent) + 4)
      .attr('text-anchor', narrow ? 'end' : 'start')
      .text(`${level.label} ${percentText(level.percent)}`);
  }

  // The course: a line through the results the rules use.
  const used = ev.results.filter((r) => !r.setAside && r.percent != null);
  if (used.length > 1) {
    svg.append('path').attr('class', 'trend').attr('aria-hidden', 'true')
      .attr('d', used.map((r, i) => `${i ? 'L' : 'M'}${x(day(r.date))},${y(r.percent)}`).join(''));
  }

  // Mutation results, marked at the top of the plot.
  const mutations = svg.append('g').attr('class', 'mutations');
  for (const m of ev.mutations) {
    const cx = x(day(m.date));
    const g = mutations.append('g').attr('class', `mutation-mark${m.detected.length ? ' mutation-detected' : ''}`)
      .attr('tabindex', 0).attr('role', 'img').attr('aria-label', `Mutation analysis ${m.date}: ${m.text}`)
      .attr('transform', `translate(${cx},${margin.top - 12})`);
    g.append('path').attr('d', 'M0,-6L6,0L0,6L-6,0Z');
    g.append('title').text(`${m.date}: ${m.text}`);
    if (!narrow) g.append('text').attr('x', 9).attr('y', 4).text(m.detected.length ? m.detected.join(', ') : 'no mutation');
  }

  // Points: filled when quantified, open at the sensitivity when undetectable, a cross when set aside.
  const points = svg.append('g').attr('class', 'points');
  const laneY = margin.top + plotHeight + margin.bottom;
  const notUsedY = laneY + laneHeight / 2;
  svg.append('text').attr('class', 'lane-label').attr('x', 4).attr('y', notUsedY + 4).text('not used');
  ev.results.forEach((r, index) => {
    const cx = x(day(r.date));
    const cy = r.percent != null ? y(r.percent) : notUsedY;
    const kind = r.setAside ? 'point-set-aside' : r.undetectable ? 'point-undetectable' : 'point-detected';
    const g = points.append('g').attr('class', `point ${kind}`)
      .attr('data-index', index).attr('data-date', r.date)
      .attr('transform', `translate(${cx},${cy})`)
      .attr('tabindex', 0).attr('role', 'img').attr('aria-label', describe(r));
    if (r.setAside) g.append('path').attr('d', 'M-5,-5L5,5M-5,5L5,-5');
    else g.append('circle').attr('r', 5);
    g.append('circle').attr('class', 'hit').attr('r', 10);
  });

  // TKI lines as bars under the axis, stops and switches at their ends, interruptions as gaps.
  const barY = laneY + laneHeight + 2;
  svg.append('text').attr('class', 'lane-label').attr('x', 4).attr('y', barY + 14).text('TKI');
  const bars = svg.append('g').attr('class', 'tki');
  for (const l of ev.lines) {
    const x0 = x(new Date(Math.max(day(l.start), minDate)));
    const x1 = Math.max(x0, x(l.end ? day(l.end) : maxDate));
    const label = `Line ${l.number}: ${l.drug}${l.retreatment ? ' (re-treatment)' : ''}, from ${l.start}${l.end ? ` to ${l.end} (${l.ending})` : ' (ongoing)'}`;
    const g = bars.append('g').attr('class', `tki-bar-group${l.retreatment ? ' tki-retreatment' : ''}`)
      .attr('tabindex', 0).attr('role', 'img').attr('aria-label', label);
    g.append('rect').attr('class', `tki-bar tki-line-${(l.number - 1) % 4}`).attr('data-drug', l.drug)
      .attr('x', x0).attr('y', barY).attr('width', Math.max(2, x1 - x0)).attr('height', 18)
      .append('title').text(label);
    for (const gap of l.interruptions.filter((g) => day(g.to) > minDate)) {
      g.append('rect').attr('class', 'tki-gap').attr('x', x(new Date(Math.max(day(gap.from), minDate)))).attr('y', barY)
        .attr('width', Math.max(1, x(day(gap.to)) - x(new Date(Math.max(day(gap.from), minDate))))).attr('height', 18);
    }
    if (l.ending === 'stopped') g.append('path').attr('class', 'tki-stop').attr('d', `M${x1},${barY - 3}V${barY + 21}`);
    const since = day(l.start) < minDate ? ` (since ${l.start})` : '';
    if (x1 - x0 > 60) g.append('text').attr('class', 'tki-label').attr('x', x0 + 4).attr('y', barY + 13).text(l.drug + (l.retreatment ? ' (re-treatment)' : '') + since);
  }

  // Today.
  svg.append('line').attr('class', 'today').attr('aria-hidden', 'true')
    .attr('x1', x(day(ev.today))).attr('x2', x(day(ev.today))).attr('y1', margin.top).attr('y2', margin.top + plotHeight);

  wireTooltip(container, tooltip, ev);
}

function wireTooltip(container, tooltip, ev) {
  const svg = container.querySelector('svg');
  const show = (el) => {
    const r = ev.results[Number(el.dataset.index)];
    tooltip.textContent = describe(r);
    tooltip.hidden = false;
    const box = el.getBoundingClientRect();
    const host = container.getBoundingClientRect();
    const left = Math.min(box.left - host.left + 12, host.width - 240);
    tooltip.style.left = `${Math.max(0, left)}px`;
    tooltip.style.top = `${box.top - host.top + container.offsetTop - 8}px`;
    el.setAttribute('aria-describedby', 'tooltip');
  };
  const hide = () => { tooltip.hidden = true; };
  const points = [...svg.querySelectorAll('.point')];
  for (const el of points) {
    el.addEventListener('mouseenter', () => show(el));
    el.addEventListener('mouseleave', hide);
    el.addEventListener('focus', () => show(el));
    el.addEventListener('blur', hide);
    el.addEventListener('keydown', (e) => {
      const i = points.indexOf(el);
      if (e.key === 'ArrowRight' || e.key === 'ArrowDown') { points[Math.min(points.length - 1, i + 1)].focus(); e.preventDefault(); }
      if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') { points[Math.max(0, i - 1)].focus(); e.preventDefault(); }
      if (e.key === 'Home') { points[0].focus(); e.preventDefault(); }
      if (e.key === 'End') { points[points.length - 1].focus(); e.preventDefault(); }
      if (e.key === 'Escape') hide();
    });
  }
}
