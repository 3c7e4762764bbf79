// brandscan dashboard: one ES module, no dependencies. Hash routes render into <main id="view">.
const API = '/api/v1';
const PHASES = ['gathered', 'acquired', 'committed', 'scored', 'failed'];
const FINAL = new Set(['complete', 'failed', 'cancelled']);
const view = document.getElementById('view');
let config = { push_url: '' };
let live = null;          // the open EventSource of the live scan view, closed on navigation
const objectUrls = [];    // blob URLs of the current view, revoked on navigation

// ---- session ------------------------------------------------------------------------------
const session = {
  get token() { return sessionStorage.getItem('brandscan.token'); },
  get who() { return JSON.parse(sessionStorage.getItem('brandscan.who') || 'null'); },
  save(answer, email) {
    sessionStorage.setItem('brandscan.token', answer.token);
    sessionStorage.setItem('brandscan.who', JSON.stringify({ email, role: answer.role, client_id: answer.client_id }));
  },
  clear() { sessionStorage.removeItem('brandscan.token'); sessionStorage.removeItem('brandscan.who'); },
};

class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `request failed (${status})`);
    this.status = status;
    this.code = body && body.error;
  }
}

async function api(method, path, body, isForm) {
  const headers = {};
  if (session.token) headers.Authorization = `Bearer ${session.token}`;
  let payload;
  if (body !== undefined && !isForm) { headers['Content-Type'] = 'application/json'; payload = JSON.stringify(body); }
  if (isForm) payload = body;
  const res = await fetch(API + path, { method, headers, body: payload });
  if (res.status === 401 && path !== '/auth/login') { session.clear(); location.hash = '#/login'; throw new ApiError(401, { message: 'Your session ended. Sign in again.' }); }
  if (res.status === 204) return null;
  const type = res.headers.get('content-type') || '';
  const data = type.includes('json') ? await res.json() : await res.blob();
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

/** Images behind the token: fetched as a blob and shown through an object URL. */
async function authorisedImage(img, path) {
  try {
    const blob = await api('GET', path);
    const url = URL.createObjectURL(blob);
    objectUrls.push(url);
    img.src = url;
  } catch (e) {
    img.replaceWith(el('div', { class: 'noimg' }, 'Image unavailable'));
  }
}

// ---- tiny DOM helpers ---------------------------------------------------------------------
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (k === 'class') node.className = v;
    // Through the CSSOM: the page's CSP forbids style attributes, not style properties.
    else if (k === 'style') node.style.cssText = v;
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) node.append(c instanceof Node ? c : String(c));
  return node;
}
const render = (...nodes) => view.replaceChildren(...nodes);
const emptyState = (title, text, action) => el('div', { class: 'empty' }, el('h3', {}, title), el('p', {}, text), action || '');
const errorState = (e) => el('div', { class: 'error', role: 'alert' }, el('strong', {}, 'Something went wrong. '), e.message || String(e));
const pct = (x) => `${Math.round(Math.max(0, Math.min(1, x)) * 100)}%`;
const when = (ms) => (ms ? new Date(ms).toLocaleString() : '—');
const lines = (s) => s.split('\n').map((x) => x.trim()).filter(Boolean);

function toast(text, kind = 'ok') {
  const t = document.getElementById('toast');
  t.textContent = text; t.className = `toast ${kind}`; t.hidden = false;
  clearTimeout(toast.timer); toast.timer = setTimeout(() => { t.hidden = true; }, 3500);
}

function stateBadge(state) { return el('span', { class: `badge s-${state}` }, state); }

