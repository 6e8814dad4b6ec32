// Access tokens for the web pages (service/api/auth.py). When the service runs with
// GOSPABLIK_API_TOKENS, its API answers 401 without «Authorization: Bearer <token>».
// authFetch(url, options) is fetch() that sends the token kept in this browser and, on a 401,
// asks the person for the token once (window.prompt), keeps it in localStorage and repeats the
// call; a cancelled prompt gives the 401 answer back to the caller, which shows its message.
// Every call a page makes to /v1/* or /region/* should go through authFetch, not fetch.
(function () {
  "use strict";
  var KEY = "gospablik.token";
  var memory = null;  // when localStorage is off (private mode, file://), keep it for this page

  function load() {
    try { return localStorage.getItem(KEY) || memory; } catch (e) { return memory; }
  }
  function keep(token) {
    memory = token;
    try {
      if (token) localStorage.setItem(KEY, token); else localStorage.removeItem(KEY);
    } catch (e) { /* memory only */ }
  }
  function withToken(options) {
    var o = {}, k;
    for (k in options || {}) o[k] = options[k];
    var h = new Headers(o.headers || {}), token = load();
    if (token) h.set("Authorization", "Bearer " + token);
    o.headers = h;
    return o;
  }
  // Ask for the token; return it, or null when the person cancels.
  function ask(wrong) {
    var text = window.prompt((wrong ? "Токен не подошёл. " : "") +
      "Сервис открыт только по токену доступа. Введите токен (его выдаёт администратор сервиса):", "");
    text = text == null ? "" : String(text).trim().replace(/^Bearer\s+/i, "");
    keep(text || null);
    return text || null;
  }

  window.authFetch = function authFetch(url, options) {
    return fetch(url, withToken(options)).then(function (resp) {
      if (resp.status !== 401) return resp;
      return ask(!!load()) ? authFetch(url, options) : resp;
    });
  };
})();
