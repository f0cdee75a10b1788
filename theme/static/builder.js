// The embed builder of /badda-in/ (kkssite/embeds.py): the form's choices become the attributes of the live
// preview (the web component itself) and of the two snippets to copy. Its words (the element, the attributes,
// the addresses, the fallback link's text) come from the page's data attributes.
(function () {
  "use strict";
  var form = document.getElementById("embed-builder");
  var preview = document.getElementById("embed-preview");
  if (!form || !preview || !window.customElements) return;
  var data = form.dataset;
  var component = document.getElementById("snippet-component");
  var frame = document.getElementById("snippet-frame");
  var stage = document.getElementById("embed-forhandsvisning");
  var names = [];

  function escape(text) {
    return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }
  // The choices in order: [attribute, value] from the selects ("yrke:ljustekniker"), then the number and layout.
  function choices() {
    var found = [];
    [].forEach.call(form.querySelectorAll("select"), function (select) {
      if (!select.value) return;
      var at = select.value.indexOf(":");
      found.push([select.value.slice(0, at), select.value.slice(at + 1)]);
    });
    var count = parseInt(form.elements[data.count].value, 10);
    var max = parseInt(form.elements[data.count].max, 10);
    if (!(count > 0)) count = parseInt(data["default"], 10);
    found.push([data.count, String(Math.min(count, max))]);
    var layout = form.querySelector("input[name='" + data.layout + "']:checked");
    if (layout && layout.value === data.cards) found.push([data.layout, layout.value]);
    return found;
  }
  function query(found, filterOnly) {
    return found.filter(function (c) { return !filterOnly || (c[0] !== data.count && c[0] !== data.layout); })
      .map(function (c) { return encodeURIComponent(c[0]) + "=" + encodeURIComponent(c[1]); }).join("&");
  }
  function update() {
    var found = choices();
    var listing = data.listing + (query(found, true) ? "?" + query(found, true) : "");
    var script = "<script src=\"" + escape(data.script) + "\" defer></" + "script>";
    component.textContent = "<" + data.element + found.map(function (c) {
      return " " + c[0] + "=\"" + escape(c[1]) + "\"";
    }).join("") + ">\n  <a href=\"" + escape(listing) + "\">" + escape(data.fallback) + "</a>\n</"
      + data.element + ">\n" + script;
    frame.textContent = "<iframe src=\"" + escape(data.frame + "?" + query(found, false)) + "\" title=\""
      + escape(data.fallback) + "\" style=\"width: 100%; height: 30rem; border: 0;\" loading=\"lazy\"></iframe>\n"
      + script;
    names.forEach(function (name) { preview.removeAttribute(name); });
    names = found.map(function (c) { preview.setAttribute(c[0], c[1]); return c[0]; });
    [].forEach.call(document.querySelectorAll("button[data-copy-from]"), function (button) {
      button.setAttribute("data-copy", document.getElementById(button.getAttribute("data-copy-from")).textContent);
    });
  }
  form.addEventListener("change", update);
  form.addEventListener("input", update);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.hidden = false;
  stage.hidden = false;
  update();
})();
