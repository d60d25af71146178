// eventwire's own script: event cards in the reader, corrections without a page
// load, and watchlist alerts arriving live. Everything works without it too (links,
// plain form posts, reloading); it only makes the dashboard quicker to use. No
// framework, nothing fetched from elsewhere.
(function () {
  "use strict";

  function csrf() {
    return document.body.dataset.csrf || "";
  }

  // Show the cards of these events (hide the others) and outline their spans.
  function openEvents(ids, scroll) {
    var aside = document.getElementById("cards");
    if (!aside) return false;
    var shown = null;
    aside.querySelectorAll(".card").forEach(function (card) {
      var on = ids.indexOf(card.dataset.event) >= 0;
      card.hidden = !on;
      if (on && !shown) shown = card;
    });
    document.querySelectorAll(".ev.selected").forEach(function (span) {
      span.classList.remove("selected");
    });
    ids.forEach(function (id) {
      document.querySelectorAll('.ev[data-events~="' + CSS.escape(id) + '"]').forEach(function (span) {
        span.classList.add("selected");
      });
    });
    var hint = document.getElementById("cards-hint");
    if (hint) {
      hint.hidden = !!shown;
      hint.textContent = "No event selected.";
    }
    if (shown && scroll) shown.scrollIntoView({ block: "nearest" });
    return !!shown;
  }

  document.addEventListener("click", function (e) {
    var span = e.target.closest(".ev");
    if (span) {
      var ids = span.dataset.events.split(" ");
      if (openEvents(ids, true)) history.replaceState(null, "", "#" + ids[0]);
      return;
    }
    var opener = e.target.closest("[data-open]");
    if (opener && openEvents([opener.dataset.open], true)) {
      e.preventDefault();
      history.replaceState(null, "", "#" + opener.dataset.open);
      return;
    }
    if (e.target.closest("[data-close]")) openEvents([], false);
  });

  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") openEvents([], false);
    if ((e.key === "Enter" || e.key === " ") && e.target.classList && e.target.classList.contains("ev")) {
      e.preventDefault();
      e.target.click();
    }
  });

  function describe(body, status) {
    if (body && typeof body.detail === "string") return body.detail;
    if (body && Array.isArray(body.detail)) {
      return body.detail.map(function (d) { return d.msg; }).join("; ");
    }
    return "the server answered " + status;
  }

  var SAID = { confirm: "Confirmed", reject: "Rejected", set: "Saved" };

  // Replace the reader with a fresh copy from the server, so what shows is what is stored.
  function refresh(eventId, said) {
    var root = document.getElementById("reader-root");
    if (!root) {
      location.reload();
      return Promise.resolve();
    }
    return fetch(location.pathname + location.search, { credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("reader-root");
        if (fresh) root.replaceWith(document.adoptNode(fresh));
        var shown = openEvents([eventId], false);
        var target = shown
          ? document.querySelector("#card-" + CSS.escape(eventId) + " .message")
          : document.getElementById("cards-hint");
        if (target) {
          target.hidden = false;
          target.textContent = said + " — stored as a correction." + (shown ? "" : " The event is hidden now.");
        }
      });
  }

  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (form.classList.contains("correct")) {
      e.preventDefault();
      var data = new FormData(form);
      var action = e.submitter && e.submitter.name === "action" ? e.submitter.value : data.get("action");
      data.set("action", action);
      var card = form.closest(".card");
      var message = card.querySelector(".message");
      message.textContent = "Saving…";
      // Not form.action: the buttons are named "action", which shadows the property.
      fetch(form.getAttribute("action"), {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRF-Token": csrf() },
      })
        .then(function (r) {
          return r.json().catch(function () { return {}; }).then(function (body) {
            if (!r.ok) {
              message.textContent = "Not saved: " + describe(body, r.status);
              return null;
            }
            return refresh(card.dataset.event, SAID[action] || "Saved");
          });
        })
        .catch(function (err) { message.textContent = "Not saved: " + err; });
      return;
    }
    if (form.dataset.busy) {
      var note = form.querySelector(".message");
      if (note) note.textContent = form.dataset.busy;
      var button = form.querySelector("button[type=submit]");
      if (button) setTimeout(function () { button.disabled = true; }, 0);
    }
  });

  // Live alerts: a list with data-stream follows /api/alerts/stream (Server-Sent
  // Events). Each alert becomes the same markup the server renders, built from
  // text nodes only: nothing in an alert can become markup.
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) {
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  function alertItem(a) {
    var ev = (a.payload && a.payload.evidence) || {};
    var parts = [
      el("span", { class: "meta" }, ["#" + a.id + " · " + a.created_at + " · ",
        el("a", { href: "/watchlists/" + encodeURIComponent(a.rule) }, [a.rule]), " · " + a.kind]),
      " ",
      el("span", { class: "badge st-" + a.status }, [a.status]),
      " ",
      el("a", { href: "/clusters/" + encodeURIComponent(a.cluster_id) }, [a.summary]),
    ];
    if (ev.article_id) {
      parts.push(" · ", el("a", {
        href: "/articles/" + encodeURIComponent(ev.article_id) + "#" + encodeURIComponent(ev.event_id || ""),
      }, [ev.title || "the report"]));
    }
    return el("li", { class: "alert new st-" + a.status, "data-alert": String(a.id) }, parts);
  }

  function followAlerts(list) {
    if (!window.EventSource) return;
    var status = list.parentNode.querySelector("[data-live-status]");
    var source = new EventSource(list.dataset.stream);
    source.addEventListener("open", function () {
      if (status) status.textContent = "Live: new alerts appear here as they are made.";
    });
    source.addEventListener("alert", function (message) {
      var a = JSON.parse(message.data);
      if (list.querySelector('[data-alert="' + a.id + '"]')) return;
      list.insertBefore(alertItem(a), list.firstChild);
      var none = list.parentNode.querySelector("[data-no-alerts]");
      if (none) none.remove();
      if (status) status.textContent = "New alert: " + a.summary;
    });
    source.addEventListener("error", function () {
      if (status) status.textContent = "Live updates paused; reconnecting…";
    });
    window.addEventListener("pagehide", function () { source.close(); });
  }

  window.addEventListener("DOMContentLoaded", function () {
    // A link to /articles/ID#EVENT opens that event's card.
    var id = decodeURIComponent(location.hash.slice(1));
    if (id) openEvents([id], true);
    document.querySelectorAll("ol.alerts[data-stream]").forEach(followAlerts);
  });
})();
