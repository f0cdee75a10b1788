// {{ embed.element }}: this site's upcoming activities on a partner's page (kkssite/embeds.py).
// <{{ embed.element }} {{ embed.terms[0].p }}="..." {{ embed.count }}="5">a plain link, shown without JavaScript</{{ embed.element }}>
// renders the upcoming activities of a selection into its shadow root, from the kommande.json of that selection
// on the site this script comes from. The same script sizes the site's frames (<iframe src=".../{{ embed.frame }}...">)
// on the host page to the height they report. No cookies, no storage, no requests anywhere but that site.
(function (config) {
  "use strict";
  if (!window.customElements || !window.fetch || !window.URL || customElements.get(config.element)) return;

  var script = document.currentScript;
  var here = new URL(script && script.src ? script.src : config.self, location.href);
  here.search = "";
  here.hash = "";
  var root = here.href.slice(-config.self.length) === config.self
    ? here.href.slice(0, here.href.length - config.self.length) : new URL("./", here.href).href;
  var origin = here.origin;
  var frame = document.documentElement.hasAttribute("data-kks-frame");
  var SLUG = /^[a-z0-9][a-z0-9-]{0,80}$/;
  var params = config.terms.map(function (t) { return t.p; }).concat([config.online[0]]);
  var files = {};

  // --- the host page: frames of this site report their height; the frame that sent it gets it ---------------
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (event.origin !== origin || !data || data.type !== config.message) return;
    if (typeof data.height !== "number" || !isFinite(data.height)) return;
    [].forEach.call(document.getElementsByTagName("iframe"), function (iframe) {
      if (iframe.contentWindow === event.source) {
        iframe.style.height = Math.max(0, Math.min(Math.ceil(data.height), 20000)) + "px";
      }
    });
  });

  // --- the selection, its file and its activities ------------------------------------------------------------
  function selection(element) {
    var chosen = [];
    params.forEach(function (name) {
      var value = (element.getAttribute(name) || "").trim().toLowerCase();
      if (SLUG.test(value)) chosen.push([name, value]);
    });
    return chosen;
  }
  function fileOf(chosen) {
    var values = {};
    chosen.forEach(function (c) { values[c[0]] = c[1]; });
    for (var i = 0; i < config.terms.length; i++) {
      var t = config.terms[i];
      if (!values[t.p]) continue;
      if (t.cross && values[t.cross]) {
        return { path: t.crossed.replace("{term}", values[t.p]).replace("{cross}", values[t.cross]), covers: 2 };
      }
      return { path: t.file.replace("{term}", values[t.p]), covers: 1 };
    }
    return { path: config.site, covers: 0 };
  }
  function load(path) {
    files[path] = files[path] || fetch(root + path, { credentials: "omit" }).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    }).then(function (data) {
      if (data.v !== config.version) throw new Error("version " + data.v);
      return data;
    });
    return files[path];
  }
  function fits(item, chosen) {
    return chosen.every(function (c) {
      var terms = item.f[c[0]];
      return terms === "*" || (!!terms && terms.indexOf(c[1]) >= 0);
    });
  }
  function number(element) {
    var n = parseInt(element.getAttribute(config.count), 10);
    return isFinite(n) && n > 0 ? Math.min(n, config.max) : config["default"];
  }
  function listingUrl(chosen, file, data) {
    if (chosen.length === file.covers) return root + data.page;
    return root + config.listing + "?" + chosen.map(function (c) {
      return encodeURIComponent(c[0]) + "=" + encodeURIComponent(c[1]);
    }).join("&");
  }

  // --- the markup ---------------------------------------------------------------------------------------------
  var STYLE = ":host{display:block}:host([hidden]){display:none}"
    + ".kks{font:inherit;color:inherit;line-height:1.45}"
    + "ul{list-style:none;margin:0;padding:0}p{margin:0 0 .2em}"
    + ".kks-list li{padding:.65em 0;border-top:1px solid var(--kks-line,rgba(127,127,127,.5))}"
    + ".kks-list li:first-child{border-top:0;padding-top:0}"
    + ".kks-cards ul{display:grid;gap:1em;grid-template-columns:repeat(auto-fill,minmax(min(100%,16em),1fr))}"
    + ".kks-cards li{border:1px solid var(--kks-line,rgba(127,127,127,.5));border-radius:6px;padding:.75em 1em}"
    + ".when{font-weight:700}.more{display:block;font-weight:400;font-size:.9em}"
    + ".title{font-size:1.1em;font-weight:700;margin:.1em 0 .25em}"
    + "a{color:var(--kks-link,inherit);text-decoration:underline;text-underline-offset:.15em}"
    + "a:hover{text-decoration-thickness:2px}"
    + "a:focus-visible{outline:3px solid var(--kks-focus,#1f5fbf);outline-offset:2px;border-radius:2px}"
    + ".is-cancelled .title a{text-decoration:line-through}"
    + ".meta,.deadline{font-size:.95em}.meta span+span::before{content:\"\\00a0\\00b7\\0020\"}.deadline{font-weight:600}"
    + ".badges{display:flex;flex-wrap:wrap;gap:.35em;margin-bottom:.3em}"
    + ".badge{display:inline-block;font-size:.8em;font-weight:700;padding:.1em .5em;border-radius:999px;line-height:1.4}"
    + ".badge-cancelled{background:#fbe3e0;color:#7a1a10}.badge-postponed,.badge-draft{background:#fff3cd;color:#5c4400}"
    + ".badge-full{background:#e3ecf9;color:#1b3d6e}.badge-soon{background:#8a2b1d;color:#fff}"
    + ".all{margin-top:.75em;font-weight:700}";

  function make(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }
  function link(href, text) {
    var a = make("a", "", text);
    a.href = href;
    if (frame) a.target = "_top";
    return a;
  }
  function card(item) {
    var li = make("li", "item");
    if (item.b) {
      var badges = li.appendChild(make("p", "badges"));
      item.b.forEach(function (b) {
        badges.appendChild(make("span", "badge badge-" + b[0], b[1]));
        if (b[0] === "cancelled") li.classList.add("is-cancelled");
      });
    }
    var when = li.appendChild(make("p", "when"));
    var time = when.appendChild(make("time", "", item.w));
    time.setAttribute("datetime", item.d);
    if (item.x) { when.appendChild(document.createTextNode(" ")); when.appendChild(make("span", "more", item.x)); }
    li.appendChild(make("p", "title")).appendChild(link(root + item.u, item.t));
    var meta = li.appendChild(make("p", "meta"));
    [item.ty, item.pl, item.pr].forEach(function (text) { if (text) meta.appendChild(make("span", "", text)); });
    if (item.dl) li.appendChild(make("p", "deadline", item.dl));
    return li;
  }
  function say(key, values) {
    return config.texts[key].replace(/\{(\w+)\}/g, function (whole, name) { return values[name]; });
  }
  function draw(shadow, nodes) {
    shadow.textContent = "";
    shadow.appendChild(make("style", "", STYLE));
    nodes.forEach(function (node) { shadow.appendChild(node); });
    if (frame) report();
  }

  class Activities extends HTMLElement {
    static get observedAttributes() { return params.concat([config.count, config.layout]); }
    connectedCallback() { this.update(); }
    attributeChangedCallback() {
      var self = this;
      if (!this.isConnected || this.pending) return;
      this.pending = true;
      Promise.resolve().then(function () { self.pending = false; self.update(); });
    }
    update() {
      var self = this;
      var shadow = this.shadowRoot || this.attachShadow({ mode: "open" });
      if (!shadow.firstChild) shadow.appendChild(document.createElement("slot"));  // the fallback link, until loaded
      var chosen = selection(this), file = fileOf(chosen), limit = number(this), token = {};
      var cards = this.getAttribute(config.layout) === config.layouts[1];
      this.token = token;
      load(file.path).then(function (data) {
        if (self.token !== token) return;
        var found = data.items.filter(function (item) { return fits(item, chosen); });
        var box = make("div", "kks " + (cards ? "kks-cards" : "kks-list"));
        box.lang = config.lang;
        var more = listingUrl(chosen, file, data);
        if (found.length) {
          var list = box.appendChild(make("ul"));
          list.setAttribute("aria-label", config.texts.label);
          found.slice(0, limit).forEach(function (item) { list.appendChild(card(item)); });
        } else {
          box.appendChild(make("p", "none", config.texts.none));
        }
        var text = found.length > limit ? say("all", { n: found.length }) : say("calendar", {});
        box.appendChild(make("p", "all")).appendChild(link(more, text));
        draw(shadow, [box]);
      }).catch(function () {
        if (self.token !== token) return;
        var box = make("div", "kks");
        box.lang = config.lang;
        box.appendChild(make("p", "failed", config.texts.failed));
        box.appendChild(document.createElement("slot"));
        draw(shadow, [box]);
      });
    }
  }

  // --- the frame page: configured from its address, reporting its height to the page it is in ---------------
  var reported = -1;
  function report() {
    if (window.parent === window) return;
    var height = Math.ceil(document.body.getBoundingClientRect().height);
    if (height === reported) return;
    reported = height;
    window.parent.postMessage({ type: config.message, height: height }, "*");
  }
  if (frame) {
    var query = new URLSearchParams(location.search);
    var element = document.querySelector(config.element);
    if (element) {
      Activities.observedAttributes.forEach(function (name) {
        var value = query.get(name);
        if (value) element.setAttribute(name, value);
      });
    }
    if (window.ResizeObserver) new ResizeObserver(report).observe(document.body);
    window.addEventListener("load", report);
  }
  customElements.define(config.element, Activities);
})({{ embed|tojson }});
