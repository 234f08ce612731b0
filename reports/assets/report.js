/* policyprobe HTML report: filtering only. The findings are rendered in HTML already; this
   script hides and shows them. Data is read from the embedded JSON and only ever inserted with
   textContent / option.value, never as markup. Initial filters come from location.hash,
   e.g. #status=fail&severity=high&target=mail&rule=EAS-001&q=basic&view=rule */
(function () {
  'use strict';
  var blob = document.getElementById('pp-data');
  if (!blob) return;
  var data;
  try { data = JSON.parse(blob.textContent); } catch (e) { return; }
  var results = data.results || [];
  var controls = document.getElementById('controls');
  controls.hidden = false;
  var el = {
    status: document.getElementById('f-status'),
    severity: document.getElementById('f-severity'),
    target: document.getElementById('f-target'),
    rule: document.getElementById('f-rule'),
    q: document.getElementById('f-q')
  };
  var view = 'host';

  function addOptions(select, values) {
    values.forEach(function (v) {
      var o = document.createElement('option');
      o.value = v;
      o.textContent = v;
      select.appendChild(o);
    });
  }
  function unique(key) {
    var seen = {}, out = [];
    results.forEach(function (r) { if (!Object.prototype.hasOwnProperty.call(seen, r[key])) { seen[r[key]] = 1; out.push(r[key]); } });
    return out.sort();
  }
  addOptions(el.target, unique('target'));
  addOptions(el.rule, unique('rule'));

  var articles = {};
  Array.prototype.forEach.call(document.querySelectorAll('article.finding[data-i]'), function (a) {
    articles[a.getAttribute('data-i')] = a;
  });

  function hasOption(select, v) {
    for (var i = 0; i < select.options.length; i++) if (select.options[i].value === v) return true;
    return false;
  }
  function readHash() {
    var h = location.hash.replace(/^#/, '');
    var p = {};
    h.split('&').forEach(function (kv) {
      if (!kv) return;
      var i = kv.indexOf('=');
      var k = i < 0 ? kv : kv.slice(0, i);
      var v = i < 0 ? '' : kv.slice(i + 1);
      try { p[decodeURIComponent(k)] = decodeURIComponent(v.replace(/\+/g, ' ')); } catch (e) { /* ignore bad escapes */ }
    });
    ['status', 'severity', 'target', 'rule'].forEach(function (k) {
      el[k].value = (p[k] && hasOption(el[k], p[k])) ? p[k] : '';
    });
    el.q.value = p.q || '';
    view = p.view === 'rule' ? 'rule' : 'host';
  }
  function writeHash() {
    var parts = [];
    ['status', 'severity', 'target', 'rule', 'q'].forEach(function (k) {
      if (el[k].value) parts.push(k + '=' + encodeURIComponent(el[k].value));
    });
    if (view !== 'host') parts.push('view=' + view);
    var h = parts.length ? '#' + parts.join('&') : ' ';
    if (history.replaceState) history.replaceState(null, '', h === ' ' ? location.pathname + location.search : h);
  }
  function matches(r) {
    var st = el.status.value;
    if (st === 'findings' ? (r.status !== 'fail' && r.status !== 'error') : (st && r.status !== st)) return false;
    if (el.severity.value && r.severity !== el.severity.value) return false;
    if (el.target.value && r.target !== el.target.value) return false;
    if (el.rule.value && r.rule !== el.rule.value) return false;
    var q = el.q.value.trim().toLowerCase();
    if (q && r.text.toLowerCase().indexOf(q) < 0) return false;
    return true;
  }
  function apply() {
    var visible = 0, perTarget = {}, perRule = {};
    results.forEach(function (r) {
      var ok = matches(r);
      var a = articles[String(r.i)];
      if (a) a.hidden = !ok;
      if (ok) {
        visible++;
        perTarget[r.target] = (perTarget[r.target] || 0) + 1;
        perRule[r.rule] = (perRule[r.rule] || 0) + 1;
      }
    });
    Array.prototype.forEach.call(document.querySelectorAll('section.target[data-target]'), function (s) {
      s.hidden = !perTarget[s.getAttribute('data-target')];
    });
    Array.prototype.forEach.call(document.querySelectorAll('tr.rule-row[data-rule]'), function (tr) {
      tr.hidden = !perRule[tr.getAttribute('data-rule')];
    });
    Array.prototype.forEach.call(document.querySelectorAll('tr.cert[data-target]'), function (tr) {
      tr.hidden = !!el.target.value && tr.getAttribute('data-target') !== el.target.value;
    });
    var c = document.getElementById('visible-count');
    c.setAttribute('data-visible', String(visible));
    c.textContent = 'Showing ' + visible + ' of ' + results.length + ' results';
    document.getElementById('no-match').hidden = visible !== 0;
    document.getElementById('view-host').hidden = view !== 'host';
    document.getElementById('view-rule').hidden = view !== 'rule';
    Array.prototype.forEach.call(document.querySelectorAll('.tabs button[data-view]'), function (b) {
      b.setAttribute('aria-selected', b.getAttribute('data-view') === view ? 'true' : 'false');
    });
  }
  function changed() { apply(); writeHash(); }
  ['status', 'severity', 'target', 'rule'].forEach(function (k) { el[k].addEventListener('change', changed); });
  el.q.addEventListener('input', changed);
  document.getElementById('f-reset').addEventListener('click', function () {
    ['status', 'severity', 'target', 'rule', 'q'].forEach(function (k) { el[k].value = ''; });
    changed();
  });
  Array.prototype.forEach.call(document.querySelectorAll('.tabs button[data-view]'), function (b) {
    b.addEventListener('click', function () { view = b.getAttribute('data-view'); changed(); });
  });
  // A link from the rule view ("#f-12") shows that finding in the host view, unfiltered.
  function focusFinding() {
    var m = /^#(f-[0-9]+)$/.exec(location.hash);
    var a = m && document.getElementById(m[1]);
    if (!a) return false;
    ['status', 'severity', 'target', 'rule', 'q'].forEach(function (k) { el[k].value = ''; });
    view = 'host';
    apply();
    var d = a.querySelector('details');
    if (d) d.open = true;
    a.scrollIntoView();
    return true;
  }
  window.addEventListener('hashchange', function () { if (!focusFinding()) { readHash(); apply(); } });
  if (!focusFinding()) { readHash(); apply(); }
})();
