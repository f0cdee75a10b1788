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
  var ownFeed = document.getElementById("listing-subscribe");
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
  var items = null, periods = {}, feeds = { terms: {}, crossed: [], all: ["", ""] }, files = [], loading = null,
    limit = STEP, timer = 0, typing = false, prefix = "";

  function say(key, values) {
    return (texts[key] || "").replace(/\{(\w+)\}/g, function (_, name) { return values[name]; });
  }

  var members = {};  // a group's option (the first of its optgroup) → the options of its members
  selects.forEach(function (select) {
    [].forEach.call(select.options, function (o) { o.setAttribute("data-label", o.textContent); });
    [].forEach.call(select.querySelectorAll("optgroup"), function (group) {
      var options = [].map.call(group.querySelectorAll("option"), function (o) { return o.value; });
      members[options[0]] = options.slice(1);
    });
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
    // a select's value, or (name "option") any option key: "yrke:ljustekniker"; a group's ("region:skane")
    // fits when one of its members does
    var at = value.indexOf(":"), terms = item.f[value.slice(0, at)];
    if (!terms && members[value]) return members[value].some(function (key) { return fits(item, name, key); });
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
        o.textContent = say("count", { label: label(o), n: n });
      });
    });
  }

  // --- drawing --------------------------------------------------------------------------------------------
  function put(card, selector, value) {
    var element = card.querySelector(selector);
    if (value) element.textContent = value; else element.parentNode.removeChild(element);
  }
  // An activity's photo as _photo.html draws it, from the template's <picture> (lazy, with its sizes). The index
  // gives [stem, widths, suffix, width, height, alt]: each size is <stem>-<width>.webp and .<suffix>.
  function photo(p) {
    var pic = template.content.lastElementChild.cloneNode(true), img = pic.lastChild;
    function set(x) { return p[1].map(function (w) { return root + p[0] + "-" + w + "." + x + " " + w + "w"; }).join(", "); }
    pic.firstChild.srcset = set("webp");
    img.width = p[3];
    img.height = p[4];
    img.alt = p[5];
    img.srcset = set(p[2]);
    img.src = root + p[0] + "-" + p[1][p[1].length > 1 ? 1 : 0] + "." + p[2];
    return pic;
  }
  function card(item) {
    var li = template.content.firstElementChild.cloneNode(true);
    var badges = li.querySelector(".badges");
    var soon = null;
    (item.b || []).forEach(function (b) {
      var span = document.createElement("span");
      span.className = "badge badge-" + b[0];
      span.textContent = b[1];
      if (b[0] === "soon") soon = span; else badges.appendChild(span);  // "soon" goes with the deadline
      if (b[0] === "cancelled") li.firstElementChild.classList.add("is-cancelled");
    });
    if (!badges.children.length) badges.parentNode.removeChild(badges);
    var time = li.querySelector("time");
    time.setAttribute("datetime", item.d);
    // time ranges ("13.00–14.30") never break across lines, as in the static cards
    item.w.split(/(\d[\d.:]*\u2013\d[\d.:]*)/).forEach(function (part, i) {
      if (!part) return;
      if (i % 2) {
        var span = document.createElement("span");
        span.className = "nowrap";
        span.textContent = part;
        time.appendChild(span);
      } else time.appendChild(document.createTextNode(part));
    });
    var emblem = li.querySelector(".card-art use");  // activities carry their art form; needs have none
    if (emblem) {
      var art = item.a || "alla";
      li.firstElementChild.classList.add("af-" + art);
      emblem.setAttribute("href", "#em-" + art);
      put(li, ".card-art span", item.ar);
    }
    if (item.ph) li.firstElementChild.insertBefore(photo(item.ph), li.querySelector(".card-when"));
    put(li, ".card-more", item.x);
    var link = li.querySelector(".card-title a");
    link.href = root + prefix + item.u;
    link.textContent = item.t;
    put(li, ".card-type", item.ty);
    put(li, ".card-place", item.pl);
    put(li, ".card-price", item.pr);
    put(li, ".card-for", item.au);
    put(li, ".card-deadline", item.dl);
    var deadline = li.querySelector(".card-deadline");
    if (soon && deadline) deadline.insertBefore(document.createTextNode(" "), deadline.firstChild);
    if (soon && deadline) deadline.insertBefore(soon, deadline.firstChild);
    return li;
  }
  // A subscription follows a selection over time, so the time choice does not matter, and free text has none.
  // The index names the folder of every option's feed and which two facets are crossed (a profession in a
  // region). When no feed holds exactly the selection, the closest is the one of a broader (an option's broader
  // one is the first of its optgroup: a city's region) or smaller selection that holds the fewest upcoming
  // activities: a profession in Malmö gets the profession in Skåne.
  function keysOf(state) {
    return selects.filter(function (s) { return s.name !== TIME && state[s.name]; })
      .map(function (s) { return state[s.name]; });
  }
  function holding(keys) {
    return items.filter(function (item) {
      return keys.every(function (key) { return fits(item, "option", key); });
    }).length;
  }
  function optionOf(key) {
    for (var i = 0; i < selects.length; i++) { var o = option(selects[i], key); if (o) return o; }
    return null;
  }
  function broader(key) {
    var o = optionOf(key), group = o && o.parentNode.tagName === "OPTGROUP" ? o.parentNode : null;
    var first = group && group.querySelector("option");
    return first && first !== o ? first.value : null;
  }
  function nameOf(key) {  // a group's option ("Hela Skåne") is named by its optgroup ("Skåne")
    var o = optionOf(key), group = o.parentNode;
    return group.tagName === "OPTGROUP" && group.querySelector("option") === o ? group.label : label(o);
  }
  function feedOf(keys) {
    var terms = feeds.terms, x = feeds.crossed;
    if (!keys.length) return { folder: feeds.all[0], page: feeds.all[1], name: say("everything", {}) };
    if (keys.length === 1) {
      return terms[keys[0]] ? { folder: terms[keys[0]], page: terms[keys[0]], name: nameOf(keys[0]) } : null;
    }
    var term = keys.filter(function (k) { return k.indexOf(x[0] + ":") === 0; })[0];
    var place = keys.filter(function (k) { return k.indexOf(x[1] + ":") === 0; })[0];
    if (keys.length !== 2 || !term || !place || !terms[term]) return null;
    return { folder: terms[term] + place.slice(x[1].length + 1) + "/", page: terms[term],
             name: say("crossed", { term: nameOf(term), place: nameOf(place) }) };
  }
  function feed(state) {
    var keys = keysOf(state);
    var exact = !state.q && feedOf(keys);
    if (exact) return { found: exact, keys: keys, exact: true };
    var best = null;
    (function walk(i, chosen) {
      if (i === keys.length) {
        var found = feedOf(chosen);
        if (!found) return;
        var n = holding(chosen);
        if (!best || n < best.n || (n === best.n && chosen.length > best.keys.length)) {
          best = { found: found, keys: chosen.slice(), n: n };
        }
        return;
      }
      [keys[i], broader(keys[i])].forEach(function (key) { if (key) walk(i + 1, chosen.concat([key])); });
      walk(i + 1, chosen);
    })(0, []);
    return best && { found: best.found, keys: best.keys, exact: false };
  }
  function showFeed(state) {
    if (!subscribe) return;
    var chosen = feed(state);
    var own = same(state, preset);
    if (ownFeed) ownFeed.hidden = !own;
    subscribe.hidden = own || !chosen;
    if (subscribe.hidden) return;
    var found = { ics: base + chosen.found.folder + files[0], rss: chosen.found.folder + files[1],
                  page: chosen.found.page, name: chosen.found.name };
    subscribe.querySelector(".filter-subscribe-note").textContent = say(chosen.exact ? "exact" : "closest",
      { name: found.name, n: holding(chosen.keys) });
    var webcal = "webcal://" + found.ics.split("://")[1];
    var links = {
      webcal: webcal, google: "https://calendar.google.com/calendar/render?cid=" + encodeURIComponent(webcal),
      rss: root + found.rss, page: root + found.page + "#prenumerera-rubrik"
    };
    [].forEach.call(subscribe.querySelectorAll("a[data-feed]"), function (a) {
      a.href = links[a.getAttribute("data-feed")];
    });
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
      feeds = data.feeds || feeds;
      files = data.files || [];
      prefix = data.p || "";
      items.forEach(function (item) {
        item.s = fold([item.t, item.ty, item.pl || "", item.au, item.ar || "", item.s].join(" "));
      });
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
