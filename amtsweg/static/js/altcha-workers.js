/* Registers the ALTCHA widget's proof-of-work worker (appointments/proof.py: PBKDF2/SHA-256) from our own
   static files. The widget's bundle with built-in workers starts them from blob: URLs, which the
   Content-Security-Policy refuses; this build has none, so the worker comes from 'self'. Its address is
   on this script's data-pbkdf2-worker attribute, because collectstatic gives the file a hashed name. */
(function () {
  "use strict";
  var script = document.currentScript;
  var altcha = window.$altcha;
  if (!script || !altcha || !altcha.algorithms) {
    return;
  }
  var url = script.getAttribute("data-pbkdf2-worker");
  var pbkdf2 = function () {
    return new Worker(url, { name: "altcha-pbkdf2" });
  };
  ["PBKDF2/SHA-256", "PBKDF2/SHA-384", "PBKDF2/SHA-512"].forEach(function (name) {
    altcha.algorithms.set(name, pbkdf2);
  });
})();
