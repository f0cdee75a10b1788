// The combined filter of the upcoming listings: progressive enhancement of the static pages (kkssite/filters.py).
// It loads aktiviteter/index.json (every upcoming activity) on first use, renders the matching cards from the
// page's <template id="filter-card">, keeps the selection in the URL query (?yrke=ljustekniker&ort=malmo), and
// announces the number of hits in the role=status element. Without it, the facet pages do the job. Its texts
// come from the page (data-texts, from the site's catalogue), its feeds from the index. The needs listing uses it
// too, with its own index (behov/index.json) and without the time select and the feeds.
(function () {
  "use strict";
  var form = document.getElementById("filter");
  var template = document.getElementById("filter-card");
  if (!form || !template || !window.fetch || !window.URLSearchParams || !history.pushState || !"".normalize) return;

  var status = document.getElementById("filter-status");
  var results = document.getElementById("filter-results");
  var list = results.querySelector("ol");
  var more = results.querySelector(".filter-more");
  var listing = document.getElementById("listing");
  var subscribe = document.getElementById("filter-subscribe");
  var body = document.getElementById("filter-body");
  var toggle = form.querySelector(".filter-toggle");
  var narrow = window.matchMedia ? window.matchMedia("(max-width: 40rem)") : { matches: false };
  var root = form.getAttribute("data-root");
  var base = form.getAttribute("data-base");
  var preset = JSON.parse(form.getAttribute("data-preset") || "{}");
  var texts = JSON.parse(form.getAttribute("data-texts") || "{}");
  var staticStatus = status.textContent;
  var selects = [].slice.call(form.querySelectorAll("select"));
  var when = document.getElementById("filter-tid");
  var TIME = when ? when.name : null;
  var search = form.elements.q;
  var STEP = 50;
  var items = null, periods = {}, feeds = {}, files = [], loading = null, limit = STEP, timer = 0, typing = false;

  function say(key, values) {
    return (texts[key] || "").replace(/\{(\w+)\}/g, function (_, name) { return values[name]; });
  }

  selects.forEach(function (select) {
    [].forEach.call(select.options, function (o) { o.setAttribute("data-label", o.textContent); });
  });

  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/\s+/g, " ").trim();
  }
  function label(option) { return option.getAttribute("data-label"); }
  function option(select, value) {
    return [].filter.call(select.options, function (o) { return o.value === value; })[0] || null;
  }
  function same(a, b) {
    var keys = Object.keys(a).concat(Object.keys(b));
    return keys.every(function (k) { return a[k] === b[k]; });
  }

  // --- state: select name → option value ("yrke:ljustekniker"), "tid" → period, "q" → text -----------------
  function fromForm() {
    var state = {};
    selects.forEach(function (s) { if (s.value) state[s.name] = s.value; });
    if (search.value.trim()) state.q = search.value;
    return state;
  }
  function toForm(state) {
    selects.forEach(function (s) { s.value = state[s.name] && option(s, state[s.name]) ? state[s.name] : ""; });
    search.value = state.q || "";
  }
  function fromUrl() {
    var params = new URLSearchParams(location.search), state = {}, known = false;
    params.forEach(function (value, key) {
      if (key === "q" || key === TIME) { state[key] = value; known = true; return; }
      if (key === "alla") { known = true; return; }
      selects.forEach(function (s) {
        if (option(s, key + ":" + value)) { state[s.name] = key + ":" + value; known = true; }
      });
    });
    return known ? state : Object.assign({}, preset);
  }
  function toQuery(state) {
    if (same(state, preset)) return "";
    var params = new URLSearchParams();
    selects.forEach(function (s) {
      var value = state[s.name];
      if (!value) return;
      if (s.name === TIME) { params.append(TIME, value); return; }
      var at = value.indexOf(":");
      params.append(value.slice(0, at), value.slice(at + 1));
    });
    if (state.q) params.append("q", state.q);
    var query = params.toString();
    return query ? "?" + query : "?alla";
  }

  // --- matching -------------------------------------------------------------------------------------------
  var query = { text: null, words: [] };
  function fits(item, name, value) {
    if (name === "q") {
      if (query.text !== value) query = { text: value, words: fold(value).split(" ") };
      return query.words.every(function (word) { return item.s.indexOf(word) >= 0; });
    }
    if (name === TIME) {
      return (periods[value] || []).some(function (m) { return item.m.indexOf(m) >= 0; });
    }
    var at = value.indexOf(":"), terms = item.f[value.slice(0, at)];
    return terms === "*" || (!!terms && terms.indexOf(value.slice(at + 1)) >= 0);
  }
  function matching(state, except) {
    return items.filter(function (item) {
      return Object.keys(state).every(function (name) { return name === except || fits(item, name, state[name]); });
    });
  }
  function counts(state) {
    selects.forEach(function (s) {
      var pool = matching(state, s.name);
      [].forEach.call(s.options, function (o) {
        var n = o.value ? pool.filter(function (item) { return fits(item, s.name, o.value); }).length : pool.length;
        o.textContent = label(o) + " (" + n + ")";
      });
    });
  }

  // --- drawing --------------------------------------------------------------------------------------------
  function put(card, selector, value) {
    var element = card.querySelector(selector);
    if (value) element.textContent = value; else element.parentNode.removeChild(element);
  }
  function card(item) {
    var li = template.content.firstElementChild.cloneNode(true);
    var badges = li.querySelector(".badges");
    (item.b || []).forEach(function (b) {
      var span = document.createElement("span");
      span.className = "badge badge-" + b[0];
      span.textContent = b[1];
      badges.appendChild(span);
      if (b[0] === "cancelled") li.firstElementChild.classList.add("is-cancelled");
    });
    if (!item.b) badges.parentNode.removeChild(badges);
    var time = li.querySelector("time");
    time.setAttribute("datetime", item.d);
    time.textContent = item.w;
    put(li, ".card-more", item.x);
    var link = li.querySelector(".card-title a");
    link.href = root + item.u;
    link.textContent = item.t;
    put(li, ".card-type", item.ty);
    put(li, ".card-place", item.pl);
    put(li, ".card-price", item.pr);
    put(li, ".card-for", item.au);
    put(li, ".card-deadline", item.dl);
    return li;
  }
  // A subscription follows a selection over time, so the time choice does not matter; free text has no feed.
  // The index names the feed of every selection that has one: its option keys, sorted, joined by a space.
  function feed(state) {
    if (state.q) return null;
    var keys = selects.filter(function (s) { return s.name !== TIME && state[s.name]; })
      .map(function (s) { return state[s.name]; }).sort();
    var found = keys.length ? feeds[keys.join(" ")] : null;
    return found ? { ics: base + found[0] + files[0], rss: found[0] + files[1], page: found[1] || found[0],
                     name: found[2] } : null;
  }
  function showFeed(state) {
    if (!subscribe) return;
    var found = feed(state);
    subscribe.hidden = !found;
    if (!found) return;
    var webcal = "webcal://" + found.ics.split("://")[1];
    var links = {
      webcal: webcal, google: "https://calendar.google.com/calendar/render?cid=" + encodeURIComponent(webcal),
      rss: root + found.rss, page: root + found.page + "#prenumerera-rubrik"
    };
    [].forEach.call(subscribe.querySelectorAll("a[data-feed]"), function (a) {
      a.href = links[a.getAttribute("data-feed")];
    });
    subscribe.querySelector(".filter-subscribe-name").textContent = "(" + found.name + ")";
  }
  function describe(state) {
    var parts = selects.filter(function (s) { return state[s.name] && option(s, state[s.name]); })
      .map(function (s) { return label(option(s, state[s.name])); });
    if (state.q) parts.push("”" + state.q.trim() + "”");
    return parts.join(", ");
  }
  function draw(state, from) {
    if (same(state, preset)) {
      listing.hidden = false;
      results.hidden = true;
      status.textContent = staticStatus;
    } else {
      var found = matching(state);
      listing.hidden = true;
      results.hidden = false;
      if (!from) list.textContent = "";
      found.slice(from || 0, limit).forEach(function (item) { list.appendChild(card(item)); });
      more.hidden = found.length <= limit;
      var n = found.length, chosen = describe(state);
      status.textContent = say(n === 1 ? "one" : "other", { n: n })
        + (chosen ? say("chosen", { chosen: chosen }) : say("plain", {}))
        + (n === 0 ? say("none", {}) : "");
    }
    counts(state);
    showFeed(state);
    unfold(!body.hidden);
  }

  // --- loading, events and history -----------------------------------------------------------------------
  function load() {
    loading = loading || fetch(form.getAttribute("data-index")).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    }).then(function (data) {
      items = data.items;
      feeds = data.feeds || {};
      files = data.files || [];
      items.forEach(function (item) { item.s = fold([item.t, item.ty, item.pl || "", item.au, item.s].join(" ")); });
      data.periods.forEach(function (group) {
        var optgroup = document.createElement("optgroup");
        optgroup.label = group.g;
        group.o.forEach(function (p) {
          periods[p[0]] = p[2];
          var o = new Option(p[1], p[0]);
          o.setAttribute("data-label", p[1]);
          optgroup.appendChild(o);
        });
        if (group.o.length && when) when.appendChild(optgroup);
      });
    }).catch(function () {
      listing.hidden = false;
      status.textContent = say("failed", {});
      throw new Error("filter index");
    });
    return loading;
  }
  function apply(state, push) {
    load().then(function () {
      limit = STEP;
      draw(state);
      var address = location.pathname + toQuery(state);
      if (address !== location.pathname + location.search) {
        history[push ? "pushState" : "replaceState"](null, "", address);
      }
    }, function () {});
  }
  function restore() {
    var state = fromUrl();
    toForm(state);
    typing = false;
    if (!same(state, preset)) {
      listing.hidden = true;
      status.textContent = say("filtering", {});
    }
    load().then(function () { toForm(state); limit = STEP; draw(state); }, function () {});
  }

  form.addEventListener("change", function (event) {
    if (event.target === search) return;
    typing = false;
    apply(fromForm(), true);
  });
  search.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { apply(fromForm(), !typing); typing = true; }, 250);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    apply(fromForm(), !typing);
    typing = true;
  });
  form.addEventListener("reset", function (event) {
    event.preventDefault();
    toForm(preset);
    typing = false;
    apply(Object.assign({}, preset), true);
  });
  // Narrow screens: the fields fold away behind a button until used, so the list comes first.
  function unfold(open) {
    toggle.hidden = !narrow.matches;
    open = open || !narrow.matches;
    body.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
    var chosen = Object.keys(fromForm()).length;
    toggle.textContent = say(open ? "hide" : "show", {}) + (chosen ? say("choices", { n: chosen }) : "");
  }
  toggle.addEventListener("click", function () { unfold(body.hidden); });
  if (narrow.addEventListener) narrow.addEventListener("change", function () { unfold(false); });

  form.addEventListener("focusin", function () { load().then(function () { counts(fromForm()); }, function () {}); });
  more.querySelector("button").addEventListener("click", function () {
    var from = list.children.length;
    limit += STEP;
    draw(fromForm(), from);
    var next = list.children[from];
    if (next) next.querySelector("a").focus();
  });
  window.addEventListener("popstate", restore);

  form.hidden = false;
  if (location.search) restore(); else toForm(preset);
  unfold(false);
})();
