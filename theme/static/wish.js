// The wish form, /onska/ (kkssite/wish.py): progressive enhancement of a plain HTML form. It fills the form from
// the page's query (?yrke=ljustekniker, ?region=blekinge, a need and its title), checks the answers (an error
// summary that takes the focus, each message tied to its field with aria-describedby), and writes a front matter
// block for content/needs/ from them. With a form service (a POST action) it puts the block into the form's
// front_matter field and lets the browser send the form; without one it composes an e-mail to the site's contact
// address and shows its text to copy. Its texts come from the page (data-texts, from the site's catalogue).
(function () {
  "use strict";
  var form = document.getElementById("onska");
  if (!form || !window.URLSearchParams || !"".normalize) return;

  var texts = JSON.parse(form.getAttribute("data-texts") || "{}");
  var params = JSON.parse(form.getAttribute("data-params") || "{}");
  var mailto = form.getAttribute("data-mailto");
  var posting = !!form.getAttribute("action");
  var summary = document.getElementById("onska-fel");
  var result = document.getElementById("onska-klart");
  var fallback = document.getElementById("onska-reserv");
  var field = function (name) { return form.elements[name]; };

  function say(key, values) {
    return (texts[key] || "").replace(/\{(\w+)\}/g, function (_, name) { return values[name]; });
  }
  function checked(name) {
    return [].filter.call(form.querySelectorAll("input[name='" + name + "']"), function (i) { return i.checked; });
  }
  function labelOf(input) { return input.labels && input.labels[0] ? input.labels[0].textContent.trim() : input.value; }
  function chosen(select) { return select.value ? select.options[select.selectedIndex].textContent.trim() : ""; }

  // --- filling from the query ---------------------------------------------------------------------------------
  function prefill() {
    var query = new URLSearchParams(location.search);
    query.forEach(function (value, key) {
      var target = (params.fields || {})[key];
      if (!target) return;
      var control = field(target);
      if (target === "where") {
        var option = [].filter.call(control.options, function (o) { return o.value === key + ":" + value; })[0];
        if (option) control.value = option.value;
      } else if (target === "title" || target === "same_as") {
        control.value = value;
      } else if (control && control.tagName === "SELECT") {
        if ([].some.call(control.options, function (o) { return o.value === value; })) control.value = value;
      } else {
        [].forEach.call(form.querySelectorAll("input[name='" + target + "']"), function (i) {
          if (i.value === value) i.checked = true;
        });
      }
    });
  }

  // --- checking -----------------------------------------------------------------------------------------------
  var EMAIL = /^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$/;
  function problems() {
    var found = [];
    if (!field("title").value.trim()) found.push(["title", say("title_missing", {})]);
    var interest = field("interest").value.trim();
    if (interest && !/^[1-9]\d{0,5}$/.test(interest)) found.push(["interest", say("interest_invalid", {})]);
    var email = field("email").value.trim();
    if (email && !EMAIL.test(email)) found.push(["email", say("email_invalid", {})]);
    var contact = ["name", "organisation", "email"].some(function (n) { return field(n).value.trim(); });
    if (contact && !field("consent").checked) found.push(["consent", say("consent_missing", {})]);
    return found;
  }
  function clearErrors() {
    [].forEach.call(form.querySelectorAll(".field-error"), function (p) {
      var input = document.getElementById(p.getAttribute("data-for"));
      input.removeAttribute("aria-invalid");
      var ids = (input.getAttribute("aria-describedby") || "").split(" ").filter(function (id) { return id !== p.id; });
      if (ids.length) input.setAttribute("aria-describedby", ids.join(" ")); else input.removeAttribute("aria-describedby");
      p.parentNode.removeChild(p);
    });
    summary.hidden = true;
  }
  function showErrors(found) {
    var list = summary.querySelector("ul");
    list.textContent = "";
    found.forEach(function (problem) {
      var input = field(problem[0]);
      var message = document.createElement("p");
      message.className = "field-error";
      message.id = input.id + "-fel";
      message.setAttribute("data-for", input.id);
      message.textContent = problem[1];
      var box = input.closest(".check") || input;
      box.parentNode.insertBefore(message, box);
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", ((input.getAttribute("aria-describedby") || "") + " " + message.id).trim());
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#" + input.id;
      link.textContent = problem[1];
      link.addEventListener("click", function (event) { event.preventDefault(); input.focus(); });
      item.appendChild(link);
      list.appendChild(item);
    });
    summary.querySelector("h2").textContent = found.length === 1 ? say("errors_one", {})
      : say("errors_other", { n: found.length });
    summary.hidden = false;
    summary.focus();
  }

  // --- the front matter block and the message ----------------------------------------------------------------
  function slug(text) {
    var s = text.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "");
    if (s.length > 60) s = s.slice(0, 60).replace(/-[^-]*$/, "");
    return s || say("fallback_name", {});
  }
  function today() {
    var d = new Date();
    return d.getFullYear() + "-" + ("0" + (d.getMonth() + 1)).slice(-2) + "-" + ("0" + d.getDate()).slice(-2);
  }
  function list(values) { return "[" + values.join(", ") + "]"; }
  function block() {
    var lines = ["---", "title: " + JSON.stringify(field("title").value.trim()), "reported: " + today()];
    var sender = checked("sender")[0];
    lines.push("reported_by: " + JSON.stringify(say(sender && sender.value === "organisation"
      ? "organisation_sender" : "individual", {})));
    var interest = parseInt(field("interest").value, 10);
    lines.push("interest: " + (interest > 0 ? interest : 1));
    var professions = checked("professions").map(function (i) { return i.value; });
    if (professions.length) lines.push("professions: " + list(professions));
    var arts = checked("art_forms").map(function (i) { return i.value; });
    if (arts.length) lines.push("art_forms: " + list(arts));
    var where = field("where").value;
    if (where) {
      var at = where.indexOf(":"), key = (params.where || {})[where.slice(0, at)];
      if (key) lines.push(key + ": [" + where.slice(at + 1) + "]");
    }
    lines.push("status: open", "---");
    var description = field("description").value.trim();
    if (description) lines.push(description, "");
    var wishes = [];
    [["format", field("format")], ["level", field("level")], ["scope", field("scope")]].forEach(function (pair) {
      if (chosen(pair[1])) wishes.push(say(pair[0], {}) + ": " + chosen(pair[1]));
    });
    var times = checked("times").map(labelOf);
    if (times.length) wishes.push(say("times", {}) + ": " + times.join(", "));
    wishes.push(say("language", {}) + ": " + chosen(field("language")));
    if (field("online").checked) wishes.push(say("online", {}));
    lines.push(say("wishes", {}));
    wishes.forEach(function (w) { lines.push("- " + w); });
    return lines.join("\n") + "\n";
  }
  function message(front) {
    var title = field("title").value.trim();
    var file = slug(title) + ".md";
    var parts = [say("greeting", {}), ""];
    var same = field("same_as").value;
    if (same) parts.push(say("same_as", { slug: same, title: title }), "");
    parts.push(say("save_as", { file: file }), "", say("begin", {}), front.replace(/\n$/, ""), say("end", {}));
    var contact = [["name", "name"], ["organisation", "organisation"], ["email", "email"]]
      .filter(function (pair) { return field(pair[0]).value.trim(); })
      .map(function (pair) { return say(pair[1], {}) + ": " + field(pair[0]).value.trim(); });
    if (contact.length && field("consent").checked) {
      parts.push("", say("contact", {}));
      parts = parts.concat(contact, [say("consent", {})]);
    }
    return parts.join("\n") + "\n";
  }

  // --- sending -------------------------------------------------------------------------------------------------
  form.noValidate = true;
  form.addEventListener("submit", function (event) {
    clearErrors();
    var found = problems();
    if (found.length) {
      event.preventDefault();
      showErrors(found);
      return;
    }
    var front = block();
    field("front_matter").value = front;
    if (posting) return;  // the browser sends the form to the form service
    event.preventDefault();
    if (!mailto || !result) return;
    var text = message(front);
    var subject = say("subject", { title: field("title").value.trim() });
    document.getElementById("onska-mailto").href = "mailto:" + mailto + "?subject=" + encodeURIComponent(subject)
      + "&body=" + encodeURIComponent(text.replace(/\n/g, "\r\n"));
    document.getElementById("onska-meddelande").value = text;
    form.hidden = true;
    result.hidden = false;
    result.focus();
  });

  if (result) {
    document.getElementById("onska-tillbaka").addEventListener("click", function () {
      result.hidden = true;
      form.hidden = false;
      field("title").focus();
    });
    var copy = document.getElementById("onska-kopiera");
    copy.addEventListener("click", function () {
      var area = document.getElementById("onska-meddelande");
      var done = function () { document.getElementById("onska-kopierat").textContent = say("copied", {}); };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(area.value).then(done, function () { area.select(); });
      } else {
        area.select();
      }
    });
  }

  prefill();
  if (fallback) fallback.hidden = true;
  form.hidden = false;
})();
