/* Live updates for jury pages, on top of htmx and its WebSocket extension.
 *
 * - Keeps the number of the last event this page has shown, and asks for everything after it on
 *   every (re)connection, so nothing is missed or shown twice.
 * - Says politely when live updates pause and resume; the page keeps working with reloads.
 * - Counts down the sitting's clocks, keeps drafts on this device until they are posted.
 * Everything here is an enhancement: every page works without it.
 */
(function () {
  'use strict';

  var live = document.getElementById('live');
  var lastSeq = live ? parseInt(live.getAttribute('data-last-event') || '0', 10) : 0;
  var REFUSED = 4403;
  var SIGNED_OUT = 4401;
  var RECONNECTING = [1006, 1011, 1012, 1013];

  function text(name) {
    return live ? live.getAttribute('data-text-' + name) || '' : '';
  }

  function showStatus(message) {
    var status = document.getElementById('live-status');
    if (!status) return;
    status.textContent = message;
    status.hidden = !message;
  }

  // A page that says "Reload the page to see changes" (true without JavaScript) says instead that
  // it updates itself while its live connection is open.
  function showUpdating(on) {
    var notice = document.getElementById('live-notice');
    if (notice) notice.textContent = notice.getAttribute(on ? 'data-text-live' : 'data-text-reload');
  }

  function announce(message) {
    var region = document.getElementById('live-announce');
    if (region) region.textContent = message;
  }

  if (live && window.htmx) {
    htmx.config.wsReconnectDelay = function (retry) {
      var most = 1000 * Math.pow(2, Math.min(retry, 5));
      return most / 2 + Math.random() * most / 2;
    };
    var create = htmx.createWebSocket;
    htmx.createWebSocket = function (url) {
      return create(url.replace(/([?&]after=)\d*/, '$1' + lastSeq));
    };
    var wasPaused = false;
    live.addEventListener('htmx:wsBeforeMessage', function (event) {
      var match = /^<!--ev (\d+) /.exec(event.detail.message);
      if (!match) return;
      var seq = parseInt(match[1], 10);
      if (seq <= lastSeq) {
        event.preventDefault();
        return;
      }
      lastSeq = seq;
      live.setAttribute('data-last-event', String(seq));
    });
    live.addEventListener('htmx:wsOpen', function () {
      showStatus('');
      showUpdating(true);
      if (wasPaused) announce(text('resumed'));
      wasPaused = false;
    });
    live.addEventListener('htmx:wsClose', function (event) {
      var code = event.detail.event.code;
      if (code === REFUSED || code === SIGNED_OUT) {
        showUpdating(false);
        showStatus(text(code === SIGNED_OUT ? 'signed-out' : 'ended'));
        return;
      }
      wasPaused = true;
      showUpdating(false);
      showStatus(text('paused'));
      if (RECONNECTING.indexOf(code) < 0 && document.body.contains(live)) {
        // A clean close (a server restarting, say) is retried too.
        setTimeout(event.detail.socketWrapper.reconnect, 2000 + Math.random() * 3000);
      }
    });
    live.addEventListener('htmx:wsError', function () {
      showUpdating(false);
      showStatus(text('paused'));
    });
  }

  // Every page of a jury receives the jury's updates; each part of one names where it goes
  // (hx-swap-oob). A part for a place this page does not have (a post for another thread, an
  // answer on a page without the answers) is set aside here, before htmx would log an error.
  function hasPlaceFor(part) {
    var oob = part.getAttribute('hx-swap-oob') || 'true';
    var colon = oob.indexOf(':');
    var selector = colon > 0 ? oob.slice(colon + 1) : '#' + part.id;
    try {
      return !!document.querySelector(selector);
    } catch (e) {
      return true; // not a selector we can read: leave it to htmx
    }
  }
  if (window.htmx) {
    htmx.defineExtension('only-present-targets', {
      transformResponse: function (text) {
        var template = document.createElement('template');
        template.innerHTML = text;
        var parts = Array.prototype.slice.call(template.content.children);
        var kept = parts.filter(hasPlaceFor);
        if (kept.length === parts.length) return text;
        for (var i = 0; i < parts.length; i++) {
          if (kept.indexOf(parts[i]) < 0) parts[i].remove();
        }
        return template.innerHTML;
      }
    });
  }

  // A new post that this page already shows (the page and the stream overlapped) is not added
  // twice; an announcement meant for another page (a post in another thread) is not read out.
  document.addEventListener('htmx:oobBeforeSwap', function (event) {
    var fragment = event.detail.fragment;
    var first = fragment && fragment.firstElementChild;
    if (!first) return;
    if (first.id && /^posts-/.test(event.detail.target.id || '') &&
        document.getElementById(first.id)) {
      event.detail.shouldSwap = false;
    }
    var onlyWith = first.getAttribute('data-only-with');
    if (onlyWith && !document.querySelector(onlyWith)) event.detail.shouldSwap = false;
  });

  // Forms that arrive over the socket carry no secret: each page adds its own CSRF token.
  function addTokens() {
    var token = live ? live.getAttribute('data-csrf') : '';
    if (!token) return;
    var forms = document.querySelectorAll('form[method="post"]');
    for (var i = 0; i < forms.length; i++) {
      if (forms[i].querySelector('input[name="csrfmiddlewaretoken"]')) continue;
      var input = document.createElement('input');
      input.type = 'hidden';
      input.name = 'csrfmiddlewaretoken';
      input.value = token;
      forms[i].appendChild(input);
    }
  }

  // Keep keyboard focus where it was when the part of the page holding it is replaced.
  var focusedId = null;
  function rememberFocus() {
    var active = document.activeElement;
    focusedId = active && active.id && active !== document.body ? active.id : null;
  }
  function restoreFocus() {
    if (!focusedId || (document.activeElement && document.activeElement.id === focusedId)) return;
    var again = document.getElementById(focusedId);
    if (again) again.focus();
  }

  // The speaking button follows the queue: after the floor is given, the hand is down.
  function syncHand() {
    var form = document.querySelector('[data-hand-form]');
    if (!form) return;
    var me = form.getAttribute('data-user');
    var raised = !!document.querySelector('#room-panel [data-user="' + me + '"]');
    var input = form.querySelector('input[name="do"]');
    var button = form.querySelector('button');
    input.value = raised ? 'lower' : 'raise';
    button.textContent = raised ? text('lower') : text('raise');
  }

  // "You have the floor" is for the speaker only: a live update is rendered for a role, not a
  // person, so it arrives hidden and is shown here to the person it names, and said once a turn.
  var floorSaid = null;
  function syncFloor(say) {
    var room = document.querySelector('[data-me]');
    var banner = document.querySelector('[data-floor-for]');
    var mine = !!(room && banner) &&
      banner.getAttribute('data-floor-for') === room.getAttribute('data-me');
    if (banner) banner.hidden = !mine;
    if (!mine) {
      floorSaid = null;
      return;
    }
    var turn = banner.getAttribute('data-turn');
    if (say && floorSaid !== turn) announce(banner.getAttribute('data-say'));
    floorSaid = turn;
  }

  // Clocks: "4:59 left", announced once when a minute remains. The page's text holds "{time}"
  // where the minutes go (a "%s" would reach us as "%%s": Django escapes "%" in {{ _() }}).
  var warned = {};
  function tick() {
    var clocks = document.querySelectorAll('[data-ends-at]');
    for (var i = 0; i < clocks.length; i++) {
      var clock = clocks[i];
      var ends = Date.parse(clock.getAttribute('data-ends-at'));
      if (isNaN(ends)) continue;
      var seconds = Math.max(0, Math.round((ends - Date.now()) / 1000));
      var minutes = Math.floor(seconds / 60);
      var rest = seconds % 60;
      clock.textContent = text('left').replace('{time}', minutes + ':' + (rest < 10 ? '0' : '') + rest);
      var key = clock.getAttribute('data-ends-at');
      if (seconds <= 60 && seconds > 0 && !warned[key]) {
        warned[key] = true;
        announce(text('minute'));
      }
    }
  }

  // Drafts stay on this device until the server says they were posted.
  function drafts() {
    var done = document.querySelectorAll('[data-draft-done]');
    for (var i = 0; i < done.length; i++) {
      try { localStorage.removeItem('draft:' + done[i].getAttribute('data-draft-done')); } catch (e) { /* storage off */ }
    }
    var forms = document.querySelectorAll('form[data-draft]');
    for (var j = 0; j < forms.length; j++) keepDraft(forms[j]);
  }

  function keepDraft(form) {
    var key = 'draft:' + form.getAttribute('data-draft');
    var box = form.querySelector('textarea');
    if (!box) return;
    try {
      if (!box.value && localStorage.getItem(key)) box.value = localStorage.getItem(key);
    } catch (e) { return; }
    var note = form.querySelector('.draft-note');
    if (note) note.hidden = false;
    box.addEventListener('input', function () {
      try {
        if (box.value) localStorage.setItem(key, box.value); else localStorage.removeItem(key);
      } catch (e) { /* storage full or off: the form still works */ }
    });
  }

  function start() {
    drafts();
    syncHand();
    syncFloor(false);
    tick();
    setInterval(tick, 1000);
    if (live) {
      live.addEventListener('htmx:wsBeforeMessage', rememberFocus);
      live.addEventListener('htmx:wsAfterMessage', function () {
        addTokens();
        syncHand();
        syncFloor(true);
        restoreFocus();
      });
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
}());
