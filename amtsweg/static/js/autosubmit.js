/* Sends the form marked data-autosubmit as soon as the page is read: the pages that hand a SAML message
   over to the identity provider or back to the portal. Without JavaScript the form's own "Continue"
   button does the same. A file of its own, because the Content-Security-Policy allows no inline script. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosubmit]");
  if (form) {
    form.submit();
  }
})();