// ---- routing ------------------------------------------------------------------------------
const routes = [
  [/^#\/login$/, loginView],
  [/^#\/brands$/, brandsView],
  [/^#\/brands\/new$/, () => brandEditor(null)],
  [/^#\/brands\/([^/]+)$/, (m) => brandEditor(decodeURIComponent(m[1]))],
  [/^#\/scans$/, scansView],
  [/^#\/scans\/([^/]+)$/, (m) => liveScanView(decodeURIComponent(m[1]))],
  [/^#\/scans\/([^/]+)\/findings$/, (m) => findingsView(decodeURIComponent(m[1]))],
  [/^#\/operator$/, operatorView],
];

async function route() {
  if (live) { live.close(); live = null; }
  while (objectUrls.length) URL.revokeObjectURL(objectUrls.pop());
  let hash = location.hash || '#/brands';
  if (!session.token && hash !== '#/login') { location.hash = '#/login'; return; }
  const who = session.who;
  document.getElementById('nav').hidden = !session.token;
  document.getElementById('who').textContent = who ? `${who.email} · ${who.client_id || 'platform'}` : '';
  document.querySelectorAll('[data-nav]').forEach((a) => a.classList.toggle('active', hash.startsWith(`#/${a.dataset.nav}`)));
  const operator = who && who.role === 'platform_admin';
  document.querySelectorAll('[data-client-nav]').forEach((a) => { a.hidden = operator; });
  document.querySelector('[data-nav=operator]').hidden = !operator;
  if (operator && !hash.startsWith('#/operator')) { location.hash = '#/operator'; return; }
  for (const [pattern, fn] of routes) {
    const m = hash.match(pattern);
    if (m) {
      try { await fn(m); } catch (e) { if (e.status !== 401) render(errorState(e)); }
      return;
    }
  }
  render(emptyState('Page not found', 'There is nothing at this address.', el('a', { class: 'button', href: '#/brands' }, 'Go to brands')));
}

// ---- login --------------------------------------------------------------------------------
function loginView() {
  const msg = el('div', { class: 'error', role: 'alert', hidden: true });
  const form = el('form', { class: 'card login', id: 'login-form' },
    el('h1', {}, 'Sign in'),
    el('p', { class: 'muted' }, 'Find and review listings that copy your brand.'),
    el('label', {}, 'Email', el('input', { name: 'email', type: 'email', required: true, autocomplete: 'username' })),
    el('label', {}, 'Password', el('input', { name: 'password', type: 'password', required: true, autocomplete: 'current-password' })),
    msg,
    el('button', { type: 'submit', class: 'primary' }, 'Sign in'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const email = form.email.value.trim();
    msg.hidden = true;
    try {
      const answer = await api('POST', '/auth/login', { email, password: form.password.value });
      session.save(answer, email);
      location.hash = '#/brands';
    } catch (e) {
      msg.textContent = e.status === 401 ? 'Email or password is not right.' : e.message;
      msg.hidden = false;
    }
  });
  const opMsg = el('div', { class: 'error', role: 'alert', hidden: true });
  const opForm = el('form', { class: 'card login', id: 'operator-form' },
    el('h2', {}, 'Platform operator'),
    el('p', { class: 'muted' }, 'Sign in with the platform admin token to watch the registry.'),
    el('label', {}, 'Admin token', el('input', { name: 'token', type: 'password', required: true, autocomplete: 'off' })),
    opMsg,
    el('button', { type: 'submit' }, 'Open the operator view'));
  opForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    opMsg.hidden = true;
    session.save({ token: opForm.token.value.trim(), role: 'platform_admin', client_id: null }, 'operator');
    try {
      await api('GET', '/operator/registry?limit=1');
      location.hash = '#/operator';
    } catch (e) {
      session.clear();
      opMsg.textContent = e.status === 401 || e.status === 403 ? 'That is not the platform admin token.' : e.message;
      opMsg.hidden = false;
    }
  });
  render(el('div', { class: 'center stack' }, form, opForm));
}

// ---- brands -------------------------------------------------------------------------------
async function brandsView() {
  render(el('p', { class: 'muted' }, 'Loading brands…'));
  const page = await api('GET', '/brands?page_size=100');
  const items = page.items || [];
  const header = el('div', { class: 'heading' }, el('h1', {}, 'Brands'), el('a', { class: 'button primary', href: '#/brands/new' }, 'New brand'));
  if (!items.length) {
    render(header, emptyState('No brands yet', 'Describe a brand (its names, look-alike spellings and reference photos) to start scanning for copies.',
      el('a', { class: 'button primary', href: '#/brands/new' }, 'Create your first brand')));
    return;
  }
  render(header, el('div', { class: 'grid cards', id: 'brand-list' }, items.map((b) => el('article', { class: 'card brand', 'data-brand': b.id },
    el('h3', {}, el('a', { href: `#/brands/${encodeURIComponent(b.id)}` }, b.name || b.id)),
    el('p', { class: 'muted' }, [...(b.names || []), ...(b.misspellings || [])].slice(0, 6).join(', ') || 'No names yet'),
    el('p', { class: 'small' }, `${(b.reference_images || []).length + (b.reference_uploads || []).length} reference image(s) · ${(b.provider && b.provider.type) || 'no provider'} · ${(b.schedule && b.schedule.type) || 'manual'}`),
    el('div', { class: 'actions' },
      el('a', { class: 'button', href: `#/brands/${encodeURIComponent(b.id)}` }, 'Edit'),
      el('button', { class: 'primary', type: 'button', 'data-start': b.id, onclick: () => startScan(b.id) }, 'Start scan'))))));
}

async function startScan(brandId) {
  try {
    const scan = await api('POST', '/scans', { brand_id: brandId });
    toast('Scan started');
    location.hash = `#/scans/${encodeURIComponent(scan.id)}`;
  } catch (e) { toast(e.message, 'bad'); }
}

const WEIGHTS = ['image', 'text', 'price', 'seller'];
const THRESHOLDS = ['infringement', 'price_ratio', 'bonus_floor'];

async function brandEditor(id) {
  const brand = id ? await api('GET', `/brands/${encodeURIComponent(id)}`) : { provider: { type: 'json-feed' }, schedule: { type: 'manual' } };
  const field = (label, name, value, attrs = {}) => el('label', {}, label, el('input', { name, value: value ?? '', ...attrs }));
  const area = (label, name, list, hint) => el('label', {}, label, el('textarea', { name, rows: 3, placeholder: hint }, (list || []).join('\n')));
  const kv = (obj, keys, prefix) => el('div', { class: 'grid two' }, [...new Set([...keys, ...Object.keys(obj || {})])].map((k) =>
    field(k.replace(/_/g, ' '), `${prefix}.${k}`, obj && obj[k] !== undefined ? obj[k] : '', { type: 'number', step: 'any', min: 0 })));
  const provider = brand.provider || { type: 'json-feed' };
  const schedule = brand.schedule || { type: 'manual' };
  const previews = el('div', { class: 'thumbs', id: 'reference-previews' });
  const msg = el('div', { class: 'error', role: 'alert', hidden: true });
  const form = el('form', { class: 'card editor', id: 'brand-form' },
    el('div', { class: 'grid two' },
      field('Brand id', 'id', id || '', { required: true, pattern: '[A-Za-z0-9._:-]{1,128}', readonly: !!id, title: 'letters, digits, . _ : -' }),
      field('Display name', 'name', brand.name, { required: true })),
    el('fieldset', {}, el('legend', {}, 'What to look for'),
      el('div', { class: 'grid three' },
        area('Names (one per line)', 'names', brand.names, 'Rocket'),
        area('Misspellings', 'misspellings', brand.misspellings, 'Rokket'),
        area('Keywords', 'keywords', brand.keywords, 'poster')),
      area('Authorized sellers', 'authorized_sellers', brand.authorized_sellers, 'rocket-official')),
    el('fieldset', {}, el('legend', {}, 'Reference images'),
      area('Image URLs (one per line)', 'reference_images', brand.reference_images, 'https://…/photo.jpg'),
      previews,
      id ? el('label', { class: 'upload' }, 'Upload a photo', el('input', { type: 'file', accept: 'image/*', name: 'upload', id: 'reference-upload' }))
        : el('p', { class: 'small muted' }, 'Save the brand first to upload photos.')),
    el('fieldset', {}, el('legend', {}, 'Scoring'),
      el('p', { class: 'small muted' }, 'Weights set how much each signal counts; thresholds set when a listing is flagged. Leave empty for the defaults.'),
      el('h4', {}, 'Weights'), kv(brand.weights, WEIGHTS, 'weights'),
      el('h4', {}, 'Thresholds'), kv(brand.thresholds, THRESHOLDS, 'thresholds'),
      el('div', { class: 'grid two' }, field('Reference price', 'reference_price', brand.reference_price, { type: 'number', step: 'any', min: 0 }),
        field('Currency', 'reference_currency', brand.reference_currency, { pattern: '[A-Z]{3}', placeholder: 'USD' }))),
    el('fieldset', {}, el('legend', {}, 'Where and when'),
      el('div', { class: 'grid three' },
        el('label', {}, 'Provider', el('select', { name: 'provider.type' }, ['json-feed', 'scraperapi', 'demo'].map((t) => el('option', { value: t, selected: provider.type === t }, t)))),
        field('Feed URL', 'provider.url', provider.url, { type: 'url' }),
        field('Search query', 'provider.query', provider.query)),
      el('div', { class: 'grid two' },
        el('label', {}, 'Schedule', el('select', { name: 'schedule.type' }, ['manual', 'daily', 'weekly', 'cron'].map((t) => el('option', { value: t, selected: schedule.type === t }, t)))),
        field('Cron expression (for cron)', 'schedule.cron', schedule.cron))),
    msg,
    el('div', { class: 'actions' },
      el('a', { class: 'button', href: '#/brands' }, 'Back'),
      id ? el('button', { type: 'button', id: 'editor-start', onclick: () => startScan(id) }, 'Start scan') : '',
      el('button', { type: 'submit', class: 'primary', id: 'brand-save' }, 'Save brand')));

  const showPreviews = () => {
    previews.replaceChildren();
    for (const url of lines(form.reference_images.value)) previews.append(el('figure', {}, el('img', { src: url, alt: 'reference' }), el('figcaption', {}, 'URL')));
    for (const up of brand.reference_uploads || []) {
      const img = el('img', { alt: 'uploaded reference' });
      previews.append(el('figure', {}, img, el('figcaption', {}, 'Uploaded')));
      authorisedImage(img, `/brands/${encodeURIComponent(id)}/reference-images/${encodeURIComponent(up.id)}`);
    }
    if (!previews.childElementCount) previews.append(el('p', { class: 'small muted' }, 'No reference images yet.'));
  };
  form.reference_images.addEventListener('change', showPreviews);
  const upload = form.querySelector('#reference-upload');
  if (upload) upload.addEventListener('change', async () => {
    const file = upload.files[0];
    if (!file) return;
    const data = new FormData(); data.append('image', file, file.name);
    try {
      await api('POST', `/brands/${encodeURIComponent(id)}/reference-images`, data, true);
      toast('Reference image uploaded');
      Object.assign(brand, await api('GET', `/brands/${encodeURIComponent(id)}`));
      showPreviews();
    } catch (e) { toast(e.message, 'bad'); }
  });
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    msg.hidden = true;
    const f = new FormData(form);
    const numbers = (prefix) => {
      const out = {};
      for (const [k, v] of f.entries()) if (k.startsWith(`${prefix}.`) && String(v).trim() !== '') out[k.slice(prefix.length + 1)] = Number(v);
      return out;
    };
    const body = {
      name: f.get('name').trim(),
      names: lines(f.get('names')), misspellings: lines(f.get('misspellings')), keywords: lines(f.get('keywords')),
      authorized_sellers: lines(f.get('authorized_sellers')), reference_images: lines(f.get('reference_images')),
      weights: numbers('weights'), thresholds: numbers('thresholds'),
      provider: { type: f.get('provider.type') }, schedule: { type: f.get('schedule.type') },
    };
    if (f.get('provider.url').trim()) body.provider.url = f.get('provider.url').trim();
    if (f.get('provider.query').trim()) body.provider.query = f.get('provider.query').trim();
    if (f.get('schedule.cron').trim()) body.schedule.cron = f.get('schedule.cron').trim();
    if (f.get('reference_price').trim()) body.reference_price = Number(f.get('reference_price'));
    if (f.get('reference_currency').trim()) body.reference_currency = f.get('reference_currency').trim();
    const brandId = (id || f.get('id')).trim();
    try {
      await api('PUT', `/brands/${encodeURIComponent(brandId)}`, body);
      toast('Brand saved');
      if (!id) location.hash = `#/brands/${encodeURIComponent(brandId)}`;
    } catch (e) { msg.textContent = e.message; msg.hidden = false; }
  });
  render(el('div', { class: 'heading' }, el('h1', {}, id ? `Brand: ${brand.name || id}` : 'New brand')), form);
  showPreviews();
}

// ---- scans --------------------------------------------------------------------------------
async function scansView() {
  render(el('p', { class: 'muted' }, 'Loading scans…'));
  const [scans, brands] = await Promise.all([api('GET', '/scans?page_size=50'), api('GET', '/brands?page_size=100')]);
  const brandItems = brands.items || [];
  const picker = el('select', { id: 'scan-brand' }, brandItems.map((b) => el('option', { value: b.id }, b.name || b.id)));
  const header = el('div', { class: 'heading' }, el('h1', {}, 'Scans'),
    brandItems.length ? el('div', { class: 'actions' }, picker, el('button', { class: 'primary', id: 'scan-start', type: 'button', onclick: () => startScan(picker.value) }, 'Start scan')) : '');
  const items = scans.items || [];
  if (!items.length) {
    render(header, emptyState('No scans yet', brandItems.length ? 'Start a scan to search the marketplaces for copies of a brand.' : 'Create a brand first, then start a scan.',
      brandItems.length ? '' : el('a', { class: 'button primary', href: '#/brands/new' }, 'Create a brand')));
    return;
  }
  render(header, el('div', { class: 'table', id: 'scan-list' },
    el('div', { class: 'row head' }, el('span', {}, 'Brand'), el('span', {}, 'State'), el('span', {}, 'Listings'), el('span', {}, 'Findings'), el('span', {}, 'Started'), el('span', {}, '')),
    items.map((s) => el('div', { class: 'row', 'data-scan': s.id },
      el('span', {}, s.brand_id), el('span', {}, stateBadge(s.state)),
      el('span', {}, String((s.counts || {}).gathered || 0)), el('span', {}, String((s.counts || {}).findings || 0)),
      el('span', { class: 'small' }, when(s.created_at)),
      el('span', { class: 'actions' }, el('a', { href: `#/scans/${encodeURIComponent(s.id)}` }, 'Progress'),
        el('a', { href: `#/scans/${encodeURIComponent(s.id)}/findings` }, 'Findings'))))));
}

/** How far each phase is, 0..1, from the scan's counts and state. */
function phaseShares(state, c) {
  const gathered = c.gathered || 0;
  const done = state === 'complete';
  const past = (s) => ['acquiring', 'committing', 'scoring', 'complete'].includes(state) || (done && s);
  const usable = Math.max(0, gathered - (c.failed || 0));
  return {
    gathered: past(true) ? 1 : gathered > 0 ? 0.5 : 0,
    acquired: done ? 1 : gathered ? ((c.acquired || 0) + (c.failed || 0)) / gathered : 0,
    committed: done ? 1 : usable ? (c.committed || 0) / usable : 0,
    scored: done ? 1 : usable ? (c.scored || 0) / usable : 0,
    failed: gathered ? (c.failed || 0) / gathered : 0,
  };
}

async function liveScanView(scanId) {
  const scan = await api('GET', `/scans/${encodeURIComponent(scanId)}`);
  const bars = {};
  const rows = PHASES.map((p) => {
    const fill = el('div', { class: `fill p-${p}` });
    const label = el('span', { class: 'count' });
    const bar = el('div', { class: 'bar', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'data-phase': p }, fill);
    bars[p] = { bar, fill, label };
    return el('div', { class: 'phase' }, el('div', { class: 'phase-head' }, el('span', {}, p[0].toUpperCase() + p.slice(1)), label), bar);
  });
  const badge = el('span', { id: 'scan-state' });
  const status = el('p', { class: 'small muted', id: 'live-status' }, 'Connecting to live updates…');
  const findingsLink = el('a', { class: 'button primary', href: `#/scans/${encodeURIComponent(scanId)}/findings`, id: 'to-findings' }, 'See findings');
  const problems = el('ul', { class: 'problems' });
  const paint = (state, counts) => {
    badge.replaceChildren(stateBadge(state));
    badge.dataset.state = state;
    const share = phaseShares(state, counts);
    for (const p of PHASES) {
      const v = Math.round(share[p] * 100);
      bars[p].fill.style.width = `${v}%`;
      bars[p].bar.setAttribute('aria-valuenow', v);
      bars[p].bar.dataset.percent = v;
      bars[p].label.textContent = `${counts[p] || 0} · ${v}%`;
    }
  };
  paint(scan.state, scan.counts || {});
  render(el('div', { class: 'heading' }, el('h1', {}, `Scan of ${scan.brand_id}`), badge),
    el('section', { class: 'card live', id: 'live-scan' }, rows, status, problems),
    el('div', { class: 'actions' }, el('a', { class: 'button', href: '#/scans' }, 'All scans'), findingsLink));
  if (FINAL.has(scan.state)) { status.textContent = `This scan is ${scan.state}.`; return; }
  const base = config.push_url || '';
  const source = new EventSource(`${base}${API}/scans/${encodeURIComponent(scanId)}/events?access_token=${encodeURIComponent(session.token)}`);
  live = source;
  const panel = document.getElementById('live-scan');
  panel.dataset.events = '0';
  const onEvent = (ev) => {
    const e = JSON.parse(ev.data);
    panel.dataset.events = String(Number(panel.dataset.events) + 1);
    paint(e.state, e.counts || {});
    if (e.type === 'failure' && e.detail) problems.append(el('li', {}, e.detail));
    status.textContent = `Live · last update ${new Date().toLocaleTimeString()}`;
    if (FINAL.has(e.state)) { status.textContent = `This scan is ${e.state}.`; source.close(); }
  };
  for (const type of ['state', 'progress', 'failure', 'message']) source.addEventListener(type, onEvent);
  source.onopen = () => { status.textContent = 'Live'; };
  // EventSource reconnects by itself, sending Last-Event-ID, so nothing is missed.
  source.onerror = () => { if (source.readyState !== EventSource.CLOSED) status.textContent = 'Reconnecting…'; };
}

// ---- findings -----------------------------------------------------------------------------
const DECISIONS = [['confirmed', 'Confirm'], ['dismissed', 'Dismiss'], ['allowlist_seller', 'Allowlist seller']];

async function findingsView(scanId) {
  const scan = await api('GET', `/scans/${encodeURIComponent(scanId)}`);
  const params = new URLSearchParams(location.hash.split('?')[1] || '');
  const minScore = el('input', { type: 'range', min: 0, max: 1, step: 0.05, value: 0, id: 'filter-min' });
  const minLabel = el('span', { class: 'small' }, '0%');
  const status = el('select', { id: 'filter-status' }, el('option', { value: '' }, 'Any status'),
    ['open', 'confirmed', 'dismissed', 'allowlist_seller'].map((s) => el('option', { value: s }, s.replace('_', ' '))));
  const grid = el('div', { class: 'grid findings', id: 'findings' });
  const load = async () => {
    minLabel.textContent = pct(Number(minScore.value));
    grid.replaceChildren(el('p', { class: 'muted' }, 'Loading findings…'));
    const q = new URLSearchParams({ page_size: 50, sort: '-score' });
    if (Number(minScore.value) > 0) q.set('min_score', minScore.value);
    if (status.value) q.set('review_status', status.value);
    try {
      const page = await api('GET', `/scans/${encodeURIComponent(scanId)}/findings?${q}`);
      const items = page.items || [];
      grid.replaceChildren(...(items.length ? items.map((f) => findingCard(f, scan)) : [emptyState('No findings here',
        FINAL.has(scan.state) ? 'Nothing matches these filters.' : 'The scan is still running; findings appear as listings are scored.')]));
    } catch (e) { grid.replaceChildren(errorState(e)); }
  };
  minScore.addEventListener('change', load);
  minScore.addEventListener('input', () => { minLabel.textContent = pct(Number(minScore.value)); });
  status.addEventListener('change', load);
  if (params.get('review_status')) status.value = params.get('review_status');
  render(el('div', { class: 'heading' }, el('h1', {}, `Findings · ${scan.brand_id}`), stateBadge(scan.state)),
    el('div', { class: 'filters card' }, el('label', {}, 'Minimum score ', minScore, minLabel), el('label', {}, 'Review status ', status)),
    grid);
  await load();
}

function scoreBar(label, value, detail) {
  const v = typeof value === 'number' ? value : 0;
  return el('div', { class: 'mini' }, el('div', { class: 'mini-head' }, el('span', {}, label), el('span', {}, pct(v))),
    el('div', { class: 'bar thin' }, el('div', { class: 'fill', style: `width:${pct(v)}` })), detail ? el('p', { class: 'small muted' }, detail) : '');
}

function findingCard(f, scan) {
  const b = f.breakdown || {};
  const image = b.image || {};
  const text = b.text || {};
  const match = image.match || null;
  const listingImg = el('img', { class: 'listing-img', alt: 'listing photo' });
  authorisedImage(listingImg, `/findings/${encodeURIComponent(f.id)}/image`);
  let referenceImg;
  if (match && typeof match.reference === 'string' && /^https?:\/\//.test(match.reference)) {
    referenceImg = el('img', { class: 'reference-img', alt: 'matched reference', src: match.reference });
  } else if (match && match.reference) {
    referenceImg = el('img', { class: 'reference-img', alt: 'matched reference' });
    authorisedImage(referenceImg, `/brands/${encodeURIComponent(scan.brand_id)}/reference-images/${encodeURIComponent(match.reference)}`);
  } else {
    referenceImg = el('div', { class: 'noimg' }, 'No matching reference');
  }
  const bonuses = (b.bonuses || []).filter((x) => x.fired);
  const spanText = text.span && text.span.text;
  const textWords = text.matched && text.brand_term
    ? `"${spanText || text.brand_term}" looks like ${text.term_kind ? `the ${text.term_kind.replace(/_/g, ' ')}` : 'the brand term'} "${text.brand_term}"${text.rule ? ` (${String(text.rule).replace(/_/g, ' ')})` : ''}`
    : text.brand_term ? `closest brand term "${text.brand_term}"` : 'no brand term in the title';
  const verdict = typeof b.threshold === 'number'
    ? `${b.infringing ? 'Flagged as likely infringing' : 'Below the flagging threshold'} (threshold ${pct(b.threshold)})` : '';
  const reasons = Array.isArray(b.evidence) ? b.evidence.filter((x) => typeof x === 'string') : (typeof b.evidence === 'string' ? [b.evidence] : []);
  const imageWords = match ? `${match.matched ? 'matches' : 'resembles'} a reference${match.decided_by ? ` (${match.decided_by})` : ''}` : (image.note || 'no reference compared');
  const statusEl = el('span', { class: `badge r-${f.review_status}`, 'data-role': 'review-status' }, f.review_status.replace('_', ' '));
  const card = el('article', { class: 'card finding', 'data-finding': f.id },
    el('div', { class: 'pair' }, el('figure', {}, listingImg, el('figcaption', {}, 'Listing')), el('figure', {}, referenceImg, el('figcaption', {}, 'Reference'))),
    el('div', { class: 'finding-head' }, el('h3', {}, f.title || 'Untitled listing'), el('span', { class: 'score', 'data-score': f.score }, pct(f.score))),
    el('p', { class: 'small muted' }, [f.listing && f.listing.seller ? `Seller ${f.listing.seller}` : '', f.listing && f.listing.price != null ? `${f.listing.price} ${f.listing.currency || ''}` : ''].filter(Boolean).join(' · ')),
    verdict ? el('p', { class: `small verdict ${b.infringing ? 'hot' : ''}` }, verdict) : '',
    scoreBar('Image', image.score, imageWords),
    scoreBar('Title', text.score, textWords),
    reasons.length ? el('ul', { class: 'small bonuses' }, reasons.slice(0, 4).map((r) => el('li', {}, r))) : '',
    bonuses.length ? el('ul', { class: 'small bonuses' }, bonuses.map((x) => el('li', {}, `${String(x.name).replace(/_/g, ' ')}${x.detail ? `: ${x.detail}` : ''}`))) : '',
    el('div', { class: 'review' }, statusEl,
      el('span', { class: 'actions' }, DECISIONS.map(([decision, label]) => el('button', { type: 'button', class: decision === 'confirmed' ? 'primary' : '', 'data-decision': decision,
        onclick: async () => {
          try {
            const answer = await api('POST', `/findings/${encodeURIComponent(f.id)}/review`, { decision });
            statusEl.textContent = answer.review_status.replace('_', ' ');
            statusEl.className = `badge r-${answer.review_status}`;
            card.dataset.status = answer.review_status;
            toast(`Marked ${answer.review_status.replace('_', ' ')}`);
          } catch (e) { toast(e.message, 'bad'); }
        } }, label)))),
    f.url ? el('a', { class: 'small', href: f.url, target: '_blank', rel: 'noopener noreferrer' }, 'Open listing ↗') : '');
  card.dataset.status = f.review_status;
  return card;
}

// ---- operator: the Active Brand Registry ---------------------------------------------------
async function operatorView() {
  const page = await api('GET', '/operator/registry?limit=500');
  const rows = new Map();
  const body = el('tbody');
  const count = el('span', { class: 'muted' });
  const status = el('span', { class: 'muted', id: 'operator-live' }, 'Connecting to live updates…');
  const renderRow = (b) => {
    const done = b.expected ? (b.completed / b.expected) : 0;
    const lease = b.lease_expires_at ? new Date(b.lease_expires_at).toLocaleTimeString() : '—';
    const row = el('tr', { 'data-batch': b.brand },
      el('td', { class: 'mono' }, b.brand),
      el('td', {}, el('div', { class: 'bar', 'data-percent': Math.round(done * 100) },
        el('div', { class: 'fill', style: `width:${pct(done)}` })), `${b.completed} of ${b.expected}`),
      el('td', {}, String(b.failed)),
      el('td', {}, el('span', { class: `badge c-${b.commit_state}` }, b.commit_state.replace('_', ' '))),
      el('td', {}, lease));
    const old = rows.get(b.brand);
    rows.set(b.brand, row);
    if (old) old.replaceWith(row); else body.append(row);
  };
  const refreshCount = () => { count.textContent = `${rows.size} active batch${rows.size === 1 ? '' : 'es'}`; };
  page.batches.forEach(renderRow);
  refreshCount();
  const table = el('table', { class: 'grid-table', id: 'registry-batches' },
    el('thead', {}, el('tr', {}, el('th', {}, 'Batch (client/scan/attempt)'), el('th', {}, 'Progress'),
      el('th', {}, 'Failed'), el('th', {}, 'Commit'), el('th', {}, 'Lease until'))), body);
  render(el('section', { class: 'card' },
    el('div', { class: 'op-head' }, el('h1', {}, 'Registry'), count, status),
    rows.size ? table : emptyState('No active batches', 'Batches appear here while scans acquire their images.'),
    rows.size ? '' : table));
  if (!rows.size) table.hidden = true;
  // Live: the push tier's event-bus bridge, raw SockJS WebSocket frames, outbound only.
  const base = (config.push_url || location.origin).replace(/^http/, 'ws');
  const ws = new WebSocket(`${base}/eventbus/websocket?access_token=${encodeURIComponent(session.token)}`);
  live = { close: () => ws.close() };
  ws.onopen = () => {
    ws.send(JSON.stringify({ type: 'register', address: 'brandscan.registry.progress', headers: { access_token: session.token } }));
    status.textContent = 'Live';
  };
  ws.onmessage = async (m) => {
    const text = typeof m.data === 'string' ? m.data : await m.data.text();
    const frame = JSON.parse(text);
    if (frame.type === 'err') { status.textContent = 'Live updates refused'; return; }
    if (frame.type !== 'rec' || !frame.body) return;
    const b = frame.body;
    if (b.type === 'expired' || b.type === 'committed' || b.type === 'removed') {
      const row = rows.get(b.brand); if (row) row.remove(); rows.delete(b.brand);
    } else if (b.brand && b.expected !== undefined) {
      renderRow(b);
      table.hidden = false;
      const empty = view.querySelector('.empty'); if (empty) empty.remove();
    }
    refreshCount();
  };
  ws.onclose = () => { if (live) status.textContent = 'Live updates stopped; reload to reconnect'; };
}

// ---- start --------------------------------------------------------------------------------
document.getElementById('logout').addEventListener('click', () => { session.clear(); location.hash = '#/login'; });
window.addEventListener('hashchange', route);
try {
  const res = await fetch('/dashboard-config.json');
  if (res.ok) config = await res.json();
} catch (e) { /* same origin then */ }
// A link that carries a session (`#/welcome?token=...`, what `brandscan demo` prints) signs in
// at once; the token lives in the fragment, which browsers never send to a server.
if (location.hash.startsWith('#/welcome?')) {
  const params = new URLSearchParams(location.hash.split('?')[1]);
  const token = params.get('token');
  try {
    const claims = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    session.save({ token, role: claims.role, client_id: claims.client_id }, params.get('email') || claims.sub);
  } catch (e) { session.clear(); }
  history.replaceState(null, '', location.pathname + '#/brands');
}
route();
