/* Keyboard shortcuts for a fast pass over leads (no library, no CDN).
   List: j/k move the current row, x selects it, Enter opens it, c/f decide the selected rows
   (or the current row when none is selected). Lead page: j/k next/previous lead, c/f decide. */
(function () {
  "use strict";

  function typing(event) {
    var tag = (event.target.tagName || "").toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || event.target.isContentEditable;
  }

  function submitDecision(form, word) {
    var button = form.querySelector('button[name="decision"][value="' + word + '"]');
    if (button) { button.click(); }
  }

  function setupList(form) {
    var rows = Array.prototype.slice.call(form.querySelectorAll("tr.jz-row"));
    var current = -1;
    var all = form.querySelector(".jz-all");
    if (all) {
      all.addEventListener("change", function () {
        rows.forEach(function (row) { row.querySelector(".jz-pick").checked = all.checked; });
      });
    }
    function move(step) {
      if (!rows.length) { return; }
      if (current >= 0) { rows[current].classList.remove("jz-current"); }
      current = Math.max(0, Math.min(rows.length - 1, current + step));
      rows[current].classList.add("jz-current");
      rows[current].scrollIntoView({block: "nearest"});
    }
    function decide(word) {
      var picked = form.querySelectorAll(".jz-pick:checked");
      if (!picked.length && current >= 0) { rows[current].querySelector(".jz-pick").checked = true; }
      if (form.querySelectorAll(".jz-pick:checked").length) { submitDecision(form, word); }
    }
    document.addEventListener("keydown", function (event) {
      if (typing(event) || event.ctrlKey || event.metaKey || event.altKey) { return; }
      if (event.key === "j") { move(1); }
      else if (event.key === "k") { move(-1); }
      else if (event.key === "x" && current >= 0) {
        var box = rows[current].querySelector(".jz-pick");
        box.checked = !box.checked;
      }
      else if (event.key === "Enter" && current >= 0) { window.location = rows[current].dataset.href; }
      else if (event.key === "c") { decide("确认"); }
      else if (event.key === "f") { decide("误报"); }
      else { return; }
      event.preventDefault();
    });
  }

  function setupLead(lead) {
    var form = lead.querySelector("form.jz-lead-decide");
    document.addEventListener("keydown", function (event) {
      if (typing(event) || event.ctrlKey || event.metaKey || event.altKey) { return; }
      if (event.key === "j" && lead.dataset.next) { window.location = lead.dataset.next; }
      else if (event.key === "k" && lead.dataset.previous) { window.location = lead.dataset.previous; }
      else if (event.key === "c") { submitDecision(form, "确认"); }
      else if (event.key === "f") { submitDecision(form, "误报"); }
      else { return; }
      event.preventDefault();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var list = document.querySelector("form.jz-batch");
    var lead = document.querySelector(".jz-lead");
    if (list) { setupList(list); }
    if (lead) { setupLead(lead); }
  });
})();
