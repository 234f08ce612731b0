/* policyprobe HTML report: filtering. Failures, errors and waivers are rendered in HTML already
   (the script hides and shows them); passes, skips and blocked results exist only in the
   embedded JSON and are listed here on demand, so a fleet report stays small. Data is only ever
   inserted with textContent, never as markup. Filters live in location.hash, e.g.
   #status=all&baseline=new&severity=high&target=mail&rule=EAS-001&q=basic
   (no status = fail + error, the default view). Printing prints what is shown, with the
   evidence folds of the shown findings opened. */
(function () {
  'use strict';
  var blob = document.getElementById('pp-data');
  if (!blob) return;
  var data;
  try { data = JSON.parse(blob.textContent); } catch (e) { return; }
  var targets = data.targets || [], rules = {}, ruleList = data.rules || [];
  ruleList.forEach(function (r) { rules[r[0]] = { title: r[1], severity: r[2] }; });
  // Compact rows (see data_blob in html.cc) into objects: i, s(tatus), r(ule), t(arget index),
  // b(aseline), u (subject), m(essage), by (blocked by), v (severity), e(vidence: its position in
  // the <template id=pp-evidence>, whose escaped text is cloned, never parsed from data).
  var strings = data.strings || [''];
  var results = (data.results || []).map(function (a, i) {
    var rule = ruleList[a[1]] || ['', '', ''];
    return { i: i, s: a[0], r: rule[0], t: a[2], b: a[3] || '', u: strings[a[4] || 0], m: strings[a[5] || 0],
             by: strings[a[6] || 0], v: a[7] || rule[2], e: a[8] || 0 };
  });
  var KEYS = ['status', 'baseline', 'severity', 'target', 'rule', 'q'];
  var FIRST_PAGE = 200;
  var controls = document.getElementById('controls');
  controls.hidden = false;
  var el = {};
  KEYS.forEach(function (k) { el[k] = document.getElementById('f-' + k); });
  var each = function (sel, fn) { Array.prototype.forEach.call(document.querySelectorAll(sel), fn); };

  var articles = {}, inProbe = {};
  each('article.finding[data-i]', function (a) { articles[a.getAttribute('data-i')] = a; });
  each('#probe article.finding[data-i]', function (a) { inProbe[a.getAttribute('data-i')] = true; });
  var groups = {};
  each('section.rule[data-rule]', function (s) { groups[s.getAttribute('data-rule')] = s; });
  var probe = document.getElementById('probe');
  var others = document.getElementById('others');
  var othersList = document.getElementById('others-list');
  var othersMore = document.getElementById('others-more');
  var othersShown = [], othersLimit = FIRST_PAGE;
  var store = document.getElementById('pp-evidence');
  var evidence = store && store.content;

  var texts = {};
  function text(r) {
    var t = texts[r.i];
    if (t === undefined) {
      var a = articles[String(r.i)];
      t = a ? a.textContent : [r.r, rules[r.r] ? rules[r.r].title : '', r.u, r.m, targets[r.t], r.by].join('\n');
      t = texts[r.i] = t.toLowerCase();
    }
    return t;
  }
  function hasOption(select, v) {
    for (var i = 0; i < select.options.length; i++) if (select.options[i].value === v) return true;
    return false;
  }
  function readHash() {
    var p = {};
    location.hash.replace(/^#/, '').split('&').forEach(function (kv) {
      if (!kv) return;
      var i = kv.indexOf('=');
      var k = i < 0 ? kv : kv.slice(0, i);
      var v = i < 0 ? '' : kv.slice(i + 1);
      try { p[decodeURIComponent(k)] = decodeURIComponent(v.replace(/\+/g, ' ')); } catch (e) { /* ignore bad escapes */ }
    });
    KEYS.forEach(function (k) {
      if (k === 'q') el.q.value = p.q || '';
      else el[k].value = (p[k] && hasOption(el[k], p[k])) ? p[k] : '';
    });
  }
  function writeHash() {
    var parts = [];
    KEYS.forEach(function (k) { if (el[k].value) parts.push(k + '=' + encodeURIComponent(el[k].value)); });
    if (history.replaceState) history.replaceState(null, '', parts.length ? '#' + parts.join('&') : location.pathname + location.search);
  }
  function matches(r) {
    var st = el.status.value;
    if (st === '' ? (r.s !== 'fail' && r.s !== 'error') : (st !== 'all' && r.s !== st)) return false;
    if (el.baseline.value && r.b !== el.baseline.value) return false;
    if (el.severity.value && r.v !== el.severity.value) return false;
    if (el.target.value && targets[r.t] !== el.target.value) return false;
    if (el.rule.value && r.r !== el.rule.value) return false;
    var q = el.q.value.trim().toLowerCase();
    if (q && text(r).indexOf(q) < 0) return false;
    return true;
  }

  function span(cls, s) {
    var e = document.createElement('span');
    e.className = cls;
    e.textContent = s;
    return e;
  }
  function otherItem(r) {
    var li = document.createElement('li');
    li.className = 'status-' + r.s;
    li.appendChild(span('badge st-' + r.s, r.s));
    if (r.b) li.appendChild(span('badge bl bl-' + r.b.replace(/ /g, '-'), r.b));
    li.appendChild(span('rule-id', r.r));
    li.appendChild(span('title', rules[r.r] ? rules[r.r].title : ''));
    li.appendChild(span('subject', r.u || ''));
    li.appendChild(span('tgt', targets[r.t]));
    if (r.m) li.appendChild(span('message', r.m));
    if (r.by) li.appendChild(span('message muted', 'blocked by ' + r.by));
    var ev = r.e && evidence && evidence.children[r.e - 1];
    if (ev) {
      var d = document.createElement('details'), sm = document.createElement('summary'), pre = ev.cloneNode(true);
      sm.textContent = 'evidence';
      pre.className = 'evidence';
      d.appendChild(sm);
      d.appendChild(pre);
      li.appendChild(d);
    }
    return li;
  }
  function renderOthers() {
    othersList.textContent = '';
    var frag = document.createDocumentFragment();
    var n = Math.min(othersShown.length, othersLimit);
    for (var i = 0; i < n; i++) frag.appendChild(otherItem(othersShown[i]));
    othersList.appendChild(frag);
    others.hidden = othersShown.length === 0;
    othersMore.hidden = othersShown.length <= n;
    othersMore.textContent = 'Show all ' + othersShown.length;
  }

  function describeFilters() {
    var parts = [];
    parts.push('status ' + (el.status.value === '' ? 'fail + error' : el.status.value));
    ['baseline', 'severity', 'target', 'rule'].forEach(function (k) { if (el[k].value) parts.push(k + ' ' + el[k].value); });
    if (el.q.value.trim()) parts.push('search "' + el.q.value.trim() + '"');
    return 'Filters: ' + parts.join(', ');
  }

  function apply() {
    var visible = 0, perRule = {}, probeVisible = 0;
    othersShown = [];
    othersLimit = FIRST_PAGE;
    for (var k = 0; k < results.length; k++) {
      var r = results[k];
      var ok = matches(r);
      var a = articles[String(r.i)];
      if (a) {
        if (a.hidden === ok) a.hidden = !ok;
        if (ok) { if (inProbe[r.i]) probeVisible++; else perRule[r.r] = (perRule[r.r] || 0) + 1; }
      } else if (ok) {
        othersShown.push(r);
      }
      if (ok) visible++;
    }
    var groupsVisible = 0;
    Object.keys(groups).forEach(function (id) {
      var s = groups[id], n = perRule[id] || 0;
      s.hidden = n === 0;
      if (n) groupsVisible++;
      var total = s.querySelectorAll('article.finding').length;
      s.querySelector('[data-role=shown]').textContent = n && n !== total ? n + ' of ' + total + ' shown' : '';
      // A filter that narrows a long list to a few subjects opens it.
      if (n && n !== total && n <= 6) s.querySelector('details.subjects').open = true;
    });
    if (probe) probe.hidden = probeVisible === 0;
    renderOthers();
    each('tr.rule-row[data-rule]', function (tr) { tr.hidden = !!el.rule.value && tr.getAttribute('data-rule') !== el.rule.value; });
    each('#targets tr[data-target], tr.cert[data-target]', function (tr) {
      tr.hidden = !!el.target.value && tr.getAttribute('data-target') !== el.target.value;
    });
    var c = document.getElementById('visible-count');
    c.setAttribute('data-visible', String(visible));
    c.textContent = 'Showing ' + visible + ' of ' + results.length + ' results';
    document.getElementById('no-match').hidden = groupsVisible !== 0 || probeVisible !== 0 || othersShown.length !== 0;
    document.getElementById('filter-note').textContent = describeFilters();
  }
  function changed() { apply(); writeHash(); }
  ['status', 'severity', 'target', 'rule'].forEach(function (k) { el[k].addEventListener('change', changed); });
  el.baseline.addEventListener('change', function () {
    // Fixed results pass and unevaluated ones are blocked or gone: show them whatever their status.
    if ((el.baseline.value === 'fixed' || el.baseline.value === 'not evaluated') && el.status.value === '') el.status.value = 'all';
    changed();
  });
  var typing;
  el.q.addEventListener('input', function () { clearTimeout(typing); typing = setTimeout(changed, 120); });
  document.getElementById('f-reset').addEventListener('click', function () {
    KEYS.forEach(function (k) { el[k].value = ''; });
    changed();
  });
  othersMore.addEventListener('click', function () { othersLimit = othersShown.length; renderOthers(); });

  // A link to one finding ("#f-12") shows it, unfiltered, with its evidence open.
  function focusFinding() {
    var m = /^#(f-[0-9]+)$/.exec(location.hash);
    var a = m && document.getElementById(m[1]);
    if (!a) return false;
    KEYS.forEach(function (k) { el[k].value = ''; });
    el.status.value = 'all';
    apply();
    var d = a.querySelector('details');
    if (d) d.open = true;
    a.scrollIntoView();
    return true;
  }
  // Paper has no click: open the evidence of every shown finding while printing, then restore.
  var openedForPrint = [];
  window.addEventListener('beforeprint', function () {
    // Shown = inside no hidden element: decided from attributes, so a fleet costs one layout.
    each('details.subjects:not([open]), article.finding details:not([open])', function (d) {
      if (!d.closest('[hidden]')) openedForPrint.push(d);
    });
    openedForPrint.forEach(function (d) { d.open = true; });
  });
  window.addEventListener('afterprint', function () {
    openedForPrint.forEach(function (d) { d.open = false; });
    openedForPrint = [];
  });
  window.addEventListener('hashchange', function () { if (!focusFinding()) { readHash(); apply(); } });
  if (!focusFinding()) { readHash(); apply(); }
})();
